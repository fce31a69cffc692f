"""Settings for the test suite: the production settings with a fixed test-only secret."""

import os

os.environ.setdefault("ROLLBOOK_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("ROLLBOOK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from rollbook.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
# Tests render templates without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
