"""A small hand-checked school, written as a bundle folder for the report tests.

Academic year 2025/26 under ``school-2023``. 1 September 2025 is an INSET day (whole-school
closure) and the afternoon of Friday 26 September is closed for Reception only. Marks run
from Tuesday 2 September to Friday 3 October 2025: 24 school days with a possible session.

    pupil  year  who                                       marks
    ADA    2     full attendance                           all present
    BEA    2     ill on the first 5 sessions               I on 2 Sep AM/PM, 3 Sep AM/PM, 4 Sep AM
    CAL    1     10 days with no reason given              N on 2 Sep to 15 Sep, then present
    DOT    R     under compulsory school age, on holiday   G on 2 Sep to 8 Sep, then present
    EDD    2     left on 19 Sep after 10 days of N         N on 2 Sep to 15 Sep, present to 19 Sep
    FAY    3     joined on 22 Sep, one mark missing        present from 22 Sep, no mark on 3 Oct PM
    GUS    4     joins on 6 Oct                            none
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rollbook.policy.upn import check_letter

SCHOOL_DAYS = [
    dt.date(2025, 9, 2) + dt.timedelta(days=n)
    for n in range(32)
    if (dt.date(2025, 9, 2) + dt.timedelta(days=n)).weekday() < 5
]


def upn(serial: int) -> str:
    """Return a valid permanent UPN built from a serial number."""
    body = f"82300125{serial:04d}"
    return check_letter(body) + body


PUPILS = {
    # name: (upn, surname, year group, class, date of birth, admission, leaving)
    "ADA": (upn(1), "O'Brien", "2", "2 Elm", "2018-11-02", "2025-09-01", ""),
    "BEA": (upn(2), "Zoë-Łucja", "2", "2 Elm", "2019-01-15", "2025-09-01", ""),
    "CAL": (upn(3), "O’Neill", "1", "1 Ash", "2019-10-10", "2025-09-01", ""),
    "DOT": (upn(4), "Smith Jones", "R", "R Oak", "2021-03-01", "2025-09-01", ""),
    "EDD": (upn(5), "Ng", "2", "2 Elm", "2018-12-12", "2025-09-01", "2025-09-19"),
    "FAY": (upn(6), "Dąbrowska", "3", "3 Yew", "2017-11-05", "2025-09-22", ""),
    "GUS": (upn(7), "Okafor", "4", "4 Fir", "2016-12-01", "2025-10-06", ""),
}


def _day_codes(name: str, day: dt.date) -> tuple[str | None, str | None]:
    """Return the AM and PM codes of one pupil on one school day (None: no row)."""
    present = ("/", "\\")
    n = SCHOOL_DAYS.index(day)  # 0 for 2 Sep
    if name == "ADA":
        return present
    if name == "BEA":
        return {0: ("I", "I"), 1: ("I", "I"), 2: ("I", "\\")}.get(n, present)
    if name == "CAL":
        return ("N", "N") if n < 10 else present
    if name == "DOT":
        if n < 5:
            return ("G", "G")
        return ("/", None) if day == dt.date(2025, 9, 26) else present
    if name == "EDD":
        if day > dt.date(2025, 9, 19):
            return (None, None)
        return ("N", "N") if n < 10 else present
    if name == "FAY":
        if day < dt.date(2025, 9, 22):
            return (None, None)
        return ("/", None) if day == dt.date(2025, 10, 3) else present
    return (None, None)


def write_bundle(folder: Path, policy: str = "school-2023") -> Path:
    """Write the scenario as a school bundle into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.toml").write_text(
        'name = "Hazel Lane Lower School"\n'
        'urn = "012345"\n'
        'la_code = "823"\n'
        f'policy = "{policy}"\n'
        "academic_year = 2025\n\n"
        "[day]\n"
        'am_register = "08:55"\nam_close = "09:15"\npm_register = "13:20"\n'
        + ('pm_close = "13:30"\n' if policy == "school-2023" else 'pm_close = "13:40"\n'),
        encoding="utf-8",
    )
    (folder / "calendar.csv").write_text(
        "type,start_date,end_date,label,session,year_groups\n"
        "half_term,2025-09-01,2025-10-24,autumn-1,,\n"
        "half_term,2025-11-03,2025-12-19,autumn-2,,\n"
        "half_term,2026-01-05,2026-02-13,spring-1,,\n"
        "half_term,2026-02-23,2026-03-27,spring-2,,\n"
        "half_term,2026-04-13,2026-05-22,summer-1,,\n"
        "half_term,2026-06-01,2026-07-20,summer-2,,\n"
        "closure,2025-09-01,2025-09-01,INSET day,,\n"
        "closure,2025-09-26,2025-09-26,Reception trip planning,PM,R\n",
        encoding="utf-8",
    )
    lines = ["upn,surname,forename,date_of_birth,sex,year_group,class,admission_date,leaving_date"]
    for name, (number, surname, year_group, class_name, born, admitted, left) in PUPILS.items():
        lines.append(f"{number},{surname},{name.title()},{born},F,{year_group},{class_name},{admitted},{left}")
    (folder / "pupils.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    rows = ["upn,date,session,code,minutes_late,comment"]
    for name, (number, *_rest) in PUPILS.items():
        for day in SCHOOL_DAYS:
            for session, code in zip(("AM", "PM"), _day_codes(name, day)):
                if code is not None:
                    rows.append(f"{number},{day.isoformat()},{session},{code},,")
    (folder / "marks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
