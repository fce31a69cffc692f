"""Who casework tells: a pupil's class teachers and the school's leads, senior leaders and LA officers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from rollbook.schools.models import AcademicYear, Membership, Placement, Pupil, School, StaffRole, TeachingAssignment


@dataclass(frozen=True)
class Recipient:
    name: str
    role: str  # the role's label, such as "Class teacher"
    email: str  # empty when the account has no address

    def line(self) -> str:
        return f"{self.name} ({self.role})"


def _recipient(user, role: StaffRole) -> Recipient:
    return Recipient(name=user.get_full_name() or user.get_username(), role=role.label, email=user.email)


def class_name_on(pupil: Pupil, year: AcademicYear, on: dt.date) -> str:
    """Return the pupil's class on ``on``, else their latest class that year, else ""."""
    placements = Placement.objects.filter(pupil=pupil, academic_year=year).order_by("-start_date")
    current = placements.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on).first()
    placement = current or placements.first()
    return placement.class_name if placement else ""


def class_teachers(pupil: Pupil, year: AcademicYear, on: dt.date) -> list[Recipient]:
    """Return the teachers of the pupil's class on ``on`` who are still teachers at the school."""
    class_name = class_name_on(pupil, year, on)
    if not class_name:
        return []
    teachers = Membership.objects.filter(school=pupil.school, role=StaffRole.TEACHER).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(
        pk__in=TeachingAssignment.objects.filter(academic_year=year, class_name=class_name, user_id__in=teachers).values(
            "user_id"
        )
    ).order_by("last_name", "first_name", "username")
    return [_recipient(user, StaffRole.TEACHER) for user in users]


def staff_with_role(school: School, role: StaffRole) -> list[Recipient]:
    """Return the school's users with ``role``, by name."""
    users = get_user_model().objects.filter(memberships__school=school, memberships__role=role).distinct()
    return [_recipient(user, role) for user in users.order_by("last_name", "first_name", "username")]


def addresses(recipients: list[Recipient]) -> list[str]:
    return sorted({recipient.email for recipient in recipients if recipient.email})


def described(recipients: list[Recipient]) -> str:
    """Return the recipients as one line for the record, or "nobody" when there are none."""
    return "; ".join(recipient.line() for recipient in recipients) or "nobody"
