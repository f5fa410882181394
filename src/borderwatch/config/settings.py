"""Django settings, read from the environment (12-factor).

SQLite under var/ is the embedded default so that `make run` works on a fresh machine;
PostgreSQL (DATABASE_URL) is the production database.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("BORDERWATCH_VAR_DIR", BASE_DIR / "var"))

# BORDERWATCH_ENV=production: served over HTTPS to real users; the secret key and host names
# must come from the environment, cookies are HTTPS-only and browsers are told to stay on HTTPS.
# Anything else ("local", the default) is the demo and development mode of `make run` and the
# tests: plain HTTP on 127.0.0.1, a key kept in var/. `borderwatch check --deploy` warns when a
# deployment forgot to say production (borderwatch.config.checks).
ENVIRONMENT = os.environ.get("BORDERWATCH_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"

# Files this process creates (the SQLite database and its journal, the gallery, keys, logs)
# are for this user only: one umask here covers every writer, with no chmod scattered about.
# Uploads get FILE_UPLOAD_PERMISSIONS below (Django sets them explicitly).
os.umask(0o077)
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _secret_key() -> str:
    """DJANGO_SECRET_KEY; outside production a random key kept in var/ so sessions survive a
    restart. Production refuses to start without one (a key in var/ would differ per host)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("BORDERWATCH_ENV=production needs DJANGO_SECRET_KEY.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if host.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("BORDERWATCH_ENV=production needs DJANGO_ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # numbers grouped in the user's locale (intcomma)
    "ninja",  # serves the Swagger UI of /api/docs from its own static files, not a CDN
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",  # login throttling and lockout (docs/decisions/security-hardening.md)
    "csp",  # Content-Security-Policy header
    "borderwatch.core",
    "borderwatch.accounts",
    "borderwatch.border",
    "borderwatch.registration",
    "borderwatch.reception",
    "borderwatch.picture",
    "borderwatch.scenario",
    "borderwatch.search",
    "borderwatch.linkage",
    "borderwatch.audit",
    "borderwatch.procedures",
    "borderwatch.support",
    "borderwatch.news",
    "borderwatch.intelligence",
]

MIDDLEWARE = [
    "borderwatch.config.request_id.RequestIdMiddleware",  # first: ids every request and log line
    "django.middleware.security.SecurityMiddleware",
    "borderwatch.config.middleware.RefuseNulCharacters",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "borderwatch.accounts.middleware.UserLanguageMiddleware",
    "borderwatch.config.middleware.LoginRequiredOutsideApi",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "borderwatch.core.web.DomainErrorMiddleware",
    "borderwatch.accounts.middleware.SessionTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "borderwatch.config.urls"
WSGI_APPLICATION = "borderwatch.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "borderwatch" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "borderwatch.accounts.context_processors.capabilities",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'borderwatch.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the picture read while an import writes; the timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "picture:situation"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("BORDERWATCH_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]  # applied by accounts.services.create_user (every way of creating a user) and by Django's own

