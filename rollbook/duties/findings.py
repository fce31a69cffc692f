"""One pupil's marks and rule findings, read through the same rules engine as the actions report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.marks import YearMarks
from rollbook.policy.rules import Rule, RuleMet, evaluate_rules
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Pupil


@dataclass(frozen=True)
class PupilYear:
    """A pupil's marks for the academic year containing a date, with the previous year's where the policy reads them."""

    year: AcademicYear
    marks: YearMarks
    previous: YearMarks | None

    def findings(self, as_of: dt.date) -> dict[Rule, RuleMet]:
        """Return the rules the pupil meets as of the end of ``as_of``, by rule."""
        return {met.rule: met for met in evaluate_rules(self.marks, as_of, previous=self.previous)}


def pupil_year(pupil: Pupil, on: dt.date) -> PupilYear | None:
    """Load the pupil's marks for the academic year containing ``on``; None when the school has no such year."""
    year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=academic_year_of(on)).first()
    if year is None:
        return None
    marks = load_year_marks(year, [pupil])
    previous = None
    if marks.policy.penalty.windows_cross_years:
        previous_year = AcademicYear.objects.filter(school_id=pupil.school_id, start_year=year.start_year - 1).first()
        if previous_year is not None:
            previous = load_year_marks(previous_year, [pupil], marks.policy)
    return PupilYear(year=year, marks=marks, previous=previous)
