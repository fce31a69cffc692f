"""The record of each job run, one row per job, school and period."""

from __future__ import annotations

from django.db import models

from rollbook.schools.models import School


class JobRunOutcome(models.TextChoices):
    DONE = "done", "Done"
    # A missed period of a ``latest_only`` job, passed over because a newer one ran.
    SKIPPED = "skipped", "Skipped for a newer period"


class JobRun(models.Model):
    """One job's run for one school (or for all, with no school) and one period.

    The row is written in the same transaction as the job's work, so its presence means the
    work was done, and the unique constraint stops a second runner doing it again.
    """

    job = models.CharField(max_length=100)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="The school day, or the first day of the period, the run was for.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=JobRunOutcome.choices, default=JobRunOutcome.DONE)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["job", "school", "period"]
        constraints = [
            models.UniqueConstraint(fields=["job", "school", "period"], name="one_job_run_per_school_period"),
            models.UniqueConstraint(
                fields=["job", "period"], condition=models.Q(school__isnull=True), name="one_job_run_per_period_without_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} for school {self.school_id} on {self.period}"
