"""Attendance policies: every number a rule uses, loaded and validated from TOML.

Rollbook ships two presets under ``presets/``: ``school-2023`` (the school's own policy) and
``england-2024`` (the same policy under the national framework in force since August 2024).
A school can copy one, edit it, and load it with ``load_policy_file``. Loading checks every
key: an invalid file raises ``PolicyError`` naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import tomllib
import typing
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path

from .codes import CodeSet, CodeSetError, available_code_sets, load_code_set


class PolicyError(ValueError):
    """A policy file with a missing, unknown or invalid key."""


class NFollowUp(enum.StrEnum):
    """The action taken on an N mark once it is overdue."""

    AMEND_TO_O = "amend_to_o"
    LIST_ONLY = "list_only"


def _limits(low: int | None = None, high: int | None = None) -> dict:
    return {"low": low, "high": high}


@dataclass(frozen=True)
class DaySettings:
    """The school day: when each register is taken and when it closes (Europe/London)."""

    am_register: dt.time
    am_close: dt.time
    pm_register: dt.time
    pm_close: dt.time
    max_register_window_minutes: int = field(metadata=_limits(0, 240))
    equal_register_windows: bool


@dataclass(frozen=True)
class MeasureSettings:
    persistent_absence_percent: int = field(metadata=_limits(1, 100))
    severe_absence_percent: int = field(metadata=_limits(1, 100))
    target_attendance_percent: int = field(metadata=_limits(1, 100))


@dataclass(frozen=True)
class RetentionSettings:
    years: int = field(metadata=_limits(1, 100))


@dataclass(frozen=True)
class NFollowUpSettings:
    school_days: int = field(metadata=_limits(1, 60))
    action: NFollowUp


@dataclass(frozen=True)
class TriggerSettings:
    min_possible_sessions: int = field(metadata=_limits(0, 800))
    autumn_threshold_percent: int = field(metadata=_limits(1, 100))
    spring_threshold_percent: int = field(metadata=_limits(1, 100))
    summer_threshold_percent: int = field(metadata=_limits(1, 100))
    monitoring_school_weeks: int = field(metadata=_limits(1, 39))
    inform_lead_below_percent: int = field(metadata=_limits(1, 100))


@dataclass(frozen=True)
class LaAlertSettings:
    unauthorised_block_days: int = field(metadata=_limits(1, 200))
    unauthorised_block_codes: tuple[str, ...]
    medical_block_days: int = field(metadata=_limits(1, 200))
    medical_block_codes: tuple[str, ...]
    long_health_absence_days: int = field(metadata=_limits(1, 200))


@dataclass(frozen=True)
class RemovalSettings:
    absence_days: int = field(metadata=_limits(1, 200))
    after_leave_days: int = field(metadata=_limits(1, 200))
    absence_codes: tuple[str, ...]
    leave_codes: tuple[str, ...]
    # Whether a removal may give every statutory ground (registered elsewhere, died ...) or
    # only the two absence grounds.
    other_grounds: bool


@dataclass(frozen=True)
class PenaltySettings:
    threshold_sessions: int = field(metadata=_limits(1, 400))
    window_school_weeks: int = field(metadata=_limits(1, 52))
    codes: tuple[str, ...]
    windows_cross_years: bool
    first_notice_early_pence: int = field(metadata=_limits(0, 1_000_000))
    first_notice_late_pence: int = field(metadata=_limits(0, 1_000_000))
    # 0 means a second notice costs the same as a first one.
    second_notice_pence: int = field(metadata=_limits(0, 1_000_000))
    early_payment_days: int = field(metadata=_limits(1, 365))
    late_payment_days: int = field(metadata=_limits(1, 365))
    repeat_period_years: int = field(metadata=_limits(1, 10))
    # 0 means no limit on notices to one parent for one pupil within the repeat period.
    max_notices_in_repeat_period: int = field(metadata=_limits(0, 10))


@dataclass(frozen=True)
class LeaveSettings:
    notice_days: int = field(metadata=_limits(0, 365))
    authorised_absence_limit_percent: int = field(metadata=_limits(0, 100))
    granted_leave_code: str
    granted_holiday_code: str
    refused_taken_code: str
    licence_min_attendance_percent: int = field(metadata=_limits(0, 100))
    religious_notice_days: int = field(metadata=_limits(0, 365))
    traveller_notice_days: int = field(metadata=_limits(0, 365))
    religious_code: str
    traveller_code: str
    licence_code: str


@dataclass(frozen=True)
class LunchtimeSettings:
    """Lunchtime leave: the lunch break (Europe/London), the sign-out window and the deadlines."""

    lunch_start: dt.time
    lunch_end: dt.time
    # The pupil signs out no earlier than this many minutes after lunch starts.
    sign_out_after_start_minutes: int = field(metadata=_limits(0, 120))
    # The pupil signs back in no later than this many minutes before lunch ends.
    return_before_end_minutes: int = field(metadata=_limits(0, 120))
    decision_days: int = field(metadata=_limits(1, 60))
    renew_each_term: bool


@dataclass(frozen=True)
class Policy:
    """A complete, validated attendance policy."""

    name: str
    title: str
    code_set: CodeSet
    day: DaySettings
    measures: MeasureSettings
    retention: RetentionSettings
    n_follow_up: NFollowUpSettings
    triggers: TriggerSettings
    la_alerts: LaAlertSettings
    removal: RemovalSettings
    penalty: PenaltySettings
    leave: LeaveSettings
    lunchtime: LunchtimeSettings

    def threshold(self, percent: int) -> Fraction:
        """Return a whole-number percentage setting as an exact fraction (90 -> 9/10)."""
        return Fraction(percent, 100)

    def with_day(self, day: DaySettings) -> "Policy":
        """Return this policy with another school day, validated against the policy's limits."""
        check_day(day, self.day, f"policy {self.name}")
        return dataclasses.replace(self, day=day)


