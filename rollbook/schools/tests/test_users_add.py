import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from rollbook.reports.tests import scenario
from rollbook.schools.models import Membership, ParentLink, TeachingAssignment

pytestmark = pytest.mark.django_db
STRONG = "correct-horse-battery-staple-42\n"


@pytest.fixture
def school(tmp_path):
    call_command("import_bundle", str(scenario.write_bundle(tmp_path / "bundle")), stdout=io.StringIO())


def add(*args: str, password: str = STRONG) -> str:
    out = io.StringIO()
    stdin = io.StringIO(password)
    monkey_stdin = pytest.MonkeyPatch()
    monkey_stdin.setattr("sys.stdin", stdin)
    try:
        call_command("users_add", *args, "--password-stdin", stdout=out)
    finally:
        monkey_stdin.undo()
    return out.getvalue()


def test_users_add_teacher_with_class(school):
    text = add("rivera", "--school", "012345", "--role", "teacher", "--class", "2 Elm", "--name", "Ana Rivera")

    user = get_user_model().objects.get(username="rivera")
    assert "rivera is class teacher at Hazel Lane Lower School" in text
    assert user.check_password(STRONG.strip())
    assert (user.first_name, user.last_name) == ("Ana", "Rivera")
    assert TeachingAssignment.objects.get(user=user).class_name == "2 Elm"


def test_users_add_existing_user_second_role(school):
    add("rivera", "--school", "012345", "--role", "teacher", "--class", "2 Elm")
    add("rivera", "--school", "012345", "--role", "office")

    assert set(Membership.objects.values_list("role", flat=True)) == {"teacher", "office"}


def test_users_add_parent_linked_to_child(school):
    add("okafor", "--school", "012345", "--role", "parent", "--pupil", scenario.PUPILS["ADA"][0])

    assert ParentLink.objects.get().pupil.upn == scenario.PUPILS["ADA"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--school", "999999", "--role", "office"), "no school has URN '999999'"),
        (("--school", "012345", "--role", "parent"), "a parent needs --pupil UPN"),
        (("--school", "012345", "--role", "teacher", "--class", "9 Zzz"), "class '9 Zzz' has no pupils in 2025/26; classes are: 1 Ash, 2 Elm"),
        (("--school", "012345", "--role", "parent", "--pupil", "X000000000000"), "no pupil of Hazel Lane Lower School has UPN"),
        (("--school", "012345", "--role", "office", "--class", "2 Elm"), "--class is for the teacher role only"),
    ],
)
def test_users_add_rejects_bad_input(school, args, message):
    with pytest.raises(CommandError, match=message):
        add("someone", *args)

    assert not get_user_model().objects.filter(username="someone").exists()


def test_users_add_rejects_weak_password(school):
    with pytest.raises(CommandError, match="the password is too weak"):
        add("someone", "--school", "012345", "--role", "office", password="password\n")

    assert not get_user_model().objects.exists()
