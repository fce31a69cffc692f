"""Access rules: the schools a user belongs to, and the view their roles at one school allow."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from rollbook.schools.models import Membership, School, StaffRole


class Audience(enum.Enum):
    """The view of a school that a user's roles there allow on Rollbook's pages."""

    # NOTE: a class teacher sees every pupil, because staff are not linked to their classes yet.
    STAFF = "staff"  # school figures and pupils by name
    GOVERNOR = "governor"  # school figures, never a pupil's name
    PARENT = "parent"  # their own children only


def audience_for(roles: Iterable[str]) -> Audience:
    """Return the widest view that any of a user's roles at one school grants.

    With no role at all the result is the parent view, which shows no pupil data.
    """
    roles = set(roles)
    if roles - {StaffRole.GOVERNOR, StaffRole.PARENT}:
        return Audience.STAFF
    if StaffRole.GOVERNOR in roles:
        return Audience.GOVERNOR
    return Audience.PARENT


def schools_of(user) -> list[School]:
    """Return the schools where the user has a role, by name."""
    return list(School.objects.filter(memberships__user=user).distinct().order_by("name", "pk"))


def roles_at(user, school: School) -> set[str]:
    """Return the user's roles at a school (empty when they have none)."""
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
