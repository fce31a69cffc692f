"""Write the demo school as a school bundle folder: school.toml, calendar.csv, pupils.csv, marks.csv.

Kestrel Vale Lower School is fictional: about 300 pupils in Reception to Year 4, two classes
per year group, under the ``school-2023`` policy. The same seed, year and last marked day
always give byte-identical files. Everything here is plain Python; importing the folder is the
bundle importer's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from rollbook.policy.settings import load_preset

from .attendance import FamilyHabits, Register, YearPlan, model_register, plan_family_habits
from .people import CLASS_NAMES, LA_CODE, DemoPupil, make_joiner, make_pupils
from .scenarios import (
    PERSISTENT_ABSENCE_TARGETS,
    PERSISTENT_ABSENTEES,
    SEVERE_ABSENCE_TARGET,
    SEVERE_UNAUTHORISED_MIX,
    PERSISTENT_MIX,
    Scenarios,
    add_medical_block,
    add_unauthorised_block,
    add_unresolved_n,
    leave_reasons_pending,
    top_up_absence,
)
from .terms import demo_year

DEFAULT_SEED = 2025
SCHOOL_NAME = "Kestrel Vale Lower School"
URN = "990417"
POLICY_NAME = "school-2023"
SPORTS_TEAM_SIZE = 8

PUPIL_COLUMNS = (
    "upn", "surname", "forename", "date_of_birth", "sex", "year_group", "class", "admission_date",
    "leaving_date", "sen", "fsm", "pupil_premium", "looked_after", "child_in_need", "young_carer", "eal",
    "ethnicity",
)
MARK_COLUMNS = ("upn", "date", "session", "code", "minutes_late", "comment")
CALENDAR_COLUMNS = ("type", "start_date", "end_date", "label", "session", "year_groups")


@dataclass(frozen=True)
class DemoBundle:
    """A summary of the bundle ``generate_bundle`` wrote."""

    folder: Path
    school_name: str
    urn: str
    start_year: int
    marks_until: dt.date | None  # the last school day with marks, or None before the first
    pupils: tuple[DemoPupil, ...]
    mark_rows: int
    scenarios: Scenarios


def generate_bundle(
    folder: Path,
    *,
    seed: int = DEFAULT_SEED,
    start_year: int = 2025,
    marks_until: dt.date | None = None,
) -> DemoBundle:
    """Write the demo school's bundle for an academic year into ``folder`` and describe it.

    ``marks_until`` is the last day with marks (inclusive); the default is the year's last day.
    Pupils who join after it are left out, and a leaving date after it is not yet known.
    Raises ``ValueError`` for a year without demo term dates and ``FileExistsError`` when
    ``folder`` already contains files.
    """
    year = demo_year(start_year)
    calendar = year.calendar()
    last_day = min(marks_until or calendar.end, calendar.end)
    plan = YearPlan(demo_year=year, calendar=calendar, code_set=load_preset(POLICY_NAME).code_set, marks_until=last_day)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty; give an empty or new folder for the demo bundle")

    rng = random.Random(seed)
    pupils, scenarios = _choose_pupils(rng, plan)
    registers = _model_registers(rng, pupils, plan)
    scenarios = _apply_scenarios(rng, pupils, registers, plan, scenarios)
    for register in registers.values():
        leave_reasons_pending(register, plan)

    _write_school(folder / "school.toml", start_year)
    _write_csv(folder / "calendar.csv", CALENDAR_COLUMNS, year.calendar_rows())
    _write_csv(folder / "pupils.csv", PUPIL_COLUMNS, [_pupil_row(p) for p in pupils])
    mark_rows = _mark_rows(pupils, registers)
    _write_csv(folder / "marks.csv", MARK_COLUMNS, mark_rows)
    return DemoBundle(
        folder=folder,
        school_name=SCHOOL_NAME,
        urn=URN,
        start_year=start_year,
        marks_until=plan.school_days[-1] if plan.school_days else None,
        pupils=tuple(pupils),
        mark_rows=len(mark_rows),
        scenarios=scenarios,
    )


def _first_school_day_on_or_after(plan: YearPlan, day: dt.date) -> dt.date:
    return next(d for d in plan.calendar.school_days if d >= day)


def _choose_pupils(rng: random.Random, plan: YearPlan) -> tuple[list[DemoPupil], Scenarios]:
    """Return the pupils on roll by the last marked day, by UPN, with the joiner and the leaver set."""
    start_year = plan.demo_year.start_year
    pupils = make_pupils(rng, start_year)

    joiner_admission = _first_school_day_on_or_after(plan, dt.date(start_year + 1, 1, 12))
    joiner = make_joiner(rng, start_year, joiner_admission, {p.upn for p in pupils})
    leaver = rng.choice(sorted((p for p in pupils if p.year_group == "2"), key=lambda p: p.upn))
    leaving_date = plan.calendar.last_school_day_on_or_before(dt.date(start_year + 1, 3, 13))

    scenarios = Scenarios()
    if joiner_admission <= plan.marks_until:
        pupils.append(joiner)
        scenarios = Scenarios(joiner=joiner.upn)
    if leaving_date is not None and leaving_date <= plan.marks_until:
        leaver.leaving_date = leaving_date
        scenarios = Scenarios(joiner=scenarios.joiner, leaver=leaver.upn)
    return sorted(pupils, key=lambda p: p.upn), scenarios


def _model_registers(rng: random.Random, pupils: list[DemoPupil], plan: YearPlan) -> dict[str, Register]:
    families = sorted({p.family.number: p.family for p in pupils}.items())
    habits: dict[int, FamilyHabits] = {number: plan_family_habits(rng, family, plan) for number, family in families}
    year_4 = [p.upn for p in pupils if p.year_group == "4"]
    team = set(rng.sample(year_4, min(SPORTS_TEAM_SIZE, len(year_4))))
    return {
        p.upn: model_register(rng, p, habits[p.family.number], plan, sports_team=p.upn in team)
        for p in pupils
    }


def _apply_scenarios(
    rng: random.Random,
    pupils: list[DemoPupil],
    registers: dict[str, Register],
    plan: YearPlan,
    scenarios: Scenarios,
) -> Scenarios:
    """Give the chosen pupils the attendance of each scenario and return who got which."""
    ordinary = [
        p for p in pupils
        if p.upn not in (scenarios.joiner, scenarios.leaver) and not p.looked_after
    ]
    chosen = rng.sample(ordinary, 4 + PERSISTENT_ABSENTEES)
    block_pupil, medical_pupil, severe_pupil, unresolved_pupil, *persistent = chosen

    def days_of(pupil: DemoPupil) -> list[dt.date]:
        return plan.days_on_roll(pupil)

    unauthorised_block = None
    if add_unauthorised_block(rng, registers[block_pupil.upn], days_of(block_pupil), plan):
        unauthorised_block = block_pupil.upn
    medical_block = None
    if add_medical_block(rng, registers[medical_pupil.upn], days_of(medical_pupil), plan):
        medical_block = medical_pupil.upn

    top_up_absence(rng, registers[severe_pupil.upn], plan, SEVERE_ABSENCE_TARGET, SEVERE_UNAUTHORISED_MIX)
    for pupil in persistent:
        top_up_absence(rng, registers[pupil.upn], plan, rng.uniform(*PERSISTENT_ABSENCE_TARGETS), PERSISTENT_MIX)

    unresolved_n = None
    if add_unresolved_n(registers[unresolved_pupil.upn], days_of(unresolved_pupil)):
        unresolved_n = unresolved_pupil.upn

    severe = [severe_pupil.upn] + ([medical_block] if medical_block else [])
    has_marks = bool(plan.school_days)
    return Scenarios(
        persistent_absence=tuple(sorted(p.upn for p in persistent)) if has_marks else (),
        severe_absence=tuple(sorted(severe)) if has_marks else (),
        unauthorised_block=unauthorised_block,
        medical_block=medical_block,
        unresolved_n=unresolved_n,
        joiner=scenarios.joiner,
        leaver=scenarios.leaver,
    )


def _flag(value: bool) -> str:
    return "Y" if value else "N"


def _pupil_row(pupil: DemoPupil) -> dict[str, str]:
    return {
        "upn": pupil.upn,
        "surname": pupil.surname,
        "forename": pupil.forename,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "sex": pupil.sex,
        "year_group": pupil.year_group,
        "class": pupil.class_name,
        "admission_date": pupil.admission_date.isoformat(),
        "leaving_date": pupil.leaving_date.isoformat() if pupil.leaving_date else "",
        "sen": pupil.sen,
        "fsm": _flag(pupil.fsm),
        "pupil_premium": _flag(pupil.pupil_premium),
        "looked_after": _flag(pupil.looked_after),
        "child_in_need": _flag(pupil.child_in_need),
        "young_carer": _flag(pupil.young_carer),
        "eal": _flag(pupil.eal),
        "ethnicity": pupil.ethnicity,
    }


def _mark_rows(pupils: list[DemoPupil], registers: dict[str, Register]) -> list[dict[str, str]]:
    rows = []
    for pupil in pupils:
        register = registers[pupil.upn]
        for day, session in sorted(register, key=lambda key: (key[0], key[1].offset)):
            mark = register[(day, session)]
            rows.append({
                "upn": pupil.upn,
                "date": day.isoformat(),
                "session": session.value,
                "code": mark.code,
                "minutes_late": "" if mark.minutes_late is None else str(mark.minutes_late),
                "comment": mark.comment,
            })
    return rows


def _write_school(path: Path, start_year: int) -> None:
    day = load_preset(POLICY_NAME).day
    document = {
        "name": SCHOOL_NAME,
        "urn": URN,
        "la_code": LA_CODE,
        "policy": POLICY_NAME,
        "academic_year": start_year,
        "day": {
            "am_register": f"{day.am_register:%H:%M}",
            "am_close": f"{day.am_close:%H:%M}",
            "pm_register": f"{day.pm_register:%H:%M}",
            "pm_close": f"{day.pm_close:%H:%M}",
        },
    }
    path.write_text(tomli_w.dumps(document), encoding="utf-8")


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def class_names() -> tuple[str, ...]:
    """Return the demo school's ten class names, Reception first."""
    return tuple(name for names in CLASS_NAMES.values() for name in names)
