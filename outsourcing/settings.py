"""Settings for Outsourcing Manager, read from the environment.

One module, typed helpers that refuse bad values. The defaults are chosen so that a fresh checkout runs
with nothing configured (SQLite under ./var) and so that `check --deploy` finds nothing to fix: a local
demo over plain HTTP must opt out of the HTTPS-only settings with OUTSOURCING_LOCAL_HTTP=1.
"""

from __future__ import annotations

import os
import secrets
import sys
import zoneinfo
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_time_zone(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as Asia/Shanghai, not {raw!r}") from exc
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATA_DIR = Path(os.environ.get("OUTSOURCING_DATA_DIR") or "var").resolve()
TESTING = "pytest" in sys.modules or env_bool("OUTSOURCING_TESTING", False)


def _secret_key() -> str:
    """From the environment, or from a file generated on first start and kept with the data."""
    if os.environ.get("OUTSOURCING_SECRET_KEY"):
        return os.environ["OUTSOURCING_SECRET_KEY"]
    if TESTING:
        return "test-only-" + "x" * 50
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _identity_key() -> str:
    """The key of the keyed hash of people's identity numbers (never stored in clear): generated into the data
    dir like the secret key and kept apart from it, so that rotating the secret key does not break matching."""
    if os.environ.get("OUTSOURCING_IDENTITY_KEY"):
        return os.environ["OUTSOURCING_IDENTITY_KEY"]
    if TESTING:
        return "test-only-identity-key"
    key_file = DATA_DIR / "identity_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


IDENTITY_HASH_KEY = _identity_key()
DEBUG = env_bool("OUTSOURCING_DEBUG", False)
ALLOWED_HOSTS = env_list("OUTSOURCING_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("OUTSOURCING_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_countries",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "outsourcing.core",
    "outsourcing.accounts",
    "outsourcing.vendors",
    "outsourcing.documents",
    "outsourcing.engagements",
    "outsourcing.teams",
    "outsourcing.qualifications",
    "outsourcing.assessments",
    "outsourcing.processing",
    "outsourcing.performance",
    "outsourcing.search",
    "outsourcing.notifications",
    "outsourcing.benchmark",
]

MIDDLEWARE = [
    "outsourcing.core.middleware.ApiErrorsAsJsonMiddleware",
    "outsourcing.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "outsourcing.core.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "outsourcing.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "outsourcing.core.middleware.RefuseNulMiddleware",
    "outsourcing.core.versioning.RecordVersionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "outsourcing.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "outsourcing.urls"
WSGI_APPLICATION = "outsourcing.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outsourcing.core.context_processors.navigation",
                "outsourcing.notifications.context_processors.unread",
            ],
        },
    }
]

# SQLite is the default so that a fresh checkout runs with nothing installed; DATABASE_URL switches to
# PostgreSQL. SQLite runs in WAL mode so readers never wait for the writer.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'outsourcing.sqlite3'}",
        conn_max_age=env_int("OUTSOURCING_DB_CONN_MAX_AGE", 60),
    )
}
if TESTING:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep the test database open
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # How long a connection waits for another's write lock before "database is locked": long enough to
        # sit out an import's bulk write (well under a second), short enough that a request under
        # contention gets its 503 with Retry-After while the user is still looking.
        "timeout": env_int("OUTSOURCING_SQLITE_BUSY_TIMEOUT_MS", 5000) / 1000,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted per user name, whatever the address: spreading guesses over many addresses must
