"""The date range and the pupils of a dashboard request, read from its query string and path.

``?preset=term`` picks a named range (default: the year to date); ``?from=2025-09-01&to=2025-10-24``
a custom one. A scope narrows the pupils to a year group, a class or a group of a
``groups.Dimension``; it comes from the URL path, not the query string.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django import forms

from rollbook.schools.models import AcademicYear

from .groups import DIMENSIONS, PupilRow, Dimension
from .periods import Period, Preset, all_presets, custom_period, preset_period

# The path segment that stands for the empty "not recorded" group key.
NOT_RECORDED_SLUG = "not-recorded"


class RangeForm(forms.Form):
    preset = forms.ChoiceField(
        required=False,
        choices=[(p.value, p.label) for p in Preset if p is not Preset.CUSTOM],
        error_messages={"invalid_choice": "Range %(value)s is not a named range; choose one from the list"},
    )
    start = forms.DateField(required=False, label="From", input_formats=["%Y-%m-%d"],
                            error_messages={"invalid": "Enter the from date as YYYY-MM-DD, such as 2025-09-01"})
    end = forms.DateField(required=False, label="To", input_formats=["%Y-%m-%d"],
                          error_messages={"invalid": "Enter the to date as YYYY-MM-DD, such as 2025-10-24"})

    def __init__(self, data, **kwargs):
        data = data.copy()
        for field, name in (("start", "from"), ("end", "to")):
            if name in data:
                data[field] = data[name]
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if (start is None) != (end is None):
            missing = "to" if end is None else "from"
            self.add_error("end" if end is None else "start", f"Enter the {missing} date too: a custom range needs both dates")
        elif start is not None and end < start:
            self.add_error("end", f"The to date {end} is before the from date {start}; give the earlier date first")
        return cleaned


@dataclass(frozen=True)
class Selection:
    """The range a page shows, the presets it offers and the query string that keeps them."""

    year: AcademicYear
    today: dt.date
    period: Period
    presets: list[Period]

    def query(self, **extra: str) -> str:
        """Return a query string (with ``?``) that selects this range, plus ``extra`` parameters."""
        if self.period.preset is Preset.CUSTOM:
            params = {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()}
        else:
            params = {"preset": self.period.preset.value}
        params.update({key: value for key, value in extra.items() if value not in (None, "")})
        return "?" + urlencode(params)


def read_selection(form: RangeForm, year: AcademicYear, today: dt.date) -> Selection:
    """Return the selection of a validated form for ``year`` as of ``today`` (clipped to the year)."""
    calendar = year.calendar()
    on = min(max(today, calendar.start), calendar.end)
    presets = all_presets(calendar, on)
    start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    if start is not None and end is not None:
        period = custom_period(start, end)
    else:
        preset = Preset(form.cleaned_data.get("preset") or Preset.YEAR_TO_DATE)
        period = preset_period(preset, calendar, on)
    return Selection(year=year, today=today, period=period, presets=presets)


@dataclass(frozen=True)
class Scope:
    """The pupils a dashboard is about: the whole school, a year group, a class or a group."""

    kind: str  # "school", "year_group", "class" or "group"
    label: str
    dimension: Dimension | None = None
    key: str = ""

    def rows(self, table: list[PupilRow]) -> np.ndarray:
        if self.kind == "school":
            return np.ones(len(table), dtype=bool)
        return np.array([self.dimension.group_of(row)[0] == self.key for row in table], dtype=bool)

    @property
    def slug(self) -> str:
        return self.key or NOT_RECORDED_SLUG


def school_scope() -> Scope:
    return Scope("school", "Whole school")


def year_group_scope(year_group: str) -> Scope:
    dimension = DIMENSIONS["year_group"]
    label = f"Year {year_group}" if year_group.isdigit() else year_group
    return Scope("year_group", label, dimension, year_group)


def class_scope(class_name: str) -> Scope:
    return Scope("class", f"Class {class_name}", DIMENSIONS["class"], class_name)


def group_scope(dimension: Dimension, slug: str, label: str) -> Scope:
    key = "" if slug == NOT_RECORDED_SLUG else slug
    return Scope("group", f"{dimension.label}: {label}", dimension, key)

