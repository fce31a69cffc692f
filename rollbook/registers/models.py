"""Register marks: an append-only history of revisions, and each pupil's current marks.

A mark is never updated or deleted in place. Every entry and every later change is a new
``MarkRevision`` that records who made it, in what role, when and why, and which revision it
replaces. The register as it stood at any moment is the newest revision of each session
recorded up to that moment.

``MarkSequence`` keeps each pupil's current marks for one academic year as one byte per
session (see ``rollbook.policy.codes.CODE_BYTES``), rewritten in the same transaction as every
revision, so reports read a few kilobytes per pupil instead of scanning the history.
"""

from __future__ import annotations

from django.db import models

from rollbook.policy.calendar import SLOTS_PER_YEAR, Session
from rollbook.schools.models import Pupil, School


class RevisionSource(models.TextChoices):
    REGISTER = "register", "Register taken"
    AMENDMENT = "amendment", "Amendment"
    IMPORT = "import", "Imported"
    SYSTEM = "system", "System rule"


class MarkRevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("mark revisions are never updated; record a new revision instead")

    def delete(self):
        raise TypeError("mark revisions are never deleted; they are purged only by the retention job")

    def as_of(self, moment) -> "MarkRevisionQuerySet":
        """Return the revisions recorded at or before ``moment`` (an aware datetime)."""
        return self.filter(recorded_at__lte=moment)


class MarkRevision(models.Model):
    """One entry in the register's history: a session's mark as someone recorded it."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="mark_revisions")
    date = models.DateField()
    session = models.CharField(max_length=2, choices=[(s.value, s.value) for s in Session])
    code = models.CharField(max_length=2)
    code_set = models.CharField(max_length=40, help_text="The code set the code was recorded under.")
    minutes_late = models.PositiveIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField(help_text="When this revision was made (stored in UTC).")
    recorded_by = models.CharField(max_length=200, help_text='Name of the person, or "system".')
    role = models.CharField(max_length=40, help_text="The role the change was made in, or the rule for a system change.")
    source = models.CharField(max_length=20, choices=RevisionSource.choices)
    reason = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = MarkRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["pupil", "date", "session", "recorded_at", "id"]
        indexes = [models.Index(fields=["school", "pupil", "date", "session", "recorded_at"], name="revision_lookup")]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.date} {self.session} {self.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("mark revisions are never updated; record a new revision instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("mark revisions are never deleted; they are purged only by the retention job")


class MarkSequence(models.Model):
    """A pupil's current marks for one academic year, one byte per session slot."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="mark_sequences")
    academic_year = models.PositiveSmallIntegerField()
    codes = models.BinaryField(default=bytes(SLOTS_PER_YEAR))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "academic_year"], name="one_sequence_per_pupil_year")
        ]
        indexes = [models.Index(fields=["school", "academic_year"], name="sequence_by_school_year")]


class RegisterSubmission(models.Model):
    """A class register for one session marked as taken. A register can be submitted more than once."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_name = models.CharField(max_length=50)
    date = models.DateField()
    session = models.CharField(max_length=2, choices=[(s.value, s.value) for s in Session])
    submitted_at = models.DateTimeField()
    submitted_by = models.CharField(max_length=200)
    role = models.CharField(max_length=40)

    class Meta:
        ordering = ["date", "session", "class_name", "submitted_at"]
        indexes = [models.Index(fields=["school", "date", "session"], name="submission_by_session")]


class SigningDirection(models.TextChoices):
    IN = "in", "Signed in"
    OUT = "out", "Signed out"


class SigningEvent(models.Model):
    """An entry in the office's signing-in and signing-out book (late arrivals, early leavers)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="signing_events")
    direction = models.CharField(max_length=3, choices=SigningDirection.choices)
    at = models.DateTimeField(help_text="When the pupil arrived or left (stored in UTC).")
    reason = models.TextField(blank=True)
    collected_by = models.CharField(max_length=200, blank=True, help_text="Who collected the pupil, for early leavers.")
    recorded_by = models.CharField(max_length=200)
    role = models.CharField(max_length=40)
    recorded_at = models.DateTimeField()
    revision = models.ForeignKey(MarkRevision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at"]
