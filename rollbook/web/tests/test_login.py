"""Signing in and out with Django's auth views and Rollbook's templates."""

import pytest
from django.urls import reverse

from rollbook.schools.models import StaffRole

from .conftest import make_user

pytestmark = pytest.mark.django_db


def test_login_page_labels_fields(client):
    response = client.get(reverse("login"))
    text = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in text
    assert '<label for="id_password">Password</label>' in text
    assert 'autocomplete="current-password"' in text
    assert "Skip to main content" in text


def test_login_redirects_home(client, larkspur):
    make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD))
    response = client.post(reverse("login"), {"username": "lead", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_follows_next(client, larkspur):
    make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD))
    target = reverse("school_home", args=[larkspur.pk])
    response = client.post(f"{reverse('login')}?next={target}",
                           {"username": "lead", "password": "a-long-test-password", "next": target})
    assert response.status_code == 302
    assert response.url == target


def test_login_wrong_password_shows_error(client, larkspur):
    make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD))
    response = client.post(reverse("login"), {"username": "lead", "password": "not-the-password"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert 'role="alert"' in text
    assert 'aria-invalid="true"' in text
    assert "_auth_user_id" not in client.session


def test_logout_rejects_get(client, larkspur):
    client.force_login(make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD)))
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_post_signs_out(client, larkspur):
    client.force_login(make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD)))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302
