"""Jobs whose work lives in apps that register nothing themselves: closing registers and e-mail retries."""

from __future__ import annotations

import datetime as dt

from rollbook.mail.outbox import send_due
from rollbook.registers.taking import close_registers
from rollbook.schools.models import School

from .registry import EVERY_RUN, register_job

# How far back closing registers looks for sessions left open, in calendar days.
CLOSING_CATCH_UP_DAYS = 14


def close_school_registers(school: School, day: dt.date, at: dt.datetime) -> str:
    """Give N to pupils still unmarked in any register closed in the last two weeks."""
    result = close_registers(school, at, catch_up_days=CLOSING_CATCH_UP_DAYS)
    return f"{result.sessions} closed sessions checked, {result.marked} N marks added"


def retry_email(school: None, day: dt.date, at: dt.datetime) -> str:
    """Send every queued e-mail whose wait is over."""
    sent, failed = send_due(at)
    return f"{sent} e-mails sent, {failed} still failing"


def register() -> None:
    register_job("close-registers", close_school_registers, due=EVERY_RUN, order=10)
    register_job("send-email", retry_email, due=EVERY_RUN, per_school=False, order=900)
