"""Django settings, read from the environment.

``DATABASE_URL`` picks the database (default: a SQLite file in ``ROLLBOOK_DATA_DIR``, which
defaults to ``data/`` beside the ``rollbook`` package). With ``ROLLBOOK_DEBUG`` unset, Rollbook runs in production mode and
refuses to start without ``ROLLBOOK_SECRET_KEY`` and ``ROLLBOOK_ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ROLLBOOK_DATA_DIR", BASE_DIR.parent / "data")).resolve()

DEBUG = os.environ.get("ROLLBOOK_DEBUG", "") in {"1", "true", "yes"}
SECRET_KEY = os.environ.get("ROLLBOOK_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ROLLBOOK_SECRET_KEY is not set; set it to a long random value, "
            "or set ROLLBOOK_DEBUG=1 for a local demo"
        )
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only with ROLLBOOK_DEBUG

ALLOWED_HOSTS = [h for h in os.environ.get("ROLLBOOK_ALLOWED_HOSTS", "").split(",") if h]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rollbook.schools",
    "rollbook.registers",
    "rollbook.bundles",
    "rollbook.reports",
    "rollbook.mail",
    "rollbook.statistics",
    "rollbook.absences",
    "rollbook.casework",
    "rollbook.letters",
    "rollbook.duties",
    "rollbook.jobs",
    "rollbook.office",
    "rollbook.requests",
    "rollbook.web",
    "rollbook.analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Rollbook serves its own CSS and scripts: schools' networks may block outside hosts.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rollbook.urls"
WSGI_APPLICATION = "rollbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _sqlite_default() -> str:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'rollbook.sqlite3'}"


DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _sqlite_default(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the office read while a register is saved; foreign keys are on by default in
    # Django's SQLite backend. IMMEDIATE transactions take the write lock up front, so two
    # writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("ROLLBOOK_TEST_SQLITE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Outside debug mode, `rollbook collectstatic` gathers the files into STATIC_ROOT once per
# release, and WhiteNoise serves them with far-future cache headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In debug mode WhiteNoise serves straight from each app's static/ folder.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends when the browser closes, and after 8 hours (one school day) at the latest.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_SAMESITE = "Lax"

# Failed sign-ins are counted in the default cache (rollbook/web/auth.py). The local-memory
# cache counts per process: a deployment with several processes should point this at a shared
# cache such as Redis (django.core.cache.backends.redis.RedisCache).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROLLBOOK_LOGIN_MAX_FAILURES = 5  # per username within the window
# A whole school often signs in from one network address, so the per-address limit is higher.
ROLLBOOK_LOGIN_MAX_FAILURES_PER_ADDRESS = 50
ROLLBOOK_LOGIN_FAILURE_WINDOW = 15 * 60  # seconds; sign-in stays paused this long after the limit

# The demo prints e-mail to the console. In production set ROLLBOOK_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the SMTP settings below.
EMAIL_BACKEND = os.environ.get("ROLLBOOK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("ROLLBOOK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ROLLBOOK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ROLLBOOK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ROLLBOOK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ROLLBOOK_EMAIL_TLS", "") in {"1", "true", "yes"}
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("ROLLBOOK_EMAIL_FROM", "attendance@rollbook.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"rollbook": {"handlers": ["console"], "level": os.environ.get("ROLLBOOK_LOG_LEVEL", "INFO")}},
}
