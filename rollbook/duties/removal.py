"""Removal from roll: a review with its evidence and enquiries, the decision, and the deletion return.

Rollbook never removes a pupil by itself. A member of staff opens a review, which keeps the
rules engine's evidence when it found an absence ground. The school and the local authority
log their enquiries. A senior decision then removes the pupil from the day it is recorded, or
keeps them on roll. The deletion return for the local authority comes from the decided review.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging

from django.db import transaction

from rollbook.casework.log import log_entry
from rollbook.casework.models import EntryKind

from rollbook.policy.duties import ABSENCE_GROUNDS, RemovalGround, removal_grounds
from rollbook.policy.rules import Rule
from rollbook.registers.services import Actor
from rollbook.schools.models import Contact, Enrolment, Pupil

from .errors import DutyError
from .findings import pupil_year
from .models import EnquiryParty, RemovalDecision, RemovalEnquiry, RemovalReview

log = logging.getLogger(__name__)


def open_review(pupil: Pupil, *, on: dt.date, at: dt.datetime, user, actor: Actor) -> RemovalReview:
    """Open a removal review for the pupil, or return the one already open.

    The review keeps the rules engine's evidence as of ``on`` when it finds an absence ground.
    Without one, the review can still be decided on another statutory ground.
    """
    with transaction.atomic():
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        existing = RemovalReview.objects.filter(pupil=pupil, decision="").first()
        if existing is not None:
            return existing
        loaded = pupil_year(pupil, on)
        finding = loaded.findings(on).get(Rule.REMOVAL_REVIEW) if loaded else None
        review = RemovalReview.objects.create(
            school=pupil.school,
            pupil=pupil,
            evidence_since=finding.since if finding else None,
            evidence=finding.detail if finding else "",
            opened_by=user,
            opened_by_name=actor.name,
            opened_at=at,
        )
    log.info("removal review %s (school %s, pupil %s) opened", review.pk, pupil.school_id, pupil.pk)
    return review


def log_enquiry(
    review: RemovalReview, *, made_by: EnquiryParty, made_on: dt.date, method: str, contacted: str, outcome: str,
    on: dt.date, at: dt.datetime, user, actor: Actor,
) -> RemovalEnquiry:
    """Add an enquiry to an open review. Raises ``DutyError`` naming the field for a missing or future value."""
    if not review.is_open:
        raise DutyError("this review is decided; open a new review to log more enquiries")
    if made_on > on:
        raise DutyError(f"the enquiry date {made_on:%d/%m/%Y} is in the future; enter the day it was made", field="made_on")
    for name, value in (("method", method), ("contacted", contacted), ("outcome", outcome)):
        if not value.strip():
            raise DutyError(f"the {name} of the enquiry is missing", field=name)
    with transaction.atomic():
        enquiry = _create_enquiry(review, made_by, made_on, method, contacted, outcome, at, user, actor)
        log_entry(
            review.pupil,
            EntryKind.NOTE,
            f"Removal enquiry by {made_by.label.lower()}: {method.strip()}, {contacted.strip()}"[:300],
            user,
            at,
            details=outcome.strip(),
            reference=f"removal-review:{review.pk}",
        )
    log.info("removal enquiry %s (review %s, %s) logged", enquiry.pk, review.pk, made_by)
    return enquiry


def _create_enquiry(review, made_by, made_on, method, contacted, outcome, at, user, actor) -> RemovalEnquiry:
    return RemovalEnquiry.objects.create(
        review=review,
        school=review.school,
        made_by=made_by,
        made_on=made_on,
        method=method.strip()[:100],
        contacted=contacted.strip()[:200],
        outcome=outcome.strip(),
        recorded_by=user,
        recorded_by_name=actor.name,
        recorded_by_role=actor.role,
        recorded_at=at,
    )


def decide(
    review: RemovalReview, *, decision: RemovalDecision, ground: RemovalGround | None, reason: str,
    no_unavoidable_cause: bool, on: dt.date, at: dt.datetime, user, actor: Actor,
) -> RemovalReview:
    """Record the decision of a review; a removal ends the pupil's enrolment on ``on``, the day it is made.

    A removal needs a ground the policy allows. An absence ground needs the rules engine's
    evidence and at least one enquiry each by the school and by the local authority. It also
    needs the decision-maker's confirmation that there is no reason to believe the absence is
    caused by illness or another unavoidable cause. Any other ground needs its reason. Raises
    ``DutyError`` naming the field at fault; nothing is changed then.
    """
    if decision == RemovalDecision.KEEP:
        if not reason.strip():
            raise DutyError("give the reason for keeping the pupil on roll", field="reason")
    else:
        _check_removal(review, ground, reason, no_unavoidable_cause, on)

    with transaction.atomic():
        locked = RemovalReview.objects.select_for_update().get(pk=review.pk)
        if not locked.is_open:
            raise DutyError("this review was decided already")
        enrolment = None
        if decision == RemovalDecision.REMOVE:
            enrolment = _end_enrolment(review.pupil, on)
        locked.decision = decision
        locked.ground = ground.value if ground and decision == RemovalDecision.REMOVE else ""
        locked.reason = reason.strip()
        locked.decided_on = on
        locked.decided_by = user
        locked.decided_by_name = actor.name
        locked.decided_by_role = actor.role
        locked.decided_at = at
        locked.enrolment = enrolment
        locked.save()
        summary = (
            f"Removed from roll from {on:%d/%m/%Y}: {locked.ground_label}"
            if decision == RemovalDecision.REMOVE
            else "Kept on roll after a removal review"
        )
        log_entry(
            review.pupil, EntryKind.DECISION, summary[:300], user, at,
            details=locked.reason, reference=f"removal-review:{review.pk}",
        )
    log.info("removal review %s (school %s) decided: %s", review.pk, review.school_id, decision)
    return locked


def _check_removal(review: RemovalReview, ground: RemovalGround | None, reason: str, no_unavoidable_cause: bool, on: dt.date) -> None:
    if ground is None:
        raise DutyError("choose the statutory ground for the removal", field="ground")
    loaded = pupil_year(review.pupil, on)
    allowed = removal_grounds(loaded.marks.policy) if loaded else ABSENCE_GROUNDS
    if ground not in allowed:
        raise DutyError(
            f"the ground {ground.label!r} is not one this school's policy allows; use one of: "
            + "; ".join(g.label for g in allowed),
            field="ground",
        )
    if ground not in ABSENCE_GROUNDS:
        if not reason.strip():
            raise DutyError(f"give the reason for the ground {ground.label!r}, such as the new school's name", field="reason")
        return

    if not review.evidence:
        raise DutyError(
            "the rules found no absence ground for this pupil when the review was opened; choose another ground or keep the pupil on roll",
            field="ground",
        )
    parties = set(review.enquiries.values_list("made_by", flat=True))
    missing = [party.label.lower() for party in EnquiryParty if party.value not in parties]
    if missing:
        raise DutyError(
            f"no enquiry by {' or '.join(missing)} is logged; an absence ground needs reasonable enquiries by both",
            field="ground",
        )
    if not no_unavoidable_cause:
        raise DutyError(
            "confirm that there is no reason to believe the absence is caused by illness or another unavoidable cause",
            field="no_unavoidable_cause",
        )


def _end_enrolment(pupil: Pupil, on: dt.date) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(pupil=pupil, admission_date__lte=on)
        .order_by("-admission_date")
        .first()
    )
    if enrolment is None or not enrolment.covers(on):
        raise DutyError(f"pupil {pupil.upn} is not on roll on {on:%d/%m/%Y}, so there is no enrolment to end")
    enrolment.leaving_date = on
    enrolment.save(update_fields=["leaving_date"])
    return enrolment


def mark_return_sent(review: RemovalReview, *, at: dt.datetime, user, actor: Actor) -> None:
    """Record that the deletion return went to the local authority. Raises ``DutyError`` unless a removal is decided."""
    if review.decision != RemovalDecision.REMOVE:
        raise DutyError("only a decided removal has a deletion return")
    with transaction.atomic():
        updated = RemovalReview.objects.filter(pk=review.pk, return_sent_at__isnull=True).update(
            return_sent_at=at, return_sent_by_name=actor.name
        )
        if updated != 1:
            raise DutyError("the deletion return is already recorded as sent")
        log_entry(
            review.pupil, EntryKind.LA_NOTICE, "Deletion return sent to the local authority", user, at,
            reference=f"removal-review:{review.pk}",
        )


RETURN_FIELDS = (
    "School URN", "LA code", "School", "UPN", "Surname", "Forename", "Date of birth", "Sex", "Address",
    "Parents", "Date removed", "Ground", "Reason", "Enquiries by the school", "Enquiries by the local authority",
    "Decided by", "Decided by role",
)


def deletion_return(review: RemovalReview) -> list[tuple[str, str]]:
    """Return the deletion return of a decided removal as (field, value) pairs in ``RETURN_FIELDS`` order."""
    if review.decision != RemovalDecision.REMOVE:
        raise DutyError("only a decided removal has a deletion return")
    pupil = review.pupil
    contacts = Contact.objects.filter(pupil=pupil, parental_responsibility=True).order_by("priority", "pk")
    enquiries = list(review.enquiries.all())

    def summary(party: EnquiryParty) -> str:
        return " | ".join(
            f"{e.made_on:%d/%m/%Y} {e.method} ({e.contacted}): {e.outcome}" for e in enquiries if e.made_by == party
        )

    values = (
        review.school.urn, review.school.la_code, review.school.name, pupil.upn, pupil.surname, pupil.forename,
        pupil.date_of_birth.strftime("%d/%m/%Y"), pupil.sex,
        "Not held in Rollbook: add it from the school's information system",
        "; ".join(f"{c.name} {c.phone}".strip() for c in contacts) or "None recorded",
        review.decided_on.strftime("%d/%m/%Y"), review.ground_label, review.reason,
        summary(EnquiryParty.SCHOOL), summary(EnquiryParty.LOCAL_AUTHORITY),
        review.decided_by_name, review.decided_by_role,
    )
    return list(zip(RETURN_FIELDS, values))


def deletion_return_csv(review: RemovalReview) -> str:
    rows = deletion_return(review)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([name for name, _ in rows])
    writer.writerow([f"'{value}" if value[:1] in ("=", "+", "-", "@") else value for _, value in rows])
    return output.getvalue()
