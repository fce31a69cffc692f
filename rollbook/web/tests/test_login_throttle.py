"""Sign-in throttling per username and per address, and the session cookie's settings."""

from __future__ import annotations

import logging
import time

import pytest
from django.urls import reverse

from rollbook.schools.models import StaffRole
from rollbook.web.auth import username_digest

from .conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
PAUSED = "Sign-in is paused after too many failed attempts"


@pytest.fixture
def lead(larkspur):
    return make_user("lead", (larkspur, StaffRole.ATTENDANCE_LEAD))


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "192.0.2.10") -> None:
    for _ in range(times):
        response = sign_in(client, username, "not-the-password", address)
        assert response.status_code == 200
        assert PAUSED not in response.content.decode()


def test_throttle_allows_below_limit(client, lead):
    fail(client, "lead", 4)
    response = sign_in(client, "lead", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_throttle_pauses_at_limit(client, lead):
    fail(client, "lead", 5)
    response = sign_in(client, "lead", PASSWORD)
    text = response.content.decode()
    assert response.status_code == 429
    assert PAUSED in text
    assert "Try again in 15 minutes" in text
    assert 'role="alert"' in text
    assert "_auth_user_id" not in client.session


def test_throttle_ignores_username_case(client, lead):
    fail(client, "LEAD", 3)
    fail(client, "Lead", 2)
    assert sign_in(client, "lead", PASSWORD).status_code == 429


def test_throttle_success_resets_username_count(client, lead):
    fail(client, "lead", 4)
    assert sign_in(client, "lead", PASSWORD).status_code == 302
    client.logout()
    fail(client, "lead", 4)
    assert sign_in(client, "lead", PASSWORD).status_code == 302


def test_throttle_other_username_unaffected(client, larkspur, lead):
    make_user("office", (larkspur, StaffRole.OFFICE))
    fail(client, "lead", 5)
    assert sign_in(client, "office", PASSWORD).status_code == 302


def test_throttle_unknown_username_counts(client, lead):
    fail(client, "nobody", 5)
    response = sign_in(client, "nobody", "anything-at-all")
    assert response.status_code == 429


def test_throttle_pauses_address_at_its_limit(client, settings, larkspur, lead):
    settings.ROLLBOOK_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    fail(client, "first", 1)
    fail(client, "second", 1)
    fail(client, "third", 1)
    assert sign_in(client, "lead", PASSWORD).status_code == 429
    assert sign_in(client, "lead", PASSWORD, address="198.51.100.7").status_code == 302


def test_throttle_address_below_limit(client, settings, lead):
    settings.ROLLBOOK_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    fail(client, "first", 1)
    fail(client, "second", 1)
    assert sign_in(client, "lead", PASSWORD).status_code == 302


def test_throttle_limit_from_settings(client, settings, lead):
    settings.ROLLBOOK_LOGIN_MAX_FAILURES = 2
    fail(client, "lead", 2)
    assert sign_in(client, "lead", PASSWORD).status_code == 429


def test_throttle_pause_ends_after_window(client, settings, lead):
    settings.ROLLBOOK_LOGIN_FAILURE_WINDOW = 1
    fail(client, "lead", 5)
    response = sign_in(client, "lead", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 1 minute," in response.content.decode()
    time.sleep(1.2)
    assert sign_in(client, "lead", PASSWORD).status_code == 302


def test_throttle_logs_digest_not_secrets(client, lead, caplog):
    with caplog.at_level(logging.INFO, logger="rollbook.web.auth"):
        fail(client, "lead", 5)
        sign_in(client, "lead", PASSWORD)
    text = caplog.text
    assert username_digest("lead") in text
    assert "Sign-in paused for username" in text
    assert "Sign-in rejected while paused" in text
    assert "not-the-password" not in text
    assert PASSWORD not in text
    assert "lead " not in text
    assert "'lead'" not in text


def test_throttle_digest_is_keyed():
    digest = username_digest("lead")
    assert digest == username_digest("LEAD")
    assert digest != username_digest("lead2")
    assert "lead" not in digest


def test_session_cookie_is_secure(client, lead):
    response = sign_in(client, "lead", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    # No Max-Age or Expires: the browser drops the cookie when it closes.
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_session_expires_after_eight_hours(client, lead):
    sign_in(client, "lead", PASSWORD)
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close() is True
