"""Access rules: a user's roles at each school, what each role may do, and which objects it reaches.

Roles are per school (``Membership``), so every check names the school. What a role may do is
one table, ``ROLE_PERMISSIONS``; which pupils and classes it reaches is decided by
``visible_pupils`` and ``register_classes``. A user with several roles at one school gets the
union of them. Django's superuser flag grants nothing here: only memberships count.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rollbook.policy.calendar import academic_year_of
from rollbook.policy.settings import Policy
from rollbook.registers.services import Actor
from rollbook.schools.models import (
    AcademicYear,
    Membership,
    Placement,
    Pupil,
    School,
    StaffRole,
    TeachingAssignment,
)


class Audience(enum.Enum):
    """The view of a school that a user's roles there allow on the landing page."""

    STAFF = "staff"  # school figures and pupils by name
    GOVERNOR = "governor"  # school figures, never a pupil's name
    PARENT = "parent"  # their own children only


class Permission(enum.StrEnum):
    """An action at one school. Which pupils or classes it reaches is decided separately."""

    VIEW_FIGURES = "view_figures"  # school-wide attendance figures, without names
    VIEW_PUPILS = "view_pupils"  # pupils' records, limited to ``visible_pupils``
    TAKE_REGISTER = "take_register"  # limited to ``register_classes`` and ``register_codes``
    AMEND_MARKS = "amend_marks"  # change a mark after its register closed, with a reason
    SIGNING_BOOK = "signing_book"  # late arrivals and early leavers
    MISSING_REGISTERS = "missing_registers"  # the board of registers not yet submitted
    VIEW_HISTORY = "view_history"  # a mark's amendments and who made them
    VIEW_CONTACTS = "view_contacts"  # a pupil's contacts, limited to ``visible_pupils``
    EDIT_CONTACTS = "edit_contacts"
    MANAGE_CASEWORK = "manage_casework"  # actions due, trigger stages, decisions, plans and meetings
    VIEW_CASEWORK = "view_casework"  # a pupil's whole casework record, limited to ``visible_pupils``
    VIEW_CASE_STAGE = "view_case_stage"  # a pupil's trigger stage and review dates only
    LOG_CORRESPONDENCE = "log_correspondence"  # add calls, letters and notes to a pupil's log
    RECORD_INCIDENTS = "record_incidents"  # truancy and missing-child incidents
    SCHOOL_ANALYSIS = "school_analysis"  # whole-school analysis naming pupils: SLT spreadsheet, policy comparison
    VIEW_REQUESTS = "view_requests"  # parents' requests, their policy checks and letters
    DECIDE_REQUESTS = "decide_requests"  # grant or refuse a request, or withdraw lunchtime leave
    MANAGE_ASSESSMENTS = "manage_assessments"  # the statutory assessment periods of each year
    EDIT_LETTERS = "edit_letters"  # upload the school's own decision letter templates
    CALL_LIST = "call_list"  # the first-day call list and its call log, limited to ``visible_pupils``
    RECORD_REPORTS = "record_reports"  # record an absence report received on a parent's behalf
    VIEW_OPEN_N = "view_open_n"  # the daily list of open N marks, limited to ``visible_pupils``


_ALL = frozenset(Permission)

# Only the headteacher or a nominated senior leader, and the attendance lead, decide requests.
_DECIDING = frozenset({Permission.DECIDE_REQUESTS, Permission.EDIT_LETTERS})

# The permissions of each role at its school. A parent's only access is to their own children's
# pages, which ``visible_pupils`` grants, so the role has no school-wide permission.
ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.ADMINISTRATOR: _ALL - {Permission.DECIDE_REQUESTS},
    StaffRole.OFFICE: _ALL - _DECIDING - {Permission.MANAGE_CASEWORK},
    StaffRole.ATTENDANCE_LEAD: _ALL - {Permission.EDIT_CONTACTS},
    StaffRole.SENIOR_LEADER: _ALL - {Permission.EDIT_CONTACTS, Permission.SIGNING_BOOK},
    StaffRole.TEACHER: frozenset(
        {
            Permission.VIEW_FIGURES,
            Permission.VIEW_PUPILS,
            Permission.TAKE_REGISTER,
            Permission.VIEW_HISTORY,
            Permission.VIEW_CONTACTS,
            Permission.VIEW_CASE_STAGE,
        }
    ),
    StaffRole.LA_OFFICER: frozenset(
        {
            Permission.VIEW_FIGURES,
            Permission.VIEW_PUPILS,
            Permission.VIEW_HISTORY,
            Permission.VIEW_CONTACTS,
            Permission.VIEW_CASEWORK,
            Permission.VIEW_CASE_STAGE,
            Permission.VIEW_OPEN_N,
        }
    ),
    StaffRole.GOVERNOR: frozenset({Permission.VIEW_FIGURES}),
    StaffRole.PARENT: frozenset(),
}

# Roles that reach every pupil of their school; a teacher reaches their classes, a parent their children.
WHOLE_SCHOOL_PUPILS = frozenset(
    {
        StaffRole.ADMINISTRATOR,
        StaffRole.OFFICE,
        StaffRole.ATTENDANCE_LEAD,
        StaffRole.SENIOR_LEADER,
        StaffRole.LA_OFFICER,
    }
)

