"""The demo school's calendar, year by year: half-terms, closures, assessments and festivals.

The half-terms follow the school holidays Sheffield City Council published for 2025 to 2028.
The INSET days, the partial closure, the Year 4 sports afternoon and the festival days the
families observe are the demo school's own choices. Every date is a data row here, never
computed, so a reader can check each one against a diary.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from rollbook.policy.calendar import YEAR_GROUPS, AssessmentPeriod, Closure, HalfTerm, SchoolCalendar, Session

D = dt.date


class Observance(enum.StrEnum):
    """A religious festival some demo families keep, on which the school grants code R."""

    EID_AL_FITR = "eid_al_fitr"
    DIWALI = "diwali"


@dataclass(frozen=True)
class Festival:
    day: dt.date
    observance: Observance


@dataclass(frozen=True)
class DemoYear:
    """One academic year of the demo school's calendar."""

    start_year: int
    half_terms: tuple[HalfTerm, ...]
    inset_days: tuple[dt.date, ...]
    partial_closures: tuple[Closure, ...]
    assessments: tuple[AssessmentPeriod, ...]
    festivals: tuple[Festival, ...]
    # Year 4 pupils chosen for an inter-school sports afternoon are marked P that afternoon.
    sports_afternoon: dt.date

    @property
    def closures(self) -> tuple[Closure, ...]:
        inset = tuple(Closure(start=day, end=day, label="INSET day") for day in self.inset_days)
        return inset + self.partial_closures

    def calendar(self) -> SchoolCalendar:
        return SchoolCalendar(
            academic_year=self.start_year,
            half_terms=self.half_terms,
            closures=self.closures,
            assessments=self.assessments,
        )

    def calendar_rows(self) -> list[dict[str, str]]:
        """Return the rows of the bundle's ``calendar.csv``, in date order within each type."""
        rows = [
            {"type": "half_term", "start_date": h.start.isoformat(), "end_date": h.end.isoformat(),
             "label": h.label, "session": "", "year_groups": ""}
            for h in self.half_terms
        ]
        rows += [
            {"type": "closure", "start_date": c.start.isoformat(), "end_date": c.end.isoformat(),
             "label": c.label, "session": c.session.value if c.session else "",
             "year_groups": ";".join(sorted(c.year_groups, key=YEAR_GROUPS.index))}
            for c in self.closures
        ]
        rows += [
            {"type": "assessment", "start_date": a.start.isoformat(), "end_date": a.end.isoformat(),
             "label": a.label, "session": "", "year_groups": ""}
            for a in self.assessments
        ]
        return rows


def _half_terms(*dates: tuple[dt.date, dt.date]) -> tuple[HalfTerm, ...]:
    labels = ("autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2")
    return tuple(HalfTerm(label=label, start=start, end=end) for label, (start, end) in zip(labels, dates, strict=True))


def _training_afternoon(day: dt.date) -> Closure:
    return Closure(
        start=day, end=day, session=Session.PM, year_groups=frozenset({"R", "1"}),
        label="Staff training for Reception and Year 1",
    )


DEMO_YEARS: dict[int, DemoYear] = {
    2025: DemoYear(
        start_year=2025,
        half_terms=_half_terms(
            (D(2025, 9, 1), D(2025, 10, 24)),
            (D(2025, 11, 3), D(2025, 12, 19)),
            (D(2026, 1, 5), D(2026, 2, 13)),
            (D(2026, 2, 23), D(2026, 3, 27)),
            (D(2026, 4, 13), D(2026, 5, 22)),
            (D(2026, 6, 1), D(2026, 7, 20)),
        ),
        inset_days=(D(2025, 9, 1), D(2025, 9, 2), D(2025, 11, 3), D(2026, 1, 5), D(2026, 7, 20)),
        partial_closures=(_training_afternoon(D(2026, 2, 12)),),
        assessments=(
            AssessmentPeriod(D(2026, 6, 1), D(2026, 6, 12), "Year 4 multiplication tables check"),
            AssessmentPeriod(D(2026, 6, 8), D(2026, 6, 12), "Year 1 phonics screening check"),
        ),
        festivals=(
            Festival(D(2025, 10, 20), Observance.DIWALI),
            # The expected date; the festival starts with the sighting of the new moon.
            Festival(D(2026, 3, 20), Observance.EID_AL_FITR),
        ),
        sports_afternoon=D(2026, 3, 4),
    ),
    2026: DemoYear(
        start_year=2026,
        half_terms=_half_terms(
            (D(2026, 9, 1), D(2026, 10, 23)),
            (D(2026, 11, 2), D(2026, 12, 18)),
            (D(2027, 1, 4), D(2027, 2, 12)),
            (D(2027, 2, 22), D(2027, 3, 25)),
            (D(2027, 4, 12), D(2027, 5, 28)),
            (D(2027, 6, 7), D(2027, 7, 21)),
        ),
        inset_days=(D(2026, 9, 1), D(2026, 9, 2), D(2026, 11, 2), D(2027, 1, 4), D(2027, 7, 21)),
        partial_closures=(_training_afternoon(D(2027, 2, 11)),),
        # NOTE: estimated windows; the national dates for June 2027 were not used here.
        assessments=(
            AssessmentPeriod(D(2027, 6, 7), D(2027, 6, 18), "Year 4 multiplication tables check"),
            AssessmentPeriod(D(2027, 6, 14), D(2027, 6, 18), "Year 1 phonics screening check"),
        ),
        # Diwali 2026 falls on a Sunday.
        festivals=(Festival(D(2027, 3, 10), Observance.EID_AL_FITR),),
        sports_afternoon=D(2027, 3, 3),
    ),
    2027: DemoYear(
        start_year=2027,
        half_terms=_half_terms(
            (D(2027, 9, 1), D(2027, 10, 22)),
            (D(2027, 11, 1), D(2027, 12, 17)),
            (D(2028, 1, 4), D(2028, 2, 11)),
            (D(2028, 2, 21), D(2028, 3, 31)),
            (D(2028, 4, 18), D(2028, 5, 26)),
            (D(2028, 6, 5), D(2028, 7, 21)),
        ),
        inset_days=(D(2027, 9, 1), D(2027, 9, 2), D(2027, 11, 1), D(2028, 1, 4), D(2028, 7, 21)),
        partial_closures=(_training_afternoon(D(2028, 2, 10)),),
        # NOTE: estimated windows, as for 2026/27.
        assessments=(
            AssessmentPeriod(D(2028, 6, 5), D(2028, 6, 16), "Year 4 multiplication tables check"),
            AssessmentPeriod(D(2028, 6, 12), D(2028, 6, 16), "Year 1 phonics screening check"),
        ),
        # Diwali 2027 falls in the October holiday and Eid al-Fitr 2028 on a weekend.
        festivals=(),
        sports_afternoon=D(2028, 3, 1),
    ),
}


def demo_year(start_year: int) -> DemoYear:
    """Return the demo calendar of an academic year, or raise ``ValueError`` for one without data."""
    try:
        return DEMO_YEARS[start_year]
    except KeyError:
        known = ", ".join(f"{y} ({y}/{(y + 1) % 100:02d})" for y in DEMO_YEARS)
        raise ValueError(f"the demo school has no calendar for {start_year}; use one of: {known}") from None
