"""Year-end projections worked by hand on the 2025/26 calendar (195 school days).

Every case projects as of Friday 24 October 2025, the 40th school day and the last of the
first half-term: 80 sessions so far, 155 school days (310 sessions) to come.
"""

from decimal import Decimal
from fractions import Fraction

from rollbook.policy.projection import project_year_end, recent_start, remaining_sessions
from rollbook.policy.tests.builders import CALENDAR_2025, D, Pupil, nth_day, year_marks

AS_OF = D(2025, 10, 24)


def only(marks):
    (projection,) = project_year_end(marks, AS_OF)
    return projection


def test_projection_calendar_facts():
    assert nth_day(40) == AS_OF
    assert len(CALENDAR_2025.school_days) == 195
    assert recent_start(year_marks({"A": ""}), AS_OF) == nth_day(21)


def test_projection_recent_fall_crosses_threshold():
    # So far 74 of 80 (7.5% absence), recent 34 of 40: expected rate (37/40 + 34/40) / 2 = 71/80.
    # Year end: absence 6 + 310 * 9/80 = 40.875 of 390 sessions = 10.48%, attendance 89.5%.
    projection = only(year_marks({"A": "/*37 N*3"}))

    assert (projection.attended, projection.possible) == (74, 80)
    assert (projection.recent_attended, projection.recent_possible) == (34, 40)
    assert projection.remaining == 310
    assert projection.expected_rate == Fraction(71, 80)
    assert projection.projected_attended == Fraction(349125, 1000)
    assert projection.projected_rate == Decimal("89.5")
    assert not projection.persistent_now
    assert projection.persistent_at_year_end
    assert projection.likely_to_become_persistent


def test_projection_steady_pupil_not_at_risk():
    # So far 76 of 80, recent 36 of 40: expected 37/40; absence 4 + 23.25 = 27.25 of 390 = 6.99%.
    projection = only(year_marks({"A": "/*38 N*2"}))

    assert projection.expected_rate == Fraction(37, 40)
    assert projection.projected_rate == Decimal("93.0")
    assert not projection.persistent_at_year_end
    assert not projection.likely_to_become_persistent


def test_projection_already_persistent_is_not_listed_as_likely():
    # 16 sessions absent of 80 (20%), all present recently: expected 9/10, still 46 of 390 absent.
    projection = only(year_marks({"A": "N*8 /*32"}))

    assert projection.persistent_now
    assert projection.expected_rate == Fraction(9, 10)
    assert projection.persistent_at_year_end
    assert not projection.likely_to_become_persistent


def test_projection_threshold_exactly_reached_with_nothing_to_come():
    # A pupil leaving on the projection day has no session to come: 8 of 80 absent is exactly 10%.
    at_threshold = only(year_marks({"A": Pupil("/*36 N*4", left=AS_OF)}))
    below = only(year_marks({"A": Pupil("/*37 N*3", left=AS_OF)}))

    assert at_threshold.remaining == 0
    assert at_threshold.persistent_at_year_end
    assert at_threshold.persistent_now
    assert below.remaining == 0
    assert not below.persistent_at_year_end


def test_projection_without_recent_sessions_uses_rate_so_far():
    # Marks stop on day 20; the last 20 school days have no mark, so only the rate so far counts.
    projection = only(year_marks({"A": "/*18 N*2"}))

    assert projection.recent_possible == 0
    assert projection.expected_rate == Fraction(36, 40)


def test_projection_leaves_out_pupil_without_sessions():
    marks = year_marks({"A": "/*40", "B": ""})

    assert [p.upn for p in project_year_end(marks, AS_OF)] == ["A"]


def test_remaining_sessions_skip_planned_closures():
    # Two closure days already marked # after the projection day are not sessions to come.
    marks = year_marks({"A": "/*40 #*2", "B": "/*40"})

    assert remaining_sessions(marks, AS_OF).tolist() == [306, 310]


def test_remaining_sessions_skip_calendar_closures():
    from rollbook.policy.calendar import Closure, SchoolCalendar, Session

    calendar = SchoolCalendar(
        2025,
        CALENDAR_2025.half_terms,
        closures=(
            Closure(D(2025, 11, 3), D(2025, 11, 3), label="INSET day"),
            Closure(D(2025, 11, 4), D(2025, 11, 4), session=Session.PM, label="Training"),
            Closure(D(2025, 11, 5), D(2025, 11, 5), year_groups=frozenset({"R"}), label="Reception visits"),
        ),
    )
    marks = year_marks({"A": "/*40"}, calendar=calendar)

    # A whole day and an afternoon for everyone; the Reception-only day is not known to apply.
    assert remaining_sessions(marks, AS_OF).tolist() == [310 - 3]
