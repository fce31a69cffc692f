"""Penalty notices for absence: what a notice costs, its deadlines, and when another may be issued.

A notice is issued to one parent for one pupil. The school's policy of 2023 charges £60 if paid
within 21 days of issue and £120 if paid within 28, for every notice. The national framework of
2024 charges £80 within 21 days and £160 within 28 for a first notice. A second notice to the
same parent for the same pupil within 3 years costs £160 flat, and a third within 3 years is
not allowed: the local authority considers other action instead. Unpaid after the last
deadline, a notice is referred for prosecution under section 444 of the Education Act 1996.
The policy sets every amount, day count and period; nothing here is a constant.

Days count from the day of issue: a notice issued on 1 March and paid on 22 March (21 days
later) is paid early. Notices withdrawn before payment do not count towards the limit.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from .settings import PenaltySettings


class PenaltyRejected(ValueError):
    """A notice that the policy does not allow, with the reason in words."""


class NoticeState(enum.StrEnum):
    """Where a notice stands on a given day, derived from its dates."""

    WITHDRAWN = "withdrawn"
    PAID = "paid"
    EARLY_PAYMENT = "early_payment"  # within the early deadline
    LATE_PAYMENT = "late_payment"  # after the early deadline, within the last one
    REFERRAL_DUE = "referral_due"  # unpaid after the last deadline, not yet referred
    REFERRED = "referred"


@dataclass(frozen=True)
class NoticeTerms:
    """The amounts and deadlines of one notice. Amounts are in pence; deadlines are inclusive."""

    number_in_period: int  # 1 for a first notice within the repeat period, 2 for a second ...
    early_pence: int
    late_pence: int
    early_deadline: dt.date
    final_deadline: dt.date

    @property
    def flat_rate(self) -> bool:
        return self.early_pence == self.late_pence


def years_before(day: dt.date, years: int) -> dt.date:
    """Return the same calendar date ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def notices_in_period(issue_date: dt.date, earlier_issues: Iterable[dt.date], settings: PenaltySettings) -> int:
    """Count the earlier notices to the same parent for the same pupil within the repeat period.

    The period is the ``repeat_period_years`` years up to ``issue_date``: a notice issued on
    the same calendar date 3 years before is within it, one issued the day before that is not.
    Callers leave withdrawn notices out of ``earlier_issues``.
    """
    start = years_before(issue_date, settings.repeat_period_years)
    return sum(1 for day in earlier_issues if start <= day <= issue_date)


def notice_terms(issue_date: dt.date, earlier_issues: Iterable[dt.date], settings: PenaltySettings) -> NoticeTerms:
    """Return the amounts and deadlines of a notice issued on ``issue_date``.

    ``earlier_issues`` are the issue dates of the notices not withdrawn that the same parent
    already had for the same pupil. Raises ``PenaltyRejected`` when the policy allows no more
    notices within the repeat period.
    """
    earlier = notices_in_period(issue_date, earlier_issues, settings)
    limit = settings.max_notices_in_repeat_period
    if limit and earlier >= limit:
        raise PenaltyRejected(
            f"this parent already has {earlier} penalty notices for this pupil within "
            f"{settings.repeat_period_years} years, and the policy allows at most {limit}; "
            "the local authority must consider other action, such as prosecution"
        )

    number = earlier + 1
    if number >= 2 and settings.second_notice_pence:
        early = late = settings.second_notice_pence
    else:
        early, late = settings.first_notice_early_pence, settings.first_notice_late_pence
    return NoticeTerms(
        number_in_period=number,
        early_pence=early,
        late_pence=late,
        early_deadline=issue_date + dt.timedelta(days=settings.early_payment_days),
        final_deadline=issue_date + dt.timedelta(days=settings.late_payment_days),
    )


def amount_due(terms: NoticeTerms, paid_on: dt.date) -> int:
    """Return the amount in pence due for a payment made on ``paid_on``.

    Raises ``PenaltyRejected`` after the last deadline, when the notice can no longer be paid
    and is referred for prosecution instead.
    """
    if paid_on <= terms.early_deadline:
        return terms.early_pence
    if paid_on <= terms.final_deadline:
        return terms.late_pence
    raise PenaltyRejected(
        f"the last day to pay was {terms.final_deadline:%d/%m/%Y}; an unpaid notice is referred for prosecution"
    )


def notice_state(
    terms: NoticeTerms,
    on: dt.date,
    *,
    paid_on: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
    referred_on: dt.date | None = None,
) -> NoticeState:
    """Return where a notice stands at the end of ``on``, from the dates recorded against it."""
    if withdrawn_on is not None and withdrawn_on <= on:
        return NoticeState.WITHDRAWN
    if paid_on is not None and paid_on <= on:
        return NoticeState.PAID
    if referred_on is not None and referred_on <= on:
        return NoticeState.REFERRED
    if on <= terms.early_deadline:
        return NoticeState.EARLY_PAYMENT
    if on <= terms.final_deadline:
        return NoticeState.LATE_PAYMENT
    return NoticeState.REFERRAL_DUE


def can_refer(terms: NoticeTerms, on: dt.date) -> bool:
    """Return whether an unpaid notice may be referred for prosecution on ``on``: after its last deadline."""
    return on > terms.final_deadline
