"""Tests for the register pages: access for every role, taking a register, late arrivals and conflicts."""

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.registers.models import MarkRevision, RegisterSubmission, RevisionSource
from rollbook.registers.views import parse_clock_time
from rollbook.schools.models import StaffRole, TeachingAssignment

from .conftest import MONDAY, PASSWORD, london, make_user


@pytest.fixture
def frozen(monkeypatch):
    """Return a setter for the pages' clock, starting at 09:00 on Monday 8 September 2025."""
    moment = {"now": london(MONDAY, 9, 0)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment["now"])

    def set_now(value):
        moment["now"] = value
    return set_now


def take_url(school, class_name="3 Cedar", day=MONDAY, session="AM"):
    return reverse("registers:take", args=[school.pk, day.isoformat(), session, class_name])


def signed_in(client, user):
    client.force_login(user)
    return client


def form_data(brackenfield, choices, reason="", class_name="3 Cedar", session="AM", all_present=False):
    data = {f"loaded-{p.pk}": "" for p in (brackenfield.ada, brackenfield.ben, brackenfield.cara)}
    for pupil, code in choices.items():
        data[f"code-{pupil.pk}"] = code
    if reason:
        data["reason"] = reason
    if all_present:
        data["all_present"] = "1"
    return data


ROLES = [
    StaffRole.OFFICE, StaffRole.TEACHER, StaffRole.ATTENDANCE_LEAD, StaffRole.SENIOR_LEADER,
    StaffRole.GOVERNOR, StaffRole.LA_OFFICER, StaffRole.PARENT, StaffRole.ADMINISTRATOR,
]
# The status each role gets on each page. The class teacher teaches 3 Cedar, and its pupil Ada
# is the subject of the pupil pages. The parent is not linked to Ada.
ACCESS = {
    "list": {"office": 200, "teacher": 200, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
    "take": {"office": 200, "teacher": 200, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
    "missing": {"office": 200, "teacher": 403, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
    "board_rows": {"office": 200, "teacher": 403, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
    "signing_book": {"office": 200, "teacher": 403, "attendance_lead": 200, "senior_leader": 403, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
    "pupil": {"office": 200, "teacher": 200, "attendance_lead": 200, "senior_leader": 200, "governor": 404, "la_officer": 200, "parent": 404, "administrator": 200},
    "mark_history": {"office": 200, "teacher": 200, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 200, "parent": 403, "administrator": 200},
    "amend": {"office": 200, "teacher": 403, "attendance_lead": 200, "senior_leader": 200, "governor": 403, "la_officer": 403, "parent": 403, "administrator": 200},
}


def page_url(page, brackenfield):
    school, ada = brackenfield.school, brackenfield.ada
    return {
        "list": reverse("registers:list", args=[school.pk]),
        "take": take_url(school),
        "missing": reverse("registers:missing", args=[school.pk]),
        "board_rows": reverse("registers:board_rows", args=[school.pk]),
        "signing_book": reverse("registers:signing_book", args=[school.pk]),
        "pupil": reverse("registers:pupil", args=[school.pk, ada.pk]),
        "mark_history": reverse("registers:mark_history", args=[school.pk, ada.pk, MONDAY.isoformat(), "AM"]),
        "amend": reverse("registers:amend", args=[school.pk, ada.pk, MONDAY.isoformat(), "AM"]),
    }[page]


@pytest.mark.parametrize("page", sorted(ACCESS))
@pytest.mark.parametrize("role", ROLES)
def test_register_pages_access_by_role(client, brackenfield, frozen, page, role):
    user = make_user(f"user-{role}", brackenfield.school, role)
    if role == StaffRole.TEACHER:
        TeachingAssignment.objects.create(school=brackenfield.school, user=user, academic_year=brackenfield.year, class_name="3 Cedar")

    response = signed_in(client, user).get(page_url(page, brackenfield))

    assert response.status_code == ACCESS[page][role.value]


@pytest.mark.parametrize("page", sorted(ACCESS))
def test_register_pages_other_school_not_found(client, brackenfield, other_school_office, frozen, page):
    response = signed_in(client, other_school_office).get(page_url(page, brackenfield))

    assert response.status_code == 404


@pytest.mark.parametrize("page", sorted(ACCESS))
def test_register_pages_need_sign_in(client, brackenfield, frozen, page):
    response = client.get(page_url(page, brackenfield))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_take_register_other_class_teacher_not_found(client, brackenfield, oak_teacher, frozen):
    get = signed_in(client, oak_teacher).get(take_url(brackenfield.school))
    post = client.post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ada: "/"}))

    assert get.status_code == 404
    assert post.status_code == 404
    assert MarkRevision.objects.count() == 0


def test_take_register_shows_only_teacher_codes(client, brackenfield, cedar_teacher, frozen):
    response = signed_in(client, cedar_teacher).get(take_url(brackenfield.school))

    html = response.content.decode()
    assert f'name="code-{brackenfield.ada.pk}" value="/"' in html
    assert f'name="code-{brackenfield.ada.pk}" value="N"' in html
    assert f'name="other-{brackenfield.ada.pk}"' not in html
    assert "Illness" not in html


def test_take_register_office_gets_other_codes(client, brackenfield, office, frozen):
    response = signed_in(client, office).get(take_url(brackenfield.school))

    html = response.content.decode()
    assert f'name="other-{brackenfield.ada.pk}"' in html
    assert "I: Illness" in html


def test_take_register_teacher_code_outside_set_refused(client, brackenfield, cedar_teacher, frozen):
    data = form_data(brackenfield, {brackenfield.ada: "/"})
    data[f"other-{brackenfield.ben.pk}"] = "I"

    response = signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    assert response.status_code == 400
    assert "you may not enter code &#x27;I&#x27;" in response.content.decode()
    assert MarkRevision.objects.count() == 0
    assert RegisterSubmission.objects.count() == 0


def test_take_register_saves_and_redirects(client, brackenfield, cedar_teacher, frozen):
    data = form_data(brackenfield, {brackenfield.ada: "/", brackenfield.ben: "N"})

    response = signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data, follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert "Register saved at 09:00: 2 changes recorded." in response.content.decode()
    revisions = {r.pupil_id: r for r in MarkRevision.objects.all()}
    assert revisions[brackenfield.ada.pk].code == "/"
    assert revisions[brackenfield.ben.pk].recorded_by == "Rosa Rivera"
    assert revisions[brackenfield.ben.pk].role == "teacher"


def test_take_register_all_present_fills_unmarked(client, brackenfield, cedar_teacher, frozen):
    data = form_data(brackenfield, {brackenfield.ben: "N"}, all_present=True)

    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    codes = {r.pupil_id: r.code for r in MarkRevision.objects.all()}
    assert codes == {brackenfield.ada.pk: "/", brackenfield.ben.pk: "N", brackenfield.cara.pk: "/"}


def test_take_register_late_arrival_after_close_is_u(client, brackenfield, cedar_teacher, frozen):
    frozen(london(MONDAY, 9, 50))
    data = form_data(brackenfield, {}, reason="Register taken late")
    data[f"arrived-{brackenfield.ada.pk}"] = "09:41"

    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("U", 46)
    assert revision.source == RevisionSource.AMENDMENT


def test_take_register_late_arrival_before_close_is_l(client, brackenfield, cedar_teacher, frozen):
    frozen(london(MONDAY, 9, 10))
    data = form_data(brackenfield, {brackenfield.ada: "L"})
    data[f"arrived-{brackenfield.ada.pk}"] = "09:03"

    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("L", 8)


def test_take_register_invalid_arrival_time_refused(client, brackenfield, cedar_teacher, frozen):
    data = form_data(brackenfield, {brackenfield.ben: "/"})
    data[f"arrived-{brackenfield.ada.pk}"] = "nine"

    response = signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    assert response.status_code == 400
    assert "arrival time &#x27;nine&#x27; is invalid" in response.content.decode()
    assert MarkRevision.objects.count() == 0


def test_take_register_after_close_needs_reason(client, brackenfield, cedar_teacher, frozen):
    frozen(london(MONDAY, 9, 30))

    response = signed_in(client, cedar_teacher).post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ada: "/"}))

    html = response.content.decode()
    assert response.status_code == 400
    assert "This register closed at 09:15." in html
    assert "A reason is required" in html
    assert MarkRevision.objects.count() == 0


