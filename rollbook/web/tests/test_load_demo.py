"""``rollbook load_demo``: the demo school and its log-ins, loaded once or twice."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from rollbook.registers.models import MarkRevision
from rollbook.requests.models import AbsenceRequest
from rollbook.schools.models import Membership, ParentLink, Pupil, School, StaffRole
from rollbook.web.management.commands.load_demo import DEMO_USERS, default_last_day

pytestmark = pytest.mark.django_db

# Two weeks of marks keep the import quick; the whole year is the command's default.
UNTIL = "2025-09-12"


def load_demo(*args: str) -> str:
    output = StringIO()
    call_command("load_demo", *args, stdout=output)
    return output.getvalue()


def test_load_demo_imports_school(settings):
    settings.DEBUG = True
    output = load_demo("--until", UNTIL)
    school = School.objects.get()
    assert school.name == "Kestrel Vale Lower School"
    assert Pupil.objects.filter(school=school).count() == 300
    assert MarkRevision.objects.filter(school=school, date__gt=dt.date(2025, 9, 12)).count() == 0
    assert MarkRevision.objects.filter(school=school, date=dt.date(2025, 9, 12)).count() == 600
    assert "300 pupils" in output
    assert "up to Friday 12 September 2025" in output


def test_load_demo_creates_log_ins(settings, client):
    settings.DEBUG = True
    output = load_demo("--until", UNTIL)
    school = School.objects.get()
    roles = dict(Membership.objects.filter(school=school).values_list("user__username", "role"))
    assert roles["lead"] == StaffRole.ATTENDANCE_LEAD
    assert roles["governor"] == StaffRole.GOVERNOR
    assert roles["parent"] == StaffRole.PARENT
    for demo_user in DEMO_USERS:
        assert demo_user.username in output
        assert demo_user.password in output
    assert client.login(username="lead", password="kestrel-lead-demo")


def test_load_demo_twice_adds_nothing(settings):
    settings.DEBUG = True
    load_demo("--until", UNTIL)
    counts = (get_user_model().objects.count(), Membership.objects.count(), Pupil.objects.count(), MarkRevision.objects.count())

    output = load_demo("--until", UNTIL)
    again = (get_user_model().objects.count(), Membership.objects.count(), Pupil.objects.count(), MarkRevision.objects.count())
    assert again == counts
    assert School.objects.count() == 1
    assert "0 new mark revisions" in output


def test_load_demo_resets_changed_password(settings, client):
    settings.DEBUG = True
    load_demo("--until", UNTIL)
    user = get_user_model().objects.get(username="lead")
    user.set_password("something-else-entirely")
    user.save()
    load_demo("--until", UNTIL)
    assert client.login(username="lead", password="kestrel-lead-demo")


def test_load_demo_rejects_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="ROLLBOOK_DEBUG=1"):
        load_demo("--until", UNTIL)
    assert School.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_load_demo_rejects_unknown_year(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no calendar for 2031"):
        load_demo("--year", "2031")


def test_load_demo_rejects_invalid_date(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        load_demo("--until", "12/09/2025")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2025, 8, 31), dt.date(2025, 8, 31)),  # before the year: no school day yet
        (dt.date(2025, 12, 4), dt.date(2025, 12, 4)),  # inside the year: up to today
        (dt.date(2026, 8, 31), dt.date(2026, 8, 31)),  # the year's last day
        (dt.date(2026, 12, 4), dt.date(2026, 8, 31)),  # after the year: the whole year
    ],
)
def test_load_demo_default_last_day(today, expected):
    assert default_last_day(2025, today) == expected


def test_load_demo_adds_requests_once(settings, client):
    settings.DEBUG = True
    load_demo("--until", "2025-10-10")
    school = School.objects.get()
    statuses = sorted(AbsenceRequest.objects.filter(school=school).values_list("kind", "status"))
    assert statuses == [
        ("leave", "pending"), ("leave", "pending"), ("leave", "refused"), ("licence", "pending"), ("lunchtime", "granted"),
    ]
    assert ParentLink.objects.filter(user__username="parent").count() == 1

    load_demo("--until", "2025-10-10")
    assert AbsenceRequest.objects.filter(school=school).count() == 5
    assert client.login(username="parent", password="kestrel-parent-demo")
    child = ParentLink.objects.get(user__username="parent").pupil
    assert client.get(f"/schools/{school.pk}/children/{child.pk}/").status_code == 200
