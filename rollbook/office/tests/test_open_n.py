"""Tests for the open-N list: on screen, by e-mail once per school day, and its recipients."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from rollbook.jobs.models import JobRun, JobRunOutcome
from rollbook.jobs.registry import registered_jobs
from rollbook.jobs.runner import run_due_jobs
from rollbook.mail.models import OutgoingEmail
from rollbook.office.open_n import open_n_report, report_recipients
from rollbook.policy.calendar import Session
from rollbook.registers.models import RevisionSource
from rollbook.registers.services import MarkEntry, YearContext, record_marks
from rollbook.schools.models import StaffRole

from .conftest import TEACHER, london, make_user, mark_present

AM, PM = Session.AM, Session.PM
MONDAY = dt.date(2025, 9, 8)


def report_job():
    return [job for job in registered_jobs() if job.name == "open-n-report"]


def two_weeks(school):
    """Ada N on Monday 8 AM; Ben N on Monday 15 PM; Ruby's N on Tuesday 9 replaced by I."""
    mark_present(
        school, MONDAY, dt.date(2025, 9, 19),
        absent=[(school.ada, MONDAY, AM), (school.ben, dt.date(2025, 9, 15), PM), (school.ruby, dt.date(2025, 9, 9), AM)],
    )
    context = YearContext.load(school.year)
    record_marks(
        context, [MarkEntry(school.ruby, dt.date(2025, 9, 9), AM, "I")], TEACHER, london(dt.date(2025, 9, 10), 10, 0),
        RevisionSource.AMENDMENT, reason="Father phoned",
    )
    return school


def test_report_lists_current_n_oldest_first(school):
    two_weeks(school)

    report = open_n_report(school.school, dt.date(2025, 9, 15))

    assert [(row.pupil.forename, row.date, row.session) for row in report.rows] == [
        ("Ada", MONDAY, AM), ("Ben", dt.date(2025, 9, 15), PM),
    ]
    assert [row.school_days_open for row in report.rows] == [5, 0]
    assert [row.overdue for row in report.rows] == [True, False]
    assert [row.class_name for row in report.rows] == ["3 Cedar", "3 Cedar"]


def test_report_before_overdue(school):
    two_weeks(school)

    report = open_n_report(school.school, dt.date(2025, 9, 12))

    assert [row.overdue for row in report.rows] == [False]


def test_report_limited_to_visible_pupils(school):
    two_weeks(school)

    report = open_n_report(school.school, dt.date(2025, 9, 15), pupil_ids=[school.ben.pk])

    assert [row.pupil.forename for row in report.rows] == ["Ben"]


def test_recipients_are_leaders_with_addresses(school, senior_leader, attendance_lead, office):
    office.email = "office@brackenfield.example"
    office.save()
    no_address = make_user("deputy", school.school, StaffRole.SENIOR_LEADER)
    attendance_lead.email = "Head@Brackenfield.example"  # the same person under two roles
    attendance_lead.save()

    assert no_address.email == ""
    assert report_recipients(school.school) == ["head@brackenfield.example"]


def test_daily_report_emailed_once(school, senior_leader, attendance_lead, django_capture_on_commit_callbacks):
    two_weeks(school)
    after_pm_close = london(dt.date(2025, 9, 15), 13, 31)

    with freeze_time(after_pm_close), django_capture_on_commit_callbacks(execute=True):
        first = run_due_jobs(after_pm_close, jobs=report_job())
        second = run_due_jobs(after_pm_close + dt.timedelta(minutes=5), jobs=report_job())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["attendance@brackenfield.example", "head@brackenfield.example"]
    assert message.subject == "Open N marks on 15 September 2025: 2 (1 overdue)"
    assert "Mon 08/09/2025 AM  Ashdown, Ada  (3 Cedar)  5 school days open  OVERDUE" in message.body
    assert "to O (unauthorised) overnight" in message.body
    assert second.lines == []
    # Missed reports of 8 to 12 September are passed over: only the newest is sent.
    assert [line.outcome for line in first.lines] == [JobRunOutcome.SKIPPED] * 5 + [JobRunOutcome.DONE]


def test_daily_report_waits_for_pm_close(school, senior_leader):
    two_weeks(school)

    result = run_due_jobs(london(dt.date(2025, 9, 15), 13, 29), jobs=report_job())

    assert [line.period for line in result.lines if line.outcome == JobRunOutcome.DONE] == [dt.date(2025, 9, 12)]


def test_daily_report_without_recipients(school):
    two_weeks(school)

    result = run_due_jobs(london(dt.date(2025, 9, 15), 14, 0), jobs=report_job())

    assert "not sent: no senior leader or attendance lead has an e-mail address" in result.lines[-1].summary
    assert not OutgoingEmail.objects.exists()
    assert JobRun.objects.get(period=dt.date(2025, 9, 15)).outcome == JobRunOutcome.DONE


def test_list_only_report_asks_for_amendment(school, senior_leader, django_capture_on_commit_callbacks):
    two_weeks(school)
    school.year.policy_name = "england-2024"
    school.year.pm_close = dt.time(13, 40)
    school.year.save()

    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs(london(dt.date(2025, 9, 15), 14, 0), jobs=report_job())

    assert "nothing changes by itself" in mail.outbox[0].body


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


def test_failed_report_email_retried_by_job(school, senior_leader, settings, django_capture_on_commit_callbacks):
    two_weeks(school)
    settings.EMAIL_BACKEND = "rollbook.office.tests.test_open_n.RefusingBackend"
    with freeze_time(london(dt.date(2025, 9, 15), 14, 0)), django_capture_on_commit_callbacks(execute=True):
        run_due_jobs(london(dt.date(2025, 9, 15), 14, 0), jobs=report_job())
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert email.attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry_job = [job for job in registered_jobs() if job.name == "send-email"]
    with freeze_time(london(dt.date(2025, 9, 15), 14, 6)):
        result = run_due_jobs(london(dt.date(2025, 9, 15), 14, 6), jobs=retry_job)

    email.refresh_from_db()
    assert email.sent_at is not None
    assert result.lines[0].summary == "1 e-mails sent, 0 still failing"
    assert len(mail.outbox) == 1


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@freeze_time(london(dt.date(2025, 9, 15), 16, 0))
def test_open_n_page_marks_overdue(school, senior_leader):
    two_weeks(school)

    response = signed_in(senior_leader).get(reverse("office:open_n", args=[school.school.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "2 open N marks</strong>, 1 overdue" in text
    assert text.count("tag--missing") == 1
    assert "Ruby Dunmore" not in text


@freeze_time(london(dt.date(2025, 9, 15), 16, 0))
def test_open_n_page_for_la_officer(school):
    two_weeks(school)
    officer = make_user("la", school.school, StaffRole.LA_OFFICER)

    response = signed_in(officer).get(reverse("office:open_n", args=[school.school.pk]))

    assert response.status_code == 200
    assert "Ada Ashdown" in response.content.decode()
    assert "Amend" not in response.content.decode()
