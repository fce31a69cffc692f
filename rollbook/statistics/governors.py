"""The governors' report: figures only, no pupil's name, and no group small enough to identify a child.

Every group of 1 to 4 pupils is shown as "fewer than 5", and so is a count of 1 to 4
persistently or severely absent pupils. Group tables show rates, never counts of absent pupils,
because those counts are small groups too. Where a small group could be worked out by
subtraction from a total, a second group is withheld (see ``suppression``). The groupings come from
``rollbook.analysis.groups`` and the figures from ``rollbook.analysis.figures``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from rollbook.analysis.figures import BANDS, Figures, figures_of, load_range
from rollbook.analysis.groups import DIMENSIONS, Dimension, cross, groups_of, pupil_table
from rollbook.analysis.periods import Period

from .suppression import MIN_GROUP_SIZE, Shown, one_way, two_way

# Classes are left out, because to anyone at the school a small class is close to a list of names.
REPORT_DIMENSIONS = tuple(key for key in DIMENSIONS if key != "class")
DEFAULT_CROSSING = ("fsm", "year_group")


@dataclass(frozen=True)
class Cell:
    """Figures that may be shown, or the reason they are not (``figures`` is None when hidden)."""

    label: str
    shown: Shown
    figures: Figures | None

    @property
    def hidden(self) -> bool:
        return self.shown.hidden


def _cell(label: str, figures: Figures | None, shown: Shown) -> Cell:
    return Cell(label, shown, None if shown.hidden else figures)


@dataclass(frozen=True)
class GroupTable:
    dimension: Dimension
    rows: list[Cell]


@dataclass(frozen=True)
class CrossedTable:
    first: Dimension
    second: Dimension
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Cell]]  # by row, then column
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell

    @property
    def body(self) -> list[tuple[Cell, list[Cell]]]:
        """Return each row's total with the row's cells, for a template."""
        return list(zip(self.row_totals, self.cells))


@dataclass(frozen=True)
class BandCount:
    label: str
    shown: Shown
    pupils: int | None


@dataclass(frozen=True)
class GovernorsReport:
    period: Period
    school: Cell
    bands: list[BandCount]
    groups: list[GroupTable]
    crossed: CrossedTable | None


def _bands(figures: Figures) -> list[BandCount]:
    counts: dict[Hashable, int] = {band.key: figures.bands[band.key] for band in BANDS}
    counts["none"] = figures.no_sessions
    states = one_way(counts, "all")
    labels = {band.key: band.label for band in BANDS} | {"none": "No possible session"}
    return [
        BandCount(labels[key], states[key], None if states[key].hidden else counts[key])
        for key in counts
    ]


def build_report(school, period: Period, crossing: tuple[str, str] = DEFAULT_CROSSING) -> GovernorsReport:
    """Build the governors' report of a school over a period, crossing two groupings.

    When the whole school has fewer than 5 pupils on roll in the period, nothing but that fact is shown.
    """
    data = load_range(school, period.start, period.end)
    whole = figures_of(data.counts, data.policy)
    if whole.pupils < MIN_GROUP_SIZE:
        return GovernorsReport(period, _cell("Whole school", whole, Shown.FEWER_THAN_5 if whole.pupils else Shown.SHOWN), [], [], None)

    table = pupil_table(data)
    first, second = DIMENSIONS[crossing[0]], DIMENSIONS[crossing[1]]
    crossed = cross(data, table, first, second)
    states = two_way(
        {key: figures.pupils for key, figures in crossed.cells.items()},
        [group.key for group in crossed.rows],
        [group.key for group in crossed.columns],
    )
    crossed_table = CrossedTable(
        first=first,
        second=second,
        row_labels=[group.label for group in crossed.rows],
        column_labels=[group.label for group in crossed.columns],
        cells=[
            [_cell(f"{r.label}, {c.label}", crossed.cells.get((r.key, c.key)), states[(r.key, c.key)]) for c in crossed.columns]
            for r in crossed.rows
        ],
        row_totals=[_cell(r.label, crossed.row_totals[r.key], states[("row", r.key)]) for r in crossed.rows],
        column_totals=[_cell(c.label, crossed.column_totals[c.key], states[("column", c.key)]) for c in crossed.columns],
        total=_cell("Whole school", crossed.total, Shown.SHOWN),
    )

    groups = []
    for key in REPORT_DIMENSIONS:
        dimension = DIMENSIONS[key]
        if dimension is first:
            groups.append(GroupTable(dimension, crossed_table.row_totals))
            continue
        if dimension is second:
            groups.append(GroupTable(dimension, crossed_table.column_totals))
            continue
        found = groups_of(table, dimension)
        figures = {group.key: figures_of(data.counts, data.policy, group.rows) for group in found}
        group_states = one_way({key: f.pupils for key, f in figures.items()}, ("whole",))
        groups.append(GroupTable(dimension, [_cell(g.label, figures[g.key], group_states[g.key]) for g in found]))

    return GovernorsReport(period, _cell("Whole school", whole, Shown.SHOWN), _bands(whole), groups, crossed_table)