_SECTIONS = {
    "day": DaySettings,
    "measures": MeasureSettings,
    "retention": RetentionSettings,
    "n_follow_up": NFollowUpSettings,
    "triggers": TriggerSettings,
    "la_alerts": LaAlertSettings,
    "removal": RemovalSettings,
    "penalty": PenaltySettings,
    "leave": LeaveSettings,
    "lunchtime": LunchtimeSettings,
}


def parse_time(value: object, where: str) -> dt.time:
    """Parse a 24-hour ``HH:MM`` wall-clock time, raising ``PolicyError`` naming ``where``."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(f"{where} = {value!r} is invalid; write a 24-hour time as HH:MM, such as \"08:55\"")


def _parse_value(value: object, kind: object, meta: typing.Mapping, where: str, code_set: CodeSet) -> object:
    if kind is dt.time:
        return parse_time(value, where)
    if kind is bool:
        if not isinstance(value, bool):
            raise PolicyError(f"{where} = {value!r} is invalid; write true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PolicyError(f"{where} = {value!r} is invalid; write a whole number")
        low, high = meta.get("low"), meta.get("high")
        if (low is not None and value < low) or (high is not None and value > high):
            raise PolicyError(f"{where} = {value!r} is out of range; allowed: {low} to {high}")
        return value
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in kind)
            raise PolicyError(f"{where} = {value!r} is invalid; use one of: {allowed}") from None
    if kind is str:
        # Text settings inside sections are attendance codes.
        if not isinstance(value, str) or value not in code_set:
            raise PolicyError(
                f"{where} = {value!r} is not a code of the code set {code_set.name!r}; "
                f"use one of: {' '.join(code_set.codes)}"
            )
        return value
    if kind == tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise PolicyError(f"{where} = {value!r} is invalid; write a non-empty list of codes, such as [\"N\", \"O\"]")
        for code in value:
            if not isinstance(code, str) or code not in code_set:
                raise PolicyError(
                    f"{where} contains {code!r}, which is not a code of the code set "
                    f"{code_set.name!r}; use codes from: {' '.join(code_set.codes)}"
                )
        return tuple(value)
    raise TypeError(f"unsupported policy setting type {kind!r} at {where}")


def _parse_section(cls: type, data: object, name: str, source: str, code_set: CodeSet) -> object:
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: table [{name}] is missing")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PolicyError(
            f"{source}: key {name}.{unknown[0]} is not a policy setting; "
            f"the keys of [{name}] are: {', '.join(sorted(known))}"
        )
    values = {}
    for f in dataclasses.fields(cls):
        where = f"{source}: key {name}.{f.name}"
        if f.name not in data:
            raise PolicyError(f"{where} is missing")
        values[f.name] = _parse_value(data[f.name], hints[f.name], f.metadata, where, code_set)
    return cls(**values)


def _register_window(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def check_day(day: DaySettings, limits: DaySettings, source: str) -> None:
    """Raise ``PolicyError`` unless the day's times are ordered and within the policy's limits."""
    am_window = _register_window(day.am_register, day.am_close)
    pm_window = _register_window(day.pm_register, day.pm_close)
    if am_window <= 0:
        raise PolicyError(f"{source}: am_close {day.am_close:%H:%M} must be after am_register {day.am_register:%H:%M}")
    if day.pm_register <= day.am_close:
        raise PolicyError(f"{source}: pm_register {day.pm_register:%H:%M} must be after am_close {day.am_close:%H:%M}")
    if pm_window <= 0:
        raise PolicyError(f"{source}: pm_close {day.pm_close:%H:%M} must be after pm_register {day.pm_register:%H:%M}")
    limit = limits.max_register_window_minutes
    for label, window in (("AM", am_window), ("PM", pm_window)):
        if limit and window > limit:
            raise PolicyError(
                f"{source}: the {label} register stays open {window} minutes; "
                f"this policy allows at most {limit} minutes"
            )
    if limits.equal_register_windows and am_window != pm_window:
        raise PolicyError(
            f"{source}: the AM register stays open {am_window} minutes and the PM register "
            f"{pm_window} minutes; this policy requires the same time for every session"
        )


def check_lunchtime(lunch: LunchtimeSettings, source: str) -> None:
    """Raise ``PolicyError`` unless the sign-out window lies inside the lunch break and is not empty."""
    length = _register_window(lunch.lunch_start, lunch.lunch_end)
    if length <= 0:
        raise PolicyError(
            f"{source}: lunchtime.lunch_end {lunch.lunch_end:%H:%M} must be after lunch_start {lunch.lunch_start:%H:%M}"
        )
    margins = lunch.sign_out_after_start_minutes + lunch.return_before_end_minutes
    if margins >= length:
        raise PolicyError(
            f"{source}: lunch lasts {length} minutes, but signing out waits {lunch.sign_out_after_start_minutes} "
            f"and returning ends {lunch.return_before_end_minutes} minutes early, leaving no time out; "
            "shorten the margins or lengthen lunch"
        )


def parse_policy(data: dict, source: str) -> Policy:
    """Build a policy from parsed TOML, raising ``PolicyError`` on the first invalid key."""
    known = {"name", "title", "code_set", *_SECTIONS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PolicyError(f"{source}: key {unknown[0]!r} is not a policy setting; allowed keys: {', '.join(sorted(known))}")
    for key in ("name", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise PolicyError(f"{source}: key {key!r} is missing or empty; write it as text")
    try:
        code_set = load_code_set(str(data.get("code_set")))
    except CodeSetError:
        raise PolicyError(
            f"{source}: key code_set = {data.get('code_set')!r} is invalid; "
            f"use one of: {', '.join(available_code_sets())}"
        ) from None

    sections = {
        name: _parse_section(cls, data.get(name), name, source, code_set)
        for name, cls in _SECTIONS.items()
    }
    policy = Policy(name=data["name"], title=data["title"], code_set=code_set, **sections)
    check_day(policy.day, policy.day, source)
    check_lunchtime(policy.lunchtime, source)
    return policy


def available_presets() -> tuple[str, ...]:
    """Return the names of the policy presets shipped with Rollbook."""
    folder = resources.files(__package__) / "presets"
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


@cache
def load_preset(name: str) -> Policy:
    """Load a shipped policy preset by name, such as ``school-2023``."""
    if name not in available_presets():
        raise PolicyError(f"policy {name!r} does not exist; use one of: {', '.join(available_presets())}")
    text = (resources.files(__package__) / "presets" / f"{name}.toml").read_text(encoding="utf-8")
    return parse_policy(tomllib.loads(text), f"policy preset {name}")


def load_policy_file(path: Path) -> Policy:
    """Load a school's own policy file (an edited copy of a preset)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{path}: not valid TOML ({error})") from None
    return parse_policy(data, str(path))
