"""A school's attendance beside the DfE's published figures for its LA, its region and England.

The school's figures cover the same period as the published ones: the whole academic year (to
date while it runs) or the terms the published row names, taken from the school's calendar.
Every rate on both sides is recomputed from session counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from rollbook.policy.calendar import SchoolCalendar, Term
from rollbook.policy.measures import percent
from rollbook.reports.services import SchoolFigures, school_figures
from rollbook.schools.models import AcademicYear, School

from .dfe import DISCREPANCY_POINTS
from .models import GeographicLevel, PublishedAttendance

# The terms each published period covers; "Academic year" covers the whole year.
PERIOD_TERMS: dict[str, tuple[Term, ...]] = {
    "Autumn term": (Term.AUTUMN,),
    "Spring term": (Term.SPRING,),
    "Summer term": (Term.SUMMER,),
    "Autumn and spring term": (Term.AUTUMN, Term.SPRING),
}
WHOLE_YEAR = "Academic year"
DEFAULT_SCHOOL_TYPE = "Total"


class BenchmarkError(ValueError):
    """A comparison that cannot be made, with the reason and the fix in the message."""


@dataclass(frozen=True)
class Rates:
    """Session counts of one area or school with rates recomputed from them."""

    possible: int
    attended: int
    authorised: int
    unauthorised: int

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.attended, self.possible)

    @property
    def absence_rate(self) -> Decimal | None:
        return percent(self.absent, self.possible)

    @property
    def authorised_rate(self) -> Decimal | None:
        return percent(self.authorised, self.possible)

    @property
    def unauthorised_rate(self) -> Decimal | None:
        return percent(self.unauthorised, self.possible)


@dataclass(frozen=True)
class BenchmarkLine:
    """One line of the comparison: the published figures of an area, or why there are none."""

    level: GeographicLevel
    area: str
    rates: Rates | None
    published_absence_percent: float | None
    missing_reason: str = ""
    # The school's absence rate minus this area's, in points to one decimal place.
    absence_difference: Decimal | None = None

    @property
    def level_label(self) -> str:
        return GeographicLevel(self.level).label

    @property
    def difference_magnitude(self) -> Decimal | None:
        return None if self.absence_difference is None else abs(self.absence_difference)

    @property
    def published_differs(self) -> bool:
        """Return whether the published absence percentage differs from the row's own counts."""
        if self.rates is None or self.published_absence_percent is None or not self.rates.possible:
            return False
        return abs(self.published_absence_percent - 100 * self.rates.absent / self.rates.possible) >= DISCREPANCY_POINTS


@dataclass(frozen=True)
class Comparison:
    school: School
    start_year: int
    time_identifier: str
    school_type: str
    start: dt.date
    end: dt.date
    school_rates: Rates
    school_figures: SchoolFigures
    lines: list[BenchmarkLine]

    @property
    def year_label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Choices:
    """The years, periods and school types the imported figures offer for a school."""

    start_years: list[int]
    time_identifiers: list[str]
    school_types: list[str]


def available_choices(school: School) -> Choices:
    """Return what can be compared: years the school has data for and the DfE rows cover."""
    school_years = set(AcademicYear.objects.filter(school=school).values_list("start_year", flat=True))
    rows = PublishedAttendance.objects.filter(start_year__in=school_years)
    return Choices(
        start_years=sorted(set(rows.values_list("start_year", flat=True)), reverse=True),
        time_identifiers=sorted(set(rows.values_list("time_identifier", flat=True))),
        school_types=sorted(set(rows.values_list("school_type", flat=True))),
    )


