"""Tests for the pupil record, mark history, amend, signing book and missing-registers pages."""

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.policy.calendar import Session
from rollbook.registers.models import MarkRevision, RegisterSubmission, SigningEvent
from rollbook.registers.taking import RegisterChoice, load_register, save_register
from rollbook.schools.models import ParentLink

from .conftest import MONDAY, TEACHER, london


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": london(MONDAY, 9, 0)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment["now"])

    def set_now(value):
        moment["now"] = value
    return set_now


def mark_ada(brackenfield, code, at, codes=("/", "\\", "L", "N"), reason=""):
    register = load_register(brackenfield.context, "3 Cedar", MONDAY, Session.AM)
    loaded = {row.pupil.pk: row.revision_id for row in register.rows}
    save_register(register, [RegisterChoice(brackenfield.ada, code)], loaded, TEACHER, at, codes, reason)


def amend_url(brackenfield, pupil=None):
    pupil = pupil or brackenfield.ada
    return reverse("registers:amend", args=[brackenfield.school.pk, pupil.pk, MONDAY.isoformat(), "AM"])


def test_amend_page_records_reason_in_history(client, brackenfield, office, clock):
    mark_ada(brackenfield, "N", london(MONDAY, 9, 0))
    original = MarkRevision.objects.get()
    clock(london(MONDAY, 11, 5))
    client.force_login(office)

    response = client.post(amend_url(brackenfield), {"code": "M", "reason": "Dentist appointment card seen", "loaded": original.pk}, follow=True)

    html = response.content.decode()
    assert "Mark amended to M." in html
    assert "Original entry" in html
    assert "Dentist appointment card seen" in html
    assert "Priya Patel" in html
    assert "Ms Rivera" in html
    assert "11:05:00" in html
    assert [r.code for r in MarkRevision.objects.order_by("id")] == ["N", "M"]


def test_amend_page_without_reason_saves_nothing(client, brackenfield, office, clock):
    mark_ada(brackenfield, "N", london(MONDAY, 9, 0))
    client.force_login(office)

    response = client.post(amend_url(brackenfield), {"code": "M", "reason": "", "loaded": MarkRevision.objects.get().pk})

    assert response.status_code == 400
    assert "Reason for the change" in response.content.decode()
    assert MarkRevision.objects.count() == 1


def test_amend_page_stale_load_lists_change(client, brackenfield, office, clock):
    mark_ada(brackenfield, "N", london(MONDAY, 9, 0))
    original = MarkRevision.objects.get()
    client.force_login(office)
    client.post(amend_url(brackenfield), {"code": "M", "reason": "Dentist", "loaded": original.pk})

    response = client.post(amend_url(brackenfield), {"code": "I", "reason": "Ill", "loaded": original.pk})

    assert response.status_code == 400
    assert "Priya Patel changed the AM mark to M" in response.content.decode()
    assert MarkRevision.objects.count() == 2


def test_pupil_record_as_it_stood_shows_earlier_code(client, brackenfield, office, clock):
    mark_ada(brackenfield, "N", london(MONDAY, 9, 0))
    mark_ada(brackenfield, "I", london(MONDAY, 10, 30), codes=("I",), reason="Parent phoned")
    clock(london(MONDAY, 12, 0))
    client.force_login(office)
    url = reverse("registers:pupil", args=[brackenfield.school.pk, brackenfield.ada.pk])

    then = client.get(url, {"at": "2025-09-08T10:00"}).content.decode()
    now = client.get(url).content.decode()

    assert "As it stood at 10:00 on Monday 8 September 2025" in then
    assert "<strong>N</strong>" in then
    assert "<strong>I</strong>" not in then
    assert "<strong>I</strong>" in now


def test_pupil_record_invalid_time_explained(client, brackenfield, office, clock):
    client.force_login(office)

    response = client.get(reverse("registers:pupil", args=[brackenfield.school.pk, brackenfield.ada.pk]), {"at": "soon"})

    assert response.status_code == 400
    assert "is invalid" in response.content.decode()


def test_pupil_record_parent_sees_own_child_only(client, brackenfield, parent, clock):
    ParentLink.objects.create(school=brackenfield.school, user=parent, pupil=brackenfield.ben)
    client.force_login(parent)

    own = client.get(reverse("registers:pupil", args=[brackenfield.school.pk, brackenfield.ben.pk]))
    other = client.get(reverse("registers:pupil", args=[brackenfield.school.pk, brackenfield.ada.pk]))

    assert own.status_code == 200
    assert other.status_code == 404


def test_signing_book_sign_in_late_records_u(client, brackenfield, office, clock):
    clock(london(MONDAY, 9, 42))
    client.force_login(office)
    url = reverse("registers:signing_book", args=[brackenfield.school.pk])

    response = client.post(url, {"pupil": brackenfield.ada.pk, "direction": "in", "time": "09:40", "reason": "Bus late"}, follow=True)

    html = response.content.decode()
    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("U", 45)
    assert "signed in at 09:40: AM mark U" in html
    assert "Bus late" in html


def test_signing_book_sign_out_needs_reason(client, brackenfield, office, clock):
    client.force_login(office)
    url = reverse("registers:signing_book", args=[brackenfield.school.pk])

    response = client.post(url, {"pupil": brackenfield.ada.pk, "direction": "out", "time": "11:00", "reason": ""})

    assert response.status_code == 400
    assert SigningEvent.objects.count() == 0


def test_signing_book_rejects_pupil_not_on_roll(client, brackenfield, office, clock):
    clock(london(dt.date(2025, 9, 22), 9, 30))
    client.force_login(office)
    url = reverse("registers:signing_book", args=[brackenfield.school.pk])

    response = client.post(url, {"pupil": brackenfield.cara.pk, "direction": "in", "time": "09:20"})

    assert response.status_code == 400
    assert MarkRevision.objects.count() == 0


def test_missing_board_lists_unsubmitted_first(client, brackenfield, office, clock):
    mark_ada(brackenfield, "/", london(MONDAY, 8, 58))
    client.force_login(office)

    page = client.get(reverse("registers:missing", args=[brackenfield.school.pk])).content.decode()
    rows = client.get(reverse("registers:board_rows", args=[brackenfield.school.pk])).content.decode()

    assert 'hx-trigger="every 15s"' in page
    assert "registers/htmx.min.js" in page
    assert "1 of 2 classes</strong> has not submitted the AM register" in rows
    assert rows.index("R Oak") < rows.index("3 Cedar")
    assert "<html" not in rows


def test_missing_board_afternoon_uses_pm(client, brackenfield, office, clock):
    mark_ada(brackenfield, "/", london(MONDAY, 8, 58))
    clock(london(MONDAY, 13, 20))
    client.force_login(office)

    rows = client.get(reverse("registers:board_rows", args=[brackenfield.school.pk])).content.decode()

    assert "2 of 2 classes</strong> have not submitted the PM register" in rows
    assert RegisterSubmission.objects.count() == 1
