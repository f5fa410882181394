"""Django settings, read from the environment (12-factor).

SQLite under var/ is the embedded default so that `make run` works on a fresh machine;
PostgreSQL (DATABASE_URL) is the production database.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("BORDERWATCH_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"


def _secret_key() -> str:
    """DJANGO_SECRET_KEY, or a random key kept in var/ so sessions survive a restart."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

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
    "borderwatch.core",
    "borderwatch.accounts",
    "borderwatch.border",
    "borderwatch.registration",
    "borderwatch.reception",
    "borderwatch.picture",
    "borderwatch.scenario",
    "borderwatch.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

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

# Personal data never goes into logs: only our own loggers at INFO, no request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "borderwatch": {
            "handlers": ["console"],
            "level": os.environ.get("BORDERWATCH_LOG", "INFO"),
        },
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
# Identification: candidates whose calibrated FMR is at most this become hits; fingers below
# RECAPTURE_QUALITY (0..100) are flagged for recapture; the gallery lives under GALLERY_DIR,
# encoded with GALLERY_PARAMS ("default", or "fast" for national scale: a fifth of the memory,
# docs/fingerprint.md; change it, then `borderwatch gallery rebuild`), and its journal is
# folded into a new snapshot once it holds GALLERY_JOURNAL_LIMIT records.
IDENTIFICATION_FMR = float(os.environ.get("BORDERWATCH_IDENTIFICATION_FMR", "0.0001"))
RECAPTURE_QUALITY = int(os.environ.get("BORDERWATCH_RECAPTURE_QUALITY", "40"))
GALLERY_DIR = Path(os.environ.get("BORDERWATCH_GALLERY_DIR", VAR_DIR / "gallery"))
GALLERY_PARAMS = os.environ.get("BORDERWATCH_GALLERY_PARAMS", "default")
GALLERY_JOURNAL_LIMIT = int(os.environ.get("BORDERWATCH_GALLERY_JOURNAL_LIMIT", "1000"))

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
