"""The demo bundle on its own: files, pupils, calendar and marks, read back from the CSV files."""

import csv
import datetime as dt
import tomllib
from collections import Counter, defaultdict

import pytest

from rollbook.demo.generator import DEFAULT_SEED, class_names, generate_bundle
from rollbook.demo.people import birth_range
from rollbook.demo.terms import demo_year
from rollbook.policy.calendar import Session
from rollbook.policy.codes import Category
from rollbook.policy.settings import load_preset
from rollbook.policy.upn import upn_problem

CODE_SET = load_preset("school-2023").code_set
ABSENT = (Category.AUTHORISED, Category.UNAUTHORISED)


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return generate_bundle(tmp_path_factory.mktemp("demo") / "bundle")


@pytest.fixture(scope="module")
def pupils(bundle):
    return read_csv(bundle.folder / "pupils.csv")


@pytest.fixture(scope="module")
def marks(bundle):
    return read_csv(bundle.folder / "marks.csv")


@pytest.fixture(scope="module")
def marks_by_pupil(marks):
    by_pupil = defaultdict(dict)
    for row in marks:
        by_pupil[row["upn"]][(dt.date.fromisoformat(row["date"]), row["session"])] = row
    return by_pupil


def absence_share(pupil_marks):
    possible = [m for m in pupil_marks.values() if CODE_SET.category(m["code"]) is not Category.NOT_POSSIBLE]
    absent = [m for m in possible if CODE_SET.category(m["code"]) in ABSENT]
    return len(absent) / len(possible)


def test_generator_writes_bundle_files(bundle):
    assert sorted(p.name for p in bundle.folder.iterdir()) == ["calendar.csv", "marks.csv", "pupils.csv", "school.toml"]
    school = tomllib.loads((bundle.folder / "school.toml").read_text(encoding="utf-8"))
    assert school["policy"] == "school-2023"
    assert school["academic_year"] == 2025
    assert len(school["urn"]) == 6
    assert school["day"] == {"am_register": "08:55", "am_close": "09:15", "pm_register": "13:20", "pm_close": "13:30"}


def test_generator_same_seed_same_files(bundle, tmp_path):
    again = generate_bundle(tmp_path / "again", seed=DEFAULT_SEED)
    for name in ("school.toml", "calendar.csv", "pupils.csv", "marks.csv"):
        assert (again.folder / name).read_bytes() == (bundle.folder / name).read_bytes(), name


def test_generator_other_seed_other_pupils(bundle, tmp_path):
    other = generate_bundle(tmp_path / "other", seed=DEFAULT_SEED + 1, marks_until=dt.date(2025, 9, 30))
    assert {p.name for p in other.pupils} != {p.name for p in bundle.pupils}


def test_generator_pupil_count_and_classes(pupils):
    assert len(pupils) == 301
    classes = Counter(p["class"] for p in pupils)
    assert sorted(classes) == sorted(class_names())
    assert all(size == 30 for name, size in classes.items() if name != "3 Cedar")
    assert classes["3 Cedar"] == 31  # the January joiner
    assert Counter(p["year_group"] for p in pupils) == {"R": 60, "1": 60, "2": 60, "3": 61, "4": 60}
    for pupil in pupils:
        assert pupil["class"].split(" ")[0] == pupil["year_group"], pupil["upn"]


def test_generator_upns_valid_and_unique(pupils):
    upns = [p["upn"] for p in pupils]
    assert len(set(upns)) == len(upns)
    for upn in upns:
        assert upn_problem(upn) is None, upn


def test_generator_birth_dates_fit_year_groups(pupils):
    assert birth_range("R", 2025) == (dt.date(2020, 9, 1), dt.date(2021, 8, 31))
    for pupil in pupils:
        first, last = birth_range(pupil["year_group"], 2025)
        assert first <= dt.date.fromisoformat(pupil["date_of_birth"]) <= last, pupil["upn"]


def test_generator_group_attributes(pupils):
    fsm = sum(p["fsm"] == "Y" for p in pupils)
    assert 0.15 * len(pupils) <= fsm <= 0.35 * len(pupils)
    for pupil in pupils:
        if pupil["fsm"] == "Y":
            assert pupil["pupil_premium"] == "Y", pupil["upn"]
    assert sum(p["looked_after"] == "Y" for p in pupils) == 2
    sen = Counter(p["sen"] for p in pupils)
    assert set(sen) <= {"N", "K", "E"}
    assert 1 <= sen["E"] <= 12
    assert 10 <= sen["K"] <= 60
    assert {p["ethnicity"] for p in pupils} >= {"WBRI", "WOTH", "APKN", "BAFR"}
    assert {p["sex"] for p in pupils} == {"F", "M"}