def test_take_register_stale_save_lists_change(client, brackenfield, cedar_teacher, office, frozen):
    stale = form_data(brackenfield, {brackenfield.ada: "N"})
    signed_in(client, office).post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ada: "/"}))

    frozen(london(MONDAY, 9, 2))
    response = signed_in(client, cedar_teacher).post(take_url(brackenfield.school), stale)

    html = response.content.decode()
    assert response.status_code == 400
    assert "someone changed these marks" in html
    assert "Ashdown" in html
    assert "Priya Patel changed the AM mark to / at 09:00" in html
    assert list(MarkRevision.objects.values_list("code", flat=True)) == ["/"]


def test_take_register_non_school_day_not_found(client, brackenfield, cedar_teacher, frozen):
    response = signed_in(client, cedar_teacher).get(take_url(brackenfield.school, day=dt.date(2025, 9, 13)))

    assert response.status_code == 404
    assert "not a school day" in response.content.decode()


def test_take_register_closure_is_labelled(client, brackenfield, oak_teacher, frozen):
    url = take_url(brackenfield.school, "R Oak", dt.date(2025, 9, 12), "PM")

    response = signed_in(client, oak_teacher).get(url)

    html = response.content.decode()
    assert "Planned closure: Reception closure" in html
    assert f'name="code-{brackenfield.ruby.pk}"' not in html


