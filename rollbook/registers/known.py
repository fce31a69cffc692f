"""Absences known before a register is taken, from whichever part of Rollbook records them.

The register screen queries every registered source for the pupils of one session and shows
the result beside each name: a parent's report, granted leave. A source can pre-fill a code
(granted leave pre-fills its leave code) or only a label. Sources register themselves when
their app loads, so registers depend on no other app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rollbook.policy.calendar import Session


@dataclass(frozen=True)
class KnownAbsence:
    """An absence that one source has recorded for a pupil's session before its register is taken."""

    label: str  # shown beside the pupil's name, such as "Reported by a parent: illness"
    code: str = ""  # the code to pre-fill, or "" to show the label only


# A source takes (school id, pupil ids, day, session) and returns its known absences by pupil id.
Source = Callable[[int, Sequence[int], dt.date, Session], Mapping[int, KnownAbsence]]
_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """Add a source of known absences; registering the same function twice has no effect."""
    if source not in _sources:
        _sources.append(source)
    return source


def known_absences(school_id: int, pupil_ids: Sequence[int], day: dt.date, session: Session) -> dict[int, list[KnownAbsence]]:
    """Return every known absence of the pupils' session, by pupil id, in source order."""
    known: dict[int, list[KnownAbsence]] = {}
    if not pupil_ids:
        return known
    for source in _sources:
        for pupil_id, absence in source(school_id, pupil_ids, day, session).items():
            known.setdefault(pupil_id, []).append(absence)
    return known


def prefill_code(absences: Sequence[KnownAbsence]) -> str:
    """Return the code to pre-fill: the first source's code that has one, else ""."""
    return next((absence.code for absence in absences if absence.code), "")
