"""Pupil groups for dashboards, and figures for any two groupings crossed.

A grouping (``Dimension``) sorts every pupil into exactly one group, so the groups of a
dimension always add up to the whole school: sex, ethnicity, SEN provision, each yes/no
characteristic (with "not recorded" kept apart), risk of persistent absence, year group and
class. Year group and class are the pupil's placement at the end of the range: the placement
covering that day, else the last one that started before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rollbook.policy.calendar import YEAR_GROUPS
from rollbook.policy.projection import project_year_end
from rollbook.schools.ethnicity import MAIN_ETHNICITY_CODES
from rollbook.schools.models import Placement, Pupil, SenProvision

from .figures import Figures, RangeData, figures_of

NOT_RECORDED = ("", "Not recorded")


@dataclass(frozen=True)
class PupilRow:
    """One pupil with the characteristics groups are drawn from."""

    pupil: Pupil
    year_group: str
    class_name: str
    risk: str  # a key of RISK_GROUPS


# Risk of persistent absence as of the range's end, from ``rollbook.policy.projection``.
RISK_GROUPS = {
    "persistent": "Persistently absent this year",
    "likely": "Likely to become persistently absent",
    "not-at-risk": "Not projected to be persistently absent",
    "": "No sessions this year to project from",
}


def _yes_no(value: bool | None, yes: str, no: str) -> tuple[str, str]:
    if value is None:
        return NOT_RECORDED
    return ("yes", yes) if value else ("no", no)


@dataclass(frozen=True)
class Dimension:
    """A way of grouping pupils: ``group_of`` returns the (key, label) of a pupil's group."""

    key: str
    label: str
    group_of: Callable[[PupilRow], tuple[str, str]]
    order: tuple[str, ...] = ()  # keys in display order; others follow sorted by label

    def sort_key(self, group: tuple[str, str]) -> tuple:
        key, label = group
        if key in self.order:
            return (0, self.order.index(key), label)
        return (1, 0, label) if key else (2, 0, label)


def _sen(row: PupilRow) -> tuple[str, str]:
    provision = SenProvision(row.pupil.sen)
    if provision is SenProvision.NOT_RECORDED:
        return NOT_RECORDED
    return provision.value, provision.label


def _ethnicity(row: PupilRow) -> tuple[str, str]:
    code = row.pupil.ethnicity
    if not code:
        return NOT_RECORDED
    return code, f"{MAIN_ETHNICITY_CODES.get(code, code)} ({code})"


def _sex(row: PupilRow) -> tuple[str, str]:
    if not row.pupil.sex:
        return NOT_RECORDED
    return row.pupil.sex, row.pupil.get_sex_display()


def _year_group(row: PupilRow) -> tuple[str, str]:
    if not row.year_group:
        return NOT_RECORDED
    label = f"Year {row.year_group}" if row.year_group.isdigit() else row.year_group
    return row.year_group, label


def _class(row: PupilRow) -> tuple[str, str]:
    if not row.class_name:
        return NOT_RECORDED
    return row.class_name, row.class_name


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("sex", "Sex", _sex, ("F", "M")),
        Dimension("ethnicity", "Ethnicity", _ethnicity, tuple(MAIN_ETHNICITY_CODES)),
        Dimension("sen", "Special educational needs", _sen, ("E", "K", "Y", "N")),
        Dimension("looked_after", "Looked after", lambda r: _yes_no(r.pupil.looked_after, "Looked after", "Not looked after"), ("yes", "no")),
        Dimension("fsm", "Free school meals", lambda r: _yes_no(r.pupil.fsm, "Free school meals", "No free school meals"), ("yes", "no")),
        Dimension("pupil_premium", "Pupil premium", lambda r: _yes_no(r.pupil.pupil_premium, "Pupil premium", "No pupil premium"), ("yes", "no")),
        Dimension("eal", "English as an additional language", lambda r: _yes_no(r.pupil.eal, "EAL", "English first language"), ("yes", "no")),
        Dimension("child_in_need", "Child in need", lambda r: _yes_no(r.pupil.child_in_need, "Child in need", "Not a child in need"), ("yes", "no")),
        Dimension("young_carer", "Young carer", lambda r: _yes_no(r.pupil.young_carer, "Young carer", "Not a young carer"), ("yes", "no")),
        Dimension("risk", "Risk of persistent absence", lambda r: (r.risk, RISK_GROUPS[r.risk]), tuple(RISK_GROUPS)),
        Dimension("year_group", "Year group", _year_group, YEAR_GROUPS),
        Dimension("class", "Class", _class),
    )
}


@dataclass(frozen=True)
class PlacementAt:
    """A pupil's year group and class on one day."""

    year_group: str
    class_name: str


