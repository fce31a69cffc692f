"""The landing page: a school's attendance to date and the actions due, by role."""

import datetime as dt

import pytest
from django.urls import reverse

from rollbook.schools.models import School, StaffRole

from .conftest import make_user

PUPIL_NAMES = ("Mila Thornbury", "Jonah Pellow", "Ruth Aske")
UNAUTHORISED_BLOCK = "Alert the local authority: 10 school days in a row of unexplained absence"


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_school_page_requires_login(client, larkspur):
    response = client.get(reverse("school_home", args=[larkspur.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_lead_sees_rate_and_target(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    response = client.get(reverse("home"))
    text = page_text(response)
    assert response.status_code == 200
    assert "Larkspur Lower School" in text
    # 94 attended of 118 possible sessions: Jonah missed 24, Ruth's last day has no mark.
    assert "79.7%" in text
    assert "Below the target of 97%" in text
    assert "118" in text
    assert "to date" in text
    assert "Friday 26 September 2025" in text


def test_home_lead_sees_action_rows(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert "Jonah Pellow" in text
    assert "3 Cedar" in text
    assert UNAUTHORISED_BLOCK in text
    assert "12 Sep 2025" in text  # the 10th school day of the block
    assert "Every marked session was N or O on 10 school days" in text
    assert "<caption" in text
    assert "Mila Thornbury" not in text  # always present: no action due


def test_home_lead_sees_urgent_actions_first(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert text.index(UNAUTHORISED_BLOCK) < text.index("Persistent absence: 10% or more")


def test_home_missing_marks_warning(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert "Figures incomplete:" in text
    assert "2 sessions have no mark yet" in text


def test_home_no_warning_when_complete(client, attendance_lead, monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: dt.date(2025, 9, 25))
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert "Figures incomplete" not in text
    assert "Thursday 25 September 2025" in text


def test_home_after_year_shows_whole_year(client, attendance_lead, monkeypatch):
    monkeypatch.setattr("rollbook.web.views.today", lambda: dt.date(2026, 12, 4))
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert "(the whole year)" in text
    assert "Monday 31 August 2026" in text


def test_home_persistent_absence_count(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert "1 (33.3%)" in text  # Jonah, of three pupils


def test_home_governor_sees_figures_only(client, governor, frozen_today):
    client.force_login(governor)
    response = client.get(reverse("home"))
    text = page_text(response)
    assert response.status_code == 200
    assert "79.7%" in text
    assert "Below the target of 97%" in text
    for name in PUPIL_NAMES:
        assert name not in text
    assert "Pellow" not in text
    assert "<table" not in text
    assert UNAUTHORISED_BLOCK not in text


def test_home_parent_sees_own_child_only(client, parent, frozen_today):
    client.force_login(parent)
    response = client.get(reverse("home"))
    text = page_text(response)
    assert response.status_code == 200
    assert "Mila Thornbury" in text
    assert "Attendance this school year: <strong>100.0%</strong>" in text
    for name in PUPIL_NAMES:
        if name != "Mila Thornbury":
            assert name not in text
    assert "Pellow" not in text
    assert "79.7%" not in text
    assert "<table" not in text


def test_home_other_school_sees_own_data(client, larkspur, other_school_teacher, frozen_today):
    client.force_login(other_school_teacher)
    text = page_text(client.get(reverse("home")))
    assert "Otterburn Lower School" in text
    assert "100.0%" in text
    assert "Larkspur" not in text
    for name in PUPIL_NAMES:
        assert name not in text
    assert "79.7%" not in text


def test_school_page_other_school_not_found(client, larkspur, other_school_teacher):
    client.force_login(other_school_teacher)
    response = client.get(reverse("school_home", args=[larkspur.pk]))
    assert response.status_code == 404
    assert "Larkspur" not in page_text(response)


def test_school_page_own_school(client, larkspur, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    response = client.get(reverse("school_home", args=[larkspur.pk]))
    assert response.status_code == 200
    assert "Jonah Pellow" in page_text(response)


def test_home_lists_schools_for_two_memberships(client, larkspur, otterburn):
    user = make_user("trust-officer", (larkspur, StaffRole.LA_OFFICER), (otterburn, StaffRole.LA_OFFICER))
    client.force_login(user)
    text = page_text(client.get(reverse("home")))
    assert reverse("school_home", args=[larkspur.pk]) in text
    assert reverse("school_home", args=[otterburn.pk]) in text
    assert "Jonah Pellow" not in text


def test_home_governor_and_parent_sees_figures(client, larkspur, frozen_today):
    user = make_user("governor-parent", (larkspur, StaffRole.GOVERNOR), (larkspur, StaffRole.PARENT))
    client.force_login(user)
    text = page_text(client.get(reverse("home")))
    assert "79.7%" in text
    assert "Jonah Pellow" not in text


@pytest.mark.django_db
def test_home_without_membership(client):
    user = make_user("newcomer")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no school yet" in page_text(response)


@pytest.mark.django_db
def test_home_school_without_year(client):
    school = School.objects.create(name="Fieldfare Lower School", urn="900003", la_code="999")
    client.force_login(make_user("fieldfare-lead", (school, StaffRole.ATTENDANCE_LEAD)))
    text = page_text(client.get(reverse("home")))
    assert "Fieldfare Lower School" in text
    assert "No academic year has been set up" in text


def test_home_page_is_accessible_markup(client, attendance_lead, frozen_today):
    client.force_login(attendance_lead)
    text = page_text(client.get(reverse("home")))
    assert '<html lang="en-GB">' in text
    assert 'href="#main"' in text
    assert '<main id="main"' in text
    assert text.count("<h1") == 1
    assert '<th scope="col">Pupil</th>' in text
    assert '<th scope="row">' in text
    assert "/static/web/rollbook.css" in text
    assert "https://" not in text  # every asset comes from Rollbook itself


def test_home_lead_sees_task_links(client, attendance_lead, frozen_today, larkspur):
    client.force_login(attendance_lead)

    content = client.get("/").content.decode()

    assert f'href="/schools/{larkspur.pk}/registers/"' in content
    assert f'href="/schools/{larkspur.pk}/registers/missing/"' in content
    assert f'href="/schools/{larkspur.pk}/contacts/missing/"' in content


def test_home_governor_has_no_task_links(client, governor, frozen_today):
    client.force_login(governor)

    content = client.get("/").content.decode()

    assert "/registers/" not in content
    assert "/contacts/" not in content
