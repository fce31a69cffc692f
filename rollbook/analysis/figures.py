"""The figures of a set of pupils over a date range, from the stored mark sequences.

``load_range`` reads the marks once per request: the pupils on roll in the range, each
academic year's ``YearMarks`` and every pupil's session counts. ``Figures`` are then computed
for any subset of those pupils (a class, a group, a cell of two crossed groups) by adding up
per-pupil counts, so every dashboard figure is the sum of the per-pupil figures that
``rollbook report pupils`` prints for the same range.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import Q

from rollbook.policy.breakdown import approved_activity_sessions
from rollbook.policy.calendar import academic_year_of
from rollbook.policy.marks import YearMarks, day_index
from rollbook.policy.measures import absence_rate, at_or_above, attendance_rate, count_sessions
from rollbook.policy.settings import Policy
from rollbook.reports.services import load_year_marks
from rollbook.schools.models import AcademicYear, Enrolment, Pupil, School


@dataclass(frozen=True)
class Band:
    """An attendance band: pupils whose attendance is at least ``low`` and below ``high`` percent."""

    key: str
    label: str
    low: int
    high: int | None  # None: exactly 100%


# The bands leaders compare over time, tested on session counts, never on the rounded rate.
BANDS = (
    Band("100", "100%", 100, None),
    Band("97-99.9", "97% to 99.9%", 97, 100),
    Band("95-96.9", "95% to 96.9%", 95, 97),
    Band("90-94.9", "90% to 94.9%", 90, 95),
    Band("50-89.9", "50% to 89.9%", 50, 90),
    Band("below-50", "Below 50%", 0, 50),
)


def band_flags(band: Band, attended: np.ndarray, possible: np.ndarray) -> np.ndarray:
    """Return, per pupil, whether the pupil's attendance falls in ``band``; False without a possible session."""
    if band.high is None:
        return (possible > 0) & (attended == possible)
    lower = at_or_above(attended, possible, band.low)
    return lower & ~at_or_above(attended, possible, band.high)


@dataclass(frozen=True)
class PupilCounts:
    """Per-pupil session counts over a range, numpy int64 arrays in ``pupils`` order.

    ``attended`` is ``present`` plus ``approved_activity`` (approved educational activity).
    """

    pupils: list[Pupil]
    possible: np.ndarray
    present: np.ndarray
    approved_activity: np.ndarray
    authorised: np.ndarray
    unauthorised: np.ndarray
    missing: np.ndarray

    @property
    def attended(self) -> np.ndarray:
        return self.present + self.approved_activity

    @property
    def absent(self) -> np.ndarray:
        return self.authorised + self.unauthorised


@dataclass(frozen=True)
class RangeData:
    """Everything a dashboard needs about a school over a range, read once.

    ``years`` contains the ``YearMarks`` of each academic year the range touches, with rows in
    ``counts.pupils`` order, and the range clipped to each year is ``clip(year)``.
    """

    school: School
    start: dt.date
    end: dt.date
    policy: Policy | None
    counts: PupilCounts
    years: list[YearMarks] = field(default_factory=list)

    def clip(self, marks: YearMarks) -> tuple[dt.date, dt.date]:
        return max(self.start, marks.calendar.start), min(self.end, marks.calendar.end)

    def rows_of(self, pupil_ids: set[int]) -> np.ndarray:
        """Return a boolean mask over ``counts.pupils`` for the given pupil ids."""
        return np.array([pupil.pk in pupil_ids for pupil in self.counts.pupils], dtype=bool)


def pupils_on_roll(school: School, start: dt.date, end: dt.date) -> list[Pupil]:
    """Return the school's pupils on roll for at least one calendar day of a range (inclusive), by UPN.

    The same pupils as ``reports.services.pupils_on_roll_between``, selected in one query.
    """
    overlapping = Enrolment.objects.filter(school=school, admission_date__lte=end).filter(
        Q(leaving_date__isnull=True) | Q(leaving_date__gte=start)
    )
    return list(Pupil.objects.filter(school=school, pk__in=overlapping.values("pupil_id")).order_by("upn"))


def load_range(school: School, start: dt.date, end: dt.date, only: set[int] | None = None) -> RangeData:
    """Load the marks and per-pupil counts of every pupil on roll in the range (inclusive).

    ``only`` limits the pupils to those ids (such as one pupil for a pupil's page).

    Pupils, years and the judging policy are chosen as ``reports.services.pupil_figures``
    chooses them: pupils on roll for at least one calendar day of the range, by UPN, and the
    policy of the latest academic year of the range with data (else the school's latest).
    """
    pupils = pupils_on_roll(school, start, end)
    if only is not None:
        pupils = [pupil for pupil in pupils if pupil.pk in only]
    totals = np.zeros((6, len(pupils)), dtype=np.int64)
    policy = None
    loaded = []
    years = AcademicYear.objects.filter(
        school=school, start_year__gte=academic_year_of(start), start_year__lte=academic_year_of(end)
    ).order_by("start_year")
    for year in years:
        marks = load_year_marks(year, pupils)
        policy = marks.policy
        loaded.append(marks)
        first, last = max(start, marks.calendar.start), min(end, marks.calendar.end)
        counts = count_sessions(marks, first, last)
        approved = approved_activity_sessions(marks, first, last)
        totals += np.stack(
            [counts.possible, counts.attended - approved, approved, counts.authorised, counts.unauthorised, counts.missing]
        )
    if policy is None:
        latest = AcademicYear.objects.filter(school=school).order_by("-start_year").first()
        policy = latest.policy() if latest else None

    counts = PupilCounts(pupils, *totals)
    return RangeData(school=school, start=start, end=end, policy=policy, counts=counts, years=loaded)


