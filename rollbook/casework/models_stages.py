"""Trigger stage cases: a pupil's way through stages 1 to 3, one step per stage reached."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rollbook.policy.trigger_stages import ReviewOutcome, Stage
from rollbook.schools.models import AcademicYear, Pupil, School

STAGE_CHOICES = [(stage.value, f"Stage {stage.number}") for stage in Stage]
OUTCOME_CHOICES = [
    (ReviewOutcome.IMPROVED.value, "Improved"),
    (ReviewOutcome.ESCALATED.value, "Moved to the next stage"),
    (ReviewOutcome.CONTINUED.value, "Stage 3 continued"),
]


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    IMPROVED = "improved", "Closed: attendance improved"
    CLOSED = "closed", "Closed"


class TriggerCase(models.Model):
    """One pupil's trigger stages in one academic year, from stage 1 until improved or closed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="trigger_cases")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    opened_on = models.DateField()
    stage = models.CharField(max_length=10, choices=STAGE_CHOICES)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=300, blank=True)
    # The improved-attendance letter, as "letter:id" once it is produced; empty while it is due.
    improved_letter_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year"], condition=models.Q(status="open"), name="one_open_trigger_case_per_pupil_year"
            )
        ]

    def __str__(self) -> str:
        return f"trigger case {self.pk} ({self.stage}, {self.status}) for pupil {self.pupil_id}"

    @property
    def current_stage(self) -> Stage:
        return Stage(self.stage)

    def current_step(self) -> "StageStep":
        return self.steps.order_by("-began_on", "-pk").first()


class StageStep(models.Model):
    """A stage the pupil reached: its letter, who was told, its monitoring period and its review.

    The evidence fields keep the figures that started the stage, so the record still shows
    why after marks are amended.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(TriggerCase, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=10, choices=STAGE_CHOICES)
    began_on = models.DateField()
    evidence = models.CharField(max_length=300, help_text="The rule or review that started the stage, with its figures.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()

    monitoring_start = models.DateField()
    monitoring_end = models.DateField()
    review_on = models.DateField(help_text="The next review date: the first school day after monitoring ends.")

    # The stage's letter, as "letter:id" once produced; empty while the letter is due.
    letter_reference = models.CharField(max_length=100, blank=True)
    teacher_told = models.CharField(max_length=300, blank=True, help_text="The class teachers told, by name.")
    teacher_told_at = models.DateTimeField(null=True, blank=True)
    la_officer_told = models.CharField(max_length=300, blank=True, help_text="The LA attendance officers alerted, by name.")
    la_officer_told_at = models.DateTimeField(null=True, blank=True)

    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_attended = models.PositiveIntegerField(null=True, blank=True)
    review_possible = models.PositiveIntegerField(null=True, blank=True)
    review_outcome = models.CharField(max_length=10, blank=True, choices=OUTCOME_CHOICES)
    review_evidence = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["case", "began_on", "pk"]

    def __str__(self) -> str:
        return f"{self.stage} step {self.pk} of trigger case {self.case_id}"

    @property
    def stage_number(self) -> int:
        return Stage(self.stage).number

    @property
    def letter_due(self) -> bool:
        return not self.letter_reference


class WeeklyReport(models.Model):
    """A stage 3 weekly attendance report to the attendance lead, class teacher and senior leaders."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(TriggerCase, on_delete=models.CASCADE, related_name="weekly_reports")
    week_beginning = models.DateField(help_text="The Monday of the school week reported.")
    attended = models.PositiveIntegerField()
    possible = models.PositiveIntegerField()
    recipients = models.TextField(help_text="Who the report went to, by name and role, one a line.")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case", "week_beginning"]
        constraints = [models.UniqueConstraint(fields=["case", "week_beginning"], name="one_weekly_report_per_week")]
