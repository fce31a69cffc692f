"""Recording truancy and missing-child incidents and the follow-ups the policy lists for them."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from rollbook.policy.calendar import academic_year_of, academic_year_start
from rollbook.policy.incidents import (
    FOLLOW_UPS,
    FollowUpStatus,
    IncidentFacts,
    IncidentKind,
    follow_up_status,
)
from rollbook.schools.models import Pupil, SenProvision

from .log import log_entry
from .models import EntryKind, Incident, IncidentStep

logger = logging.getLogger(__name__)

KIND_WORDS = {IncidentKind.MISSING_CHILD: "Missing child", IncidentKind.TRUANCY: "Truancy"}


class IncidentInvalid(ValueError):
    """An incident or step that cannot be recorded; the message names the field, the value and the fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _author(by) -> str:
    return by.get_full_name() or by.get_username()


def open_incident(pupil: Pupil, kind: IncidentKind | str, circumstances: str, by, at: dt.datetime) -> Incident:
    """Open an incident for a pupil and log it in the pupil's correspondence log."""
    try:
        kind = IncidentKind(kind)
    except ValueError:
        raise IncidentInvalid("kind", f"kind {kind!r} is not an incident kind; use missing-child or truancy") from None
    circumstances = circumstances.strip()
    if not circumstances:
        raise IncidentInvalid("circumstances", "circumstances are empty; say when and where the pupil was last seen")
    with transaction.atomic():
        incident = Incident.objects.create(
            school_id=pupil.school_id, pupil=pupil, kind=kind, opened_at=at, opened_by=by, circumstances=circumstances
        )
        log_entry(pupil, EntryKind.INCIDENT, f"{KIND_WORDS[kind]} incident opened", by, at,
                  details=circumstances, reference=f"incident:{incident.pk}")
    logger.info("Incident %s (%s) opened for pupil %s by user %s", incident.pk, kind.value, pupil.pk, by.pk)
    return incident


# The facts a step can establish, by form field name.
FACT_FIELDS = ("not_found_after_search", "contacts_exhausted", "safeguarding_concern")


def add_step(
    incident: Incident,
    *,
    at: dt.datetime,
    by,
    outcome: str,
    follow_up: str = "",
    place: str = "",
    called: str = "",
    taken_by: str = "",
    facts: frozenset[str] = frozenset(),
    found: bool = False,
    close: bool = False,
    now: dt.datetime | None = None,
) -> IncidentStep:
    """Add a timestamped step to an open incident, and record the facts and outcome it establishes.

    ``follow_up`` is the code of the policy follow-up the step completes (or ""). ``facts``
    names fields of ``FACT_FIELDS`` the step establishes; ``found`` records that the pupil is
    located at ``at``; ``close`` closes the incident with ``outcome``. ``at`` may not be before
    the incident opened nor after ``now``. Raises ``IncidentInvalid``.
    """
    outcome = outcome.strip()
    if incident.closed_at is not None:
        raise IncidentInvalid("incident", f"incident {incident.pk} is closed; open a new incident for a new event")
    if not outcome:
        raise IncidentInvalid("outcome", "outcome is empty; say what the step found or led to")
    # Forms enter times to the minute, so a step in the minute the incident opened is not "before" it.
    if at < incident.opened_at.replace(second=0, microsecond=0):
        raise IncidentInvalid("at", f"the step's time {at:%-d %B %Y %H:%M} is before the incident opened; check the time")
    if now is not None and at > now:
        raise IncidentInvalid("at", f"the step's time {at:%-d %B %Y %H:%M} is in the future; enter when it happened")
    codes = {item.code for item in FOLLOW_UPS[IncidentKind(incident.kind)]}
    if follow_up and follow_up not in codes:
        raise IncidentInvalid("follow_up", f"follow-up {follow_up!r} is not one of this incident kind's: {', '.join(sorted(codes))}")
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise IncidentInvalid("facts", f"facts {', '.join(sorted(unknown))} are unknown; use {', '.join(FACT_FIELDS)}")

    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        step = IncidentStep.objects.create(
            school_id=incident.school_id, incident=incident, at=at, by=by, by_name=_author(by), taken_by=taken_by.strip(),
            follow_up=follow_up, place=place.strip(), called=called.strip(), outcome=outcome[:300],
        )
        changed = []
        for field in facts:
            if not getattr(incident, field):
                setattr(incident, field, True)
                changed.append(field)
        if found and incident.found_at is None:
            incident.found_at = at
            changed.append("found_at")
        if close:
            incident.closed_at = at
            incident.outcome = outcome
            changed += ["closed_at", "outcome"]
        if changed:
            incident.save(update_fields=changed)
        summary = f"{KIND_WORDS[IncidentKind(incident.kind)]} incident: {outcome}"
        if close:
            summary = f"{KIND_WORDS[IncidentKind(incident.kind)]} incident closed: {outcome}"
        log_entry(incident.pupil, EntryKind.INCIDENT, summary[:300], by, at, reference=f"incident:{incident.pk}")
    return step


def facts_of(incident: Incident) -> IncidentFacts:
    """Return what is known about an incident, including from the pupil's record and earlier incidents."""
    pupil = incident.pupil
    extra_needs = bool(
        pupil.looked_after or pupil.child_in_need or pupil.sen in {SenProvision.SUPPORT, SenProvision.EHC_PLAN, SenProvision.SEN}
    )
    year_start = academic_year_start(academic_year_of(incident.opened_at.date()))
    earlier_truancy = Incident.objects.filter(
        pupil=pupil, kind=IncidentKind.TRUANCY, opened_at__lt=incident.opened_at, opened_at__date__gte=year_start
    ).exists()
    return IncidentFacts(
        not_found_after_search=incident.not_found_after_search,
        contacts_exhausted=incident.contacts_exhausted,
        extra_needs=extra_needs,
        repeat_truancy=incident.kind == IncidentKind.TRUANCY and earlier_truancy,
        safeguarding=incident.safeguarding_concern,
        found=incident.found_at is not None,
    )


def follow_ups(incident: Incident) -> list[FollowUpStatus]:
    """Return the policy's follow-ups for the incident with whether each is needed and done."""
    done = frozenset(incident.steps.exclude(follow_up="").values_list("follow_up", flat=True))
    return follow_up_status(IncidentKind(incident.kind), facts_of(incident), done)
