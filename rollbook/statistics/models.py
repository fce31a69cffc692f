"""Published attendance statistics: the DfE's national, regional and local authority figures.

These rows are public figures about many schools, not a school's own data, so they carry no
school. Session counts are stored as published; rates are always recomputed from the counts,
and the published percentages are kept only to show where they differ.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from rollbook.policy.measures import percent


class GeographicLevel(models.TextChoices):
    NATIONAL = "National", "England"
    REGIONAL = "Regional", "Region"
    LOCAL_AUTHORITY = "Local authority", "Local authority"


class PublishedAttendance(models.Model):
    """One row of the DfE's attendance statistics: one area, school type and period.

    A count is None where the file withheld it or marked it not applicable (``x``, ``z``, ``.``).
    """

    time_period = models.CharField(max_length=6, help_text="As published, such as 202223 for 2022/23.")
    start_year = models.PositiveSmallIntegerField(help_text="The academic year's first calendar year: 2022 for 2022/23.")
    time_identifier = models.CharField(max_length=40, help_text="The period within the year, such as \"Academic year\".")
    geographic_level = models.CharField(max_length=20, choices=GeographicLevel.choices)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    la_code = models.CharField("LA code", max_length=3, blank=True, help_text="The 3-digit (old) LA number.")
    new_la_code = models.CharField(max_length=9, blank=True)
    la_name = models.CharField(max_length=100, blank=True)
    school_type = models.CharField(max_length=40, help_text="Such as Primary, Secondary, Special or Total.")

    possible_sessions = models.BigIntegerField(null=True)
    attended_sessions = models.BigIntegerField(null=True)
    approved_educational_activity = models.BigIntegerField(null=True)
    authorised_absences = models.BigIntegerField(null=True)
    unauthorised_absences = models.BigIntegerField(null=True)
    late_sessions = models.BigIntegerField(null=True)
    code_sessions = models.JSONField(default=dict, help_text="Sessions per attendance code; null where withheld.")
    enrolments = models.FloatField(null=True, help_text="As published: rounded, and can be a fractional average.")

    published_attendance_percent = models.FloatField(null=True)
    published_absence_percent = models.FloatField(null=True)
    published_authorised_percent = models.FloatField(null=True)
    published_unauthorised_percent = models.FloatField(null=True)

    source_file = models.CharField(max_length=255)
    source_line = models.PositiveIntegerField()
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["start_year", "time_identifier", "geographic_level", "region_code", "la_code", "school_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["time_period", "time_identifier", "geographic_level", "region_code", "new_la_code", "school_type"],
                name="one_published_row_per_area_type_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_name}, {self.school_type}, {self.time_period} {self.time_identifier}"

    @property
    def area_name(self) -> str:
        if self.geographic_level == GeographicLevel.LOCAL_AUTHORITY:
            return self.la_name
        if self.geographic_level == GeographicLevel.REGIONAL:
            return self.region_name
        return "England"

    @property
    def absent_sessions(self) -> int | None:
        if self.authorised_absences is None or self.unauthorised_absences is None:
            return None
        return self.authorised_absences + self.unauthorised_absences

    def rate_of(self, sessions: int | None) -> Decimal | None:
        """Return ``sessions`` as a percentage of possible sessions, one decimal place, from the counts."""
        if sessions is None or self.possible_sessions is None:
            return None
        return percent(sessions, self.possible_sessions)

    @property
    def attendance_rate(self) -> Decimal | None:
        return self.rate_of(self.attended_sessions)

    @property
    def absence_rate(self) -> Decimal | None:
        return self.rate_of(self.absent_sessions)

    @property
    def authorised_rate(self) -> Decimal | None:
        return self.rate_of(self.authorised_absences)

    @property
    def unauthorised_rate(self) -> Decimal | None:
        return self.rate_of(self.unauthorised_absences)
