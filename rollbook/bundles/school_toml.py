"""The parser for ``school.toml``: the school, its academic year, policy preset and school day."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rollbook.policy.settings import Policy, PolicyError, available_presets, load_preset, parse_time

from .problems import ProblemList
from .values import decode_text

FILE_NAME = "school.toml"
TOP_KEYS = ("name", "urn", "la_code", "policy", "academic_year")
DAY_KEYS = ("am_register", "am_close", "pm_register", "pm_close")
FIRST_YEAR, LAST_YEAR = 2000, 2099
NAME_MAX_LENGTH = 200

TABLE_LINE = re.compile(r"\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?")
KEY_LINE = re.compile(r"(\"[^\"]*\"|[A-Za-z0-9_-]+)\s*=")
DECODE_POSITION = re.compile(r"at line (\d+), column (\d+)")


@dataclass(frozen=True)
class SchoolSettings:
    """The contents of ``school.toml``, validated. ``policy`` carries the school's day times."""

    name: str
    urn: str
    la_code: str
    academic_year: int
    policy: Policy


def key_lines(text: str) -> dict[str, int]:
    """Map each key (``urn``, ``day.am_register``) and table (``[day]``) to its first line number."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if match := TABLE_LINE.fullmatch(stripped):
            table = match.group(1)
            lines.setdefault(f"[{table}]", number)
        elif match := KEY_LINE.match(stripped):
            key = match.group(1).strip('"')
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def parse_school(path: Path, warnings: list[str]) -> tuple[SchoolSettings | None, ProblemList]:
    """Read and validate ``school.toml``; return None with the problems when it is invalid."""
    problems = ProblemList(FILE_NAME)
    if not path.is_file():
        problems.add(None, None, None, f"the file is missing; add {FILE_NAME} to the bundle folder {path.parent}")
        return None, problems
    text = decode_text(path.read_bytes(), problems)
    if text is None:
        return None, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        position = DECODE_POSITION.search(str(error))
        line = int(position.group(1)) if position else None
        problems.add(line, None, None, f"the file is not valid TOML ({error}); see the example in the bundle format")
        return None, problems

    lines = key_lines(text)
    unknown = sorted(set(data) - {*TOP_KEYS, "day"})
    if unknown:
        warnings.append(f"{FILE_NAME}: unknown keys {', '.join(unknown)} ignored; known keys are {', '.join(TOP_KEYS)} and [day]")

    name = _text_value(data, "name", lines, problems)
    if name is not None and len(name) > NAME_MAX_LENGTH:
        problems.add(lines.get("name"), "name", name, f"the name has {len(name)} characters; shorten it to {NAME_MAX_LENGTH} or fewer")
    urn = _digits_value(data, "urn", 6, "123456", "the school's Unique Reference Number", lines, problems)
    la_code = _digits_value(data, "la_code", 3, "823", "the local authority's number", lines, problems)
    academic_year = _year_value(data, lines, problems)
    policy = _policy_value(data, lines, problems, warnings)

    if problems or policy is None:
        return None, problems
    return SchoolSettings(name=name, urn=urn, la_code=la_code, academic_year=academic_year, policy=policy), problems


def _text_value(data: dict, key: str, lines: dict[str, int], problems: ProblemList) -> str | None:
    value = data.get(key)
    if value is None:
        problems.add(None, key, None, f"the key {key} is missing; add a line such as {key} = \"...\"")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(lines.get(key), key, repr(value), f"{key} = {value!r} is invalid; write it as non-empty text in quotes")
        return None
    return value.strip()


def _digits_value(
    data: dict, key: str, length: int, example: str, meaning: str, lines: dict[str, int], problems: ProblemList
) -> str | None:
    value = data.get(key)
    help_text = f"write {meaning} as {length} digits in quotes, such as {key} = \"{example}\", so leading zeros are kept"
    if value is None:
        problems.add(None, key, None, f"the key {key} is missing; {help_text}")
        return None
    if not isinstance(value, str):
        problems.add(lines.get(key), key, repr(value), f"{key} = {value!r} is not text; {help_text}")
        return None
    if len(value) != length or not value.isascii() or not value.isdigit():
        problems.add(lines.get(key), key, value, f"{key} = {value!r} is invalid; {help_text}")
        return None
    return value


def _year_value(data: dict, lines: dict[str, int], problems: ProblemList) -> int | None:
    value = data.get("academic_year")
    help_text = "write the year the academic year starts in as a whole number, such as academic_year = 2025 for 2025/26"
    if value is None:
        problems.add(None, "academic_year", None, f"the key academic_year is missing; {help_text}")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        problems.add(
            lines.get("academic_year"),
            "academic_year",
            repr(value),
            f"academic_year = {value!r} is invalid; {help_text} (between {FIRST_YEAR} and {LAST_YEAR})",
        )
        return None
    return value


def _policy_value(data: dict, lines: dict[str, int], problems: ProblemList, warnings: list[str]) -> Policy | None:
    name = data.get("policy")
    presets = ", ".join(available_presets())
    if name is None:
        problems.add(None, "policy", None, f"the key policy is missing; add policy = \"school-2023\" or another preset: {presets}")
        return None
    if not isinstance(name, str) or name not in available_presets():
        problems.add(lines.get("policy"), "policy", repr(name), f"policy = {name!r} is not a policy preset; use one of: {presets}")
        return None
    preset = load_preset(name)

    day_table = data.get("day")
    if day_table is None:
        # Without a [day] table the school keeps the preset's register times.
        return preset
    day_line = lines.get("[day]")
    if not isinstance(day_table, dict):
        problems.add(day_line, "day", repr(day_table), "day must be a table: write [day] followed by am_register, am_close, pm_register and pm_close")
        return None
    unknown = sorted(set(day_table) - set(DAY_KEYS))
    if unknown:
        warnings.append(f"{FILE_NAME}: unknown keys {', '.join('day.' + k for k in unknown)} ignored; [day] takes {', '.join(DAY_KEYS)}")

    times = {}
    for key in DAY_KEYS:
        where = f"day.{key}"
        if key not in day_table:
            problems.add(day_line, where, None, f"the key {key} is missing from [day]; add {key} = \"HH:MM\", such as \"08:55\"")
            continue
        try:
            times[key] = parse_time(day_table[key], where)
        except PolicyError as error:
            problems.add(lines.get(where), where, str(day_table[key]), str(error))
    if len(times) != len(DAY_KEYS):
        return None

    day = dataclasses.replace(preset.day, **times)
    try:
        return preset.with_day(day)
    except PolicyError as error:
        problems.add(day_line, "day", None, f"{error}; change the [day] times")
        return None
