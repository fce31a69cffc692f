"""The follow-ups the school's policy lists for a truancy or missing-child incident.

Each follow-up is a data row: a code stored with the incident step that completes it, the
step in words, and when it applies. The lists restate the school's procedures for a pupil
missing from school during the day and for suspected truancy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class IncidentKind(enum.StrEnum):
    MISSING_CHILD = "missing-child"
    TRUANCY = "truancy"


class Applies(enum.StrEnum):
    """When a follow-up is needed."""

    ALWAYS = "always"
    NOT_FOUND_AFTER_SEARCH = "not-found-after-search"  # the search of the premises found no one
    CONTACTS_EXHAUSTED = "contacts-exhausted"  # parents had no contact and no emergency contact helped
    EXTRA_NEEDS = "extra-needs"  # a social worker, looked after, or special educational needs
    REPEAT_TRUANCY = "repeat-truancy"  # an earlier truancy incident this academic year
    SAFEGUARDING = "safeguarding"  # a safeguarding concern was recorded
    FOUND = "found"  # the pupil has been located


@dataclass(frozen=True)
class FollowUp:
    code: str
    text: str
    applies: Applies = Applies.ALWAYS


MISSING_CHILD_FOLLOW_UPS: tuple[FollowUp, ...] = (
    FollowUp("head-informed", "The member of staff who noticed tells the headteacher immediately"),
    FollowUp("office-informed", "The office is told, and takes information about the search"),
    FollowUp("class-supervised", "A member of staff stays with the rest of the class"),
    FollowUp("search-classrooms", "Search all classrooms"),
    FollowUp("search-toilets", "Search all toilets"),
    FollowUp("search-halls", "Search the school halls"),
    FollowUp("search-library", "Search the library, computing suite and other rooms"),
    FollowUp("search-outbuildings", "Search any outbuildings"),
    FollowUp("search-grounds", "Search the school grounds"),
    FollowUp("search-outside", "Search the area just outside the premises, carrying a mobile phone"),
    FollowUp("parents-notified", "Notify the parents", Applies.NOT_FOUND_AFTER_SEARCH),
    FollowUp("emergency-contacts", "Try the emergency contact numbers", Applies.NOT_FOUND_AFTER_SEARCH),
    FollowUp("police-called", "Call the police", Applies.CONTACTS_EXHAUSTED),
    FollowUp("safeguarding-record", "Record the circumstances and outcome in the safeguarding record"),
    FollowUp(
        "extra-needs-informed",
        "Inform the social worker, the virtual school or the SEND lead, as the pupil's needs require",
        Applies.EXTRA_NEEDS,
    ),
    FollowUp("pupil-cared-for", "Care for and talk to the pupil to make sure they are safe and well", Applies.FOUND),
    FollowUp("found-informed", "Tell the parents and any other agencies at once that the pupil is found", Applies.FOUND),
    FollowUp("investigation", "The headteacher investigates, concludes how it happened and reviews procedures"),
)

TRUANCY_FOLLOW_UPS: tuple[FollowUp, ...] = (
    FollowUp("head-informed", "Tell the headteacher that truancy is suspected"),
    FollowUp("parent-contacted", "The headteacher contacts the parent to understand why the pupil is not in school"),
    FollowUp("parent-told-action", "Tell the parents about the truancy and the action being taken"),
    FollowUp("penalty-considered", "Consider a penalty notice for further truancy", Applies.REPEAT_TRUANCY),
    FollowUp("dsl-involved", "Involve the designated safeguarding lead", Applies.SAFEGUARDING),
)

FOLLOW_UPS: dict[IncidentKind, tuple[FollowUp, ...]] = {
    IncidentKind.MISSING_CHILD: MISSING_CHILD_FOLLOW_UPS,
    IncidentKind.TRUANCY: TRUANCY_FOLLOW_UPS,
}


@dataclass(frozen=True)
class IncidentFacts:
    """What is known about an incident that decides which follow-ups apply."""

    not_found_after_search: bool = False
    contacts_exhausted: bool = False
    extra_needs: bool = False
    repeat_truancy: bool = False
    safeguarding: bool = False
    found: bool = False

    def holds(self, applies: Applies) -> bool:
        return {
            Applies.ALWAYS: True,
            Applies.NOT_FOUND_AFTER_SEARCH: self.not_found_after_search,
            Applies.CONTACTS_EXHAUSTED: self.contacts_exhausted,
            Applies.EXTRA_NEEDS: self.extra_needs,
            Applies.REPEAT_TRUANCY: self.repeat_truancy,
            Applies.SAFEGUARDING: self.safeguarding,
            Applies.FOUND: self.found,
        }[applies]


@dataclass(frozen=True)
class FollowUpStatus:
    follow_up: FollowUp
    needed: bool
    done: bool


def follow_up_status(kind: IncidentKind, facts: IncidentFacts, done_codes: frozenset[str]) -> list[FollowUpStatus]:
    """Return every follow-up of the kind in the policy's order, whether it is needed and whether it is done.

    A follow-up that does not apply yet is listed as not needed, so staff see what may come next.
    """
    return [
        FollowUpStatus(follow_up=item, needed=facts.holds(item.applies), done=item.code in done_codes)
        for item in FOLLOW_UPS[kind]
    ]


def outstanding(statuses: list[FollowUpStatus]) -> list[FollowUp]:
    """Return the follow-ups needed and not yet done."""
    return [status.follow_up for status in statuses if status.needed and not status.done]