# Roles that may take or see every class's register and enter any code of the code set.
WHOLE_SCHOOL_REGISTERS = frozenset(
    {StaffRole.ADMINISTRATOR, StaffRole.OFFICE, StaffRole.ATTENDANCE_LEAD, StaffRole.SENIOR_LEADER}
)

# The codes a class teacher enters: present (morning and afternoon), late before the register
# closes, and N for a pupil not yet accounted for. U comes from an arrival time, not a key.
TEACHER_CODES = ("/", "\\", "L", "N")

# The role a user with several roles at one school acts in when recorded as an amendment's author.
ROLE_PRECEDENCE = (
    StaffRole.ADMINISTRATOR,
    StaffRole.OFFICE,
    StaffRole.ATTENDANCE_LEAD,
    StaffRole.SENIOR_LEADER,
    StaffRole.TEACHER,
    StaffRole.LA_OFFICER,
    StaffRole.GOVERNOR,
    StaffRole.PARENT,
)


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
    if not user.is_authenticated:
        return []
    return list(School.objects.filter(memberships__user=user).distinct().order_by("name", "pk"))


def roles_at(user, school: School) -> set[str]:
    """Return the user's roles at a school (empty when they have none or are not signed in)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


def school_or_404(user, school_id: int) -> School:
    """Return the school if the user has a role there, else raise Http404.

    Any other school is "not found", so a page does not reveal which schools exist.
    """
    if not user.is_authenticated:
        raise Http404("No such school.")
    school = School.objects.filter(pk=school_id, memberships__user=user).distinct().first()
    if school is None:
        raise Http404("No such school.")
    return school


def permissions_at(user, school: School) -> frozenset[Permission]:
    """Return everything the user's roles at a school allow (the union over their roles)."""
    granted: set[Permission] = set()
    for role in roles_at(user, school):
        granted |= ROLE_PERMISSIONS[StaffRole(role)]
    return frozenset(granted)


def can(user, school: School, permission: Permission) -> bool:
    return permission in permissions_at(user, school)


def require(user, school: School, permission: Permission) -> None:
    """Raise PermissionDenied unless one of the user's roles at the school allows ``permission``."""
    if not can(user, school, permission):
        raise PermissionDenied(f"Your roles at this school do not allow this ({permission.value}).")


def current_year(school: School, on: dt.date) -> AcademicYear | None:
    """Return the school's academic year containing ``on``, else its latest earlier one, else None."""
    return (
        AcademicYear.objects.filter(school=school, start_year__lte=academic_year_of(on))
        .order_by("-start_year")
        .first()
    )


def register_classes(user, year: AcademicYear) -> list[str]:
    """Return the classes of ``year`` whose registers the user may take or see, by name.

    Teachers get the classes of their teaching assignments that year. Office staff, attendance
    leads, senior leaders and administrators get every class with a pupil placed in it that
    year. Everyone else gets none.
    """
    roles = roles_at(user, year.school)
    if roles & WHOLE_SCHOOL_REGISTERS:
        names = Placement.objects.filter(academic_year=year).values_list("class_name", flat=True)
        return sorted(set(names))
    if StaffRole.TEACHER in roles:
        names = TeachingAssignment.objects.filter(user=user, academic_year=year).values_list("class_name", flat=True)
        return sorted(set(names))
    return []


def visible_pupils(user, school: School, *, on: dt.date | None = None) -> QuerySet[Pupil]:
    """Return the school's pupils the user may see, as an unevaluated query.

    Whole-school roles reach every pupil. A teacher reaches the pupils placed at any time of the
    current academic year in a class they teach that year. The current year is the one containing
    ``on`` (default today in Europe/London), else the latest earlier one. A parent reaches the
    children linked to them. Governors and users without a role reach none.
    """
    roles = roles_at(user, school)
    pupils = Pupil.objects.filter(school=school)
    if roles & WHOLE_SCHOOL_PUPILS:
        return pupils

    reach = Q(pk__in=[])
    if StaffRole.TEACHER in roles:
        year = current_year(school, on or timezone.localdate())
        if year is not None:
            for class_name in register_classes(user, year):
                reach |= Q(placements__academic_year=year, placements__class_name=class_name)
    if StaffRole.PARENT in roles:
        reach |= Q(parent_links__user=user)
    return pupils.filter(reach).distinct()


def register_codes(user, school: School, policy: Policy) -> tuple[str, ...]:
    """Return the attendance codes the user may enter, in the code set's order.

    Whole-school register roles may enter the whole code set; a class teacher only
    ``TEACHER_CODES``; everyone else none.
    """
    roles = roles_at(user, school)
    codes = tuple(policy.code_set.codes)
    if roles & WHOLE_SCHOOL_REGISTERS:
        return codes
    if StaffRole.TEACHER in roles:
        return tuple(code for code in codes if code in TEACHER_CODES)
    return ()


def acting_role(user, school: School) -> StaffRole | None:
    """Return the user's widest role at the school (see ``ROLE_PRECEDENCE``), or None."""
    roles = roles_at(user, school)
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role
    return None


def actor_for(user, school: School) -> Actor:
    """Return who the user is when recorded as a mark's author: their name and widest role.

    The name is the user's full name, else their username. The role is empty when the user
    has none at the school; callers check permissions before recording anything.
    """
    role = acting_role(user, school)
    name = user.get_full_name() or user.get_username()
    return Actor(name=name, role=role.value if role else "")
