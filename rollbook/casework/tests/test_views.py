"""Casework pages through the test client: what each role sees, and forms rejecting bad input."""

import pytest
from django.test import Client
from django.urls import reverse

from rollbook.casework import incidents, stages
from rollbook.casework.log import log_entry
from rollbook.casework.models import ActionDecision, CorrespondenceEntry, EntryKind
from rollbook.schools.models import Contact

from .conftest import STAGE_1_DAY, london


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: STAGE_1_DAY)
    monkeypatch.setattr("django.utils.timezone.now", lambda: london(STAGE_1_DAY, 11))
    return STAGE_1_DAY


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(fernhill, today):
    case = stages.start_stage_1(fernhill.ivy, today, fernhill.lead, london(today))
    log_entry(fernhill.ivy, EntryKind.CALL, "Spoke to mother about the bus times", fernhill.lead, london(today, 9))
    return case


def test_teacher_sees_stage_not_log(fernhill, case):
    response = client_for(fernhill.teacher).get(reverse("casework:pupil", args=[fernhill.school.pk, fernhill.ivy.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Stage 1, since 1 October 2025" in text
    assert "Monday 10 November 2025" in text
    assert "Spoke to mother" not in text
    assert "Correspondence log" not in text


def test_la_officer_reads_log_without_actions(fernhill, case):
    response = client_for(fernhill.la_officer).get(reverse("casework:pupil", args=[fernhill.school.pk, fernhill.ivy.pk]))

    text = response.content.decode()
    assert "Spoke to mother about the bus times" in text
    assert "Review stage 1" not in text
    assert "Record a support plan" not in text


def test_actions_page_lists_evidence(fernhill, today):
    response = client_for(fernhill.lead).get(reverse("casework:actions", args=[fernhill.school.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Attendance 82.6% (38 of 46 sessions) is below the autumn threshold of 90%" in text
    assert "Attendance below this term&#x27;s threshold: send the stage 1 letter" in text


def test_decide_rejects_deferral_without_date(fernhill, today):
    response = client_for(fernhill.lead).post(reverse("casework:decide", args=[fernhill.school.pk]), {
        "pupil": fernhill.ivy.pk, "key": "persistent-absence", "since": "2025-09-01", "decision": "deferred",
        "reason": "Waiting for the family's reply",
    })

    assert response.status_code == 400
    assert "a deferral needs a date" in response.content.decode()
    assert not ActionDecision.objects.exists()


def test_decide_rejects_other_schools_pupil(fernhill, brackenfield, today):
    response = client_for(fernhill.lead).post(reverse("casework:decide", args=[fernhill.school.pk]), {
        "pupil": brackenfield.ada.pk, "key": "persistent-absence", "since": "2025-09-01", "decision": "done",
    })

    assert response.status_code == 404
    assert not ActionDecision.objects.exists()


def test_log_entry_rejects_future_time(fernhill, today):
    response = client_for(fernhill.lead).post(reverse("casework:add_log_entry", args=[fernhill.school.pk, fernhill.ivy.pk]), {
        "kind": "call", "at": "2025-10-01T15:00", "summary": "Call planned",
    })

    assert response.status_code == 400
    assert "Enter a time that has passed" in response.content.decode()
    assert not CorrespondenceEntry.objects.exists()


def test_review_before_date_refused(fernhill, case):
    response = client_for(fernhill.lead).post(reverse("casework:review_case", args=[fernhill.school.pk, case.pk]))

    assert response.status_code == 409
    assert "the stage 1 review is due on 10 November 2025" in response.content.decode()
    assert case.current_step().reviewed_at is None


def test_incident_page_shows_contacts_and_records_step(fernhill, today):
    Contact.objects.create(school=fernhill.school, pupil=fernhill.leo, name="Owen Hart", relationship="Father",
                           phone="01632 960 222", priority=1)
    incident = incidents.open_incident(fernhill.leo, "missing-child", "Not back from the playground", fernhill.head,
                                       london(today, 10, 30))
    url = reverse("casework:incident", args=[fernhill.school.pk, incident.pk])
    client = client_for(fernhill.head)

    page = client.get(url).content.decode()
    response = client.post(url, {"at": "2025-10-01T10:40", "follow_up": "search-toilets", "place": "All toilets",
                                 "outcome": "Not found"})

    assert "Owen Hart" in page
    assert "01632 960 222" in page
    assert response.status_code == 302
    assert incident.steps.get().follow_up == "search-toilets"


def test_incident_step_in_future_rejected(fernhill, today):
    incident = incidents.open_incident(fernhill.leo, "truancy", "Left at break", fernhill.head, london(today, 10, 30))

    response = client_for(fernhill.head).post(reverse("casework:incident", args=[fernhill.school.pk, incident.pk]),
                                              {"at": "2025-10-01T12:00", "outcome": "Seen in the park"})

    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    assert not incident.steps.exists()


def test_letter_page_unknown_kind_not_found(fernhill, today):
    response = client_for(fernhill.lead).get(
        reverse("casework:send_letter", args=[fernhill.school.pk, fernhill.ivy.pk, "penalty_warning"])
    )

    assert response.status_code == 404


def test_weekly_report_bad_week_message(fernhill, case):
    response = client_for(fernhill.lead).post(reverse("casework:weekly_report", args=[fernhill.school.pk, case.pk]),
                                              {"week": "next week"}, follow=True)

    assert "is not a date" in response.content.decode()
    assert not case.weekly_reports.exists()
