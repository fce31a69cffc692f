from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rollbook.casework.models import CorrespondenceEntry, Incident, StageStep, SupportPlan, TriggerCase

pytestmark = pytest.mark.django_db

UNTIL = "2025-10-24"  # the end of the first half-term: 40 school days of marks


def test_demo_casework_loads_once(settings):
    settings.DEBUG = True
    call_command("load_demo", "--until", UNTIL, stdout=StringIO())
    output = StringIO()

    call_command("load_demo_casework", "--as-of", UNTIL, stdout=output)

    assert TriggerCase.objects.count() == 3
    assert "3 trigger case(s)" in output.getvalue()
    assert StageStep.objects.filter(reviewed_at__isnull=False).count() == 3  # each reviewed on 20 October
    assert SupportPlan.objects.count() == 1
    assert Incident.objects.get().closed_at is not None
    assert CorrespondenceEntry.objects.filter(kind="letter").count() == 3
    again = StringIO()
    call_command("load_demo_casework", "--as-of", UNTIL, stdout=again)
    assert "loaded already; nothing added" in again.getvalue()
    assert TriggerCase.objects.count() == 3


def test_demo_casework_defaults_to_the_years_last_school_day(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())  # after 2025/26 ends, marks run to its last day
    output = StringIO()

    call_command("load_demo_casework", stdout=output)

    assert "as of 2026-07-20" in output.getvalue()
    assert TriggerCase.objects.count() == 3


def test_demo_casework_needs_demo_school(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="run rollbook load_demo first"):
        call_command("load_demo_casework", "--as-of", UNTIL, stdout=StringIO())


def test_demo_casework_needs_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="ROLLBOOK_DEBUG=1"):
        call_command("load_demo_casework", stdout=StringIO())
