"""The office's daily jobs, run by ``rollbook run-due-jobs``."""

from __future__ import annotations

from rollbook.jobs.registry import after_day_ends, after_register_closes, register_job
from rollbook.policy.calendar import Session

from .open_n import follow_up_overdue_n, send_open_n_report


def register() -> None:
    # After closing registers (order 10), so today's unmarked pupils already have their N.
    register_job("n-follow-up", follow_up_overdue_n, due=after_day_ends, catch_up_days=14, order=20)
    # Once the afternoon register closes every N of the day is known. A missed day's report is
    # of no use later, so only the newest is sent.
    register_job(
        "open-n-report", send_open_n_report, due=after_register_closes(Session.PM), catch_up_days=7,
        latest_only=True, order=30,
    )
