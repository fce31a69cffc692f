"""Submitting and deciding requests against real marks: Mila is always present, Jonah has 24
unauthorised sessions, and the fixture's last school day, Friday 26 September 2025, is "today"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from rollbook.mail.models import OutgoingEmail
from rollbook.policy.calendar import Session
from rollbook.policy.requests import Check, Licence, RequestKind
from rollbook.registers.known import known_absences, prefill_code
from rollbook.schools.models import AcademicYear, CalendarEntry, Contact

from ..decisions import SYSTEM_ACTOR, decide
from ..errors import RequestInvalid
from ..models import DecisionLetter, Status
from ..services import RequestDetails, submit_request, withdraw
from .conftest import london

TODAY = dt.date(2025, 9, 26)
HEAD = SYSTEM_ACTOR.__class__(name="Gwen Harrow", role="senior_leader")


def leave(first: dt.date, last: dt.date | None = None, **changes) -> RequestDetails:
    details = RequestDetails(kind=RequestKind.LEAVE, reason="A family wedding in Cardiff", first_day=first, last_day=last or first)
    for name, value in changes.items():
        setattr(details, name, value)
    return details


def submit(pupil, details, at=None, **options):
    return submit_request(pupil, details, at=at or london(TODAY), submitted_by_name="Ana Thornbury", **options)


def refused_checks(request) -> set[Check]:
    return {finding.check for finding in request.refusing_findings}


@pytest.mark.django_db
def test_leave_fourteen_days_ahead_passes(mila):
    request = submit(mila, leave(dt.date(2025, 10, 10)))
    assert request.status == Status.PENDING
    assert refused_checks(request) == set()
    assert len(request.findings) == 6


@pytest.mark.django_db
def test_leave_thirteen_days_ahead_refused(mila):
    request = submit(mila, leave(dt.date(2025, 10, 9)))
    assert refused_checks(request) == {Check.NOTICE}


@pytest.mark.django_db
def test_leave_unauthorised_absence_refused(jonah):
    request = submit(jonah, leave(dt.date(2025, 10, 10)))
    assert refused_checks(request) == {Check.UNAUTHORISED}
    finding = request.refusing_findings[0]
    assert "24 session(s) of unauthorised absence" in finding.explanation


@pytest.mark.django_db
def test_leave_assessment_period_refused(mila, larkspur):
    year = AcademicYear.objects.get(school=larkspur)
    CalendarEntry.objects.create(
        school=larkspur, academic_year=year, kind=CalendarEntry.Kind.ASSESSMENT,
        start_date=dt.date(2025, 10, 13), end_date=dt.date(2025, 10, 14), label="Multiplication check",
    )
    request = submit(mila, leave(dt.date(2025, 10, 10), dt.date(2025, 10, 13)))
    assert refused_checks(request) == {Check.ASSESSMENT}


@pytest.mark.parametrize(
    ("field", "details"),
    [
        ("reason", RequestDetails(kind=RequestKind.LEAVE, reason=" ", first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 10))),
        ("first_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip")),
        ("last_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip", first_day=dt.date(2025, 10, 10))),
        ("last_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip", first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 9))),
        ("first_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip", first_day=dt.date(2025, 10, 11), last_day=dt.date(2025, 10, 12))),
        ("first_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip", first_day=dt.date(2026, 10, 12), last_day=dt.date(2026, 10, 12))),
        ("last_day", RequestDetails(kind=RequestKind.LEAVE, reason="Trip", first_day=dt.date(2025, 10, 10), last_day=dt.date(2026, 9, 10))),
        ("religious_body", RequestDetails(kind=RequestKind.RELIGIOUS, reason="Festival", first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 10))),
        ("licence", RequestDetails(kind=RequestKind.LICENCE, reason="Pantomime", first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 10))),
        ("licence_reference", RequestDetails(kind=RequestKind.LICENCE, reason="Pantomime", licence=Licence.WITHOUT_DATES, first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 10))),
    ],
)
@pytest.mark.django_db
def test_invalid_request_names_field(mila, field, details):
    with pytest.raises(RequestInvalid) as raised:
        submit(mila, details)
    assert raised.value.field == field


@pytest.mark.django_db
def test_grant_makes_letter_and_email(mila, parent, django_capture_on_commit_callbacks):
    parent.email = "ana.thornbury@example.test"
    parent.save()
    request = submit(mila, leave(dt.date(2025, 10, 10)), submitted_by=parent)
    with django_capture_on_commit_callbacks(execute=True):
        letter = decide(request, grant=True, actor=HEAD, at=london(TODAY, 15), reasons="Enjoy the wedding.")
    request.refresh_from_db()
    assert request.status == Status.GRANTED
    assert request.decided_by_name == "Gwen Harrow"
    assert request.granted_days == ["2025-10-10"]
    assert "I have granted the request for these days: Fri 10 Oct 2025" in letter.text
    assert bytes(letter.pdf).startswith(b"%PDF")
    assert bytes(letter.docx).startswith(b"PK")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.thornbury@example.test"]
    assert mail.outbox[0].attachments[0][0] == f"request-{request.pk}-grant.pdf"
    assert OutgoingEmail.objects.get().sent_at is not None


@pytest.mark.django_db
def test_refusal_email_goes_to_contacts(jonah, larkspur, django_capture_on_commit_callbacks):
    Contact.objects.create(school=larkspur, pupil=jonah, name="Rhys Pellow", email="rhys@example.test",
                           parental_responsibility=True, priority=1)
    request = submit(jonah, leave(dt.date(2025, 10, 10)))
    with django_capture_on_commit_callbacks(execute=True):
        letter = decide(request, grant=False, actor=HEAD, at=london(TODAY, 15))
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert "24 session(s) of unauthorised absence" in request.decision_reasons
    assert "refused" in letter.text
    assert mail.outbox[0].to == ["rhys@example.test"]


@pytest.mark.django_db
def test_refusal_without_address_keeps_letter(mila):
    request = submit(mila, leave(dt.date(2025, 10, 9)))
    letter = decide(request, grant=False, actor=HEAD, at=london(TODAY, 15))
    assert letter.email is None
    assert DecisionLetter.objects.count() == 1


@pytest.mark.django_db
def test_grant_refused_by_policy_raises(jonah):
    request = submit(jonah, leave(dt.date(2025, 10, 10)))
    with pytest.raises(RequestInvalid, match="unauthorised absence"):
        decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert DecisionLetter.objects.count() == 0


@pytest.mark.django_db
def test_refuse_clean_request_needs_reasons(mila):
    request = submit(mila, leave(dt.date(2025, 10, 10)))
    with pytest.raises(RequestInvalid) as raised:
        decide(request, grant=False, actor=HEAD, at=london(TODAY, 15))
    assert raised.value.field == "reasons"


@pytest.mark.django_db
def test_family_holiday_needs_exceptional_circumstances(mila):
    request = submit(mila, leave(dt.date(2025, 10, 10), family_holiday=True))
    with pytest.raises(RequestInvalid):
        decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    letter = decide(request, grant=True, actor=HEAD, at=london(TODAY, 15), exceptional_circumstances="Last visit to a grandparent")
    assert "exceptional circumstances recorded: Last visit to a grandparent" in letter.text
    assert "(H: Holiday authorised by the school)" in letter.text


@pytest.mark.django_db
def test_decided_request_cannot_be_decided_again(mila):
    request = submit(mila, leave(dt.date(2025, 10, 10)))
    decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    with pytest.raises(RequestInvalid, match="already granted"):
        decide(request, grant=False, actor=HEAD, at=london(TODAY, 16), reasons="Changed my mind")


@pytest.mark.django_db
def test_granted_leave_prefills_register(mila, larkspur):
    request = submit(mila, leave(dt.date(2025, 10, 10), dt.date(2025, 10, 13), last_session=Session.AM))
    decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    for day, session, expected in [
        (dt.date(2025, 10, 10), Session.AM, "C"),
        (dt.date(2025, 10, 13), Session.AM, "C"),
        (dt.date(2025, 10, 13), Session.PM, ""),
        (dt.date(2025, 10, 14), Session.AM, ""),
    ]:
        known = known_absences(larkspur.pk, [mila.pk], day, session)
        assert prefill_code(known.get(mila.pk, [])) == expected, (day, session)


@pytest.mark.django_db
def test_refused_leave_prefills_nothing(jonah, larkspur):
    request = submit(jonah, leave(dt.date(2025, 10, 10)))
    decide(request, grant=False, actor=HEAD, at=london(TODAY, 15))
    assert known_absences(larkspur.pk, [jonah.pk], dt.date(2025, 10, 10), Session.AM) == {}


@pytest.mark.django_db
def test_religious_request_granted_as_r(mila, larkspur):
    details = RequestDetails(
        kind=RequestKind.RELIGIOUS, reason="Festival", first_day=dt.date(2025, 10, 10), last_day=dt.date(2025, 10, 10),
        religious_body="Vale Gurdwara", days_set_apart=[dt.date(2025, 10, 10)],
    )
    request = submit(mila, details)
    decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    known = known_absences(larkspur.pk, [mila.pk], dt.date(2025, 10, 10), Session.PM)
    assert prefill_code(known[mila.pk]) == "R"


@pytest.mark.django_db
def test_licence_with_named_dates_granted_at_once(mila, larkspur):
    details = RequestDetails(
        kind=RequestKind.LICENCE, reason="Pantomime", first_day=dt.date(2025, 9, 29), last_day=dt.date(2025, 9, 30),
        licence=Licence.NAMED_DATES, licence_reference="LA-2025-0042",
        licence_dates=[dt.date(2025, 9, 29), dt.date(2025, 9, 30)],
    )
    request = submit(mila, details)
    request.refresh_from_db()
    assert request.status == Status.GRANTED
    assert request.decided_by_name == "Rollbook"
    assert prefill_code(known_absences(larkspur.pk, [mila.pk], dt.date(2025, 9, 30), Session.AM)[mila.pk]) == "C"


@pytest.mark.django_db
def test_licence_without_dates_day_by_day(jonah):
    # Jonah: 16 of 40 sessions attended so far, so every extra missed day stays below 90%.
    details = RequestDetails(
        kind=RequestKind.LICENCE, reason="Filming", first_day=dt.date(2025, 9, 29), last_day=dt.date(2025, 9, 30),
        licence=Licence.WITHOUT_DATES, licence_reference="LA-2025-0043",
    )
    request = submit(jonah, details)
    assert [d.below_minimum for d in request.projected_licence_days] == [True, True]
    assert refused_checks(request) == {Check.LICENCE_ATTENDANCE}


@pytest.mark.django_db
def test_licence_without_dates_partly_granted(mila):
    details = RequestDetails(
        kind=RequestKind.LICENCE, reason="Filming", first_day=dt.date(2025, 9, 29), last_day=dt.date(2025, 9, 30),
        licence=Licence.WITHOUT_DATES, licence_reference="LA-2025-0044",
    )
    request = submit(mila, details)
    assert [str(d.attendance) for d in request.projected_licence_days] == ["95.2", "90.9"]
    with pytest.raises(RequestInvalid) as raised:
        decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    assert raised.value.field == "granted_days"
    letter = decide(request, grant=True, actor=HEAD, at=london(TODAY, 15), granted_days=[dt.date(2025, 9, 29)])
    request.refresh_from_db()
    assert request.status == Status.PARTLY_GRANTED
    assert "I could not grant these days: Tue 30 Sep 2025." in letter.text


@pytest.mark.django_db
def test_lunchtime_one_at_a_time(mila):
    details = RequestDetails(kind=RequestKind.LUNCHTIME, reason="Lunch with grandmother")
    request = submit(mila, details)
    with pytest.raises(RequestInvalid) as raised:
        submit(mila, details)
    assert raised.value.field == "kind"
    letter = decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    request.refresh_from_db()
    assert request.valid_until == dt.date(2025, 10, 24)
    assert "in force until 24 October 2025" in letter.text
    assert "no earlier than 12:10" in letter.text
    withdraw(request, by_name="Ana Thornbury", at=london(TODAY, 16))
    assert request.status == Status.WITHDRAWN
    assert submit(mila, details).status == Status.PENDING


@pytest.mark.django_db
def test_withdraw_decided_leave_refused(mila):
    request = submit(mila, leave(dt.date(2025, 10, 10)))
    decide(request, grant=True, actor=HEAD, at=london(TODAY, 15))
    with pytest.raises(RequestInvalid, match="cannot be withdrawn"):
        withdraw(request, by_name="Ana Thornbury", at=london(TODAY, 16))
