"""Refused leave that was taken: sessions marked N or O are offered to the office as G."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rollbook.policy.calendar import Session
from rollbook.policy.requests import RequestKind
from rollbook.registers.models import MarkRevision, RevisionSource
from rollbook.registers.services import Actor, MarkEntry, MarksConflict, YearContext, current_marks, record_marks
from rollbook.schools.models import AcademicYear

from ..decisions import decide
from ..granted import AmendmentInvalid, amend_refused_taken, refused_leave_taken
from ..services import RequestDetails, submit_request
from .conftest import london

HEAD = Actor(name="Gwen Harrow", role="senior_leader")
OFFICE = Actor(name="Ola Brennan", role="office")
ASKED = dt.date(2025, 9, 8)
FIRST, LAST = dt.date(2025, 9, 15), dt.date(2025, 9, 16)


@pytest.fixture
def refused(mila):
    """Mila's leave for 15 and 16 September, asked on 8 September (7 days' notice), refused."""
    details = RequestDetails(kind=RequestKind.LEAVE, reason="Holiday", first_day=FIRST, last_day=LAST, family_holiday=True)
    request = submit_request(mila, details, at=london(ASKED), submitted_by_name="Ana Thornbury")
    decide(request, grant=False, actor=HEAD, at=london(ASKED, 15))
    return request


def mark(pupil, day, session, code):
    year = AcademicYear.objects.get(school_id=pupil.school_id)
    # Recorded now, after the fixture's marks, which were recorded when the fixture ran.
    record_marks(YearContext.load(year), [MarkEntry(pupil, day, session, code)], OFFICE, at=timezone.now(),
                 source=RevisionSource.AMENDMENT, reason="Test setup")


@pytest.mark.django_db
def test_refused_taken_lists_only_n_and_o(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    mark(mila, FIRST, Session.PM, "O")
    mark(mila, LAST, Session.AM, "I")
    rows = refused_leave_taken(refused.school, LAST)
    assert [(r.day, r.session, r.code) for r in rows] == [(FIRST, Session.AM, "N"), (FIRST, Session.PM, "O")]


@pytest.mark.django_db
def test_refused_taken_ignores_future_days(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    assert refused_leave_taken(refused.school, FIRST - dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_amend_to_g_records_amendment(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    row = refused_leave_taken(refused.school, LAST)[0]
    code = amend_refused_taken(refused, FIRST, Session.AM, "Leave refused but taken", OFFICE, timezone.now(), row.revision_id)
    assert code == "G"
    latest = MarkRevision.objects.filter(pupil=mila, date=FIRST, session="AM").order_by("-recorded_at", "-id").first()
    assert latest.code == "G"
    assert latest.reason == "Leave refused but taken"
    assert latest.source == RevisionSource.AMENDMENT
    assert latest.recorded_by == "Ola Brennan"
    assert refused_leave_taken(refused.school, LAST) == []


@pytest.mark.django_db
def test_amend_to_g_needs_reason(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    row = refused_leave_taken(refused.school, LAST)[0]
    with pytest.raises(AmendmentInvalid) as raised:
        amend_refused_taken(refused, FIRST, Session.AM, "  ", OFFICE, timezone.now(), row.revision_id)
    assert raised.value.field == "reason"


@pytest.mark.django_db
def test_amend_to_g_refuses_coded_session(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    mark(mila, FIRST, Session.AM, "I")
    with pytest.raises(AmendmentInvalid, match="no longer N or O"):
        amend_refused_taken(refused, FIRST, Session.AM, "Taken", OFFICE, timezone.now(), None)
    assert current_marks([mila.pk], FIRST, FIRST)[(mila.pk, FIRST, "AM")].code == "I"


@pytest.mark.django_db
def test_amend_to_g_outside_request_refused(mila, refused):
    with pytest.raises(AmendmentInvalid) as raised:
        amend_refused_taken(refused, LAST + dt.timedelta(days=1), Session.AM, "Taken", OFFICE, timezone.now(), None)
    assert raised.value.field == "session"


@pytest.mark.django_db
def test_amend_to_g_conflict_detected(mila, refused):
    mark(mila, FIRST, Session.AM, "N")
    row = refused_leave_taken(refused.school, LAST)[0]
    mark(mila, FIRST, Session.AM, "O")
    with pytest.raises(MarksConflict):
        amend_refused_taken(refused, FIRST, Session.AM, "Taken", OFFICE, timezone.now(), row.revision_id)
