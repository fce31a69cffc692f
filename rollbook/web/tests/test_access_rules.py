"""The role table and the object scoping in ``rollbook.web.access``, against real rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from rollbook.schools.models import AcademicYear, StaffRole
from rollbook.web.access import (
    ROLE_PERMISSIONS,
    TEACHER_CODES,
    Permission,
    actor_for,
    can,
    register_classes,
    register_codes,
    require,
    school_or_404,
    visible_pupils,
)

from .conftest import JONAH_UPN, LAST_DAY, MILA_UPN, RUTH_UPN, link_parent, make_user, teach

ALL_UPNS = {MILA_UPN, JONAH_UPN, RUTH_UPN}
CEDAR_UPNS = {MILA_UPN, JONAH_UPN}

P = Permission

# persona fixture -> the permissions it must have at Larkspur (and so lack every other one).
EXPECTED_PERMISSIONS = {
    "office": set(P) - {P.DECIDE_REQUESTS, P.EDIT_LETTERS, P.MANAGE_CASEWORK},
    "administrator": set(P) - {P.DECIDE_REQUESTS},
    "attendance_lead": set(P) - {P.EDIT_CONTACTS},
    "senior_leader": set(P) - {P.EDIT_CONTACTS, P.SIGNING_BOOK},
    "teacher": {P.VIEW_FIGURES, P.VIEW_PUPILS, P.TAKE_REGISTER, P.VIEW_HISTORY, P.VIEW_CONTACTS, P.VIEW_CASE_STAGE},
    "other_class_teacher": {
        P.VIEW_FIGURES, P.VIEW_PUPILS, P.TAKE_REGISTER, P.VIEW_HISTORY, P.VIEW_CONTACTS, P.VIEW_CASE_STAGE,
    },
    "la_officer": {
        P.VIEW_FIGURES, P.VIEW_PUPILS, P.VIEW_HISTORY, P.VIEW_CONTACTS, P.VIEW_OPEN_N, P.VIEW_CASEWORK, P.VIEW_CASE_STAGE,
    },
    "governor": {P.VIEW_FIGURES},
    "parent": set(),
    "other_school_teacher": set(),
}

# persona fixture -> the UPNs of the Larkspur pupils it may see.
EXPECTED_PUPILS = {
    "office": ALL_UPNS,
    "administrator": ALL_UPNS,
    "attendance_lead": ALL_UPNS,
    "senior_leader": ALL_UPNS,
    "la_officer": ALL_UPNS,
    "teacher": CEDAR_UPNS,
    "other_class_teacher": {RUTH_UPN},
    "governor": set(),
    "parent": {MILA_UPN},
    "other_parent": {RUTH_UPN},
    "other_school_teacher": set(),
}

# persona fixture -> the Larkspur classes whose registers it may take.
EXPECTED_CLASSES = {
    "office": ["3 Cedar", "3 Maple"],
    "administrator": ["3 Cedar", "3 Maple"],
    "attendance_lead": ["3 Cedar", "3 Maple"],
    "senior_leader": ["3 Cedar", "3 Maple"],
    "teacher": ["3 Cedar"],
    "other_class_teacher": ["3 Maple"],
    "la_officer": [],
    "governor": [],
    "parent": [],
    "other_school_teacher": [],
}


def larkspur_year(larkspur) -> AcademicYear:
    return AcademicYear.objects.get(school=larkspur, start_year=2025)


def test_role_permissions_cover_every_role():
    assert set(ROLE_PERMISSIONS) == set(StaffRole)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_PERMISSIONS.items())
def test_can_per_persona(request, larkspur, persona, expected):
    user = request.getfixturevalue(persona)
    for permission in Permission:
        assert can(user, larkspur, permission) is (permission in expected), permission


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_PUPILS.items())
def test_visible_pupils_per_persona(request, larkspur, persona, expected):
    user = request.getfixturevalue(persona)
    upns = set(visible_pupils(user, larkspur, on=LAST_DAY).values_list("upn", flat=True))
    assert upns == expected


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_CLASSES.items())
def test_register_classes_per_persona(request, larkspur, persona, expected):
    user = request.getfixturevalue(persona)
    assert register_classes(user, larkspur_year(larkspur)) == expected


def test_require_raises_without_permission(larkspur, governor):
    with pytest.raises(PermissionDenied):
        require(governor, larkspur, Permission.VIEW_PUPILS)


def test_require_passes_with_permission(larkspur, governor):
    assert require(governor, larkspur, Permission.VIEW_FIGURES) is None


def test_can_anonymous_has_nothing(larkspur):
    for permission in Permission:
        assert can(AnonymousUser(), larkspur, permission) is False


def test_school_or_404_own_school(larkspur, governor):
    assert school_or_404(governor, larkspur.pk) == larkspur


def test_school_or_404_other_school(larkspur, other_school_teacher):
    with pytest.raises(Http404):
        school_or_404(other_school_teacher, larkspur.pk)


def test_school_or_404_unknown_school(larkspur, governor):
    with pytest.raises(Http404):
        school_or_404(governor, larkspur.pk + 1000)


def test_school_or_404_anonymous(larkspur):
    with pytest.raises(Http404):
        school_or_404(AnonymousUser(), larkspur.pk)


def test_roles_combine_as_union(larkspur):
    user = make_user("governor-teacher", (larkspur, StaffRole.GOVERNOR), (larkspur, StaffRole.TEACHER))
    teach(user, larkspur, "3 Maple")
    assert can(user, larkspur, Permission.TAKE_REGISTER)
    assert set(visible_pupils(user, larkspur, on=LAST_DAY).values_list("upn", flat=True)) == {RUTH_UPN}


def test_teacher_and_parent_sees_class_and_child(larkspur, mila):
    user = make_user("maple-parent", (larkspur, StaffRole.TEACHER), (larkspur, StaffRole.PARENT))
    teach(user, larkspur, "3 Maple")
    link_parent(user, mila)
    upns = set(visible_pupils(user, larkspur, on=LAST_DAY).values_list("upn", flat=True))
    assert upns == {MILA_UPN, RUTH_UPN}


def test_visible_pupils_teacher_uses_latest_year(larkspur, teacher):
    # A date after the fixture's only year still finds that year's classes.
    upns = set(visible_pupils(teacher, larkspur, on=dt.date(2027, 1, 5)).values_list("upn", flat=True))
    assert upns == CEDAR_UPNS


def test_visible_pupils_teacher_before_any_year(larkspur, teacher):
    assert not visible_pupils(teacher, larkspur, on=dt.date(2024, 9, 2)).exists()


def test_visible_pupils_parent_other_school(larkspur, otterburn, parent):
    assert not visible_pupils(parent, otterburn).exists()


def test_register_codes_teacher(larkspur, teacher):
    policy = larkspur_year(larkspur).policy()
    codes = register_codes(teacher, larkspur, policy)
    assert set(codes) == set(TEACHER_CODES)
    assert "U" not in codes
    assert "O" not in codes


def test_register_codes_office_whole_set(larkspur, office):
    policy = larkspur_year(larkspur).policy()
    assert register_codes(office, larkspur, policy) == tuple(policy.code_set.codes)


@pytest.mark.parametrize("persona", ["governor", "la_officer", "parent", "other_school_teacher"])
def test_register_codes_none(request, larkspur, persona):
    policy = larkspur_year(larkspur).policy()
    assert register_codes(request.getfixturevalue(persona), larkspur, policy) == ()


def test_actor_for_uses_full_name(larkspur, office):
    office.first_name, office.last_name = "Priya", "Okonjo"
    office.save()
    assert actor_for(office, larkspur).name == "Priya Okonjo"
    assert actor_for(office, larkspur).role == StaffRole.OFFICE


def test_actor_for_falls_back_to_username(larkspur, teacher):
    actor = actor_for(teacher, larkspur)
    assert actor.name == "cedar-teacher"
    assert actor.role == StaffRole.TEACHER


def test_actor_for_widest_role(larkspur):
    user = make_user("teacher-office", (larkspur, StaffRole.TEACHER), (larkspur, StaffRole.OFFICE))
    assert actor_for(user, larkspur).role == StaffRole.OFFICE


def test_actor_for_no_role(larkspur, other_school_teacher):
    assert actor_for(other_school_teacher, larkspur).role == ""
