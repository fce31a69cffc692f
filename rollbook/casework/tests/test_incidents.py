import datetime as dt

import pytest

from rollbook.casework import incidents
from rollbook.casework.models import CorrespondenceEntry, EntryKind, IncidentStep
from rollbook.policy.incidents import outstanding

from .conftest import STAGE_1_DAY, london

OPENED = london(STAGE_1_DAY, 13, 25)


@pytest.fixture
def missing(fernhill):
    return incidents.open_incident(fernhill.leo, "missing-child", "Not in class after lunch; last seen in the playground",
                                   fernhill.head, OPENED)


def codes(statuses):
    return [item.code for item in outstanding(statuses)]


def test_open_incident_logs(fernhill, missing):
    entry = CorrespondenceEntry.objects.get(pupil=fernhill.leo)

    assert entry.kind == EntryKind.INCIDENT
    assert entry.reference == f"incident:{missing.pk}"


@pytest.mark.parametrize(("kind", "circumstances", "field"), [("runaway", "Seen leaving", "kind"), ("truancy", "  ", "circumstances")])
def test_open_incident_rejects_bad_input(fernhill, kind, circumstances, field):
    with pytest.raises(incidents.IncidentInvalid) as raised:
        incidents.open_incident(fernhill.leo, kind, circumstances, fernhill.head, OPENED)

    assert raised.value.field == field


def test_search_steps_complete_follow_ups(fernhill, missing):
    incidents.add_step(missing, at=OPENED + dt.timedelta(minutes=2), by=fernhill.head, follow_up="search-toilets",
                       place="All toilets", outcome="Not found", taken_by="Mr Ellis")

    due = codes(incidents.follow_ups(missing))
    assert "search-toilets" not in due
    assert "search-classrooms" in due
    step = IncidentStep.objects.get()
    assert (step.place, step.taken_by, step.by_name) == ("All toilets", "Mr Ellis", "Grace Lund")


def test_not_found_then_police(fernhill, missing):
    incidents.add_step(missing, at=OPENED + dt.timedelta(minutes=15), by=fernhill.head, outcome="Premises searched, not found",
                       facts=frozenset({"not_found_after_search"}))
    missing.refresh_from_db()
    after_search = codes(incidents.follow_ups(missing))
    incidents.add_step(missing, at=OPENED + dt.timedelta(minutes=30), by=fernhill.head, called="Mother, grandmother",
                       outcome="No answer from either", facts=frozenset({"contacts_exhausted"}))
    missing.refresh_from_db()

    assert "parents-notified" in after_search
    assert "police-called" not in after_search
    assert "police-called" in codes(incidents.follow_ups(missing))


def test_found_and_closed(fernhill, missing):
    found_at = OPENED + dt.timedelta(minutes=20)
    incidents.add_step(missing, at=found_at, by=fernhill.head, outcome="Found in the library", found=True)
    missing.refresh_from_db()
    assert missing.found_at == found_at
    assert "pupil-cared-for" in codes(incidents.follow_ups(missing))

    incidents.add_step(missing, at=found_at + dt.timedelta(minutes=5), by=fernhill.head, outcome="Safe and well; parents told",
                       close=True)
    missing.refresh_from_db()

    assert missing.closed_at is not None
    with pytest.raises(incidents.IncidentInvalid, match="is closed"):
        incidents.add_step(missing, at=found_at + dt.timedelta(minutes=9), by=fernhill.head, outcome="More")


@pytest.mark.parametrize(
    ("offset", "options", "field"),
    [
        (dt.timedelta(minutes=-1), {}, "at"),
        (dt.timedelta(hours=2), {}, "at"),
        (dt.timedelta(minutes=1), {"follow_up": "no-such-step"}, "follow_up"),
        (dt.timedelta(minutes=1), {"facts": frozenset({"on_fire"})}, "facts"),
        (dt.timedelta(minutes=1), {"outcome": " "}, "outcome"),
    ],
)
def test_step_rejects_bad_input(fernhill, missing, offset, options, field):
    arguments = {"outcome": "Searched", **options}

    with pytest.raises(incidents.IncidentInvalid) as raised:
        incidents.add_step(missing, at=OPENED + offset, by=fernhill.head, now=OPENED + dt.timedelta(hours=1), **arguments)

    assert raised.value.field == field
    assert not IncidentStep.objects.exists()


def test_repeat_truancy_needs_penalty_consideration(fernhill):
    first = incidents.open_incident(fernhill.leo, "truancy", "Left at lunch", fernhill.head, OPENED)
    second = incidents.open_incident(fernhill.leo, "truancy", "Left at lunch again", fernhill.head, OPENED + dt.timedelta(days=7))

    assert "penalty-considered" not in codes(incidents.follow_ups(first))
    assert "penalty-considered" in codes(incidents.follow_ups(second))


def test_extra_needs_from_pupil_record(fernhill, missing):
    assert "extra-needs-informed" not in [s.follow_up.code for s in incidents.follow_ups(missing) if s.needed]

    fernhill.leo.looked_after = True
    fernhill.leo.save()
    missing.refresh_from_db()

    assert "extra-needs-informed" in [s.follow_up.code for s in incidents.follow_ups(missing) if s.needed]


def test_step_in_opening_minute_accepted(fernhill):
    opened = OPENED + dt.timedelta(seconds=40)
    incident = incidents.open_incident(fernhill.leo, "truancy", "Left at break", fernhill.head, opened)

    step = incidents.add_step(incident, at=OPENED, by=fernhill.head, outcome="Headteacher told")

    assert step.at == OPENED