def period_range(calendar: SchoolCalendar, time_identifier: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the school's dates (inclusive) for a published period, ending no later than ``today``.

    Raises ``BenchmarkError`` when the calendar has no half-term in the period or it starts after ``today``.
    """
    if time_identifier == WHOLE_YEAR:
        start, end = calendar.start, calendar.end
    else:
        terms = PERIOD_TERMS.get(time_identifier)
        if terms is None:
            raise BenchmarkError(f"period {time_identifier!r} is not supported; use one of: {WHOLE_YEAR}, {', '.join(PERIOD_TERMS)}")
        half_terms = [h for h in calendar.half_terms if h.term in terms]
        if not half_terms:
            raise BenchmarkError(f"the school's calendar has no half-term in the {time_identifier.lower()}; import its term dates first")
        start, end = half_terms[0].start, half_terms[-1].end
    if start > today:
        raise BenchmarkError(f"the {time_identifier.lower()} starts on {start}, after today; choose an earlier period")
    return start, min(end, today)


def absence_difference(school: Rates, area: Rates | None) -> Decimal | None:
    """Return the school's absence rate minus the area's, in points, rounded half away from zero to one place.

    Computed on exact fractions of the counts, not on the rounded rates.
    """
    if area is None or not school.possible or not area.possible:
        return None
    difference = (Fraction(school.absent, school.possible) - Fraction(area.absent, area.possible)) * 100
    tenths = math.floor(abs(difference) * 10 + Fraction(1, 2))
    return Decimal(tenths if difference >= 0 else -tenths).scaleb(-1)


def _rates_of(row: PublishedAttendance) -> Rates | None:
    counts = (row.possible_sessions, row.attended_sessions, row.authorised_absences, row.unauthorised_absences)
    if any(count is None for count in counts):
        return None
    return Rates(*counts)


def _line(level: GeographicLevel, area: str, row: PublishedAttendance | None, missing_reason: str) -> BenchmarkLine:
    if row is None:
        return BenchmarkLine(level, area, None, None, missing_reason)
    rates = _rates_of(row)
    reason = "" if rates is not None else "the published file withholds some of these counts"
    return BenchmarkLine(level, row.area_name, rates, row.published_absence_percent, reason)


def compare(school: School, start_year: int, time_identifier: str, school_type: str, today: dt.date) -> Comparison:
    """Compare the school's figures for a year and period with the stored published figures.

    The LA is matched on the school's 3-digit LA code and the region on that LA's published
    region. Raises ``BenchmarkError`` when the school has no such year.
    """
    year = AcademicYear.objects.filter(school=school, start_year=start_year).first()
    if year is None:
        raise BenchmarkError(f"the school has no academic year {start_year}/{(start_year + 1) % 100:02d}; choose one it has marks for")
    start, end = period_range(year.calendar(), time_identifier, today)
    figures = school_figures(school, start, end)

    rows = PublishedAttendance.objects.filter(start_year=start_year, time_identifier=time_identifier)
    la_any_type = rows.filter(geographic_level=GeographicLevel.LOCAL_AUTHORITY, la_code=school.la_code).first()
    la_row = rows.filter(geographic_level=GeographicLevel.LOCAL_AUTHORITY, la_code=school.la_code, school_type=school_type).first()
    national = rows.filter(geographic_level=GeographicLevel.NATIONAL, school_type=school_type).first()
    lines = [
        _line(GeographicLevel.LOCAL_AUTHORITY, f"LA {school.la_code}", la_row,
              f"the imported file has no {school_type} row for LA {school.la_code}"),
    ]
    if la_any_type is None:
        lines.append(_line(GeographicLevel.REGIONAL, "Region", None,
                           f"the region is unknown: the imported file has no row for LA {school.la_code}"))
    else:
        region = rows.filter(geographic_level=GeographicLevel.REGIONAL, region_code=la_any_type.region_code, school_type=school_type).first()
        lines.append(_line(GeographicLevel.REGIONAL, la_any_type.region_name, region,
                           f"the imported file has no {school_type} row for {la_any_type.region_name}"))
    lines.append(_line(GeographicLevel.NATIONAL, "England", national, f"the imported file has no {school_type} row for England"))

    school_rates = Rates(figures.possible_sessions, figures.attended_sessions, figures.authorised_absences, figures.unauthorised_absences)
    lines = [dataclasses.replace(line, absence_difference=absence_difference(school_rates, line.rates)) for line in lines]
    return Comparison(
        school=school,
        start_year=start_year,
        time_identifier=time_identifier,
        school_type=school_type,
        start=start,
        end=end,
        school_rates=school_rates,
        school_figures=figures,
        lines=lines,
    )
