"""Small-group suppression: tables of pupils per group and which groups may be shown."""

from __future__ import annotations

import pytest

from rollbook.statistics.suppression import Line, Shown, one_way, two_way

SHOWN, SMALL, WITHHELD = Shown.SHOWN, Shown.FEWER_THAN_5, Shown.WITHHELD


def hidden_per_line(states, lines):
    return [sum(states[key].hidden for key in (*line.members, line.total)) for line in lines]


ONE_WAY_CASES = [
    # groups: pupils per group; expected: how each group is shown (the public total is "all")
    pytest.param({"a": 5, "b": 6}, {"a": SHOWN, "b": SHOWN}, id="no small group"),
    pytest.param({"a": 3, "b": 10, "c": 12}, {"a": SMALL, "b": WITHHELD, "c": SHOWN}, id="one small, smallest other withheld"),
    pytest.param({"a": 3, "b": 4, "c": 20}, {"a": SMALL, "b": SMALL, "c": SHOWN}, id="two small protect each other"),
    pytest.param({"a": 0, "b": 3, "c": 10}, {"a": SHOWN, "b": SMALL, "c": WITHHELD}, id="empty group cannot protect"),
    pytest.param({"a": 1, "b": 40}, {"a": SMALL, "b": WITHHELD}, id="two groups both hidden"),
    pytest.param({"a": 4, "b": 5}, {"a": SMALL, "b": WITHHELD}, id="boundary 4 and 5"),
]


@pytest.mark.parametrize(("groups", "expected"), ONE_WAY_CASES)
def test_one_way_suppression(groups, expected):
    states = one_way(groups, "all")

    assert {key: states[key] for key in groups} == expected
    assert states["all"] is SHOWN
    assert hidden_per_line(states, [Line(tuple(groups), "all")])[0] != 1


def test_one_way_whole_school_small():
    states = one_way({"a": 2}, "all")

    assert states == {"a": SMALL, "all": SMALL}


TWO_WAY_CASES = [
    pytest.param(
        # FSM by year group: one small cell; three more withheld, the totals stay.
        {("fsm", "3"): 3, ("fsm", "4"): 6, ("other", "3"): 7, ("other", "4"): 8},
        ["fsm", "other"], ["3", "4"],
        {("fsm", "3"): SMALL, ("fsm", "4"): WITHHELD, ("other", "3"): WITHHELD, ("other", "4"): WITHHELD,
         ("row", "fsm"): SHOWN, ("row", "other"): SHOWN, ("column", "3"): SHOWN, ("column", "4"): SHOWN},
        id="small cell withholds its row and column",
    ),
    pytest.param(
        # Nothing small: everything shown.
        {("a", "x"): 5, ("a", "y"): 9, ("b", "x"): 12, ("b", "y"): 30},
        ["a", "b"], ["x", "y"],
        {("a", "x"): SHOWN, ("a", "y"): SHOWN, ("b", "x"): SHOWN, ("b", "y"): SHOWN,
         ("row", "a"): SHOWN, ("row", "b"): SHOWN, ("column", "x"): SHOWN, ("column", "y"): SHOWN},
        id="no small cell",
    ),
    pytest.param(
        # A small row total: the other row total is withheld too, because subtracting it from
        # the whole school would give the small one. In the column, a cell goes before the total.
        {("a", "x"): 3, ("b", "x"): 10, ("b", "y"): 10},
        ["a", "b"], ["x", "y"],
        {("a", "x"): SMALL, ("a", "y"): SHOWN, ("b", "x"): WITHHELD, ("b", "y"): SHOWN,
         ("row", "a"): SMALL, ("row", "b"): WITHHELD, ("column", "x"): SHOWN, ("column", "y"): SHOWN},
        id="small margin withholds the other margin",
    ),
    pytest.param(
        # Two small cells in one row protect each other there; their columns need one more each.
        {("a", "x"): 2, ("a", "y"): 2, ("a", "z"): 20, ("b", "x"): 6, ("b", "y"): 9, ("b", "z"): 30},
        ["a", "b"], ["x", "y", "z"],
        {("a", "x"): SMALL, ("a", "y"): SMALL, ("a", "z"): SHOWN, ("b", "x"): WITHHELD, ("b", "y"): WITHHELD, ("b", "z"): SHOWN,
         ("row", "a"): SHOWN, ("row", "b"): SHOWN, ("column", "x"): SHOWN, ("column", "y"): SHOWN, ("column", "z"): SHOWN},
        id="two small cells in a row",
    ),
]


@pytest.mark.parametrize(("cells", "rows", "columns", "expected"), TWO_WAY_CASES)
def test_two_way_suppression(cells, rows, columns, expected):
    states = two_way(cells, rows, columns)

    assert {key: states[key] for key in expected} == expected
    assert states["total"] is SHOWN


@pytest.mark.parametrize(("cells", "rows", "columns", "expected"), TWO_WAY_CASES)
def test_two_way_no_line_has_one_hidden(cells, rows, columns, expected):
    states = two_way(cells, rows, columns)
    lines = [Line(tuple((r, c) for c in columns), ("row", r)) for r in rows]
    lines += [Line(tuple((r, c) for r in rows), ("column", c)) for c in columns]
    lines += [Line(tuple(("row", r) for r in rows), "total"), Line(tuple(("column", c) for c in columns), "total")]

    assert 1 not in hidden_per_line(states, lines)