LANGUAGE_CODE = "en"
# Every page and message in the languages of the member states of the demo, besides English.
# The language comes from the user's setting (User.language), else the browser's.
LANGUAGES = [("en", "English"), ("lt", "Lietuvių"), ("lv", "Latviešu"), ("pl", "Polski")]
# Translations of the shared templates (base, error pages, sign-in); each app keeps its own in
# <app>/locale. The compiled .mo files are committed: no gettext needed at set-up.
LOCALE_PATHS = [BASE_DIR / "src" / "borderwatch" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"  # fingerprint images and photos: served only by scoped views
# Front-end assets come from the npm registry at set-up (package.json) and are served locally
# (WhiteNoise); nothing is loaded from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[tuple[str, Path] | Path] = [BASE_DIR / "src" / "borderwatch" / "static"]
STATICFILES_DIRS += [
    (prefix, NODE_MODULES / sub)
    for prefix, sub in [("vendor/leaflet", "leaflet/dist"), ("vendor/chartjs", "chart.js/dist")]
    if (NODE_MODULES / sub).is_dir()
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Personal data never goes into logs: only our own loggers at INFO, no request bodies, no query
# strings; each line carries the request id (X-Request-ID; config/request_id.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "borderwatch.config.request_id.RequestIdFilter"},
        "without_exception": {"()": "borderwatch.config.request_id.WithoutExceptionText"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "loggers": {
        "borderwatch": {
            "handlers": ["console"],
            "level": os.environ.get("BORDERWATCH_LOG", "INFO"),
        },
        # Django's "Internal Server Error" with the path only; the traceback is ours (above).
        "django.request": {"filters": ["request_id", "without_exception"]},
    },
}

# --- borderwatch domain settings -------------------------------------------------------------
# Impact level proposal: persons per km of section over the last N days (EUROSUR impact levels).
# Days an API token lives unless its issuer chooses otherwise (`borderwatch token create --days`).
TOKEN_DAYS = int(os.environ.get("BORDERWATCH_TOKEN_DAYS", "90"))

IMPACT_WINDOW_DAYS = int(os.environ.get("BORDERWATCH_IMPACT_WINDOW_DAYS", "7"))
IMPACT_THRESHOLDS_PER_KM = {
    # lowest persons/km over the window at which a level starts
    "medium": float(os.environ.get("BORDERWATCH_IMPACT_MEDIUM", "0.5")),
    "high": float(os.environ.get("BORDERWATCH_IMPACT_HIGH", "2.0")),
    "critical": float(os.environ.get("BORDERWATCH_IMPACT_CRITICAL", "6.0")),
}
# An event point farther than this from every border section of its member state is rejected.
SECTION_MAX_DISTANCE_KM = float(os.environ.get("BORDERWATCH_SECTION_MAX_DISTANCE_KM", "30"))

# Background work (django-tasks): the database backend needs `borderwatch db_worker` running.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("BORDERWATCH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# Task workers (`borderwatch worker`, core.workers): each records a heartbeat every
# WORKER_HEARTBEAT_SECONDS; one silent for WORKER_STALE_SECONDS is taken for dead (keep it well
# above the longest step that holds the GIL), and the tasks it held run again until claimed
# TASK_RETRIES + 1 times, then fail visibly.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("BORDERWATCH_WORKER_HEARTBEAT", "5"))
WORKER_STALE_SECONDS = float(os.environ.get("BORDERWATCH_WORKER_STALE", "60"))
TASK_RETRIES = int(os.environ.get("BORDERWATCH_TASK_RETRIES", "1"))
# Identification: candidates whose calibrated FMR is at most this become hits; fingers below
# RECAPTURE_QUALITY (0..100) are flagged for recapture; the gallery lives under GALLERY_DIR,
# encoded with GALLERY_PARAMS ("default", or "fast" for national scale: a fifth of the memory,
# docs/fingerprint.md; change it, then `borderwatch gallery rebuild`), and its journal is
# folded into a new snapshot once it holds GALLERY_JOURNAL_LIMIT records.
IDENTIFICATION_FMR = float(os.environ.get("BORDERWATCH_IDENTIFICATION_FMR", "0.0001"))
RECAPTURE_QUALITY = int(os.environ.get("BORDERWATCH_RECAPTURE_QUALITY", "40"))
# Years a person's data are kept, by Eurodac category, from the day the fingerprints were taken
# (recast Eurodac, Regulation (EU) 2024/1358, art 29: applicants 10, irregular crossers and
# persons found staying irregularly 5); `borderwatch retention erase-due` erases what is due.
RETENTION_YEARS = {
    1: int(os.environ.get("BORDERWATCH_RETENTION_YEARS_APPLICANT", "10")),
    2: int(os.environ.get("BORDERWATCH_RETENTION_YEARS_IRREGULAR_CROSSING", "5")),
    3: int(os.environ.get("BORDERWATCH_RETENTION_YEARS_IRREGULAR_STAY", "5")),
}
GALLERY_DIR = Path(os.environ.get("BORDERWATCH_GALLERY_DIR", VAR_DIR / "gallery"))
GALLERY_PARAMS = os.environ.get("BORDERWATCH_GALLERY_PARAMS", "default")
GALLERY_JOURNAL_LIMIT = int(os.environ.get("BORDERWATCH_GALLERY_JOURNAL_LIMIT", "1000"))


# --- hardening (issue 12; docs/decisions/security-hardening.md) -------------------------------
def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _env_flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


# Sign-in: axes counts failures per username and address together and locks that pair out for
# a cool-off period (an attacker on one address cannot lock every officer out of the system).
# `borderwatch unlock USERNAME` lifts a lockout early, audited.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("BORDERWATCH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("BORDERWATCH_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "borderwatch.accounts.views.locked_out"
AXES_VERBOSE = False  # the audit trail keeps every attempt; the log stays free of usernames
AXES_DISABLE_ACCESS_LOG = True  # successes are in the audit trail; no second store of them

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in
# whatever the activity (borderwatch.accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = _env_int("BORDERWATCH_SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = _env_int("BORDERWATCH_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS in production: cookies only over TLS, HSTS, and a redirect of plain HTTP. Behind a TLS-
# terminating proxy set BORDERWATCH_PROXY_SSL_HEADER=1: the proxy must then set (and strip from
# clients) X-Forwarded-Proto, and the client address for the lockout comes from X-Forwarded-For.
SESSION_COOKIE_SECURE = _env_flag("BORDERWATCH_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_flag("BORDERWATCH_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("BORDERWATCH_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("BORDERWATCH_HSTS_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_flag("BORDERWATCH_HSTS_PRELOAD", False)
if _env_flag("BORDERWATCH_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = _env_int("BORDERWATCH_PROXY_COUNT", 1)
if origins := os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", ""):
    CSRF_TRUSTED_ORIGINS = [o.strip() for o in origins.split(",") if o.strip()]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy: scripts and styles from our own origin only, never inline and never
# eval (htmx is told so in base.html); no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Uploads (fingerprint images, photos) readable by this user and its group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A database file made before the umask above (an older checkout) is closed to others too.
    for _suffix in ("", "-wal", "-shm"):
        _db_file = Path(f"{DATABASES['default']['NAME']}{_suffix}")
        if _db_file.is_file() and _db_file.stat().st_uid == os.getuid():
            _db_file.chmod(0o600)
# HSTS preload commits every subdomain of the domain for months and is hard to undo: the domain
# owner opts in (BORDERWATCH_HSTS_PRELOAD=1), so its deploy check is not a warning here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Uploads (docs/decisions/fingerprint-upload-limits.md). Form fields other than files: Django's
# 2.5 MB. Files above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file, not held in
# memory; none is stored beyond UPLOAD_MAX_FILE_BYTES (the largest ANSI/NIST-ITL transaction a
# capture accepts): the rest streams past and the form or endpoint refuses it by size, naming it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_FILE_BYTES = 64 * 2**20
FILE_UPLOAD_HANDLERS = [
    "borderwatch.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- return procedures (procedures app) --------------------------------------------------------
# A readmission request without an answer gets a reminder this many days after it was sent (and
# after each reminder).
READMISSION_REMINDER_DAYS = int(os.environ.get("BORDERWATCH_READMISSION_REMINDER_DAYS", "30"))
