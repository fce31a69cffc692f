import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rollbook.casework.log import SYSTEM_AUTHOR, EntryInvalid, log_entry, pupil_log
from rollbook.casework.models import CorrespondenceEntry, EntryKind
from rollbook.schools.models import Membership, StaffRole

AT = dt.datetime(2025, 10, 6, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def lead(brackenfield):
    user = get_user_model().objects.create_user("lead-log", first_name="Helen", last_name="Okafor")
    Membership.objects.create(school=brackenfield.school, user=user, role=StaffRole.ATTENDANCE_LEAD)
    return user


def test_log_entry_records_author_and_role(brackenfield, lead):
    entry = log_entry(brackenfield.ada, EntryKind.CALL, "Called mother about Monday absences", lead, AT)

    assert entry.school_id == brackenfield.school.pk
    assert entry.by_name == "Helen Okafor"
    assert entry.by_role == StaffRole.ATTENDANCE_LEAD
    assert entry.at == AT


def test_log_entry_without_user_is_system(brackenfield):
    entry = log_entry(brackenfield.ada, "letter", "Trigger letter 1 sent: attendance below 90%", None, AT,
                      reference="letter:7")

    assert entry.by is None
    assert entry.by_name == SYSTEM_AUTHOR
    assert entry.reference == "letter:7"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "phone"}, "kind"),
        ({"summary": "   "}, "summary"),
        ({"summary": "x" * 301}, "summary"),
        ({"at": dt.datetime(2025, 10, 6, 9, 30)}, "at"),
        ({"at": dt.date(2025, 10, 6)}, "at"),
        ({"reference": "letter:" + "9" * 100}, "reference"),
    ],
)
def test_log_entry_rejects_bad_input(brackenfield, lead, kwargs, field):
    arguments = {"kind": EntryKind.NOTE, "summary": "A note", "at": AT} | kwargs

    with pytest.raises(EntryInvalid) as raised:
        log_entry(brackenfield.ada, arguments["kind"], arguments["summary"], lead, arguments["at"],
                  reference=arguments.get("reference", ""))

    assert raised.value.field == field
    assert not CorrespondenceEntry.objects.exists()


def test_correction_must_name_same_pupil(brackenfield, lead):
    wrong = log_entry(brackenfield.ada, EntryKind.CALL, "Called father", lead, AT)

    with pytest.raises(EntryInvalid) as raised:
        log_entry(brackenfield.ben, EntryKind.NOTE, "Call was to the other parent", lead, AT, corrects=wrong)

    assert raised.value.field == "corrects"


def test_pupil_log_newest_first_and_by_kind(brackenfield, lead):
    older = log_entry(brackenfield.ada, EntryKind.CALL, "First call", lead, AT)
    newer = log_entry(brackenfield.ada, EntryKind.LETTER, "Letter", None, AT + dt.timedelta(days=1))
    log_entry(brackenfield.ben, EntryKind.CALL, "Another pupil's call", lead, AT)

    assert list(pupil_log(brackenfield.ada)) == [newer, older]
    assert list(pupil_log(brackenfield.ada, kinds=frozenset({EntryKind.CALL}))) == [older]