# not multiply them. Five failures lock the name for 15 minutes, and every further lockout of the same name
# doubles the wait (15, 30, 60 … minutes, at most a day), so a guesser gets a handful of tries a day.
AXES_FAILURE_LIMIT = env_int("OUTSOURCING_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = "outsourcing.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the record of earlier lockouts that the backoff reads
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # one failure log entry per lockout, not per try
AXES_LOCKOUT_CALLABLE = "outsourcing.accounts.views.lockout"
AXES_VERBOSE = False
# axes warns that counting per name alone lets one address try many names; that is what the per-name lockout
# with backoff accepts, so that no number of addresses multiplies the guesses at one name.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_COOLOFF_MINUTES = env_int("OUTSOURCING_LOGIN_COOLOFF_MINUTES", 15)

# API tokens expire (a leaked token is not good forever) and a user holds a bounded number of them: issuing one
# beyond the cap revokes the oldest.
API_TOKEN_DAYS = env_int("OUTSOURCING_API_TOKEN_DAYS", 90)
API_TOKENS_PER_USER = env_int("OUTSOURCING_API_TOKENS_PER_USER", 10)
if API_TOKEN_DAYS < 1 or API_TOKENS_PER_USER < 1:
    raise ImproperlyConfigured("OUTSOURCING_API_TOKEN_DAYS and OUTSOURCING_API_TOKENS_PER_USER must be at least 1")

# A session lasts a working day from sign-in (not Django's two weeks): a browser left signed in on a shared desk
# is signed out by the next morning.
SESSION_COOKIE_AGE = env_int("OUTSOURCING_SESSION_HOURS", 9) * 3600
if SESSION_COOKIE_AGE < 3600:
    raise ImproperlyConfigured("OUTSOURCING_SESSION_HOURS must be at least 1")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The owner's time zone: "today", due dates and every date shown, exported or returned are days on its clock
# (SPEC "One day, one number"). The default is the owner's own, in China.
TIME_ZONE = env_time_zone("OUTSOURCING_TIME_ZONE", "Asia/Shanghai")
# Numbers on pages carry the reader's language's separators; Chinese readers get 1,234,567.89 (outsourcing.formats).
FORMAT_MODULE_PATH = ["outsourcing.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "files"  # evidence files: outside the web root, served only through permission checks
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("OUTSOURCING_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Every request body is capped before a byte of it is read (core.middleware answers 413): the largest upload
# we accept plus room for the form around it. Without it a 400 MB anonymous POST was spooled to disk first.
MAX_REQUEST_BYTES = env_int("OUTSOURCING_MAX_REQUEST_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024)

# Background work (imports, exports, re-assessments) goes through Django's tasks API: the database backend
# needs nothing more than the database; OUTSOURCING_TASKS=rq moves it onto Redis to scale out.
TASKS_BACKEND = os.environ.get("OUTSOURCING_TASKS", "immediate" if TESTING else "database")
TASKS: dict[str, dict[str, Any]]
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # the optional extra: pip install ".[rq]"
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("OUTSOURCING_TASKS must be one of database, rq, immediate")
# A running task is presumed lost with its worker this long after it was claimed (every task ends well
# within it: an import stops itself at its time budget); the next worker re-queues it, up to the attempts.
OUTSOURCING_TASK_LEASE = env_int("OUTSOURCING_TASK_LEASE", 30 * 60)
OUTSOURCING_TASK_MAX_ATTEMPTS = env_int("OUTSOURCING_TASK_MAX_ATTEMPTS", 3)
OUTSOURCING_IMPORT_TIME_BUDGET = env_int("OUTSOURCING_IMPORT_TIME_BUDGET", 5 * 60)
# An unfinished job untouched this long is listed as stuck, and its owner may start it again.
OUTSOURCING_JOB_STUCK_MINUTES = env_int("OUTSOURCING_JOB_STUCK_MINUTES", 45)
# Background work retries a short write this long while SQLite is locked by another writer.
OUTSOURCING_LOCK_PATIENCE = env_int("OUTSOURCING_LOCK_PATIENCE", 60)


def email_settings(url: str | None) -> dict[str, Any]:
    """Django's mail settings from EMAIL_URL: smtp://user:password@host:587?tls=1 (or ssl=1); without it,
    e-mail is written to the console, so a fresh checkout shows what it would send."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL must look like smtp://user:password@host:587?tls=1, not {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}

    def flag(name: str) -> bool:
        raw = query.get(name, "0").lower()
        if raw not in {"0", "1", "true", "false"}:
            raise ImproperlyConfigured(f"EMAIL_URL's {name} must be 1 or 0, not {raw!r}")
        return raw in {"1", "true"}

    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {url!r}") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": flag("tls"),
        "EMAIL_USE_SSL": parts.scheme == "smtps" or flag("ssl"),
        "EMAIL_TIMEOUT": 30,
    }


globals().update(email_settings(os.environ.get("EMAIL_URL")))
DEFAULT_FROM_EMAIL = os.environ.get("OUTSOURCING_FROM_EMAIL") or "outsourcing@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails point here (the address users open the application at).
OUTSOURCING_BASE_URL = os.environ.get("OUTSOURCING_BASE_URL", "http://127.0.0.1:8000")
# The daily pass (automatic renewals, then reminders) runs at this local hour (serve's scheduler).
REMINDER_HOUR = env_int("OUTSOURCING_REMINDER_HOUR", 6)

# Security. Production-safe by default; OUTSOURCING_LOCAL_HTTP=1 is for the local demo over plain HTTP.
LOCAL_HTTP = env_bool("OUTSOURCING_LOCAL_HTTP", False) or TESTING
SESSION_COOKIE_SECURE = not LOCAL_HTTP
CSRF_COOKIE_SECURE = not LOCAL_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag, see base.html
SECURE_SSL_REDIRECT = not LOCAL_HTTP
SECURE_HSTS_SECONDS = 0 if LOCAL_HTTP else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not LOCAL_HTTP
SECURE_HSTS_PRELOAD = not LOCAL_HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("OUTSOURCING_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OUTSOURCING_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
NINJA_PAGINATION_MAX_LIMIT = 1000
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "outsourcing.core.api.Pagination"  # bounded limit/offset (422, not a 500)
FORMS_URLFIELD_ASSUME_HTTPS = True
