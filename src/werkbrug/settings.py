"""Werkbrug settings: one file, driven by environment variables.

Every value comes through a small typed helper so that a bad production setting fails at start-up
(DESIGN §4.7), not at the first request.
"""

from __future__ import annotations

import datetime
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WERKBRUG_VAR_DIR", PROJECT_DIR / "var"))


def envstr(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, *, debug: bool) -> str:
    """A secret: required in production; in development generated once and kept in var/."""
    value = os.environ.get(name)
    if value:
        return value
    if not debug:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    path = VAR_DIR / f"{name.lower()}.txt"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.write_text(value)
    return value


# How many statements a connection keeps ready: psycopg's prepared statements on PostgreSQL (set on
# each new connection by core.apps), the sqlite3 module's compiled statements on SQLite. The drivers
# keep 100 and 128, and the pages together run about 200 distinct statements: on PostgreSQL, with
# connections kept as below, 100 left the caseload and the handover inbox 1.5-1.7x slower at 8 users
# than 1,000 did (docs/bench.md, s40).
STATEMENT_CACHE_SIZE = envint("DB_STATEMENT_CACHE", 1000)
# How long a worker keeps its database connection, in seconds. What a connection has prepared (the
# statements above, PostgreSQL's catalogue caches, SQLite's PRAGMAs and page cache) goes with it; at
# 60 s a worker serving every page in turn ran most of a page's statements on a connection that had
# not yet prepared them: on PostgreSQL the caseload's, capacity page's and handover inbox's median
# at 8 users was about twice their 1-user median (docs/bench.md, s40). 0 closes it after each
# request (behind PgBouncer, docs/scaling.md).
CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", 600)