def test_register_list_shows_submission(client, brackenfield, cedar_teacher, frozen):
    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ada: "/"}))

    response = client.get(reverse("registers:list", args=[brackenfield.school.pk]))

    html = response.content.decode()
    assert "Submitted at 09:00" in html
    assert "R Oak" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:07", dt.time(9, 7)), ("9:07", dt.time(9, 7)), ("0907", dt.time(9, 7)), (" 907 ", dt.time(9, 7)),
        ("23:59", dt.time(23, 59)), ("00:00", dt.time(0, 0)),
        ("24:00", None), ("09:60", None), ("9", None), ("09:7", None), ("nine", None), ("", None),
    ],
)
def test_parse_clock_time_table(text, expected):
    assert parse_clock_time(text) == expected


def test_take_register_arrival_without_colon(client, brackenfield, cedar_teacher, frozen):
    frozen(london(MONDAY, 9, 10))
    data = form_data(brackenfield, {brackenfield.ada: "L"})
    data[f"arrived-{brackenfield.ada.pk}"] = "0907"

    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), data)

    revision = MarkRevision.objects.get()
    assert (revision.code, revision.minutes_late) == ("L", 12)


def test_take_register_as_it_stood_shows_earlier_code(client, brackenfield, cedar_teacher, office, frozen):
    signed_in(client, cedar_teacher).post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ada: "N"}))
    frozen(london(MONDAY, 10, 30))
    data = form_data(brackenfield, {}, reason="Parent phoned: ill")
    data[f"loaded-{brackenfield.ada.pk}"] = str(MarkRevision.objects.get().pk)
    data[f"other-{brackenfield.ada.pk}"] = "I"
    signed_in(client, office).post(take_url(brackenfield.school), data)

    then = client.get(take_url(brackenfield.school), {"at": "2025-09-08T10:00"}).content.decode()
    now = client.get(take_url(brackenfield.school)).content.decode()

    assert "As it stood at 10:00 on Monday 8 September 2025" in then
    assert "<strong>N</strong>" in then
    assert "<strong>I</strong>" not in then
    assert "Current mark: I" in now
    assert "Save register" not in then


def test_take_register_as_it_stood_invalid_time(client, brackenfield, cedar_teacher, frozen):
    response = signed_in(client, cedar_teacher).get(take_url(brackenfield.school), {"at": "later"})

    assert response.status_code == 404


def test_register_page_prefills_granted_leave_for_a_teacher(client, brackenfield, cedar_teacher, frozen, leave_for_ben):
    page = signed_in(client, cedar_teacher).get(take_url(brackenfield.school))

    html = page.content.decode()
    assert "Known: Leave of absence granted" in html
    assert f'name="code-{brackenfield.ben.pk}" value="C" checked' in html
    assert f'name="code-{brackenfield.ada.pk}" value="C"' not in html

    response = client.post(take_url(brackenfield.school), form_data(brackenfield, {brackenfield.ben: "C", brackenfield.ada: "/"}))

    assert response.status_code == 302
    assert MarkRevision.objects.get(pupil=brackenfield.ben).code == "C"