def test_generator_names_keep_punctuation(pupils):
    surnames = {p["surname"] for p in pupils}
    assert "O'Brien" in surnames
    assert "O’Neill" in surnames
    assert any("-" in s for s in surnames)
    assert any(not p["forename"].isascii() for p in pupils)


def test_generator_calendar_rows(bundle):
    rows = read_csv(bundle.folder / "calendar.csv")
    half_terms = [r for r in rows if r["type"] == "half_term"]
    closures = [r for r in rows if r["type"] == "closure"]
    assessments = [r for r in rows if r["type"] == "assessment"]
    assert [r["label"] for r in half_terms] == ["autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2"]
    assert half_terms[1]["start_date"] == "2025-11-03"
    assert half_terms[-1]["end_date"] == "2026-07-20"
    whole_school = [r for r in closures if not r["year_groups"] and not r["session"]]
    assert len(whole_school) == 5
    partial = [r for r in closures if r["year_groups"]]
    assert partial == [{"type": "closure", "start_date": "2026-02-12", "end_date": "2026-02-12",
                        "label": "Staff training for Reception and Year 1", "session": "PM", "year_groups": "R;1"}]
    assert any("multiplication tables" in r["label"] and r["start_date"].startswith("2026-06") for r in assessments)


def test_generator_bank_holiday_has_no_marks(marks):
    # The early May bank holiday falls inside summer-1.
    assert not [row for row in marks if row["date"] == "2026-05-04"]


def test_generator_marks_every_session_on_roll(bundle, pupils, marks_by_pupil):
    calendar = demo_year(2025).calendar()
    for pupil in pupils:
        admitted = dt.date.fromisoformat(pupil["admission_date"])
        left = dt.date.fromisoformat(pupil["leaving_date"]) if pupil["leaving_date"] else calendar.end
        expected = {(day, s.value) for day in calendar.school_days if admitted <= day <= left for s in Session}
        assert set(marks_by_pupil[pupil["upn"]]) == expected, pupil["upn"]


def test_generator_codes_in_policy(marks):
    assert {row["code"] for row in marks} <= set(CODE_SET.codes)


def test_generator_closures_marked_hash(pupils, marks_by_pupil):
    calendar = demo_year(2025).calendar()
    for pupil in pupils:
        for (day, session), row in marks_by_pupil[pupil["upn"]].items():
            closed = calendar.closed(day, Session(session), pupil["year_group"])
            assert (row["code"] == "#") == closed, (pupil["upn"], day, session)


def test_generator_partial_closure_spares_other_years(pupils, marks_by_pupil):
    key = (dt.date(2026, 2, 12), "PM")
    by_group = defaultdict(set)
    for pupil in pupils:
        row = marks_by_pupil[pupil["upn"]].get(key)
        if row:
            by_group[pupil["year_group"]].add(row["code"] == "#")
    assert by_group["R"] == {True}
    assert by_group["1"] == {True}
    assert by_group["2"] == by_group["3"] == by_group["4"] == {False}


def test_generator_minutes_late(marks):
    late = [row for row in marks if row["code"] in ("L", "U")]
    assert late
    for row in late:
        minutes = int(row["minutes_late"])
        if row["code"] == "U":
            assert minutes >= 20, row
        elif row["session"] == "AM":
            assert 1 <= minutes < 20, row
        else:
            assert 1 <= minutes < 10, row
    assert all(row["minutes_late"] == "" for row in marks if row["code"] not in ("L", "U"))


def test_generator_attendance_close_to_national(marks):
    categories = Counter(CODE_SET.category(row["code"]) for row in marks)
    possible = sum(n for c, n in categories.items() if c is not Category.NOT_POSSIBLE)
    attended = categories[Category.PRESENT] + categories[Category.APPROVED_EDUCATIONAL_ACTIVITY]
    assert 0.94 <= attended / possible <= 0.97


def test_generator_winter_illness_peak(marks):
    illness = Counter(row["date"][:7] for row in marks if row["code"] == "I")
    sessions = Counter(row["date"][:7] for row in marks if row["code"] != "#")
    winter = sum(illness[m] for m in ("2025-12", "2026-01", "2026-02")) / sum(sessions[m] for m in ("2025-12", "2026-01", "2026-02"))
    summer = sum(illness[m] for m in ("2026-05", "2026-06")) / sum(sessions[m] for m in ("2026-05", "2026-06"))
    assert winter > 1.5 * summer


