"""Requests from parents (leave of absence, religious observance, Traveller absence, lunchtime
leave, performance licences), the headteacher's decisions, their letters and lunchtime signing.

A request keeps the findings of the policy checks made when it arrived, so the decision and its
letter show what the headteacher saw. A decided request is never edited: withdrawal and
expiry are recorded with their time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from rollbook.mail.models import OutgoingEmail
from rollbook.policy.calendar import Session
from rollbook.policy.requests import Finding, Licence, LicenceDay, RequestKind
from rollbook.schools.models import Pupil, School

SESSION_CHOICES = [(s.value, s.value) for s in Session]


class Kind(models.TextChoices):
    LEAVE = RequestKind.LEAVE.value, "Leave of absence"
    RELIGIOUS = RequestKind.RELIGIOUS.value, "Religious observance"
    TRAVELLER = RequestKind.TRAVELLER.value, "Traveller absence"
    LUNCHTIME = RequestKind.LUNCHTIME.value, "Lunchtime leave"
    LICENCE = RequestKind.LICENCE.value, "Performance or activity licence"


class LicenceChoice(models.TextChoices):
    NAMED_DATES = Licence.NAMED_DATES.value, "A local authority licence that names the dates"
    WITHOUT_DATES = Licence.WITHOUT_DATES.value, "A local authority licence without dates"
    NONE = Licence.NONE.value, "No licence"


class Status(models.TextChoices):
    PENDING = "pending", "Awaiting a decision"
    GRANTED = "granted", "Granted"
    PARTLY_GRANTED = "partly_granted", "Granted for some days"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended at the end of term; renewal needed"


DECIDED = (Status.GRANTED, Status.PARTLY_GRANTED, Status.REFUSED)
IN_FORCE = (Status.GRANTED, Status.PARTLY_GRANTED)


class AbsenceRequest(models.Model):
    """One request about one pupil, with the fields its kind's rules need and its decision."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="absence_requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField()

    submitted_at = models.DateTimeField()
    asked_on = models.DateField(help_text="The day the school received the request (Europe/London).")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_name = models.CharField(max_length=200)

    # Dated requests: from the first session to the last, both inclusive.
    first_day = models.DateField(null=True, blank=True)
    first_session = models.CharField(max_length=2, choices=SESSION_CHOICES, default=Session.AM.value)
    last_day = models.DateField(null=True, blank=True)
    last_session = models.CharField(max_length=2, choices=SESSION_CHOICES, default=Session.PM.value)

    family_holiday = models.BooleanField(default=False)
    religious_body = models.CharField(max_length=200, blank=True)
    days_set_apart = models.JSONField(default=list, blank=True, help_text="ISO dates set apart by the religious body.")
    occupational_travel = models.BooleanField(default=False)
    licence = models.CharField(max_length=20, choices=LicenceChoice.choices, blank=True)
    licence_reference = models.CharField(max_length=100, blank=True)
    licence_dates = models.JSONField(default=list, blank=True, help_text="ISO dates named on the licence.")
    # Lunchtime leave: the last day it is in force, the end of the term it was granted in.
    valid_until = models.DateField(null=True, blank=True)
    renewal_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals")

    findings = models.JSONField(default=list, help_text="The policy checks made when the request arrived.")
    # A licence without dates: each requested day with attendance if taken, as checked on arrival.
    licence_days = models.JSONField(default=list, blank=True)

    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_by_role = models.CharField(max_length=40, blank=True)
    decision_reasons = models.TextField(blank=True)
    exceptional_circumstances = models.TextField(blank=True)
    granted_days = models.JSONField(default=list, blank=True, help_text="ISO dates granted.")

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_name = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["school", "first_day", "last_day"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__isnull=True) | models.Q(last_day__gte=models.F("first_day")),
                name="request_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk} for pupil {self.pupil_id}"

    @property
    def request_kind(self) -> RequestKind:
        return RequestKind(self.kind)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def check_findings(self) -> list[Finding]:
        return [Finding.from_dict(item) for item in self.findings]

    @property
    def refusing_findings(self) -> list[Finding]:
        return [finding for finding in self.check_findings if finding.refuses]

    def covers(self, day: dt.date, session: Session) -> bool:
        """Return whether the request's dates include one session, whatever its status."""
        if self.first_day is None or self.last_day is None:
            return False
        start = (self.first_day, Session(self.first_session).offset)
        end = (self.last_day, Session(self.last_session).offset)
        return start <= (day, session.offset) <= end

    @property
    def projected_licence_days(self) -> list[LicenceDay]:
        return [
            LicenceDay(dt.date.fromisoformat(item["day"]), item["attended"], item["possible"], item["below_minimum"])
            for item in self.licence_days
        ]

    def granted_dates(self) -> set[dt.date]:
        return {dt.date.fromisoformat(text) for text in self.granted_days}


class LetterPurpose(models.TextChoices):
    GRANT = "grant", "Request granted"
    REFUSAL = "refusal", "Request refused"


class LetterTemplate(models.Model):
    """A school's own Word template for one kind of decision letter; the newest upload is used."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=LetterPurpose.choices)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField()
    uploaded_by_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]


class DecisionLetter(models.Model):
    """The formal written response to a decided request: Word for editing, PDF for sending."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(AbsenceRequest, on_delete=models.CASCADE, related_name="letters")
    purpose = models.CharField(max_length=20, choices=LetterPurpose.choices)
    text = models.TextField(help_text="The letter's text, as rendered in both files.")
    docx = models.BinaryField()
    pdf = models.BinaryField()
    created_at = models.DateTimeField()
    email = models.ForeignKey(OutgoingEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]


class LunchtimeSigning(models.Model):
    """A pupil with lunchtime leave signed out at the office and, later, back in."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(AbsenceRequest, on_delete=models.CASCADE, related_name="signings")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    signed_out_at = models.DateTimeField()
    signed_out_by = models.CharField(max_length=200)
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_in_by = models.CharField(max_length=200, blank=True)
    late_return = models.BooleanField(default=False)

    class Meta:
        ordering = ["-day", "-signed_out_at"]
        constraints = [models.UniqueConstraint(fields=["pupil", "day"], name="one_lunchtime_signing_per_pupil_per_day")]
