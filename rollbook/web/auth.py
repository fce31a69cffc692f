"""Sign-in with throttling: repeated failed attempts pause sign-in for a username or an address.

Failures are counted in Django's default cache, per username and per client address, over a
window of ``ROLLBOOK_LOGIN_FAILURE_WINDOW`` seconds. Once a username reaches
``ROLLBOOK_LOGIN_MAX_FAILURES`` failures, or an address reaches
``ROLLBOOK_LOGIN_MAX_FAILURES_PER_ADDRESS``, sign-in is rejected for that username or address
for one window, even with the right password, and the password is not checked at all.

The counters live only as long as the cache does. With the local-memory cache each server
process counts on its own, so a deployment with several processes needs a shared cache
(Redis or Memcached) for the limits to hold.
"""

from __future__ import annotations

import logging
import math

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

logger = logging.getLogger(__name__)

DEFAULT_MAX_FAILURES = 5
DEFAULT_MAX_FAILURES_PER_ADDRESS = 50
DEFAULT_FAILURE_WINDOW = 15 * 60  # seconds


def max_failures() -> int:
    return getattr(settings, "ROLLBOOK_LOGIN_MAX_FAILURES", DEFAULT_MAX_FAILURES)


def max_failures_per_address() -> int:
    return getattr(settings, "ROLLBOOK_LOGIN_MAX_FAILURES_PER_ADDRESS", DEFAULT_MAX_FAILURES_PER_ADDRESS)


def failure_window() -> int:
    """Return the window, in seconds, over which failures count and for which sign-in stays paused."""
    return getattr(settings, "ROLLBOOK_LOGIN_FAILURE_WINDOW", DEFAULT_FAILURE_WINDOW)


def username_digest(username: str) -> str:
    """Return a keyed hash of a username, case-folded: safe to log and to use as a cache key.

    The key is the site's secret, so the digest cannot be reversed by hashing a list of names.
    """
    return salted_hmac("rollbook.web.auth.username", username.casefold()).hexdigest()[:20]


def client_address(request) -> str:
    """Return the client's address as the server saw it.

    NOTE: behind a reverse proxy this is the proxy's address, so all clients share one address
    counter. Trusting X-Forwarded-For needs the proxy's own address configured, which is not done.
    """
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def wait_text(seconds: int) -> str:
    """Return a wait in whole minutes, rounded up, as words: "1 minute", "15 minutes"."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class FailureCounter:
    """Failed sign-ins for one key (a username digest or an address) within the current window."""

    def __init__(self, kind: str, value: str, limit: int):
        self.kind = kind
        self.value = value
        self.limit = limit
        self.count_key = f"rollbook:login-failures:{kind}:{value}"
        self.lock_key = f"rollbook:login-locked:{kind}:{value}"

    def locked(self) -> bool:
        return cache.get(self.lock_key) is not None

    def record_failure(self) -> int:
        """Count one failure and lock the key for a window when the count reaches the limit.

        Returns the count so far in this window.
        """
        window = failure_window()
        cache.add(self.count_key, 0, timeout=window)
        try:
            count = cache.incr(self.count_key)
        except ValueError:
            # The counter expired between add() and incr(): this failure starts a new window.
            cache.set(self.count_key, 1, timeout=window)
            count = 1
        if count >= self.limit:
            cache.set(self.lock_key, True, timeout=window)
            cache.delete(self.count_key)
        return count

    def clear(self) -> None:
        cache.delete_many([self.count_key, self.lock_key])


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, rejecting attempts for a paused username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": (
            "Sign-in is paused after too many failed attempts. Try again in %(wait)s, "
            "or ask your school's Rollbook administrator to reset your password."
        ),
    }

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()

        digest = username_digest(username)
        address = client_address(self.request)
        by_username = FailureCounter("username", digest, max_failures())
        by_address = FailureCounter("address", address, max_failures_per_address())

        if by_username.locked() or by_address.locked():
            logger.warning("Sign-in rejected while paused: username %s from address %s", digest, address)
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": wait_text(failure_window())},
            )

        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self._record_failure(by_username, by_address, digest, address)
            raise

        by_username.clear()
        return cleaned

    def _record_failure(self, by_username: FailureCounter, by_address: FailureCounter, digest: str, address: str):
        username_count = by_username.record_failure()
        address_count = by_address.record_failure()
        logger.info(
            "Sign-in failed: username %s from address %s (%d failures for the username, %d for the address)",
            digest, address, username_count, address_count,
        )
        if username_count >= by_username.limit:
            logger.warning("Sign-in paused for username %s after %d failures", digest, username_count)
        if address_count >= by_address.limit:
            logger.warning("Sign-in paused for address %s after %d failures", address, address_count)


class ThrottledLoginView(auth_views.LoginView):
    """The sign-in page, returning status 429 (Too Many Requests) while sign-in is paused."""

    form_class = ThrottledAuthenticationForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(error.code == "throttled" for error in form.non_field_errors().as_data()):
            response.status_code = 429
        return response
