"""Breakdowns of session counts add up to the totals of ``count_sessions`` over the same range."""

import numpy as np

from rollbook.policy.breakdown import approved_activity_sessions, by_week, by_weekday_and_session, code_use
from rollbook.policy.measures import count_sessions
from rollbook.policy.tests.builders import D, Pupil, nth_day, year_marks

MARKS = {
    # Present, then ill, an educational visit (V), late (L), unauthorised (O) and a closure (#).
    "A": "/*3 I*2 V L|\\ O|/ # /*5",
    # Joins on the 4th school day, so earlier marks do not count.
    "B": Pupil("N*3 /*10", admitted=nth_day(4)),
    "C": "B|/ /*12",
}
START, END = nth_day(1), nth_day(14)


def test_breakdown_totals_match_count_sessions():
    marks = year_marks(MARKS)
    counts = count_sessions(marks, START, END)
    weekdays = by_weekday_and_session(marks, START, END)
    weeks = by_week(marks, START, END)

    assert sum(cell.possible for cell in weekdays.values()) == counts.possible.sum()
    assert sum(cell.attended for cell in weekdays.values()) == counts.attended.sum()
    assert sum(cell.possible for cell in weeks.values()) == counts.possible.sum()
    assert sum(cell.attended for cell in weeks.values()) == counts.attended.sum()


def test_approved_activity_sessions_per_pupil():
    marks = year_marks(MARKS)

    assert approved_activity_sessions(marks, START, END).tolist() == [2, 0, 1]


def test_code_use_counts_on_roll_sessions_only():
    marks = year_marks(MARKS)
    use = code_use(marks, START, END)

    assert "N" not in use
    assert use["I"] == 4
    assert use["#"] == 2
    assert use["B"] == 1
    assert use["L"] == 1
    assert use["O"] == 1


def test_code_use_for_selected_rows():
    marks = year_marks(MARKS)
    use = code_use(marks, START, END, rows=np.array([False, False, True]))

    # "B|/" is B in the morning and / in the afternoon.
    assert use == {"B": 1, "/": 13, "\\": 12}


def test_weekday_cells_cover_every_weekday():
    marks = year_marks(MARKS)
    cells = by_weekday_and_session(marks, START, END)

    assert sorted(cells) == [(d, s) for d in range(5) for s in (0, 1)]
    # Days 1, 6 and 11 are Mondays; pupil B is not on roll on day 1.
    assert cells[(0, 0)].possible == 2 + 3 + 3


def test_weeks_keyed_by_monday_in_order():
    marks = year_marks(MARKS)

    assert list(by_week(marks, START, END)) == [D(2025, 9, 1), D(2025, 9, 8), D(2025, 9, 15)]
