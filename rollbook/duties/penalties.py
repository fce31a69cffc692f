"""Penalty notices: issuing one per parent with parental responsibility, payment, withdrawal and referral.

Amounts, deadlines and the repeat-notice limit come from ``rollbook.policy.penalties`` with the
policy of the academic year the notice is issued in. The sessions that met the threshold are
kept with each notice as evidence.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction

from rollbook.casework.log import log_entry
from rollbook.casework.models import EntryKind
from rollbook.letters.formatting import pounds

from rollbook.policy.duties import penalty_window_sessions
from rollbook.policy.penalties import NoticeState, PenaltyRejected, amount_due, can_refer, notice_terms
from rollbook.policy.rules import Rule
from rollbook.registers.services import Actor
from rollbook.schools.models import Contact, Pupil

from .errors import DutyError
from .findings import pupil_year
from .models import PenaltyNotice

log = logging.getLogger(__name__)


def threshold_evidence(pupil: Pupil, on: dt.date):
    """Return the pupil's penalty threshold finding as of ``on`` and the sessions behind it, or (None, [])."""
    loaded = pupil_year(pupil, on)
    if loaded is None:
        return None, []
    finding = loaded.findings(on).get(Rule.PENALTY_THRESHOLD)
    if finding is None:
        return None, []
    previous_row = 0 if loaded.previous is not None and pupil.upn in loaded.previous.upns else None
    sessions = penalty_window_sessions(loaded.marks, 0, finding.since, loaded.previous, previous_row)
    return finding, sessions


def issue_notices(
    pupil: Pupil, contacts: Iterable[Contact], *, issued_on: dt.date, on: dt.date, at: dt.datetime, user, actor: Actor,
) -> list[PenaltyNotice]:
    """Record one notice per parent for the pupil, issued on ``issued_on``; all or none.

    Every contact must have parental responsibility for the pupil. Raises ``DutyError`` naming
    the parent when the policy allows them no further notice, or for an issue date in the
    future or outside the school's years.
    """
    contacts = list(contacts)
    if not contacts:
        raise DutyError("choose at least one parent with parental responsibility", field="contacts")
    if issued_on > on:
        raise DutyError(f"the issue date {issued_on:%d/%m/%Y} is in the future; record a notice once it is issued", field="issued_on")
    for contact in contacts:
        if contact.pupil_id != pupil.pk or not contact.parental_responsibility:
            raise DutyError(f"{contact.name} has no parental responsibility for this pupil", field="contacts")
    loaded = pupil_year(pupil, issued_on)
    if loaded is None:
        raise DutyError(f"the school has no academic year containing {issued_on:%d/%m/%Y}", field="issued_on")
    settings = loaded.marks.policy.penalty
    finding, sessions = threshold_evidence(pupil, issued_on)

    with transaction.atomic():
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        created = []
        for contact in contacts:
            earlier = PenaltyNotice.objects.filter(pupil=pupil, contact=contact, withdrawn_on__isnull=True)
            try:
                terms = notice_terms(issued_on, earlier.values_list("issued_on", flat=True), settings)
            except PenaltyRejected as error:
                raise DutyError(f"{contact.name}: {error}", field="contacts") from None
            notice = PenaltyNotice.objects.create(
                school=pupil.school,
                pupil=pupil,
                contact=contact,
                parent_name=contact.name,
                policy_name=loaded.marks.policy.name,
                issued_on=issued_on,
                number_in_period=terms.number_in_period,
                early_pence=terms.early_pence,
                late_pence=terms.late_pence,
                early_deadline=terms.early_deadline,
                final_deadline=terms.final_deadline,
                threshold_since=finding.since if finding else None,
                threshold_detail=finding.detail if finding else "",
                sessions=[[day.isoformat(), session, code] for day, session, code in sessions],
                issued_by=user,
                issued_by_name=actor.name,
                recorded_at=at,
            )
            created.append(notice)
            log_entry(
                pupil,
                EntryKind.PENALTY_NOTICE,
                f"Penalty notice issued to {contact.name} on {issued_on:%d/%m/%Y}: {pounds(terms.early_pence)} by "
                f"{terms.early_deadline:%d/%m/%Y}, {pounds(terms.late_pence)} by {terms.final_deadline:%d/%m/%Y}"[:300],
                user,
                at,
                details=notice.threshold_detail,
                reference=f"penalty-notice:{notice.pk}",
            )
    log.info("%s penalty notices (school %s, pupil %s) recorded", len(created), pupil.school_id, pupil.pk)
    return created


