"""The rows, figures and charts of the dashboard pages, built from the analysis services.

Views check access and read the request. This module turns a ``RangeData`` and a scope into
what a template prints, with the pupil filter behind every figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rollbook.policy.breakdown import by_week
from rollbook.policy.codes import Category
from rollbook.policy.measures import percent
from rollbook.policy.settings import Policy

from .charts import Bar, Series, bar_chart, line_chart
from .figures import BANDS, Figures, RangeData, band_rows, figures_of, persistent_flags, severe_flags
from .groups import PupilRow

# The per-pupil filters a figure links to; each names the pupils the figure counts.
SHOW_FILTERS = {
    "all": "On roll in the range",
    "possible": "With a possible session",
    "present": "Present at least once",
    "approved_activity": "With approved educational activity",
    "authorised": "With authorised absence",
    "unauthorised": "With unauthorised absence",
    "missing": "With sessions not yet marked",
    "persistent": "Persistently absent",
    "severe": "Severely absent",
    "no-sessions": "With no possible session",
    **{f"band-{band.key}": f"Attendance {band.label}" for band in BANDS},
}


def show_rows(data: RangeData, show: str) -> np.ndarray:
    """Return the mask of pupils a ``SHOW_FILTERS`` key selects; raise ``KeyError`` naming valid keys."""
    counts = data.counts
    simple = {
        "all": np.ones(len(counts.pupils), dtype=bool),
        "possible": counts.possible > 0,
        "present": counts.present > 0,
        "approved_activity": counts.approved_activity > 0,
        "authorised": counts.authorised > 0,
        "unauthorised": counts.unauthorised > 0,
        "missing": counts.missing > 0,
        "no-sessions": counts.possible == 0,
    }
    if show in simple:
        return simple[show]
    if show == "persistent":
        return persistent_flags(counts, data.policy)
    if show == "severe":
        return severe_flags(counts, data.policy)
    if show.startswith("band-"):
        return band_rows(counts, show.removeprefix("band-"))
    raise KeyError(f"show={show!r} is not a figure to list; use one of: {', '.join(SHOW_FILTERS)}")


@dataclass(frozen=True)
class CodesByCategory:
    """The codes of the code set in force, by the way each counts, for "how it was computed"."""

    present: str
    approved_activity: str
    authorised: str
    unauthorised: str
    not_possible: str
    code_set_title: str


def codes_by_category(policy: Policy | None) -> CodesByCategory | None:
    if policy is None:
        return None
    code_set = policy.code_set

    def codes(category: Category) -> str:
        return " ".join(code_set.codes_in(category))

    return CodesByCategory(
        present=codes(Category.PRESENT),
        approved_activity=codes(Category.APPROVED_EDUCATIONAL_ACTIVITY),
        authorised=codes(Category.AUTHORISED),
        unauthorised=codes(Category.UNAUTHORISED),
        not_possible=codes(Category.NOT_POSSIBLE),
        code_set_title=code_set.title,
    )


@dataclass(frozen=True)
class BandRow:
    key: str
    label: str
    pupils: int
    share: Decimal | None  # of pupils with a possible session


def band_table(figures: Figures) -> list[BandRow]:
    counted = figures.pupils - figures.no_sessions
    return [BandRow(b.key, b.label, figures.bands[b.key], percent(figures.bands[b.key], counted)) for b in BANDS]


def band_chart(chart_id: str, rows: list[BandRow]):
    return bar_chart(
        chart_id,
        "Pupils by attendance band",
        "Number of pupils in each attendance band; the same numbers are in the table that follows.",
        [Bar(row.label, row.pupils, str(row.pupils)) for row in rows],
    )


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    figures: Figures


def breakdown(data: RangeData, table: list[PupilRow], rows: np.ndarray, attribute: str) -> list[BreakdownRow]:
    """Return figures per year group or class (``attribute``) of the pupils in ``rows``, in name order."""
    values = np.array([getattr(row, attribute) for row in table], dtype=object)
    result = []
    for value in sorted(set(values[rows].tolist())):
        mask = rows & (values == value)
        label = value or "Not placed"
        if attribute == "year_group" and value.isdigit():
            label = f"Year {value}"
        result.append(BreakdownRow(value, label, figures_of(data.counts, data.policy, mask)))
    return result


@dataclass(frozen=True)
class WeekPoint:
    monday: dt.date
    attended: int
    possible: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.attended, self.possible)

    @property
    def friday(self) -> dt.date:
        return self.monday + dt.timedelta(days=4)


def weeks_in_range(data: RangeData, rows: np.ndarray) -> list[WeekPoint]:
    """Return attendance per school week of the range for the pupils in ``rows``, in order."""
    weeks: dict[dt.date, list[int]] = {}
    for marks in data.years:
        first, last = data.clip(marks)
        for monday, totals in by_week(marks, first, last, rows).items():
            cell = weeks.setdefault(monday, [0, 0])
            cell[0] += totals.attended
            cell[1] += totals.possible
    return [WeekPoint(monday, *weeks[monday]) for monday in sorted(weeks)]


def week_chart(chart_id: str, title: str, weeks: list[WeekPoint], target: int | None):
    return line_chart(
        chart_id,
        title,
        "Attendance per school week as a percentage of possible sessions; the same numbers are in the table that follows.",
        [f"{week.monday:%-d %b}" for week in weeks],
        [Series("Attendance", [week.rate for week in weeks])],
        target,
    )


def session_rows(figures: Figures, codes: CodesByCategory | None) -> list[tuple[str, str, int, str]]:
    """Return the (filter key, label, sessions, how counted) rows of a dashboard's sessions table."""
    if codes is None:
        return []
    return [
        ("possible", "Possible sessions", figures.possible, "Present, approved educational activity, authorised and unauthorised absence"),
        ("present", "Present", figures.present, f"Codes {codes.present}"),
        ("approved_activity", "Approved educational activity", figures.approved_activity, f"Codes {codes.approved_activity}; counts as attendance"),
        ("authorised", "Authorised absence", figures.authorised, f"Codes {codes.authorised}"),
        ("unauthorised", "Unauthorised absence", figures.unauthorised, f"Codes {codes.unauthorised}"),
        ("missing", "Not yet marked", figures.missing, "Sessions of school days on roll with no mark; in no other figure"),
    ]