def test_generator_monday_friday_dip(marks):
    absent = Counter()
    possible = Counter()
    for row in marks:
        category = CODE_SET.category(row["code"])
        if category is Category.NOT_POSSIBLE:
            continue
        weekday = dt.date.fromisoformat(row["date"]).weekday()
        possible[weekday] += 1
        absent[weekday] += category in ABSENT
    midweek = (absent[1] + absent[2] + absent[3]) / (possible[1] + possible[2] + possible[3])
    assert absent[0] / possible[0] > midweek
    assert absent[4] / possible[4] > midweek


def test_generator_absence_scenarios(bundle, marks_by_pupil):
    scenarios = bundle.scenarios
    assert len(scenarios.persistent_absence) == 9
    for upn in scenarios.persistent_absence + (scenarios.unauthorised_block,):
        assert absence_share(marks_by_pupil[upn]) >= 0.10, upn
    assert len(scenarios.severe_absence) == 2
    for upn in scenarios.severe_absence:
        assert absence_share(marks_by_pupil[upn]) >= 0.50, upn


def longest_run(pupil_marks, codes):
    """Return the longest run of school days whose non-closure sessions all carry one of ``codes``."""
    days = sorted({day for day, _ in pupil_marks})
    best = run = 0
    for day in days:
        day_codes = [m["code"] for (d, _), m in pupil_marks.items() if d == day and m["code"] != "#"]
        if not day_codes:
            continue
        run = run + 1 if all(code in codes for code in day_codes) else 0
        best = max(best, run)
    return best


def test_generator_alert_blocks(bundle, marks_by_pupil):
    assert longest_run(marks_by_pupil[bundle.scenarios.unauthorised_block], {"N", "O"}) >= 10
    assert longest_run(marks_by_pupil[bundle.scenarios.medical_block], {"I", "M"}) >= 15


def test_generator_unresolved_n(bundle, marks_by_pupil):
    n_days = sorted({day for (day, _), m in marks_by_pupil[bundle.scenarios.unresolved_n].items() if m["code"] == "N"})
    assert n_days
    assert n_days[0] <= dt.date(2026, 7, 8)  # at least 5 school days before the last one, 20 July


def test_generator_joiner_and_leaver(bundle, pupils, marks_by_pupil):
    by_upn = {p["upn"]: p for p in pupils}
    joiner = by_upn[bundle.scenarios.joiner]
    leaver = by_upn[bundle.scenarios.leaver]
    assert joiner["admission_date"] == "2026-01-12"
    assert leaver["leaving_date"] == "2026-03-13"
    assert min(day for day, _ in marks_by_pupil[joiner["upn"]]) == dt.date(2026, 1, 12)
    assert max(day for day, _ in marks_by_pupil[leaver["upn"]]) == dt.date(2026, 3, 13)


def test_generator_marks_until_stops_marks(tmp_path):
    until = dt.date(2025, 12, 4)
    partial = generate_bundle(tmp_path / "partial", marks_until=until)
    rows = read_csv(partial.folder / "marks.csv")
    pupils = read_csv(partial.folder / "pupils.csv")
    assert max(row["date"] for row in rows) == "2025-12-04"
    assert len(pupils) == 300  # the January joiner has not arrived
    assert all(p["leaving_date"] == "" for p in pupils)  # the March leaver has not left
    assert partial.scenarios.joiner is None
    assert partial.scenarios.leaver is None
    assert partial.scenarios.unauthorised_block is not None
    last_day = [row for row in rows if row["date"] == "2025-12-04"]
    assert not [row for row in last_day if row["code"] in ("I", "O")]  # reasons not in yet: N


def test_generator_before_first_day_writes_no_marks(tmp_path):
    empty = generate_bundle(tmp_path / "empty", marks_until=dt.date(2025, 8, 31))
    assert read_csv(empty.folder / "marks.csv") == []
    assert empty.marks_until is None
    assert empty.scenarios.persistent_absence == ()


def test_generator_rejects_unknown_year(tmp_path):
    with pytest.raises(ValueError, match="no calendar for 2031"):
        generate_bundle(tmp_path / "x", start_year=2031)


def test_generator_rejects_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not empty"):
        generate_bundle(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("start_year", [2026, 2027])
def test_generator_later_years(tmp_path, start_year):
    later = generate_bundle(tmp_path / str(start_year), start_year=start_year, marks_until=dt.date(start_year, 12, 4))
    rows = read_csv(later.folder / "marks.csv")
    assert rows
    assert min(row["date"] for row in rows) >= f"{start_year}-09-01"
    assert max(row["date"] for row in rows) <= f"{start_year}-12-04"
