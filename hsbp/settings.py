"""The one settings module. Everything that varies between machines is read
from the environment through the typed helpers in ``hsbp.env``; see
``.env.example`` for the full list. The defaults give a development instance
on an embedded SQLite file, with no other service needed.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hsbp.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

MODE = env_choice("HSBP_MODE", "development", ("development", "production"))
PRODUCTION = MODE == "production"

DATA_DIR = Path(env_str("HSBP_DATA_DIR", str(BASE_DIR / "data"))).resolve()

_DEV_SECRET = "django-insecure-development-only-key-do-not-use-in-production-0000"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DEBUG", not PRODUCTION)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is a deliberate, hard-to-undo choice
# for the operator, not a default; don't nag about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# How many reverse proxies stand in front of the app servers: rate limits then
# key on the real client address from X-Forwarded-For, not the proxy's.
TRUSTED_PROXY_COUNT = env_int("HSBP_TRUSTED_PROXIES", 1 if PRODUCTION else 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", PRODUCTION) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def check_production_safety() -> None:
    """Refuse to run a production instance that would be unsafe.

    Called at import time so that ``gunicorn`` and every management command
    stop before serving anything.
    """
    if not PRODUCTION:
        return
    problems = []
    if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if DEBUG:
        problems.append("DEBUG must be off")
    if not SESSION_COOKIE_SECURE or not CSRF_COOKIE_SECURE:
        problems.append("SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE must be on")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the hosts this instance answers to")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: " + "; ".join(problems) + "."
        )


check_production_safety()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_countries",  # country names in the reader's language (its own catalogues)
    "hsbp",  # project-wide commands: catalogue checks, the permission table
    "accounts",
    "partnerships",
    "notifications",
    "stakeholders",
    "discussion",
    "attachments",
    "baseline",
    "consultations",
    "commonground",
    "goals",
    "charter",
    "decisions",
    "actions",
    "meetings",
    "api",
    "portal",
]

MIDDLEWARE = [
    # First, so that it sees every answer: errors under /api/ are JSON (api/errors.py).
    "api.errors.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.access.DenyUndeclaredViewsMiddleware",
]

ROOT_URLCONF = "hsbp.urls"
WSGI_APPLICATION = "hsbp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default (a file under the data directory, WAL mode so the web
# process and the task worker can read while the other writes); PostgreSQL
# when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hsbp.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))
except ValueError as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database URL we understand: {error}"
    ) from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    _db["TEST"] = {"NAME": None}  # in-memory for tests
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks -------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Files under the data directory: shared by the web process and the worker
    # (a laid-out network, rate limits), with no other service to run.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

TASK_BACKEND = env_choice("HSBP_TASK_BACKEND", "database", ("database", "rq", "immediate"))
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND]}}
# hsbp worker: a sign of life every BEAT seconds; a task whose worker is silent for
# GRACE seconds is recovered (partnerships.recovery). Export files are kept EXPORT_DAYS.
HSBP_WORKER_BEAT_SECONDS = env_int("HSBP_WORKER_BEAT_SECONDS", 10, minimum=1)
HSBP_WORKER_GRACE_SECONDS = env_int("HSBP_WORKER_GRACE_SECONDS", 120, minimum=10)
HSBP_EXPORT_DAYS = env_int("HSBP_EXPORT_DAYS", 7, minimum=1)
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("HSBP_TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    # RQ workers must run django-tasks' own job class, or every task fails.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "partnerships:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "optional", ("none", "optional", "mandatory")
)
ACCOUNT_ALLOW_REGISTRATION = env_bool("HSBP_OPEN_SIGNUP", True)
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-up also asks the name others see (accounts.forms.SignupDetailsForm).
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Throttled logins: allauth counts failed attempts per account and per IP in the cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("HSBP_LOGIN_RATE", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "HSBP Platform"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "es")
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "America/Bogota")
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
_S3_BUCKET = env_str("S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
                "access_key": env_str("S3_ACCESS_KEY_ID", ""),
                "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads and request bodies have limits; oversized API payloads get a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HSBP_MAX_BODY_BYTES", 1_048_576, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Evidence files, photos and documents (attachments): the largest file taken.
HSBP_ATTACHMENT_MAX_BYTES = env_int("HSBP_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HSBP Platform <noreply@localhost>")
# Where django.core.mail.backends.filebased.EmailBackend writes (dev.py demo uses it).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "outbox"))
# Absolute links in emails (invitations) are built from this.
SITE_URL = env_str("HSBP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Content-Security-Policy: no inline scripts or styles anywhere ------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- The platform's own knobs -------------------------------------------------
HSBP_INVITATION_DAYS = env_int("HSBP_INVITATION_DAYS", 14, minimum=1)
HSBP_API_RATE = env_str("HSBP_API_RATE", "120/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
