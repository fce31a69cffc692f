"""The per-pupil computation as one DuckDB query over a plain table of marks.

This is the yardstick for Rollbook's reports: the same bundle files loaded into a table
``marks(upn, school, date, session, code)`` and one SQL query that computes, per pupil:

- possible, attended, authorised and unauthorised sessions, with the code categories of the
  set the marks were recorded under;
- the attendance rate, rounded half up to one decimal place, and the persistent (10% or more
  absent) and severe (50% or more) absence flags;
- the maximum number of unauthorised sessions (``G N O U``) in any 12 consecutive school
  weeks, where a school week is a Monday-to-Sunday week in which the school has a mark on
  some day, so weeks without school days are skipped;
- the longest run of consecutive school days whose marked possible sessions are all ``N`` or
  ``O``. A day with no marked possible session (a closure, or a day off roll) is skipped.

It leaves out what Rollbook's rules add: compulsory school age, trigger stages, overdue
``N`` marks, medical and after-leave blocks, and the ``since`` date of each rule.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rollbook.policy.codes import Category, load_code_set

PER_PUPIL_QUERY = """
WITH categorised AS (
    SELECT m.school, m.upn, m.date, m.code, c.category
    FROM marks AS m JOIN code_categories AS c USING (code)
),
counts AS (
    SELECT school, upn,
        count(*) FILTER (WHERE category <> 'not_possible') AS possible_sessions,
        count(*) FILTER (WHERE category IN ('present', 'approved_educational_activity')) AS attended_sessions,
        count(*) FILTER (WHERE category = 'authorised') AS authorised_absences,
        count(*) FILTER (WHERE category = 'unauthorised') AS unauthorised_absences
    FROM categorised
    GROUP BY school, upn
),
school_weeks AS (
    SELECT school, week, row_number() OVER (PARTITION BY school ORDER BY week) AS week_number
    FROM (SELECT DISTINCT school, date_trunc('week', date) AS week FROM marks)
),
weekly AS (
    SELECT school, upn, date_trunc('week', date) AS week,
        count(*) FILTER (WHERE code IN ('G', 'N', 'O', 'U')) AS unauthorised
    FROM marks
    GROUP BY school, upn, week
),
windows AS (
    SELECT weekly.school, weekly.upn,
        sum(unauthorised) OVER (
            PARTITION BY weekly.school, weekly.upn ORDER BY week_number
            RANGE BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS in_window
    FROM weekly JOIN school_weeks USING (school, week)
),
max_window AS (
    SELECT school, upn, max(in_window) AS max_unauthorised_in_12_weeks
    FROM windows
    GROUP BY school, upn
),
days AS (
    SELECT school, upn, date, bool_and(code IN ('N', 'O')) AS block_day
    FROM categorised
    WHERE category <> 'not_possible'
    GROUP BY school, upn, date
),
islands AS (
    SELECT school, upn, block_day,
        row_number() OVER (PARTITION BY school, upn ORDER BY date)
        - row_number() OVER (PARTITION BY school, upn, block_day ORDER BY date) AS island
    FROM days
),
longest_block AS (
    SELECT school, upn, max(CASE WHEN block_day THEN length ELSE 0 END) AS longest_unauthorised_block
    FROM (SELECT school, upn, block_day, island, count(*) AS length FROM islands GROUP BY ALL)
    GROUP BY school, upn
)
SELECT
    counts.school, counts.upn,
    possible_sessions, attended_sessions, authorised_absences, unauthorised_absences,
    CASE WHEN possible_sessions > 0
        THEN ((2000 * attended_sessions + possible_sessions) // (2 * possible_sessions)) / 10
    END AS attendance_rate,
    possible_sessions > 0 AND 100 * (authorised_absences + unauthorised_absences) >= 10 * possible_sessions
        AS persistent_absence,
    possible_sessions > 0 AND 100 * (authorised_absences + unauthorised_absences) >= 50 * possible_sessions
        AS severe_absence,
    coalesce(max_unauthorised_in_12_weeks, 0) AS max_unauthorised_in_12_weeks,
    coalesce(longest_unauthorised_block, 0) AS longest_unauthorised_block
FROM counts
LEFT JOIN max_window USING (school, upn)
LEFT JOIN longest_block USING (school, upn)
ORDER BY counts.school, counts.upn
"""

RESULT_COLUMNS = (
    "school", "upn", "possible_sessions", "attended_sessions", "authorised_absences",
    "unauthorised_absences", "attendance_rate", "persistent_absence", "severe_absence",
    "max_unauthorised_in_12_weeks", "longest_unauthorised_block",
)


@dataclass(frozen=True)
class BaselineResult:
    """Timings of one baseline run and its per-pupil rows."""

    threads: int
    marks: int
    load_seconds: float
    query_seconds: list[float]
    rows: list[tuple]

    def by_pupil(self) -> dict[tuple[str, str], dict[str, object]]:
        """Return the rows keyed by (school URN, UPN), each as a dict of ``RESULT_COLUMNS``."""
        return {(row[0], row[1]): dict(zip(RESULT_COLUMNS, row)) for row in self.rows}


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB database, using ``threads`` threads (default: one per core)."""
    connection = duckdb.connect(":memory:")
    if threads is not None:
        connection.execute(f"SET threads = {int(threads)}")
    return connection


def load_marks(connection: duckdb.DuckDBPyConnection, bundles: Sequence[Path], code_set_name: str) -> int:
    """Load the marks of the given bundle folders into table ``marks`` and return its row count.

    The school column is the name of each bundle's folder (its URN). Also creates table
    ``code_categories`` from the code set.
    """
    files = [str(folder / "marks.csv") for folder in bundles]
    connection.execute(
        """
        CREATE OR REPLACE TABLE marks AS
        SELECT regexp_extract(filename, '([^/]+)/marks\\.csv$', 1) AS school, upn, date, session, code
        FROM read_csv(?, header = true, filename = true,
                      columns = {'upn': 'VARCHAR', 'date': 'DATE', 'session': 'VARCHAR',
                                 'code': 'VARCHAR', 'minutes_late': 'INTEGER'})
        """,
        [files],
    )
    code_set = load_code_set(code_set_name)
    connection.execute("CREATE OR REPLACE TABLE code_categories (code VARCHAR, category VARCHAR)")
    connection.executemany(
        "INSERT INTO code_categories VALUES (?, ?)",
        [(code, category.value) for category in Category for code in code_set.codes_in(category)],
    )
    return connection.execute("SELECT count(*) FROM marks").fetchone()[0]


def run_baseline(bundles: Sequence[Path], code_set_name: str, repeats: int = 3, threads: int | None = None) -> BaselineResult:
    """Load the bundles' marks and time the per-pupil query ``repeats`` times."""
    connection = connect(threads)
    started = time.perf_counter()
    marks = load_marks(connection, bundles, code_set_name)
    load_seconds = time.perf_counter() - started

    timings = []
    rows: list[tuple] = []
    for _ in range(repeats):
        started = time.perf_counter()
        rows = connection.execute(PER_PUPIL_QUERY).fetchall()
        timings.append(time.perf_counter() - started)
    used_threads = connection.execute("SELECT current_setting('threads')").fetchone()[0]
    connection.close()
    return BaselineResult(threads=int(used_threads), marks=marks, load_seconds=load_seconds, query_seconds=timings, rows=rows)
