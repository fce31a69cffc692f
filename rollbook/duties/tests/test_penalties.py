"""Tests for penalty notices: per parent, amounts by policy, repeat limits, payment, withdrawal, referral, evidence pack."""

from __future__ import annotations

import datetime as dt

import pytest

from rollbook.casework.log import pupil_log
from rollbook.duties import penalties
from rollbook.duties.errors import DutyError
from rollbook.duties.evidence_pack import evidence_pack_pdf
from rollbook.duties.models import PenaltyNotice
from rollbook.letters.tests.pdf_text import pdf_lines
from rollbook.policy.penalties import NoticeState
from rollbook.schools.models import Contact

from .conftest import AT, LEAD, TODAY

D = dt.date


def issue(hollins, lead, contacts=None, issued_on=TODAY):
    return penalties.issue_notices(
        hollins.ada, contacts if contacts is not None else [hollins.mother, hollins.father],
        issued_on=issued_on, on=TODAY, at=AT, user=lead, actor=LEAD,
    )


def test_threshold_evidence_lists_sessions(hollins):
    finding, sessions = penalties.threshold_evidence(hollins.ada, TODAY)

    assert finding.since == D(2025, 9, 5)  # the 10th session of O, on the 5th school day
    assert sessions[0] == (D(2025, 9, 1), "AM", "O")
    assert len(sessions) == 10
    assert {code for _, _, code in sessions} == {"O"}


def test_no_threshold_for_present_pupil(hollins):
    assert penalties.threshold_evidence(hollins.cleo, TODAY) == (None, [])


def test_one_notice_per_parent(hollins, lead):
    notices = issue(hollins, lead)

    assert [n.parent_name for n in notices] == ["Rosa Fenwick", "Idris Fenwick"]
    assert all(n.early_pence == 6000 and n.late_pence == 12000 for n in notices)
    assert notices[0].early_deadline == D(2025, 10, 24)
    assert notices[0].final_deadline == D(2025, 10, 31)
    assert len(notices[0].sessions) == 10
    assert [e.kind for e in pupil_log(hollins.ada)] == ["penalty_notice", "penalty_notice"]


def test_amounts_under_2024_framework(hollins_2024, lead_2024):
    notices = issue(hollins_2024, lead_2024, [hollins_2024.mother])

    assert (notices[0].early_pence, notices[0].late_pence) == (8000, 16000)
    assert notices[0].policy_name == "england-2024"


def test_second_notice_flat_and_third_rejected_2024(hollins_2024, lead_2024):
    first = issue(hollins_2024, lead_2024, [hollins_2024.mother], issued_on=D(2025, 9, 10))[0]
    second = issue(hollins_2024, lead_2024, [hollins_2024.mother], issued_on=D(2025, 9, 30))[0]

    assert (first.early_pence, first.late_pence) == (8000, 16000)
    assert (second.number_in_period, second.early_pence, second.late_pence) == (2, 16000, 16000)
    with pytest.raises(DutyError, match="Rosa Fenwick: this parent already has 2 penalty notices"):
        issue(hollins_2024, lead_2024, [hollins_2024.mother])


def test_withdrawn_notice_not_counted(hollins_2024, lead_2024):
    first = issue(hollins_2024, lead_2024, [hollins_2024.mother], issued_on=D(2025, 9, 10))[0]
    penalties.withdraw(first, reason="Medical evidence received", on=TODAY, at=AT, user=lead_2024, actor=LEAD)

    again = issue(hollins_2024, lead_2024, [hollins_2024.mother])[0]

    assert again.number_in_period == 1
    assert again.early_pence == 8000


def test_issue_all_or_nothing(hollins_2024, lead_2024):
    issue(hollins_2024, lead_2024, [hollins_2024.mother], issued_on=D(2025, 9, 10))
    issue(hollins_2024, lead_2024, [hollins_2024.mother], issued_on=D(2025, 9, 30))

    with pytest.raises(DutyError, match="Rosa Fenwick"):
        issue(hollins_2024, lead_2024, [hollins_2024.father, hollins_2024.mother])
    assert not PenaltyNotice.objects.filter(contact=hollins_2024.father).exists()


def test_parent_without_responsibility_rejected(hollins, lead):
    with pytest.raises(DutyError, match="Maud Fenwick has no parental responsibility"):
        issue(hollins, lead, [hollins.aunt])


