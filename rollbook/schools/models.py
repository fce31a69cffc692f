"""Schools, their academic years and calendars, pupils, enrolments and contacts.

Every row carries its school, so one database can hold many schools (a trust or a local
authority). Identifiers such as the UPN, URN and LA code are text: a leading zero is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import models

from rollbook.policy.calendar import (
    AssessmentPeriod,
    Closure,
    HalfTerm,
    SchoolCalendar,
    Session,
)
from rollbook.policy.settings import Policy, load_preset


class School(models.Model):
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, unique=True, help_text="The school's 6-digit Unique Reference Number.")
    la_code = models.CharField("LA code", max_length=3, help_text="The local authority's 3-digit number.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


class AcademicYear(models.Model):
    """One school's academic year: its policy preset and the times of its school day."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    start_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts in: 2025 means 2025/26.")
    policy_name = models.CharField(max_length=40, default="school-2023")
    am_register = models.TimeField()
    am_close = models.TimeField()
    pm_register = models.TimeField()
    pm_close = models.TimeField()

    class Meta:
        ordering = ["school", "start_year"]
        constraints = [models.UniqueConstraint(fields=["school", "start_year"], name="one_academic_year_per_start")]

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def policy(self) -> Policy:
        """Return the year's policy preset with this school's day times."""
        preset = load_preset(self.policy_name)
        day = dataclasses.replace(
            preset.day,
            am_register=self.am_register,
            am_close=self.am_close,
            pm_register=self.pm_register,
            pm_close=self.pm_close,
        )
        return preset.with_day(day)

    def calendar(self) -> SchoolCalendar:
        """Build the year's calendar from its calendar entries."""
        entries = list(self.calendar_entries.all())
        return SchoolCalendar(
            academic_year=self.start_year,
            half_terms=tuple(e.as_half_term() for e in entries if e.kind == CalendarEntry.Kind.HALF_TERM),
            closures=tuple(e.as_closure() for e in entries if e.kind == CalendarEntry.Kind.CLOSURE),
            assessments=tuple(e.as_assessment() for e in entries if e.kind == CalendarEntry.Kind.ASSESSMENT),
        )


class CalendarEntry(models.Model):
    class Kind(models.TextChoices):
        HALF_TERM = "half_term", "Half-term"
        CLOSURE = "closure", "Planned closure"
        ASSESSMENT = "assessment", "Statutory assessment period"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="calendar_entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(help_text="Inclusive.")
    label = models.CharField(max_length=100, blank=True)
    session = models.CharField(max_length=2, blank=True, choices=[(s.value, s.value) for s in Session],
                               help_text="Closures only: AM, PM, or empty for both.")
    year_groups = models.CharField(max_length=100, blank=True,
                                   help_text="Closures only: ;-separated year groups, or empty for the whole school.")

    class Meta:
        ordering = ["academic_year", "start_date", "kind", "label"]
        verbose_name_plural = "calendar entries"

    def as_half_term(self) -> HalfTerm:
        return HalfTerm(label=self.label, start=self.start_date, end=self.end_date)

    def as_closure(self) -> Closure:
        return Closure(
            start=self.start_date,
            end=self.end_date,
            session=Session(self.session) if self.session else None,
            year_groups=frozenset(g for g in self.year_groups.split(";") if g),
            label=self.label,
        )

    def as_assessment(self) -> AssessmentPeriod:
        return AssessmentPeriod(start=self.start_date, end=self.end_date, label=self.label)


class SenProvision(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    NONE = "N", "No special educational needs"
    SEN = "Y", "Special educational needs (type not recorded)"
    SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "Education, health and care plan"


class Pupil(models.Model):
    """A pupil of one school. Group attributes are ``None`` when not recorded."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    upn = models.CharField("UPN", max_length=13)
    surname = models.CharField(max_length=100)
    forename = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=[("F", "Female"), ("M", "Male")])
    sen = models.CharField("SEN", max_length=1, blank=True, choices=SenProvision.choices)
    fsm = models.BooleanField("free school meals", null=True)
    pupil_premium = models.BooleanField(null=True)
    looked_after = models.BooleanField(null=True)
    child_in_need = models.BooleanField(null=True)
    young_carer = models.BooleanField(null=True)
    eal = models.BooleanField("English as an additional language", null=True)
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE main ethnicity code, such as WBRI.")

    class Meta:
        ordering = ["surname", "forename", "upn"]
        constraints = [models.UniqueConstraint(fields=["school", "upn"], name="one_pupil_per_upn_per_school")]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    def enrolment_on(self, day: dt.date) -> "Enrolment | None":
        """Return the enrolment that has the pupil on roll on ``day``, or None."""
        for enrolment in self.enrolments.all():
            if enrolment.covers(day):
                return enrolment
        return None


class Enrolment(models.Model):
    """A stretch of time on roll: admission to leaving, both dates inclusive."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    admission_date = models.DateField()
    leaving_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pupil", "admission_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leaving_date__isnull=True) | models.Q(leaving_date__gte=models.F("admission_date")),
                name="leaving_not_before_admission",
            )
        ]

    def covers(self, day: dt.date) -> bool:
        return self.admission_date <= day and (self.leaving_date is None or day <= self.leaving_date)


class Placement(models.Model):
    """A pupil's year group and class over a stretch of an academic year (both dates inclusive)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="placements")
    year_group = models.CharField(max_length=2)
    class_name = models.CharField(max_length=50)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["academic_year", "class_name", "pupil"]


class Contact(models.Model):
    """Someone the school contacts about a pupil; priority 1 is called first."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    priority = models.PositiveSmallIntegerField(default=1)
    emergency_contact = models.BooleanField(default=True)
    parental_responsibility = models.BooleanField(default=False)

    class Meta:
        ordering = ["pupil", "priority"]


class StaffRole(models.TextChoices):
    OFFICE = "office", "Office staff"
    TEACHER = "teacher", "Class teacher"
    ATTENDANCE_LEAD = "attendance_lead", "Attendance lead"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    GOVERNOR = "governor", "Governor"
    LA_OFFICER = "la_officer", "LA attendance officer"
    PARENT = "parent", "Parent"
    ADMINISTRATOR = "administrator", "Administrator"


class Membership(models.Model):
    """A user's role at one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=StaffRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "user", "role"], name="one_role_per_user_per_school")]


class TeachingAssignment(models.Model):
    """A class a member of staff teaches in one academic year, so they can take its registers."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teaching_assignments")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="teaching_assignments")
    class_name = models.CharField(max_length=50)

    class Meta:
        ordering = ["academic_year", "class_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "academic_year", "class_name"], name="one_assignment_per_class_per_user")
        ]


class ParentLink(models.Model):
    """A parent's account linked to one of their children, the only pupils that account may see."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_links")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "pupil"], name="one_link_per_parent_per_pupil")]
