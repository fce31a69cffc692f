"""Writing to and reading a pupil's correspondence log."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import QuerySet

from rollbook.schools.models import Pupil
from rollbook.web.access import acting_role

from .models import CorrespondenceEntry, EntryKind

logger = logging.getLogger(__name__)

# The author recorded for a step Rollbook takes itself, such as a letter queued by a rule.
SYSTEM_AUTHOR = "Rollbook"


class EntryInvalid(ValueError):
    """A log entry that cannot be recorded; the message names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _author(pupil: Pupil, by) -> tuple[str, str]:
    if by is None:
        return SYSTEM_AUTHOR, ""
    role = acting_role(by, pupil.school)
    return by.get_full_name() or by.get_username(), role.value if role else ""


def log_entry(
    pupil: Pupil,
    kind: EntryKind | str,
    summary: str,
    by,
    at: dt.datetime,
    *,
    details: str = "",
    reference: str = "",
    corrects: CorrespondenceEntry | None = None,
) -> CorrespondenceEntry:
    """Add one entry to the pupil's correspondence log and return it.

    ``by`` is the user who took the step, or None for a step Rollbook took itself (recorded as
    "Rollbook"; say which rule in ``summary``). ``at`` must be timezone-aware. ``reference`` is
    "kind:id" of the letter, notice or case the entry is about. Raises ``EntryInvalid``.
    """
    try:
        kind = EntryKind(kind)
    except ValueError:
        choices = ", ".join(EntryKind.values)
        raise EntryInvalid("kind", f"kind {kind!r} is not a correspondence entry kind; use one of {choices}") from None
    summary = (summary or "").strip()
    if not summary:
        raise EntryInvalid("summary", "summary is empty; say in a line what was sent, said or decided")
    max_summary = CorrespondenceEntry._meta.get_field("summary").max_length
    if len(summary) > max_summary:
        raise EntryInvalid(
            "summary", f"summary is {len(summary)} characters, more than {max_summary}; put the rest in details"
        )
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        raise EntryInvalid("at", f"at {at!r} is not a timezone-aware date and time; pass an aware datetime")
    if len(reference) > CorrespondenceEntry._meta.get_field("reference").max_length:
        raise EntryInvalid("reference", f"reference {reference[:40]!r}... is too long; use \"kind:id\"")
    if corrects is not None and (corrects.pupil_id != pupil.pk or corrects.school_id != pupil.school_id):
        raise EntryInvalid(
            "corrects", f"entry {corrects.pk} belongs to another pupil; a correction names an entry of the same pupil"
        )

    by_name, by_role = _author(pupil, by)
    entry = CorrespondenceEntry.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        summary=summary,
        details=details,
        at=at,
        by=by,
        by_name=by_name,
        by_role=by_role,
        reference=reference,
        corrects=corrects,
    )
    logger.info("Logged %s entry %s for pupil %s (reference %s)", kind.value, entry.pk, pupil.pk, reference or "-")
    return entry


def pupil_log(pupil: Pupil, *, kinds: frozenset[EntryKind] | None = None) -> QuerySet[CorrespondenceEntry]:
    """Return the pupil's log entries, newest first, optionally only some kinds."""
    entries = CorrespondenceEntry.objects.filter(school_id=pupil.school_id, pupil=pupil).select_related("corrects")
    if kinds is not None:
        entries = entries.filter(kind__in=[k.value for k in kinds])
    return entries.order_by("-at", "-pk")