@dataclass(frozen=True)
class Figures:
    """The attendance figures of a set of pupils over a range.

    Rates are percentages of possible sessions to one decimal place, computed from the
    session counts (None without a possible session). ``bands`` maps each ``Band.key`` to a
    number of pupils; pupils with no possible session are in ``no_sessions`` instead.
    """

    pupils: int
    possible: int
    present: int
    approved_activity: int
    authorised: int
    unauthorised: int
    missing: int
    persistent_absentees: int
    severe_absentees: int
    bands: dict[str, int]
    no_sessions: int
    target_percent: int | None

    @property
    def attended(self) -> int:
        return self.present + self.approved_activity

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    @property
    def attendance_rate(self) -> Decimal | None:
        return attendance_rate(self.attended, self.possible)

    @property
    def absence_rate(self) -> Decimal | None:
        return absence_rate(self.absent, self.possible)

    @property
    def meets_target(self) -> bool | None:
        """Return whether attendance is at or above the target, on session counts; None without one."""
        if self.target_percent is None or self.possible == 0:
            return None
        return bool(at_or_above(self.attended, self.possible, self.target_percent))


def persistent_flags(counts: PupilCounts, policy: Policy | None) -> np.ndarray:
    if policy is None:
        return np.zeros(len(counts.pupils), dtype=bool)
    return at_or_above(counts.absent, counts.possible, policy.measures.persistent_absence_percent)


def severe_flags(counts: PupilCounts, policy: Policy | None) -> np.ndarray:
    if policy is None:
        return np.zeros(len(counts.pupils), dtype=bool)
    return at_or_above(counts.absent, counts.possible, policy.measures.severe_absence_percent)


def figures_of(counts: PupilCounts, policy: Policy | None, rows: np.ndarray | None = None) -> Figures:
    """Add up the figures of the pupils selected by ``rows`` (a boolean mask; default all)."""
    if rows is None:
        rows = np.ones(len(counts.pupils), dtype=bool)
    possible = counts.possible[rows]
    attended = counts.attended[rows]
    return Figures(
        pupils=int(np.count_nonzero(rows)),
        possible=int(possible.sum()),
        present=int(counts.present[rows].sum()),
        approved_activity=int(counts.approved_activity[rows].sum()),
        authorised=int(counts.authorised[rows].sum()),
        unauthorised=int(counts.unauthorised[rows].sum()),
        missing=int(counts.missing[rows].sum()),
        persistent_absentees=int(np.count_nonzero(persistent_flags(counts, policy)[rows])),
        severe_absentees=int(np.count_nonzero(severe_flags(counts, policy)[rows])),
        bands={band.key: int(np.count_nonzero(band_flags(band, attended, possible))) for band in BANDS},
        no_sessions=int(np.count_nonzero(possible == 0)),
        target_percent=policy.measures.target_attendance_percent if policy else None,
    )


def band_rows(counts: PupilCounts, key: str) -> np.ndarray:
    """Return the mask of pupils in the band with ``key``; raise ``KeyError`` naming valid keys."""
    for band in BANDS:
        if band.key == key:
            return band_flags(band, counts.attended, counts.possible)
    raise KeyError(f"band {key!r} does not exist; use one of: {', '.join(b.key for b in BANDS)}")


def narrow_range(data: RangeData, start: dt.date, end: dt.date) -> RangeData:
    """Return the data of a sub-range of ``data`` without reading the database again.

    The result equals ``load_range(data.school, start, end)``: the pupils of ``data`` on roll
    for at least one day of the sub-range, in the same order, with their counts over it. Raises
    ``ValueError`` unless ``data`` covers one academic year and the sub-range lies within it.
    """
    if len(data.years) != 1 or not (data.start <= start <= end <= data.end):
        raise ValueError(f"{start} to {end} is not a range within one academic year of {data.start} to {data.end}")
    marks = data.years[0]
    first, last = day_index(marks.calendar, start), day_index(marks.calendar, end)
    rows = marks.on_roll[:, first : last + 1].any(axis=1)

    narrowed = dataclasses.replace(
        marks,
        upns=tuple(upn for upn, keep in zip(marks.upns, rows) if keep),
        codes=marks.codes[rows],
        on_roll=marks.on_roll[rows],
        compulsory_from=marks.compulsory_from[rows],
    )
    counts = count_sessions(narrowed, start, end)
    approved = approved_activity_sessions(narrowed, start, end)
    pupils = [pupil for pupil, keep in zip(data.counts.pupils, rows) if keep]
    per_pupil = PupilCounts(
        pupils, counts.possible, counts.attended - approved, approved, counts.authorised, counts.unauthorised, counts.missing
    )
    return RangeData(school=data.school, start=start, end=end, policy=data.policy, counts=per_pupil, years=[narrowed])