def database_from_url(url: str) -> dict[str, object]:
    """Parse DATABASE_URL; only the two engines we support (SQLite, PostgreSQL)."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            # Django reads a form's model choices with QuerySet.iterator(), which on PostgreSQL
            # declares a server-side cursor held past the transaction (DECLARE, FETCH, CLOSE): three
            # round trips and a materialised copy for a list of a few options, 0.7-0.9 ms a field
            # and 2-2.6 ms of a report page's filter form (docs/bench.md, s39). The choices a page
            # shows are few by design (docs/conventions.md, "Choosing one of many"), and the export
            # that reads many rows streams with COPY (reports.research_sql), not with iterator().
            "DISABLE_SERVER_SIDE_CURSORS": True,
            # JIT compilation costs more than it saves on our report queries (about 0.6 s of a
            # 1.3 s funnel at full scale) and nothing else is long enough to profit from it.
            # Server-side binding lets psycopg prepare a statement the second time a connection runs
            # it, and with one generic plan per statement PostgreSQL stops planning it anew: that
            # was about half the SQL time of the everyday pages (docs/bench.md). Reports plan for
            # their own values again (core.replica.run_reports). Needs a direct connection or a
            # pooler that keeps prepared statements (docs/scaling.md).
            "OPTIONS": {
                "options": "-c jit=off -c plan_cache_mode=force_generic_plan",
                "server_side_binding": True,
                # After how many runs on a connection a statement is prepared; below 0: never.
                "prepare_threshold": threshold
                if (threshold := envint("DB_PREPARE_THRESHOLD", 2)) >= 0
                else None,
            },
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)) if parsed.path else VAR_DIR / "werkbrug.sqlite3")
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (sqlite, postgres)")


def sqlite_database(path: Path) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # A worker keeps its connection: the PRAGMAs below are run once per connection, and running
        # them on every request cost the pages about 25 ms at p95 (docs/bench.md).
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked"
        # upgrades from read to write inside a transaction.
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
                # A 64 MB page cache. The file is not memory-mapped by default: every write by one
                # worker (a page's audit row) makes SQLite drop the other workers' caches and, with
                # mmap, unmap and map the file again, which cost the coach's caseload at full scale
                # 1-2 ms a request; reports, which scan, take 5-25% longer without it
                # (docs/bench.md, s33). SQLITE_MMAP_SIZE (bytes) maps it for a single-process use.
                f"PRAGMA mmap_size={envint('SQLITE_MMAP_SIZE', 0)}; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "cached_statements": STATEMENT_CACHE_SIZE,
        },
    }


DEBUG = envbool("DEBUG", default=True)
SECRET_KEY = envsecret("SECRET_KEY", debug=DEBUG)
# Keys the pseudonyms of research exports; kept apart from SECRET_KEY so that rotating one does not
# change the other.
PSEUDONYM_KEY = envsecret("PSEUDONYM_KEY", debug=DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "werkbrug.core",
    "werkbrug.network",
    "werkbrug.accounts",
    "werkbrug.clients",
    "werkbrug.referrals",
    "werkbrug.trajectories",
    "werkbrug.exchange",
    "werkbrug.teams",
    "werkbrug.outreach",
    "werkbrug.workcare",
    "werkbrug.employers",
    "werkbrug.ips",
    "werkbrug.fidelity",
    "werkbrug.reports",
    "werkbrug.api",
    "werkbrug.dossier",
    "werkbrug.imports",
    "werkbrug.privacy",
    "werkbrug.demo",
    "werkbrug.groups",
    "werkbrug.satisfaction",
    "werkbrug.library",
    "django_tasks",
    "django_tasks_db",
    "werkbrug.jobs",
]

MIDDLEWARE = [
    # First: the request id, one JSON log line and the metrics of every request (core.requestlog).
    "werkbrug.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "werkbrug.network.middleware.ActiveMembershipMiddleware",
    # Until the second factor is given, every page but login/logout/2FA sends to the 2FA page.
    "werkbrug.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "werkbrug.core.middleware.ContentSecurityPolicyMiddleware",
    "werkbrug.core.middleware.FriendlyErrorPagesMiddleware",
    "werkbrug.core.middleware.AuditScopeMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the login page with the reason.
    "axes.middleware.AxesMiddleware",
]
# With DEBUG on, the app still shows its own translated 404 and 403 pages (core.middleware); set this
# to see Django's technical pages instead while developing.
TECHNICAL_ERROR_PAGES = envbool("TECHNICAL_ERROR_PAGES", default=False)

ROOT_URLCONF = "werkbrug.urls"
WSGI_APPLICATION = "werkbrug.wsgi.application"
AUTH_USER_MODEL = "network.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werkbrug.network.context_processors.membership",
                "werkbrug.exchange.feedback_views.unread_feedback_count",
                "werkbrug.trajectories.worklist.menu_counts",
                "werkbrug.library.notices.announcements",
            ],
        },
    }
]

# Form widgets are rendered with Jinja2 (Django's own widget templates for it; a project widget's
# template lives in its app's jinja2/ folder): with Django's templates they took a fifth of a form
# page's time (docs/bench.md, "Form widgets with Jinja2").
FORM_RENDERER = "django.forms.renderers.Jinja2"

_database_url = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_database(VAR_DIR / "werkbrug.sqlite3")
}
if not _database_url:
    # Tests: a file, not SQLite's shared-cache memory database, whose table locks make concurrent
    # requests fail at once instead of waiting (core/concurrency.py). One per process: pytest-xdist
    # workers and parallel runs each get their own (pytest-django adds the worker's suffix too).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"werkbrug-test-{os.getpid()}.sqlite3")
    }
# A read replica for reports (docs/deploy.md): report and export reads go there through
# core.replica.reports_reads() while it lags less than WERKBRUG_REPLICA_MAX_LAG_SECONDS, else to the
# primary. Writes never go there; tests read it as the primary (MIRROR).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    _replica = database_from_url(_replica_url)
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        # A replica that is down must not hold a report up: fail fast and read from the primary.
        _replica["OPTIONS"] = {**_replica["OPTIONS"], "connect_timeout": 3}  # type: ignore[dict-item]
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
WERKBRUG_REPLICA_MAX_LAG_SECONDS = envint("WERKBRUG_REPLICA_MAX_LAG_SECONDS", 30)
DATABASE_ROUTERS = ["werkbrug.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, docs/security.md): failures are rows in the database, so every
# server process sees the same count. The lock is per account (username), never per address: behind
# a proxy every user would share one. The same backend guards the admin login.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("WERKBRUG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("WERKBRUG_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that a lock without the address can be dodged by rotating cookies or user agents: not a
# lock per username, which is what we want (a lock per address would lock out a whole office behind
# one proxy).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "werkbrug.core.views.locked_out"
# The client address (logged with each attempt) comes from REMOTE_ADDR, or only from the header a
# trusted proxy sets when WERKBRUG_PROXY_IP_HEADER names it (e.g. X-Real-IP); never from
# X-Forwarded-For by default, which anyone can send.
WERKBRUG_PROXY_IP_HEADER = envstr("WERKBRUG_PROXY_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "werkbrug.core.clientip.client_ip"

# Two-factor login (django-otp): wrong codes slow the next try down (1, 2, 4, … s per failure).
OTP_TOTP_ISSUER = "Werkbrug"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# The Django admin is mounted only when DEBUG or WERKBRUG_ADMIN is on (werkbrug/urls.py).
WERKBRUG_ADMIN = envbool("WERKBRUG_ADMIN", default=False)

# Password reset links expire after an hour (seconds).
PASSWORD_RESET_TIMEOUT = envint("WERKBRUG_PASSWORD_RESET_TIMEOUT", 3600)
# Reset mails one account can get in an hour; more requests answer the same and send nothing.
PASSWORD_RESET_MAILS_PER_HOUR = envint("WERKBRUG_PASSWORD_RESET_MAILS_PER_HOUR", 3)

# Sessions and login failures are rows in the database. The cache holds the outreach booking
# throttle (and harmless things): with more than one app host it must be shared, so in production it
# is Django's database cache (table werkbrug_cache, made by `manage.py migrate`: core.apps). A laptop
# (DEBUG) keeps a per-process cache unless WERKBRUG_CACHE says otherwise.
WERKBRUG_CACHE = envstr("WERKBRUG_CACHE", "locmem" if DEBUG else "database")
CACHE_TABLE = "werkbrug_cache"
if WERKBRUG_CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
elif WERKBRUG_CACHE == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"WERKBRUG_CACHE must be database or locmem, got {WERKBRUG_CACHE!r}")
# A funder's report figures (the same for every funder) are computed once and kept in this cache
# for so many seconds; 0 computes them on every request (reports.shared, docs/reports.md).
WERKBRUG_REPORT_SHARE_SECONDS = envint("WERKBRUG_REPORT_SHARE_SECONDS", 300)

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Uploaded files (signed consent forms) are client data: kept under var/, never served directly.
# With more than one app host MEDIA_ROOT is shared storage that every host mounts (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "werkbrug@localhost")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", default=False)

# Hardening (DESIGN §5). Secure cookies and HSTS follow DEBUG so that `manage.py check --deploy`
# is clean in production and the laptop demo still works over plain http.
# Sessions are rows in the database: logout deletes the row, so the old cookie is dead on every
# server process at once (a per-process cache kept it alive on the others).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The expired-form page with the request id (core.requestlog) on it.
CSRF_FAILURE_VIEW = "werkbrug.core.views.csrf_failure"
if envbool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs are JSON lines on stderr (core.logjson.JsonFormatter): one per request from the logger
# werkbrug.request (REQUEST_LOG_LEVEL=WARNING turns those off), and the warnings and errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "werkbrug.core.logjson.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"werkbrug.request": {"level": envstr("REQUEST_LOG_LEVEL", "INFO")}},
}

# Prometheus metrics at /metrics for whoever sends `Authorization: Bearer <token>`; 404 without it.
WERKBRUG_METRICS_TOKEN = envstr("WERKBRUG_METRICS_TOKEN", "")

# Optional error reports (core.errorreports), scrubbed of client data; off unless SENTRY_DSN is set.
SENTRY_DSN = envstr("SENTRY_DSN", "")
if SENTRY_DSN:
    from werkbrug.core import errorreports

    errorreports.init(
        SENTRY_DSN, environment=envstr("SENTRY_ENVIRONMENT", ""), release=envstr("SENTRY_RELEASE", "")
    )
# Background jobs (docs/jobs.md): django-tasks with its database backend (django-tasks-db), so the
# queue lives in the same database on SQLite and PostgreSQL and every host sees it. `manage.py
# run_jobs` is the worker. Tests run jobs at once (conftest) unless a test asks for the queue.
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A job RUNNING longer than this was left by a worker that died: the next worker to start queues it
# again (werkbrug.jobs.recovery). Longer than the longest job (the research export).
JOBS_LEASE_SECONDS = envint("JOBS_LEASE_SECONDS", 30 * 60)
# A failed job is tried again after 2, 4, 8 … minutes, at most this many attempts in all.
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", 4)
# Prepared downloads (the research export) are deleted this many hours after they are ready.
JOBS_FILE_HOURS = envint("JOBS_FILE_HOURS", 24)
# The daily jobs `manage.py enqueue_daily_jobs` queues, each keyed by the day (werkbrug.jobs.daily).
JOBS_DAILY = [
    "werkbrug.teams.tasks.action_reminders",
    "werkbrug.privacy.tasks.retention",
    "werkbrug.jobs.tasks.expire_files",
    "werkbrug.outreach.tasks.purge_unhandled_bookings",
    "werkbrug.teams.tasks.generate_meetings",
]
