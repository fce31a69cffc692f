"""Generate synthetic school bundles for the benchmarks.

Two sets, each a folder of school bundles in the format ``rollbook import bundle`` reads:

- ``one-school``: one lower school (Reception to Year 4) with 330 pupils.
- ``la``: a local authority of 150 primary, lower and junior schools with 50,000 pupils in
  all, about 19 million marks.

Both cover the academic year 2025/26 with the half-terms of a local authority's published
term dates for that year, five INSET closures per school, and a complete register: every
possible session of every pupil on roll has one mark. Everything is synthetic. Names are
drawn from short lists, and UPNs and URNs are made up, with valid check letters. Marks come
from a random model of illness, appointments, lateness, term-time holidays, truancy and trips,
tuned to about 94% attendance with about 16% of pupils persistently absent, near the national
figures for primary schools.

The output depends only on the seed and the set sizes: school ``i`` of a set is the same
whether 15 or 150 schools are written, so a subset run reads the first schools of the full set.
``bench/out/data/SET/manifest.json`` records what was written; an existing set with the same
parameters is reused.

Usage: ``python -m bench.generate [--set one-school|la|both] [--schools N] [--out DIR]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rollbook.policy.calendar import Closure, HalfTerm, SchoolCalendar, Session
from rollbook.policy.upn import CHECK_ALPHABET, check_letter

logger = logging.getLogger("bench.generate")

# Bump when the output changes, so that old sets are written again instead of reused.
GENERATOR_VERSION = 1

DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "data"
DEFAULT_SEED = 20250901
ACADEMIC_YEAR = 2025
LA_CODE = "823"
LA_SCHOOLS = 150
LA_PUPILS = 50_000
ONE_SCHOOL_PUPILS = 330

# Half-terms of 2025/26, read from Sheffield's published school holidays for 2025 to 2028.
HALF_TERMS = (
    HalfTerm("autumn-1", dt.date(2025, 9, 1), dt.date(2025, 10, 24)),
    HalfTerm("autumn-2", dt.date(2025, 11, 3), dt.date(2025, 12, 19)),
    HalfTerm("spring-1", dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
    HalfTerm("spring-2", dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
    HalfTerm("summer-1", dt.date(2026, 4, 13), dt.date(2026, 5, 22)),
    HalfTerm("summer-2", dt.date(2026, 6, 1), dt.date(2026, 7, 20)),
)
# Days a school may choose for its five INSET closures: the ends and starts of half-terms.
INSET_CANDIDATES = (
    dt.date(2025, 9, 1), dt.date(2025, 9, 2), dt.date(2025, 10, 24), dt.date(2025, 11, 3),
    dt.date(2026, 1, 5), dt.date(2026, 2, 23), dt.date(2026, 4, 13), dt.date(2026, 6, 1),
    dt.date(2026, 7, 20),
)
POLLING_DAY = dt.date(2026, 5, 7)
SNOW_DAY = dt.date(2026, 1, 8)
RECEPTION_PART_TIME = (dt.date(2025, 9, 3), dt.date(2025, 9, 5))
MULTIPLICATION_CHECK = (dt.date(2026, 6, 1), dt.date(2026, 6, 12))

CLASS_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

# Codes the generator writes (all in the school-2023 set), by local number. PRESENT is a
# placeholder in the day matrix that becomes / or \ when days are split into sessions.
CODES = ("", "/", "\\", "L", "U", "I", "M", "N", "O", "G", "H", "C", "E", "V", "P", "#", "Y")
(PRESENT, AM_PRESENT, PM_PRESENT, LATE, LATE_AFTER_CLOSE, ILLNESS, MEDICAL, NO_REASON,
 UNAUTHORISED, UNAUTHORISED_HOLIDAY, AUTHORISED_HOLIDAY, LEAVE, EXCLUDED, TRIP, SPORT,
 CLOSED, UNPLANNED_CLOSURE) = range(len(CODES))

SCHOOL_KINDS = {
    "Primary School": ("R", "1", "2", "3", "4", "5", "6"),
    "Lower School": ("R", "1", "2", "3", "4"),
    "Junior School": ("3", "4", "5", "6"),
}
PLACE_STARTS = ("Ash", "Birch", "Brook", "Cedar", "Clay", "Elm", "Fern", "Hazel", "Holly", "Kings",
                "Lark", "Maple", "Mill", "Oak", "Rowan", "Stan", "Thorn", "Well", "Willow", "Wood")
PLACE_ENDS = ("bridge", "bury", "combe", "field", "ford", "gate", "ham", "hill", "hurst", "ley",
              "mead", "ton", "wick", "worth")
FORENAMES = ("Alex", "Amara", "Ava", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Harry",
             "Isla", "Jack", "Kai", "Leo", "Lily", "Maya", "Noah", "Olivia", "Oscar", "Priya",
             "Ruby", "Sam", "Theo", "Yusuf", "Zara")
SURNAMES = ("Ahmed", "Baker", "Clarke", "Davies", "Evans", "Green", "Hall", "Hussain", "Jones",
            "Khan", "Lewis", "Martin", "Nowak", "Patel", "Roberts", "Shaw", "Smith", "Taylor",
            "Walker", "Wilson", "Wright", "Young")
ETHNICITIES = ("WBRI", "WOTH", "WIRI", "MWBC", "MWBA", "MWAS", "AIND", "APKN", "ABAN", "BAFR",
               "BCRB", "CHNE", "AOTH", "OOTH", "REFU")
ETHNICITY_WEIGHTS = (0.62, 0.07, 0.01, 0.02, 0.01, 0.02, 0.03, 0.06, 0.02, 0.04, 0.01, 0.01, 0.02, 0.02, 0.04)


@dataclass(frozen=True)
class SchoolSpec:
    """One school to generate: its identifiers, year groups and number of pupils."""

    index: int
    urn: str
    name: str
    establishment: str  # the 4-digit DfE establishment number inside its pupils' UPNs
    year_groups: tuple[str, ...]
    pupils: int


@dataclass
class SchoolData:
    """One generated school, ready to be written as a bundle."""

    spec: SchoolSpec
    calendar_rows: list[dict[str, str]]
    pupil_rows: list[dict[str, str]]
    upns: list[str]
    school_days: tuple[dt.date, ...]
    codes: np.ndarray  # (pupils, 2 * school days) local code numbers; rows follow ``upns``
    minutes_late: np.ndarray  # same shape; 0 where the code takes no minutes
    on_roll: np.ndarray  # same shape, bool: the session has a mark


def la_specs(schools: int = LA_SCHOOLS, pupils: int = LA_PUPILS, seed: int = DEFAULT_SEED) -> list[SchoolSpec]:
    """Return the specs of every school of the local-authority set, in index order."""
    rng = np.random.default_rng([seed, 1])
    sizes = rng.lognormal(mean=0.0, sigma=0.45, size=schools)
    sizes = np.maximum(np.round(sizes / sizes.sum() * pupils).astype(np.int64), 60)
    sizes[np.argmax(sizes)] += pupils - sizes.sum()
    kinds = rng.choice(list(SCHOOL_KINDS), size=schools, p=[0.6, 0.25, 0.15])
    names = set()
    specs = []
    for index in range(schools):
        name = f"{PLACE_STARTS[index % len(PLACE_STARTS)]}{PLACE_ENDS[(index // len(PLACE_STARTS) + index) % len(PLACE_ENDS)]}"
        while name in names:
            name += " Park"
        names.add(name)
        specs.append(
            SchoolSpec(
                index=index,
                urn=f"{900001 + index:06d}",
                name=f"{name} {kinds[index]}",
                establishment=f"{2001 + index:04d}",
                year_groups=SCHOOL_KINDS[str(kinds[index])],
                pupils=int(sizes[index]),
            )
        )
    return specs


def one_school_spec() -> SchoolSpec:
    return SchoolSpec(
        index=0,
        urn="800001",
        name="Ashcombe Lower School",
        establishment="5001",
        year_groups=SCHOOL_KINDS["Lower School"],
        pupils=ONE_SCHOOL_PUPILS,
    )


def school_calendar(spec: SchoolSpec, rng: np.random.Generator) -> tuple[SchoolCalendar, list[dict[str, str]]]:
    """Choose the school's closures and assessment periods, and return its calendar and CSV rows."""
    rows = [
        {"type": "half_term", "start_date": h.start.isoformat(), "end_date": h.end.isoformat(),
         "label": h.label, "session": "", "year_groups": ""}
        for h in HALF_TERMS
    ]
    closures = []
    inset_days = sorted(rng.choice(len(INSET_CANDIDATES), size=5, replace=False))
    for day in (INSET_CANDIDATES[i] for i in inset_days):
        closures.append(Closure(start=day, end=day, label="INSET day"))
    if rng.random() < 0.15:
        closures.append(Closure(start=POLLING_DAY, end=POLLING_DAY, label="Polling station"))
    if "R" in spec.year_groups and rng.random() < 0.4:
        first, last = RECEPTION_PART_TIME
        closures.append(
            Closure(start=first, end=last, session=Session.PM, year_groups=frozenset({"R"}), label="Reception mornings only")
        )
    for closure in closures:
        rows.append(
            {"type": "closure", "start_date": closure.start.isoformat(), "end_date": closure.end.isoformat(),
             "label": closure.label, "session": closure.session.value if closure.session else "",
             "year_groups": ";".join(sorted(closure.year_groups))}
        )
    if "4" in spec.year_groups:
        first, last = MULTIPLICATION_CHECK
        rows.append(
            {"type": "assessment", "start_date": first.isoformat(), "end_date": last.isoformat(),
             "label": "Multiplication tables check", "session": "", "year_groups": ""}
        )
    calendar = SchoolCalendar(academic_year=ACADEMIC_YEAR, half_terms=HALF_TERMS, closures=tuple(closures))
    return calendar, rows


