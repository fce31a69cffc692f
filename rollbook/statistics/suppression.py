"""Suppression of small groups in figures shown without names, so no child can be identified.

A group of 1 to 4 pupils is never shown ("fewer than 5"). Hiding it alone is not enough where
figures add up: in a line of groups whose total is shown, one hidden group is the total minus
the others. So in every line (the groups that add up to a total, and the total itself) with
exactly one hidden member a second member is withheld: the smallest shown group with pupils,
else the line's total. Withholding repeats until no line has exactly one hidden member. A
group of no pupils is shown as 0, because it identifies no one and hiding it would not stop
the subtraction.

Pure Python: no Django, so the rules can be tested on tables of numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MIN_GROUP_SIZE = 5


class Shown(enum.Enum):
    SHOWN = "shown"
    FEWER_THAN_5 = "fewer than 5"  # the group itself is too small
    WITHHELD = "withheld"  # shown, it would let a small group be worked out by subtraction

    @property
    def hidden(self) -> bool:
        return self is not Shown.SHOWN


@dataclass(frozen=True)
class Line:
    """Members that add up to ``total``, which is itself a member of the line."""

    members: tuple[Hashable, ...]
    total: Hashable


def suppress(
    pupils: dict[Hashable, int],
    lines: Iterable[Line],
    *,
    public: frozenset[Hashable] = frozenset(),
    totals: frozenset[Hashable] = frozenset(),
) -> dict[Hashable, Shown]:
    """Return how each key of ``pupils`` (its number of pupils) may be shown.

    ``public`` keys are shown elsewhere unsuppressed (the whole school's figures), so they are
    never chosen to be withheld. Keys in ``totals`` are chosen only after every other member
    of a line, so the detail stays visible where it can. When the only way to protect a line
    is to withhold a public key, every key with pupils is hidden.
    """
    lines = list(lines)
    state = {key: Shown.FEWER_THAN_5 if 0 < count < MIN_GROUP_SIZE else Shown.SHOWN for key, count in pupils.items()}

    changed = True
    while changed:
        changed = False
        for line in lines:
            keys = (*line.members, line.total)
            hidden = [key for key in keys if state[key].hidden]
            if len(hidden) != 1:
                continue
            candidates = [key for key in keys if not state[key].hidden and pupils[key] > 0 and key not in public]
            if not candidates:
                return _hide_everything(pupils)
            choice = min(candidates, key=lambda key: (key in totals, pupils[key], str(key)))
            state[choice] = Shown.WITHHELD
            changed = True
    return state


def _hide_everything(pupils: dict[Hashable, int]) -> dict[Hashable, Shown]:
    """Hide every key with pupils: the fallback when no line can be protected another way."""
    state = {}
    for key, count in pupils.items():
        if count == 0:
            state[key] = Shown.SHOWN
        elif count < MIN_GROUP_SIZE:
            state[key] = Shown.FEWER_THAN_5
        else:
            state[key] = Shown.WITHHELD
    return state


def one_way(groups: dict[Hashable, int], total_key: Hashable) -> dict[Hashable, Shown]:
    """Suppress the groups of one grouping, whose total (``total_key``) is the public whole."""
    pupils = {**groups, total_key: sum(groups.values())}
    return suppress(pupils, [Line(tuple(groups), total_key)], public=frozenset({total_key}))


def two_way(
    cells: dict[tuple[Hashable, Hashable], int],
    rows: list[Hashable],
    columns: list[Hashable],
) -> dict[Hashable, Shown]:
    """Suppress a crossed table of pupils with its row, column and grand totals.

    Keys of the result: ``(row, column)`` for cells, ``("row", row)`` and ``("column", column)``
    for the totals, which are also the groups of each grouping on its own, and ``"total"`` for
    the grand total (public). A missing cell has no pupils.
    """
    pupils: dict[Hashable, int] = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        pupils[("row", r)] = sum(pupils[(r, c)] for c in columns)
    for c in columns:
        pupils[("column", c)] = sum(pupils[(r, c)] for r in rows)
    pupils["total"] = sum(pupils[("row", r)] for r in rows)

    lines = [Line(tuple((r, c) for c in columns), ("row", r)) for r in rows]
    lines += [Line(tuple((r, c) for r in rows), ("column", c)) for c in columns]
    lines.append(Line(tuple(("row", r) for r in rows), "total"))
    lines.append(Line(tuple(("column", c) for c in columns), "total"))
    margins = frozenset(("row", r) for r in rows) | frozenset(("column", c) for c in columns)
    return suppress(pupils, lines, public=frozenset({"total"}), totals=margins)