def placements_at(pupil_ids: list[int], school_id: int, day: dt.date) -> dict[int, PlacementAt]:
    """Return each pupil's placement on ``day``: the one covering it, else the last started before it."""
    chosen: dict[int, tuple[bool, PlacementAt]] = {}
    wanted = set(pupil_ids)
    placements = (
        Placement.objects.filter(school_id=school_id, start_date__lte=day)
        .order_by("start_date", "pk")
        .values_list("pupil_id", "year_group", "class_name", "end_date")
    )
    for pupil_id, year_group, class_name, end_date in placements.iterator(chunk_size=5000):
        if pupil_id not in wanted:
            continue
        covers = end_date is None or end_date >= day
        current = chosen.get(pupil_id)
        if current is None or covers or not current[0]:
            chosen[pupil_id] = (covers, PlacementAt(year_group, class_name))
    return {pupil_id: placement for pupil_id, (_covers, placement) in chosen.items()}


def risk_keys(data: RangeData) -> list[str]:
    """Return each pupil's ``RISK_GROUPS`` key as of the range's end, in ``data.counts.pupils`` order.

    The projection uses the academic year that contains the range's end; pupils with no
    possible session in it so far get the empty key.
    """
    keys = [""] * len(data.counts.pupils)
    year = next((marks for marks in data.years if marks.calendar.start <= data.end <= marks.calendar.end), None)
    if year is None or data.policy is None:
        return keys
    by_upn = {p.upn: p for p in project_year_end(year, data.end, data.policy)}
    for row, pupil in enumerate(data.counts.pupils):
        projection = by_upn.get(pupil.upn)
        if projection is None:
            continue
        if projection.persistent_now:
            keys[row] = "persistent"
        elif projection.persistent_at_year_end:
            keys[row] = "likely"
        else:
            keys[row] = "not-at-risk"
    return keys


def pupil_table(data: RangeData, with_risk: bool = True) -> list[PupilRow]:
    """Return one ``PupilRow`` per pupil of ``data``, in ``data.counts.pupils`` order.

    Without ``with_risk`` the year-end projection is skipped and every risk key is empty.
    """
    pupils = data.counts.pupils
    placements = placements_at([p.pk for p in pupils], data.school.pk, data.end)
    risks = risk_keys(data) if with_risk else [""] * len(pupils)
    rows = []
    for pupil, risk in zip(pupils, risks):
        placement = placements.get(pupil.pk)
        rows.append(
            PupilRow(
                pupil=pupil,
                year_group=placement.year_group if placement else "",
                class_name=placement.class_name if placement else "",
                risk=risk,
            )
        )
    return rows


class UnknownDimensionError(KeyError):
    def __init__(self, key: str):
        super().__init__(f"grouping {key!r} does not exist; use one of: {', '.join(DIMENSIONS)}")


def dimension(key: str) -> Dimension:
    try:
        return DIMENSIONS[key]
    except KeyError:
        raise UnknownDimensionError(key) from None


@dataclass(frozen=True)
class Group:
    """One group of one dimension, such as "Free school meals", with the pupils in it."""

    dimension: Dimension
    key: str
    label: str
    rows: np.ndarray  # boolean mask over the pupil table


def groups_of(table: list[PupilRow], dim: Dimension) -> list[Group]:
    """Return the groups of ``dim`` that have at least one pupil, in display order."""
    assigned = [dim.group_of(row) for row in table]
    groups = sorted(set(assigned), key=dim.sort_key)
    return [
        Group(dim, key, label, np.array([a[0] == key for a in assigned], dtype=bool))
        for key, label in groups
    ]


def select(table: list[PupilRow], dim: Dimension, key: str) -> np.ndarray:
    """Return the mask of pupils in the group ``key`` of ``dim`` (all False when none is)."""
    return np.array([dim.group_of(row)[0] == key for row in table], dtype=bool)


@dataclass(frozen=True)
class CrossedFigures:
    """Figures for every pair of groups of two dimensions, with row and column totals."""

    rows: list[Group]
    columns: list[Group]
    cells: dict[tuple[str, str], Figures]
    row_totals: dict[str, Figures]
    column_totals: dict[str, Figures]
    total: Figures


def cross(data: RangeData, table: list[PupilRow], first: Dimension, second: Dimension) -> CrossedFigures:
    """Return the figures of every pair of a group of ``first`` and a group of ``second``.

    A cell with no pupil is left out of ``cells``.
    """
    rows = groups_of(table, first)
    columns = groups_of(table, second)
    cells = {}
    for row in rows:
        for column in columns:
            both = row.rows & column.rows
            if both.any():
                cells[(row.key, column.key)] = figures_of(data.counts, data.policy, both)
    return CrossedFigures(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals={row.key: figures_of(data.counts, data.policy, row.rows) for row in rows},
        column_totals={column.key: figures_of(data.counts, data.policy, column.rows) for column in columns},
        total=figures_of(data.counts, data.policy),
    )
