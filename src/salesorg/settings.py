"""Django settings for SalesOrg, configured by environment variables.

DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS and SALESORG_HOME (where the SQLite
file, the generated secret key and uploads live; default ./var) are read here.

DATABASE_REPORTS_URL (optional) names a read-only PostgreSQL replica of DATABASE_URL;
it becomes the database alias `reports`, and the router in salesorg.core.dbrouter sends
the reads made inside `reading_reports()` (indicator engine, dashboards) there. Writes,
other reads, reads inside a transaction and migrations stay on `default`. Unset, there
is one database and the router changes nothing (docs/scaling.md).
"""

import os
import secrets
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
# django-ninja's API docs page (templates ninja/*.html, static files ninja/*) is served from its
# folders without making ninja an installed app: importing the package loads pydantic and the
# API machinery, which every command paid for at start-up (a quarter of `salesorg kpi`).
NINJA_DIR = Path(find_spec("ninja").origin).parent  # type: ignore[union-attr,arg-type]
HOME = Path(os.environ.get("SALESORG_HOME", PROJECT_DIR / "var")).resolve()
HOME.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once under SALESORG_HOME."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = HOME / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _flag("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "salesorg.core.apps.AdminConfig",  # django.contrib.admin, its modules loaded on use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "salesorg.core",
    "salesorg.org",
    "salesorg.customers",
    "salesorg.sales",
    "salesorg.targets",
    "salesorg.performance",
    "salesorg.development",
    "salesorg.interchange",
    "salesorg.api",
    "salesorg.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "salesorg.core.dbrouter.ReadYourWritesMiddleware",
    "salesorg.core.middleware.ContentSecurityPolicyMiddleware",
    "salesorg.core.middleware.InputHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The API's Swagger page loads its own inline script; it is the one page without the CSP.
CSP_EXEMPT_PATHS = ("/api/v1/docs",)

ROOT_URLCONF = "salesorg.urls"
WSGI_APPLICATION = "salesorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "salesorg.core.context_processors.navigation",
                "salesorg.core.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{HOME / 'salesorg.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A PostgreSQL streaming replica for report reads (salesorg.core.dbrouter); unset, the
# router is a no-op. A hot standby refuses writes anyway; read-only sessions say so
# even when the URL points at a writable server. Tests mirror it onto the test database.
# (A lower-case name: an upper-case one would show its password on DEBUG error pages.)
if _reports_url := os.environ.get("DATABASE_REPORTS_URL"):
    DATABASES["reports"] = dj_database_url.parse(_reports_url, conn_max_age=60)
    if DATABASES["reports"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["reports"]["OPTIONS"] = {"options": "-c default_transaction_read_only=on"}
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["salesorg.core.dbrouter.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
# A lock-out holds one name at one client address together: a stranger guessing a known
# person code locks only themselves out, and one client's failures lock no one else out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as the rate limits see it (the forwarded one behind a trusted proxy).
AXES_CLIENT_IP_CALLABLE = "salesorg.core.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "salesorg.core.security.lockout_response"  # JSON for the API
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failed logins are stored, not only counted
# POST /api/v1/auth/token: at most this many requests per client address and minute.
TOKEN_RATE_LIMIT = int(os.environ.get("TOKEN_RATE_LIMIT", "10"))
# An API token expires this many days after it is issued (docs/security.md).
SALESORG_TOKEN_DAYS = int(os.environ.get("SALESORG_TOKEN_DAYS", "30"))
# Set BEHIND_PROXY=1 when a trusted proxy sets X-Forwarded-For (client addresses for limits).
BEHIND_PROXY = _flag("BEHIND_PROXY", default=False)

# Outgoing mail (the daily notification digest): off until SALESORG_SMTP_HOST is set.
EMAIL_HOST = os.environ.get("SALESORG_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("SALESORG_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SALESORG_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SALESORG_SMTP_PASSWORD", "")
EMAIL_USE_SSL = _flag("SALESORG_SMTP_SSL", default=False)  # TLS from the start (port 465)
EMAIL_USE_TLS = _flag("SALESORG_SMTP_TLS", default=not EMAIL_USE_SSL)  # STARTTLS
EMAIL_TIMEOUT = 30
SALESORG_MAIL_ENABLED = bool(EMAIL_HOST)
if not SALESORG_MAIL_ENABLED:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SalesOrg <salesorg@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people open the site: the links of the e-mails they get.
SALESORG_BASE_URL = os.environ.get("SALESORG_BASE_URL", "http://127.0.0.1:8000")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["salesorg.formats"]  # zh-Hans groups thousands: 1,234,567.50
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    NINJA_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"
# Uploaded files (photos of visits and customers, training attachments) are kept under
# MEDIA_ROOT, or in an S3-compatible bucket when SALESORG_MEDIA_S3_BUCKET is set (needs the
# optional dependency: pip install 'salesorg[s3]'). They are never served as public URLs:
# pages stream them to whoever may see their record.
SALESORG_MEDIA_S3_BUCKET = os.environ.get("SALESORG_MEDIA_S3_BUCKET", "")
if SALESORG_MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SALESORG_MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("SALESORG_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SALESORG_MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("SALESORG_MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("SALESORG_MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("SALESORG_MEDIA_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Photos: the largest file accepted and the longest side a stored photo keeps (pixels).
SALESORG_PHOTO_MAX_MB = int(os.environ.get("SALESORG_PHOTO_MAX_MB", "10"))
SALESORG_PHOTO_MAX_SIDE = int(os.environ.get("SALESORG_PHOTO_MAX_SIDE", "1600"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    # Production: HTTPS only. SECURE_SSL_REDIRECT can be turned off behind a proxy that
    # terminates TLS and redirects itself.
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

SALESORG_COMPANY_NAME = os.environ.get("SALESORG_COMPANY_NAME", _("Demo Company"))
SALESORG_CURRENCY = "CNY"
# The dismissal policy: the months of ended training or coaching a dismissal needs behind it
# (otherwise the filer gives a reason the approver sees).
SALESORG_DISMISSAL_STAGE_MONTHS = int(os.environ.get("SALESORG_DISMISSAL_STAGE_MONTHS", "3"))
# A satisfaction survey link sent to a customer's contact can be answered for this many days.
SALESORG_SURVEY_LINK_DAYS = int(os.environ.get("SALESORG_SURVEY_LINK_DAYS", "14"))
# Hits of the public survey pages one client address may make a minute.
SALESORG_SURVEY_RATE_LIMIT = int(os.environ.get("SALESORG_SURVEY_RATE_LIMIT", "30"))
# A visit checked in further than this many metres from its customer (beyond the check-in's
# own accuracy) counts as far from the customer on the visit-rhythm dashboard.
SALESORG_CHECKIN_FAR_METRES = int(os.environ.get("SALESORG_CHECKIN_FAR_METRES", "500"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "salesorg": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}
