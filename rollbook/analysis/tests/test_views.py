"""The dashboard pages on Larkspur, requested on its last school day (26 September 2025).

Mila is always present, Jonah misses the first 12 school days (O, unauthorised) and Ruth has
no mark yet on the last day. See rollbook/web/tests/conftest.py.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from rollbook.web.tests.conftest import LAST_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr("rollbook.analysis.views.today", lambda: LAST_DAY)


def get(user, name, *args, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_school_dashboard_figures(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk)
    text = response.content.decode()

    assert response.status_code == 200
    # 40 + 40 + 38 possible sessions; Jonah attends 16 of 40.
    assert response.context["figures"].possible == 118
    assert response.context["figures"].attended == 94
    assert response.context["figures"].unauthorised == 24
    assert response.context["figures"].missing == 2
    assert "79.7%" in text
    assert "Below the target of 97%" in text


def test_class_dashboard(senior_leader, larkspur):
    response = get(senior_leader, "analysis:class", larkspur.pk, "3 Maple")

    assert response.status_code == 200
    assert response.context["figures"].pupils == 1


def test_pupils_list_for_teacher_limited(teacher, larkspur):
    response = get(teacher, "analysis:pupils", larkspur.pk, show="all")
    text = response.content.decode()

    assert response.status_code == 200
    assert "Mila Thornbury" in text
    assert "Ruth Aske" not in text
    assert response.context["hidden"] == 1


def test_pupil_page_sessions(senior_leader, larkspur):
    from rollbook.schools.models import Pupil

    jonah = Pupil.objects.get(forename="Jonah")
    response = get(senior_leader, "analysis:pupil", larkspur.pk, jonah.pk)

    assert response.status_code == 200
    assert len(response.context["sessions"]) == 24


def test_groups_crossed(senior_leader, larkspur):
    response = get(senior_leader, "analysis:groups", larkspur.pk, by="sex", cross="class")

    assert response.status_code == 200
    assert response.context["crossed"].total.pupils == 3


def test_patterns_page(senior_leader, larkspur):
    response = get(senior_leader, "analysis:patterns", larkspur.pk)

    assert response.status_code == 200
    assert response.context["code_use"].totals[response.context["code_use"].codes.index("O")] == 24


def test_at_risk_page(senior_leader, larkspur):
    response = get(senior_leader, "analysis:at_risk", larkspur.pk)

    assert response.status_code == 200


def test_invalid_range_named(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk, **{"from": "2025-09-30", "to": "2025-09-01"})

    assert response.status_code == 400
    assert "The to date 2025-09-01 is before the from date 2025-09-30" in response.content.decode()


@pytest.mark.parametrize(
    "name,args",
    [
        ("analysis:school", ()),
        ("analysis:year_group", ("3",)),
        ("analysis:class", ("3 Cedar",)),
        ("analysis:groups", ()),
        ("analysis:group", ("risk", "persistent")),
        ("analysis:patterns", ()),
        ("analysis:at_risk", ()),
    ],
)
def test_governor_pages_show_no_names(governor, larkspur, name, args):
    response = get(governor, name, larkspur.pk, *args)
    text = response.content.decode()

    assert response.status_code == 200
    for surname in ("Thornbury", "Pellow", "Aske"):
        assert surname not in text


def test_governor_at_risk_counts_only(governor, larkspur):
    response = get(governor, "analysis:at_risk", larkspur.pk)

    assert response.context["likely"] == []
    assert "Pupils' names are shown to school staff only." in response.content.decode()


def test_group_page_for_risk_group(senior_leader, larkspur):
    # Jonah has missed 24 of 40 sessions: persistently absent already.
    response = get(senior_leader, "analysis:group", larkspur.pk, "risk", "persistent")

    assert response.status_code == 200
    assert response.context["figures"].pupils == 1
    assert response.context["scope"].label == "Risk of persistent absence: Persistently absent this year"


def test_unknown_grouping_not_found(senior_leader, larkspur):
    response = get(senior_leader, "analysis:groups", larkspur.pk, by="shoe_size")

    assert response.status_code == 404


def test_unknown_class_not_found(senior_leader, larkspur):
    response = get(senior_leader, "analysis:class", larkspur.pk, "9 Nowhere")

    assert response.status_code == 404


def test_pupils_list_unknown_filter_named(senior_leader, larkspur):
    response = get(senior_leader, "analysis:pupils", larkspur.pk, show="tall")

    assert response.status_code == 400
    assert "show=&#x27;tall&#x27; is not a figure to list" in response.content.decode()


def test_custom_range_needs_both_dates(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk, **{"from": "2025-09-01"})

    assert response.status_code == 400
    assert "Enter the to date too" in response.content.decode()


def test_bad_date_named(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk, **{"from": "1/9/2025", "to": "2025-09-26"})

    assert response.status_code == 400
    assert "Enter the from date as YYYY-MM-DD" in response.content.decode()


def test_presets_keep_list_filters(senior_leader, larkspur):
    response = get(senior_leader, "analysis:pupils", larkspur.pk, show="unauthorised", preset="term")
    text = response.content.decode()

    assert response.status_code == 200
    assert "show=unauthorised&amp;preset=half-term" in text


def test_governor_small_group_suppressed(governor, larkspur):
    # Larkspur has three pupils, so every group is smaller than five.
    response = get(governor, "analysis:groups", larkspur.pk, by="sex", cross="class")
    text = response.content.decode()

    assert response.status_code == 200
    # Only the whole school's total is shown, as on the school dashboard.
    assert text.count("79.7%") == 1
    # All three pupils are girls: two cells, the girls' row total and both class totals.
    assert text.count("<td>*</td>") == 5


def test_governor_small_group_page_suppressed(governor, larkspur):
    response = get(governor, "analysis:class", larkspur.pk, "3 Cedar")
    text = response.content.decode()

    assert "fewer than 5 pupils in the range, so its figures are not shown" in text
    assert "figures" not in response.context


def test_staff_small_group_shown(senior_leader, larkspur):
    response = get(senior_leader, "analysis:groups", larkspur.pk, by="sex")

    assert "Fewer than 5 pupils" not in response.content.decode()
    assert "79.7%" in response.content.decode()


def test_governor_school_dashboard_hides_small_classes(governor, larkspur):
    response = get(governor, "analysis:school", larkspur.pk)
    text = response.content.decode()

    # Two classes and one year group, each of fewer than 5 pupils.
    assert text.count("Fewer than 5 pupils: not shown") == 3
    assert 'href="/schools/%d/analysis/classes/' % larkspur.pk not in text


def test_at_risk_lists_falling_pupil(senior_leader, teacher, other_class_teacher, larkspur, monkeypatch):
    # Mila is present through September, then misses 3 of the next 20 school days (to 24
    # October): 74 of 80 so far (7.5% absence), 34 of 40 recently. With three more half-terms
    # (90 school days, 180 sessions) to come at 71/80, her year ends at 26.25 of 260 sessions
    # absent (10.1%) and 89.9% attendance. See rollbook/policy/tests/test_projection.py.
    from rollbook.policy.calendar import Session
    from rollbook.registers.services import MarkEntry
    from rollbook.schools.models import AcademicYear, CalendarEntry, Pupil
    from rollbook.web.tests.conftest import record

    year = AcademicYear.objects.get(school=larkspur)
    for label, start, end in (
        ("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
        ("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
        ("spring-2", dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
    ):
        CalendarEntry.objects.create(
            school=larkspur, academic_year=year, kind=CalendarEntry.Kind.HALF_TERM, start_date=start, end_date=end, label=label
        )
    mila = Pupil.objects.get(forename="Mila")
    october = [day for day in year.calendar().school_days if LAST_DAY < day <= dt.date(2025, 10, 24)]
    assert len(october) == 20
    entries = []
    for index, day in enumerate(october):
        for session, present in ((Session.AM, "/"), (Session.PM, "\\")):
            entries.append(MarkEntry(mila, day, session, "I" if index >= 17 else present))
    record(year, entries)
    monkeypatch.setattr("rollbook.analysis.views.today", lambda: dt.date(2025, 10, 24))

    response = get(senior_leader, "analysis:at_risk", larkspur.pk)
    listed = response.context["likely"]

    assert [row.pupil.forename for row, _p in listed] == ["Mila"]
    assert listed[0][1].remaining == 180
    assert "89.9%" in response.content.decode()
    assert response.context["persistent_now"] == 1
    assert get(teacher, "analysis:at_risk", larkspur.pk).context["hidden"] == 0
    assert get(other_class_teacher, "analysis:at_risk", larkspur.pk).context["hidden"] == 1


def test_menu_links_only_existing_pages(senior_leader, larkspur):
    from django.urls import NoReverseMatch

    from rollbook.analysis.views import OPTIONAL_LINKS

    text = get(senior_leader, "analysis:school", larkspur.pk).content.decode()

    for name, label, _permission in OPTIONAL_LINKS:
        try:
            reverse(name, args=[larkspur.pk])
            installed = True
        except NoReverseMatch:
            installed = False
        assert (f">{label}</a>" in text.replace("&#x27;", "'")) == installed, name


def test_unknown_preset_named(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk, preset="fortnight")

    assert response.status_code == 400
    assert "Range fortnight is not a named range" in response.content.decode()


def test_crossed_cell_links_to_its_pupils(senior_leader, larkspur):
    import re
    from html import unescape

    text = get(senior_leader, "analysis:groups", larkspur.pk, by="sex", cross="class").content.decode()
    links = [unescape(link) for link in re.findall(r'href="(/schools/\d+/analysis/pupils/\?[^"]+)"', text)]
    assert len(links) == 2

    client = Client()
    client.force_login(senior_leader)
    response = client.get(links[0])
    names = sorted(row.pupil.forename for row, _f in response.context["rows"])

    assert names == ["Jonah", "Mila"]
    assert "Sex: Female, and Class: 3 Cedar." in response.content.decode()


def test_week_rows_link_to_that_week(senior_leader, larkspur):
    text = get(senior_leader, "analysis:class", larkspur.pk, "3 Cedar").content.decode()

    assert 'href="?from=2025-09-15&amp;to=2025-09-19"' in text


def test_last_year_without_data(senior_leader, larkspur):
    response = get(senior_leader, "analysis:school", larkspur.pk, preset="last-year")

    assert response.status_code == 200
    assert response.context["figures"].pupils == 0
    assert response.context["selection"].period.start == dt.date(2024, 9, 1)


@pytest.mark.parametrize("name", ["analysis:patterns", "analysis:groups", "analysis:pupils"])
def test_pages_last_year_without_data(senior_leader, larkspur, name):
    response = get(senior_leader, name, larkspur.pk, preset="last-year")

    assert response.status_code == 200


def test_school_without_year(db):
    from rollbook.schools.models import School, StaffRole
    from rollbook.web.tests.conftest import make_user

    school = School.objects.create(name="Quarry Lane School", urn="900009", la_code="999")
    user = make_user("new-head", (school, StaffRole.SENIOR_LEADER))
    response = get(user, "analysis:school", school.pk)

    assert response.status_code == 200
    assert "No academic year has been set up for this school yet." in response.content.decode()
