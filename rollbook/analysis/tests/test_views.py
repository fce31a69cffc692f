"""The dashboard pages on Larkspur, requested on its last school day (26 September 2025).

Mila is always present, Jonah misses the first 12 school days (O, unauthorised) and Ruth has
no mark yet on the last day. See rollbook/web/tests/conftest.py.
"""

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
