"""Tests for removal reviews: evidence, enquiries, the decision on the day it is made, and the deletion return."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from rollbook.casework.log import pupil_log
from rollbook.duties import removal
from rollbook.duties.errors import DutyError
from rollbook.duties.models import EnquiryParty, RemovalDecision
from rollbook.policy.duties import RemovalGround
from rollbook.schools.models import Enrolment

from .conftest import AT, LEAD, TODAY

D = dt.date


def enquire(review, lead, party: EnquiryParty, made_on=D(2025, 10, 1)):
    return removal.log_enquiry(
        review, made_by=party, made_on=made_on, method="Phone call", contacted="Rosa Fenwick",
        outcome="No answer; voicemail left", on=TODAY, at=AT, user=lead, actor=LEAD,
    )


def remove(review, lead, ground=RemovalGround.CONTINUOUS_ABSENCE, reason="", confirmed=True, on=TODAY):
    return removal.decide(
        review, decision=RemovalDecision.REMOVE, ground=ground, reason=reason, no_unavoidable_cause=confirmed,
        on=on, at=AT, user=lead, actor=LEAD,
    )


def test_review_keeps_rules_evidence(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)

    assert review.evidence_since == D(2025, 9, 26)  # the 20th school day
    assert "20 school days" in review.evidence
    assert review.is_open


def test_review_without_ground_has_no_evidence(hollins, lead):
    review = removal.open_review(hollins.cleo, on=TODAY, at=AT, user=lead, actor=LEAD)

    assert review.evidence == ""
    assert review.evidence_since is None


def test_open_review_returns_existing(hollins, lead):
    first = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    second = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)

    assert first.pk == second.pk


def test_removal_ends_enrolment_today(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    enquire(review, lead, EnquiryParty.SCHOOL)
    enquire(review, lead, EnquiryParty.LOCAL_AUTHORITY)

    decided = remove(review, lead)

    enrolment = Enrolment.objects.get(pupil=hollins.ada)
    assert enrolment.leaving_date == TODAY
    assert decided.decided_on == TODAY
    assert decided.enrolment == enrolment
    kinds = [entry.kind for entry in pupil_log(hollins.ada)]
    assert kinds.count("note") == 2
    assert kinds.count("decision") == 1


@pytest.mark.parametrize(
    ("parties", "missing"),
    [
        ([], "the school or the local authority"),
        ([EnquiryParty.SCHOOL], "the local authority"),
        ([EnquiryParty.LOCAL_AUTHORITY], "the school"),
    ],
)
def test_absence_ground_needs_both_enquiries(hollins, lead, parties, missing):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    for party in parties:
        enquire(review, lead, party)

    with pytest.raises(DutyError, match=f"no enquiry by {missing} is logged"):
        remove(review, lead)
    assert Enrolment.objects.get(pupil=hollins.ada).leaving_date is None


def test_absence_ground_needs_confirmation(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    enquire(review, lead, EnquiryParty.SCHOOL)
    enquire(review, lead, EnquiryParty.LOCAL_AUTHORITY)

    with pytest.raises(DutyError, match="illness or another unavoidable cause") as raised:
        remove(review, lead, confirmed=False)
    assert raised.value.field == "no_unavoidable_cause"


def test_absence_ground_needs_evidence(hollins, lead):
    review = removal.open_review(hollins.cleo, on=TODAY, at=AT, user=lead, actor=LEAD)
    enquire(review, lead, EnquiryParty.SCHOOL)
    enquire(review, lead, EnquiryParty.LOCAL_AUTHORITY)

    with pytest.raises(DutyError, match="the rules found no absence ground"):
        remove(review, lead)


def test_other_grounds_rejected_under_school_policy(hollins, lead):
    review = removal.open_review(hollins.cleo, on=TODAY, at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="not one this school's policy allows") as raised:
        remove(review, lead, ground=RemovalGround.REGISTERED_ELSEWHERE, reason="Joined Moorside Primary")
    assert raised.value.field == "ground"


def test_other_ground_under_2024_framework(hollins_2024, lead_2024):
    review = removal.open_review(hollins_2024.cleo, on=TODAY, at=AT, user=lead_2024, actor=LEAD)

    decided = remove(review, lead_2024, ground=RemovalGround.REGISTERED_ELSEWHERE, reason="Joined Moorside Primary")

    assert decided.ground == RemovalGround.REGISTERED_ELSEWHERE
    assert Enrolment.objects.get(pupil=hollins_2024.cleo).leaving_date == TODAY


def test_other_ground_needs_reason(hollins_2024, lead_2024):
    review = removal.open_review(hollins_2024.cleo, on=TODAY, at=AT, user=lead_2024, actor=LEAD)

    with pytest.raises(DutyError, match="give the reason for the ground") as raised:
        remove(review, lead_2024, ground=RemovalGround.DIED, reason=" ")
    assert raised.value.field == "reason"


def test_keep_on_roll_needs_reason(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="reason for keeping"):
        removal.decide(
            review, decision=RemovalDecision.KEEP, ground=None, reason="", no_unavoidable_cause=False,
            on=TODAY, at=AT, user=lead, actor=LEAD,
        )
    kept = removal.decide(
        review, decision=RemovalDecision.KEEP, ground=None, reason="Family found; returning Monday",
        no_unavoidable_cause=False, on=TODAY, at=AT, user=lead, actor=LEAD,
    )
    assert kept.decision == RemovalDecision.KEEP
    assert Enrolment.objects.get(pupil=hollins.ada).leaving_date is None


def test_decided_review_takes_no_more(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    removal.decide(
        review, decision=RemovalDecision.KEEP, ground=None, reason="Returning", no_unavoidable_cause=False,
        on=TODAY, at=AT, user=lead, actor=LEAD,
    )
    review.refresh_from_db()

    with pytest.raises(DutyError, match="decided"):
        enquire(review, lead, EnquiryParty.SCHOOL)
    with pytest.raises(DutyError, match="decided already"):
        removal.decide(
            review, decision=RemovalDecision.KEEP, ground=None, reason="Again", no_unavoidable_cause=False,
            on=TODAY, at=AT, user=lead, actor=LEAD,
        )


def test_enquiry_in_future_rejected(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="is in the future") as raised:
        enquire(review, lead, EnquiryParty.SCHOOL, made_on=D(2025, 10, 4))
    assert raised.value.field == "made_on"


def test_removal_of_pupil_off_roll_rejected(hollins, lead):
    Enrolment.objects.filter(pupil=hollins.ada).update(leaving_date=D(2025, 10, 1))
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    enquire(review, lead, EnquiryParty.SCHOOL)
    enquire(review, lead, EnquiryParty.LOCAL_AUTHORITY)

    with pytest.raises(DutyError, match="is not on roll on 03/10/2025"):
        remove(review, lead)
    assert Enrolment.objects.get(pupil=hollins.ada).leaving_date == D(2025, 10, 1)
    review.refresh_from_db()
    assert review.is_open


def test_deletion_return_csv(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)
    enquire(review, lead, EnquiryParty.SCHOOL)
    enquire(review, lead, EnquiryParty.LOCAL_AUTHORITY)
    decided = remove(review, lead)

    header, values = list(csv.reader(io.StringIO(removal.deletion_return_csv(decided))))
    row = dict(zip(header, values))

    assert row["UPN"] == "A999241725101"
    assert row["Date removed"] == "03/10/2025"
    assert row["Ground"] == RemovalGround.CONTINUOUS_ABSENCE.label
    assert row["Enquiries by the school"] == "01/10/2025 Phone call (Rosa Fenwick): No answer; voicemail left"
    assert row["Decided by"] == "Nadia Quarry"


def test_return_only_for_removal(hollins, lead):
    review = removal.open_review(hollins.ada, on=TODAY, at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="only a decided removal"):
        removal.deletion_return(review)
    with pytest.raises(DutyError, match="only a decided removal"):
        removal.mark_return_sent(review, at=AT, user=lead, actor=LEAD)


def test_return_sent_once(hollins_2024, lead_2024):
    review = removal.open_review(hollins_2024.cleo, on=TODAY, at=AT, user=lead_2024, actor=LEAD)
    decided = remove(review, lead_2024, ground=RemovalGround.MOVED_AWAY, reason="Moved to Orkney")

    removal.mark_return_sent(decided, at=AT, user=lead_2024, actor=LEAD)

    decided.refresh_from_db()
    assert decided.return_sent_at == AT
    with pytest.raises(DutyError, match="already recorded as sent"):
        removal.mark_return_sent(decided, at=AT, user=lead_2024, actor=LEAD)