def _open_notice(notice: PenaltyNotice, on: dt.date) -> PenaltyNotice:
    locked = PenaltyNotice.objects.select_for_update().get(pk=notice.pk)
    state = locked.state(on)
    if state in (NoticeState.PAID, NoticeState.WITHDRAWN, NoticeState.REFERRED):
        raise DutyError(f"this notice is already {state.value.replace('_', ' ')}")
    return locked


def record_payment(
    notice: PenaltyNotice, *, paid_on: dt.date, on: dt.date, at: dt.datetime, user, actor: Actor
) -> PenaltyNotice:
    """Record the payment of a notice on ``paid_on``; the amount follows from the date.

    Raises ``DutyError`` for a date before issue, in the future, or after the last deadline.
    """
    if paid_on > on:
        raise DutyError(f"the payment date {paid_on:%d/%m/%Y} is in the future", field="paid_on")
    if paid_on < notice.issued_on:
        raise DutyError(
            f"the payment date {paid_on:%d/%m/%Y} is before the notice was issued on {notice.issued_on:%d/%m/%Y}",
            field="paid_on",
        )
    try:
        amount = amount_due(notice.terms, paid_on)
    except PenaltyRejected as error:
        raise DutyError(str(error), field="paid_on") from None
    with transaction.atomic():
        locked = _open_notice(notice, on)
        locked.paid_on = paid_on
        locked.amount_paid_pence = amount
        locked.last_changed_by_name = actor.name
        locked.save(update_fields=["paid_on", "amount_paid_pence", "last_changed_by_name"])
        _log(locked, EntryKind.PENALTY_NOTICE, f"Penalty notice to {locked.parent_name} paid on {paid_on:%d/%m/%Y}: {pounds(amount)}", user, at)
    log.info("penalty notice %s (school %s) paid", notice.pk, notice.school_id)
    return locked


def withdraw(notice: PenaltyNotice, *, reason: str, on: dt.date, at: dt.datetime, user, actor: Actor) -> PenaltyNotice:
    """Withdraw a notice on ``on``, for example on retrospective medical evidence. The reason is required."""
    if not reason.strip():
        raise DutyError("give the reason for withdrawing the notice, such as the medical evidence received", field="reason")
    with transaction.atomic():
        locked = _open_notice(notice, on)
        locked.withdrawn_on = on
        locked.withdrawal_reason = reason.strip()
        locked.last_changed_by_name = actor.name
        locked.save(update_fields=["withdrawn_on", "withdrawal_reason", "last_changed_by_name"])
        _log(locked, EntryKind.PENALTY_NOTICE, f"Penalty notice to {locked.parent_name} withdrawn", user, at, details=reason.strip())
    log.info("penalty notice %s (school %s) withdrawn", notice.pk, notice.school_id)
    return locked


def refer_for_prosecution(
    notice: PenaltyNotice, *, note: str, on: dt.date, at: dt.datetime, user, actor: Actor
) -> PenaltyNotice:
    """Record the referral of an unpaid notice for prosecution; allowed only after its last deadline."""
    if not can_refer(notice.terms, on):
        raise DutyError(
            f"the notice can be paid until {notice.final_deadline:%d/%m/%Y}; refer it for prosecution only after that day"
        )
    with transaction.atomic():
        locked = _open_notice(notice, on)
        locked.referred_on = on
        locked.referral_note = note.strip()
        locked.last_changed_by_name = actor.name
        locked.save(update_fields=["referred_on", "referral_note", "last_changed_by_name"])
        _log(
            locked, EntryKind.PROSECUTION, f"Unpaid penalty notice to {locked.parent_name} referred for prosecution",
            user, at, details=note.strip(),
        )
    log.info("penalty notice %s (school %s) referred for prosecution", notice.pk, notice.school_id)
    return locked


def _log(notice: PenaltyNotice, kind: EntryKind, summary: str, user, at: dt.datetime, *, details: str = "") -> None:
    log_entry(notice.pupil, kind, summary[:300], user, at, details=details, reference=f"penalty-notice:{notice.pk}")