def _random_dates(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Return one uniformly random date between each pair of ordinals (inclusive) as ordinals."""
    return first + (rng.random(len(first)) * (last - first + 1)).astype(np.int64)


def generate_pupils(spec: SchoolSpec, rng: np.random.Generator, school_days: tuple[dt.date, ...]) -> dict[str, np.ndarray]:
    """Draw the school's pupils: identity, year group, flags and time on roll (as school-day indices)."""
    n = spec.pupils
    days = len(school_days)
    year_group_index = np.sort(rng.integers(0, len(spec.year_groups), size=n))
    year_groups = np.array(spec.year_groups)[year_group_index]
    age_offset = np.array([0 if g == "R" else int(g) for g in year_groups])  # years above Reception

    # Born in the academic year that puts them in their year group in 2025/26.
    born_first = np.array([dt.date(2020 - a, 9, 1).toordinal() for a in age_offset])
    born_last = np.array([dt.date(2021 - a, 8, 31).toordinal() for a in age_offset])
    date_of_birth = _random_dates(rng, born_first, born_last)

    # Classes of at most 30, in order within each year group.
    class_names = np.empty(n, dtype=object)
    for group in spec.year_groups:
        members = np.flatnonzero(year_groups == group)
        classes = -(-len(members) // 30) or 1
        letters = np.arange(len(members)) * classes // max(len(members), 1)
        class_names[members] = [f"{group}{CLASS_LETTERS[i]}" for i in letters]

    # Most pupils are on roll all year. Some join or leave part-way, always on a school day.
    first_day = np.zeros(n, dtype=np.int64)
    last_day = np.full(n, days - 1, dtype=np.int64)
    joins = rng.random(n) < 0.04
    first_day[joins] = rng.integers(10, days - 20, size=joins.sum())
    leaves = rng.random(n) < 0.03
    last_day[leaves] = np.maximum(first_day[leaves] + 5, rng.integers(20, days - 10, size=leaves.sum()))
    last_day = np.minimum(last_day, days - 1)
    entry_year = ACADEMIC_YEAR - age_offset  # the September the pupil started Reception
    if "R" not in spec.year_groups:
        entry_year = np.full(n, ACADEMIC_YEAR) - (age_offset - int(spec.year_groups[0]))
    admission = np.array([dt.date(int(y), 9, 1).toordinal() for y in entry_year])
    admission[joins] = [school_days[i].toordinal() for i in first_day[joins]]
    leaving = np.full(n, -1, dtype=np.int64)
    leaving[leaves] = [school_days[i].toordinal() for i in last_day[leaves]]

    # A UPN body is the LA number, the establishment number, the year of allocation and a
    # serial. About 1 in 200 is a temporary UPN, which ends in a letter.
    allocation_year = np.where(joins, ACADEMIC_YEAR, entry_year) % 100
    serial = np.zeros(n, dtype=np.int64)
    for year in np.unique(allocation_year):
        members = np.flatnonzero(allocation_year == year)
        serial[members] = np.arange(len(members)) + rng.integers(0, 100)
    temporary = rng.random(n) < 0.005
    bodies = []
    for i in range(n):
        head = f"{LA_CODE}{spec.establishment}{allocation_year[i]:02d}"
        if temporary[i]:
            bodies.append(f"{head}{serial[i] % 100:02d}{CHECK_ALPHABET[serial[i] % 23]}")
        else:
            bodies.append(f"{head}{serial[i]:03d}")
    upns = np.array([check_letter(body) + body for body in bodies])
    if len(set(upns.tolist())) != n:
        raise RuntimeError(f"school {spec.urn}: generated UPNs are not unique")

    fsm = rng.random(n) < 0.25
    sen = rng.choice(np.array(["N", "K", "E", ""]), size=n, p=[0.80, 0.13, 0.03, 0.04])
    return {
        "upn": upns,
        "forename": rng.choice(np.array(FORENAMES), size=n),
        "surname": rng.choice(np.array(SURNAMES), size=n),
        "date_of_birth": date_of_birth,
        "sex": rng.choice(np.array(["F", "M"]), size=n),
        "year_group": year_groups,
        "class": class_names,
        "admission": admission,
        "leaving": leaving,
        "first_day": first_day,
        "last_day": last_day,
        "sen": sen,
        "fsm": fsm,
        "pupil_premium": fsm | (rng.random(n) < 0.05),
        "looked_after": rng.random(n) < 0.01,
        "child_in_need": rng.random(n) < 0.03,
        "young_carer": rng.random(n) < 0.01,
        "eal": rng.random(n) < 0.2,
        "ethnicity": rng.choice(np.array(ETHNICITIES), size=n, p=np.array(ETHNICITY_WEIGHTS) / sum(ETHNICITY_WEIGHTS)),
    }


def _place_blocks(days: np.ndarray, rows: np.ndarray, starts: np.ndarray, lengths: np.ndarray, code: int) -> None:
    """Set ``code`` on runs of consecutive school days, one run per (row, start, length), in place."""
    if len(rows) == 0:
        return
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    run_starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    day = np.repeat(starts, lengths) + (np.arange(total) - run_starts)
    row = np.repeat(rows, lengths)
    keep = (day >= 0) & (day < days.shape[1])
    days[row[keep], day[keep]] = code


def generate_day_codes(pupils: dict[str, np.ndarray], rng: np.random.Generator, school_days: tuple[dt.date, ...]) -> np.ndarray:
    """Draw whole-day absences: illness, term-time holidays, truancy, exclusions and trips."""
    n = len(pupils["upn"])
    days_count = len(school_days)
    days = np.full((n, days_count), PRESENT, dtype=np.uint8)
    risk = 1.0 + 0.4 * pupils["fsm"] + 0.3 * (pupils["sen"] == "K") + 0.6 * (pupils["sen"] == "E")

    # Illness: a pupil-specific number of episodes of one to a few days.
    episodes = rng.poisson(rng.gamma(shape=1.1, scale=3.4, size=n) * risk)
    rows = np.repeat(np.arange(n), episodes)
    _place_blocks(days, rows, rng.integers(0, days_count, size=len(rows)),
                  np.minimum(rng.geometric(0.5, size=len(rows)), 8), ILLNESS)

    # Long illness: about 1 pupil in 150 is off for three to seven weeks.
    rows = np.flatnonzero(rng.random(n) < 0.007)
    _place_blocks(days, rows, rng.integers(0, days_count - 15, size=len(rows)), rng.integers(15, 36, size=len(rows)), ILLNESS)

    # Term-time holidays, mostly next to a break: unauthorised (G) for 8% of pupils, granted
    # (H) for 1%.
    half_term_ends = np.array([i for i in range(days_count - 1) if (school_days[i + 1] - school_days[i]).days > 3])
    for code, share in ((UNAUTHORISED_HOLIDAY, 0.08), (AUTHORISED_HOLIDAY, 0.01)):
        rows = np.flatnonzero(rng.random(n) < share)
        lengths = rng.integers(3, 11, size=len(rows))
        ends = rng.choice(half_term_ends, size=len(rows))
        before = rng.random(len(rows)) < 0.6
        starts = np.where(before, ends - lengths + 1, ends + 1)
        _place_blocks(days, rows, starts, lengths, code)

    # Scattered unauthorised days (O) for a fifth of pupils.
    counts = rng.poisson(np.where(rng.random(n) < 0.2, 2.5 * risk, 0.0))
    rows = np.repeat(np.arange(n), counts)
    _place_blocks(days, rows, rng.integers(0, days_count, size=len(rows)), np.ones(len(rows), dtype=np.int64), UNAUTHORISED)

    # Long unauthorised absence: about 1 pupil in 100 misses one to five weeks.
    rows = np.flatnonzero(rng.random(n) < 0.01)
    _place_blocks(days, rows, rng.integers(0, days_count - 10, size=len(rows)), rng.integers(5, 26, size=len(rows)), UNAUTHORISED)

    # Severe absence: about 1 pupil in 100 is away on about half of the days, unexplained
    # or ill.
    severe_absentees = np.flatnonzero(rng.random(n) < 0.01)
    away = rng.random((len(severe_absentees), days_count)) < rng.uniform(0.35, 0.8, size=(len(severe_absentees), 1))
    reasons = np.where(rng.random(away.shape) < 0.6, UNAUTHORISED, ILLNESS).astype(np.uint8)
    days[severe_absentees] = np.where(away, reasons, days[severe_absentees])

    # Exclusions without provision and other granted leave.
    for code, share in ((EXCLUDED, 0.003), (LEAVE, 0.01)):
        rows = np.flatnonzero(rng.random(n) < share)
        _place_blocks(days, rows, rng.integers(0, days_count, size=len(rows)), rng.integers(1, 4, size=len(rows)), code)

    # Three whole-day trips, each for one year group. Only pupils who came that day go.
    for _ in range(3):
        day = rng.integers(0, days_count)
        group = rng.choice(np.unique(pupils["year_group"]))
        going = (pupils["year_group"] == group) & (days[:, day] == PRESENT)
        days[going, day] = TRIP

    # Absences of the last week still have no reason recorded.
    recent = days[:, -5:]
    recent[(recent == ILLNESS) | (recent == UNAUTHORISED)] = NO_REASON
    return days


def split_sessions(
    days: np.ndarray, pupils: dict[str, np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Turn day codes into AM and PM marks and add session-level events with minutes late."""
    n, days_count = days.shape
    sessions = np.repeat(days, 2, axis=1)
    am = sessions[:, 0::2]
    pm = sessions[:, 1::2]
    am[am == PRESENT] = AM_PRESENT
    pm[pm == PRESENT] = PM_PRESENT
    minutes = np.zeros(sessions.shape, dtype=np.int16)
    present = (sessions == AM_PRESENT) | (sessions == PM_PRESENT)
    is_am = np.zeros(sessions.shape, dtype=bool)
    is_am[:, 0::2] = True

    # Late before the register closed (L): mornings 1 to 19 minutes (the window is 08:55 to
    # 09:15), afternoons 1 to 9 (13:20 to 13:30). Late after it closed (U): 20 to 55 minutes.
    lateness = np.minimum(rng.gamma(shape=0.7, scale=0.03, size=n), 0.4)[:, None]
    draw = rng.random(sessions.shape)
    late = present & is_am & (draw < lateness)
    late_pm = present & ~is_am & (draw < lateness * 0.1)
    after_close = late & (draw < lateness * 0.08)
    sessions[late | late_pm] = LATE
    minutes[late] = rng.integers(1, 20, size=late.sum())
    minutes[late_pm] = rng.integers(1, 10, size=late_pm.sum())
    sessions[after_close] = LATE_AFTER_CLOSE
    minutes[after_close] = rng.integers(20, 56, size=after_close.sum())

    # Appointments (M), going home ill in the afternoon (I), sport (P) and unexplained
    # single sessions (N).
    present = (sessions == AM_PRESENT) | (sessions == PM_PRESENT)
    draw = rng.random(sessions.shape)
    sessions[present & (draw < 0.004)] = MEDICAL
    sessions[present & ~is_am & (draw > 0.997)] = ILLNESS
    sessions[present & (draw > 0.4995) & (draw < 0.5)] = SPORT
    sessions[present & (draw > 0.6) & (draw < 0.6003)] = NO_REASON
    return sessions, minutes


def apply_calendar(
    sessions: np.ndarray,
    minutes: np.ndarray,
    pupils: dict[str, np.ndarray],
    calendar: SchoolCalendar,
    rng: np.random.Generator,
) -> np.ndarray:
    """Mark closures ``#``, an occasional snow day ``Y``, and return which sessions are on roll."""
    school_days = calendar.school_days
    index = {day: i for i, day in enumerate(school_days)}
    if rng.random() < 0.05:
        sessions[:, 2 * index[SNOW_DAY] : 2 * index[SNOW_DAY] + 2] = UNPLANNED_CLOSURE
    for closure in calendar.closures:
        covered = [i for day, i in index.items() if closure.start <= day <= closure.end]
        offsets = (0, 1) if closure.session is None else (closure.session.offset,)
        columns = [2 * i + offset for i in covered for offset in offsets]
        rows = np.ones(len(sessions), dtype=bool)
        if closure.year_groups:
            rows = np.isin(pupils["year_group"], sorted(closure.year_groups))
        sessions[np.ix_(rows, columns)] = CLOSED
    minutes[(sessions != LATE) & (sessions != LATE_AFTER_CLOSE)] = 0

    slots = np.arange(sessions.shape[1]) // 2
    on_roll = (slots[None, :] >= pupils["first_day"][:, None]) & (slots[None, :] <= pupils["last_day"][:, None])
    return on_roll


def generate_school(spec: SchoolSpec, seed: int, set_number: int) -> SchoolData:
    """Generate one school's calendar, pupils and complete register."""
    rng = np.random.default_rng([seed, set_number, spec.index])
    calendar, calendar_rows = school_calendar(spec, rng)
    school_days = calendar.school_days
    pupils = generate_pupils(spec, rng, school_days)
    days = generate_day_codes(pupils, rng, school_days)
    sessions, minutes = split_sessions(days, pupils, rng)
    on_roll = apply_calendar(sessions, minutes, pupils, calendar, rng)
    return SchoolData(
        spec=spec,
        calendar_rows=calendar_rows,
        pupil_rows=pupil_rows(pupils),
        upns=pupils["upn"].tolist(),
        school_days=school_days,
        codes=sessions,
        minutes_late=minutes,
        on_roll=on_roll,
    )


def _flag(values: np.ndarray) -> list[str]:
    return ["Y" if v else "N" for v in values.tolist()]


def pupil_rows(pupils: dict[str, np.ndarray]) -> list[dict[str, str]]:
    """Return the pupils as rows of ``pupils.csv``."""
    columns = {
        "upn": pupils["upn"].tolist(),
        "surname": pupils["surname"].tolist(),
        "forename": pupils["forename"].tolist(),
        "date_of_birth": [dt.date.fromordinal(int(d)).isoformat() for d in pupils["date_of_birth"]],
        "sex": pupils["sex"].tolist(),
        "year_group": pupils["year_group"].tolist(),
        "class": pupils["class"].tolist(),
        "admission_date": [dt.date.fromordinal(int(d)).isoformat() for d in pupils["admission"]],
        "leaving_date": ["" if d < 0 else dt.date.fromordinal(int(d)).isoformat() for d in pupils["leaving"]],
        "sen": pupils["sen"].tolist(),
        "fsm": _flag(pupils["fsm"]),
        "pupil_premium": _flag(pupils["pupil_premium"]),
        "looked_after": _flag(pupils["looked_after"]),
        "child_in_need": _flag(pupils["child_in_need"]),
        "young_carer": _flag(pupils["young_carer"]),
        "eal": _flag(pupils["eal"]),
        "ethnicity": pupils["ethnicity"].tolist(),
    }
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def _csv_line(values) -> str:
    # Generated values hold no comma, quote or line break, so none needs quoting.
    return ",".join(values) + "\n"


def write_bundle(data: SchoolData, folder: Path) -> int:
    """Write one school's bundle files into ``folder``; return the number of marks written."""
    spec = data.spec
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.toml").write_text(
        f'name = "{spec.name}"\n'
        f'urn = "{spec.urn}"\n'
        f'la_code = "{LA_CODE}"\n'
        'policy = "school-2023"\n'
        f"academic_year = {ACADEMIC_YEAR}\n"
        "\n[day]\n"
        'am_register = "08:55"\nam_close = "09:15"\npm_register = "13:20"\npm_close = "13:30"\n',
        encoding="utf-8",
    )
    with open(folder / "calendar.csv", "w", encoding="utf-8", newline="") as out:
        columns = ("type", "start_date", "end_date", "label", "session", "year_groups")
        out.write(_csv_line(columns))
        out.writelines(_csv_line(row[c] for c in columns) for row in data.calendar_rows)
    with open(folder / "pupils.csv", "w", encoding="utf-8", newline="") as out:
        columns = tuple(data.pupil_rows[0])
        out.write(_csv_line(columns))
        out.writelines(_csv_line(row[c] for c in columns) for row in data.pupil_rows)

    # Marks: one line per pupil and session on roll, built from per-slot and per-code text.
    slot_text = [f"{day.isoformat()},{session}" for day in data.school_days for session in ("AM", "PM")]
    code_text = [f"{code}," for code in CODES]
    minutes_text = [""] + [str(m) for m in range(1, 100)]
    pupil_index, slot_index = np.nonzero(data.on_roll)
    codes = data.codes[pupil_index, slot_index].tolist()
    minutes = data.minutes_late[pupil_index, slot_index].tolist()
    upns = data.upns
    lines = [
        f"{upns[p]},{slot_text[s]},{code_text[c]}{minutes_text[m]}\n"
        for p, s, c, m in zip(pupil_index.tolist(), slot_index.tolist(), codes, minutes)
    ]
    with open(folder / "marks.csv", "w", encoding="utf-8", newline="") as out:
        out.write("upn,date,session,code,minutes_late\n")
        out.writelines(lines)
    return len(lines)


@dataclass(frozen=True)
class SetParameters:
    """Parameters that determine a generated set's content. A set is reused only when all match."""

    name: str
    seed: int
    schools: int
    pupils: int
    generator_version: int = GENERATOR_VERSION


def set_parameters(name: str, seed: int = DEFAULT_SEED) -> SetParameters:
    if name == "one-school":
        return SetParameters(name=name, seed=seed, schools=1, pupils=ONE_SCHOOL_PUPILS)
    if name == "la":
        return SetParameters(name=name, seed=seed, schools=LA_SCHOOLS, pupils=LA_PUPILS)
    raise ValueError(f"set {name!r} is unknown; use one-school or la")


def set_specs(parameters: SetParameters) -> list[SchoolSpec]:
    if parameters.name == "one-school":
        return [one_school_spec()]
    return la_specs(parameters.schools, parameters.pupils, parameters.seed)


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def ensure_set(out: Path, name: str, schools: int | None = None, seed: int = DEFAULT_SEED) -> dict:
    """Write the first ``schools`` schools of a set (all when None) and return its manifest.

    Schools already written with the same parameters are kept. The manifest lists each
    school with its folder, pupils and marks.
    """
    parameters = set_parameters(name, seed)
    specs = set_specs(parameters)
    count = len(specs) if schools is None else schools
    if not 1 <= count <= len(specs):
        raise ValueError(f"cannot write {count} schools: the {name} set has 1 to {len(specs)} schools")
    folder = out / name
    manifest = read_manifest(folder)
    if manifest is None or manifest["parameters"] != asdict(parameters):
        manifest = {"parameters": asdict(parameters), "schools": []}
    done = {entry["urn"] for entry in manifest["schools"]}

    set_number = 1 if name == "one-school" else 2
    started = time.perf_counter()
    for spec in specs[:count]:
        if spec.urn in done:
            continue
        data = generate_school(spec, seed, set_number)
        marks = write_bundle(data, folder / spec.urn)
        manifest["schools"].append(
            {"index": spec.index, "urn": spec.urn, "name": spec.name, "folder": spec.urn,
             "pupils": spec.pupils, "marks": marks}
        )
        manifest["schools"].sort(key=lambda entry: entry["index"])
        # Written after each school, so an interrupted run keeps what it finished.
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        logger.info("wrote %s (%s pupils, %s marks)", folder / spec.urn, spec.pupils, marks)
    logger.info("set %s ready in %.1f s", name, time.perf_counter() - started)
    manifest["schools"] = [entry for entry in manifest["schools"] if entry["index"] < count]
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("one-school", "la", "both"), default="both", help="Which set to write (default: both).")
    parser.add_argument("--schools", type=int, help="Write only the first N schools of the la set (default: all 150).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"Folder for the sets (default: {DEFAULT_OUT}).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default: {DEFAULT_SEED}).")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    names = ("one-school", "la") if args.set == "both" else (args.set,)
    for name in names:
        manifest = ensure_set(args.out, name, args.schools if name == "la" else None, args.seed)
        marks = sum(entry["marks"] for entry in manifest["schools"])
        pupils = sum(entry["pupils"] for entry in manifest["schools"])
        print(f"{name}: {len(manifest['schools'])} schools, {pupils} pupils, {marks} marks in {args.out / name}")


if __name__ == "__main__":
    main()