def test_contact_of_other_pupil_rejected(hollins, lead):
    other = Contact.objects.create(
        school=hollins.school, pupil=hollins.ben, name="Hal Larkin", parental_responsibility=True
    )
    with pytest.raises(DutyError, match="Hal Larkin has no parental responsibility for this pupil"):
        issue(hollins, lead, [other])


def test_issue_date_in_future_rejected(hollins, lead):
    with pytest.raises(DutyError, match="is in the future") as raised:
        issue(hollins, lead, issued_on=D(2025, 10, 4))
    assert raised.value.field == "issued_on"


def test_issue_needs_parent(hollins, lead):
    with pytest.raises(DutyError, match="choose at least one parent"):
        issue(hollins, lead, [])


@pytest.mark.parametrize(("paid_on", "amount"), [(D(2025, 9, 22), 6000), (D(2025, 9, 23), 12000)])
def test_payment_amount_by_date(hollins, lead, paid_on, amount):
    notice = issue(hollins, lead, [hollins.mother], issued_on=D(2025, 9, 1))[0]

    paid = penalties.record_payment(notice, paid_on=paid_on, on=TODAY, at=AT, user=lead, actor=LEAD)

    assert paid.amount_paid_pence == amount
    assert paid.state(TODAY) == NoticeState.PAID


def test_payment_after_last_deadline_rejected(hollins, lead):
    notice = issue(hollins, lead, [hollins.mother], issued_on=D(2025, 9, 1))[0]

    with pytest.raises(DutyError, match="the last day to pay was 29/09/2025"):
        penalties.record_payment(notice, paid_on=D(2025, 9, 30), on=TODAY, at=AT, user=lead, actor=LEAD)


def test_payment_before_issue_rejected(hollins, lead):
    notice = issue(hollins, lead, [hollins.mother], issued_on=D(2025, 9, 10))[0]

    with pytest.raises(DutyError, match="before the notice was issued"):
        penalties.record_payment(notice, paid_on=D(2025, 9, 9), on=TODAY, at=AT, user=lead, actor=LEAD)


def test_referral_only_after_last_deadline(hollins, lead):
    late = issue(hollins, lead, [hollins.mother], issued_on=D(2025, 9, 5))[0]  # last day 3 October
    overdue = issue(hollins, lead, [hollins.father], issued_on=D(2025, 9, 4))[0]  # last day 2 October

    with pytest.raises(DutyError, match="can be paid until 03/10/2025"):
        penalties.refer_for_prosecution(late, note="", on=TODAY, at=AT, user=lead, actor=LEAD)
    referred = penalties.refer_for_prosecution(overdue, note="Unpaid", on=TODAY, at=AT, user=lead, actor=LEAD)

    assert referred.state(TODAY) == NoticeState.REFERRED
    assert pupil_log(hollins.ada).first().kind == "prosecution"


def test_closed_notice_takes_no_action(hollins, lead):
    notice = issue(hollins, lead, [hollins.mother], issued_on=D(2025, 9, 20))[0]
    penalties.withdraw(notice, reason="Medical evidence", on=TODAY, at=AT, user=lead, actor=LEAD)

    with pytest.raises(DutyError, match="already withdrawn"):
        penalties.record_payment(notice, paid_on=TODAY, on=TODAY, at=AT, user=lead, actor=LEAD)


def test_withdrawal_needs_reason(hollins, lead):
    notice = issue(hollins, lead, [hollins.mother])[0]

    with pytest.raises(DutyError, match="reason for withdrawing"):
        penalties.withdraw(notice, reason=" ", on=TODAY, at=AT, user=lead, actor=LEAD)


def test_evidence_pack_contents(hollins, lead):
    issue(hollins, lead, [hollins.mother])

    lines = " ".join(pdf_lines(evidence_pack_pdf(hollins.ada, on=TODAY, prepared_by="Nadia Quarry")))

    assert "Attendance evidence pack: Ada Fenwick" in lines
    assert "UPN A999241725101" in lines
    assert "Mon 01/09/2025 AM: O" in lines
    assert "Issued 03/10/2025 to Rosa Fenwick: £60 by 24/10/2025, £120 by 31/10/2025" in lines
    assert "Penalty notice issued to Rosa Fenwick" in lines
