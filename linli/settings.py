"""The one settings module. Everything that varies comes from the environment.

LINLI_ENV=production switches on the hardened defaults and refuses to start
without real secrets; development and tests need nothing set.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from linli.env import env_bool, env_int, env_list, env_str
from linli.keys import require_production_keys

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LINLI_DATA_DIR", str(BASE_DIR / "var")))

# Under pytest the default is "test" (conftest.py runs too late to set it:
# pytest-django reads these settings first).
ENVIRONMENT = env_str("LINLI_ENV", "test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("LINLI_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on in production")

_DEV_SECRET = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else _DEV_SECRET)

# Keys for personal data at rest (resident ID numbers). Comma-separated Fernet
# keys, newest first, so a key can be rotated without downtime.
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZHVjdGk="
FIELD_ENCRYPTION_KEYS = env_list("LINLI_FIELD_KEYS", [] if PRODUCTION else [_DEV_FIELD_KEY])
_DEV_HASH_KEY = "dev-only-hash-key"
FIELD_HASH_KEY = env_str("LINLI_HASH_KEY", None if PRODUCTION else _DEV_HASH_KEY)
if PRODUCTION:  # no published, short or malformed key (linli/keys.py)
    require_production_keys(
        secret_key=SECRET_KEY,
        field_keys=FIELD_ENCRYPTION_KEYS,
        hash_key=FIELD_HASH_KEY,
        published={_DEV_SECRET, _DEV_FIELD_KEY, _DEV_HASH_KEY},
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
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
    "csp",
    "django_htmx",
    "django_filters",  # list filter forms (core/lists.py)
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "huey.contrib.djhuey",
    "core",
    "customfields",  # ground floor beside core: the areas' forms, lists and exports read the definitions
    "notifications",  # ground floor beside core: the areas' services call notifications.api.notify
    "audit",
    "orgs",
    "accounts",
    "people",
    "volunteers",
    "partners",
    "matching",
    "grading",
    "volunteering",
    "workrecords",
    "contracts",
    "reports",
    "casework",
    "projects",
    "venues",
    "partybuilding",
    "fieldwork",
    "archive",
    "configuration",
    "paperwork",
    "portal",  # above the areas: the public portal calls their services
    "participation",  # above the areas, beside the portal: volunteers' and donors' own actions
    "messaging",  # outbound e-mail, SMS, WeCom and browser push (below the areas: they send through it)
    "home",  # above the areas: the home page, menu headings and demo, composed from their contrib.py
    "django.forms",  # after the areas: core/templates overrides its select widget (FORM_RENDERER)
]
# Widgets render through TEMPLATES, so core/templates/django/forms/ words
# Django's blank choice ("---------") in one place.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.CSPMiddleware",  # django-csp's, with the unchanging header built once
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionRenewMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.denied.DeniedAccessMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

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
                "core.context_processors.layout",
                "accounts.session.page_context",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'linli.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        # A kept connection the server dropped (restart, fail-over, idle kill)
        # is replaced before the request uses it instead of failing it.
        conn_health_checks=True,
    )
}
# Seconds a request waits for another process's write lock (SQLite's busy
# timeout) before it answers 503 (core/errors.py).
DB_LOCK_WAIT_SECONDS = env_int("LINLI_DB_LOCK_WAIT_SECONDS", 20, minimum=1)
# SQLite's page cache per connection and how much of the file it maps into
# memory: with its defaults (2 MB, no map) every page beyond the first few
# hundred is a read() call, and a bulk insert into a table of many indexes
# (the residents) writes through a cache smaller than they are.
SQLITE_CACHE_MB = env_int("LINLI_SQLITE_CACHE_MB", 64, minimum=1)
SQLITE_MMAP_MB = env_int("LINLI_SQLITE_MMAP_MB", 256, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the huey consumer and the web process read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{SQLITE_CACHE_MB * 1024}; PRAGMA mmap_size={SQLITE_MMAP_MB * 1024 * 1024};"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_LOCK_WAIT_SECONDS,
    }
# Backups (core/backup.py): the key that encrypts them (any long secret; kept
# apart from the data keys), where the worker writes them, how many it keeps
# and the hour (UTC; 18 = 02:00 in China) it makes one.
_DEV_BACKUP_KEY = "dev-only-backup-key"
BACKUP_KEY = env_str("LINLI_BACKUP_KEY", "" if PRODUCTION else _DEV_BACKUP_KEY)
BACKUP_DIR = Path(env_str("LINLI_BACKUP_DIR", str(DATA_DIR / "backups")))
BACKUP_KEEP = env_int("LINLI_BACKUP_KEEP", 7, minimum=1)
BACKUP_HOUR_UTC = env_int("LINLI_BACKUP_HOUR_UTC", 18, minimum=0)
if BACKUP_HOUR_UTC > 23:
    raise ImproperlyConfigured("LINLI_BACKUP_HOUR_UTC must be an hour from 0 to 23")
if PRODUCTION and BACKUP_KEY == _DEV_BACKUP_KEY:
    raise ImproperlyConfigured("LINLI_BACKUP_KEY is the published development key")
# How long /healthz/ready waits for each dependency (core/health.py).
LINLI_HEALTH_TIMEOUT_SECONDS = env_int("LINLI_HEALTH_TIMEOUT_SECONDS", 2, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitModelBackend",  # ModelBackend, loading the user's unit in the same query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.LettersAndDigitsValidator"},
    {"NAME": "accounts.validators.PersonalInfoValidator"},
    {"NAME": "accounts.validators.DemoPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator"},
]
if ENVIRONMENT == "test":
    # Tests create hundreds of accounts; PBKDF2 would dominate their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lock-out (django-axes): N failures within the window lock the account
# for the same window, or until an administrator unlocks it.
LOGIN_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LINLI_LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_FAILURE_WINDOW_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# Idle sessions end this many minutes after the last request. The session is
# renewed by accounts.middleware.SessionRenewMiddleware at most once every
# SESSION_RENEW_SECONDS (not on every request: a read writes nothing), so the
# timeout is exact to within that; pages warn SESSION_WARN_SECONDS before it.
SESSION_IDLE_MINUTES = env_int("LINLI_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_RENEW_SECONDS = 60
SESSION_WARN_SECONDS = 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Unsent form drafts kept in the browser are dropped after this many hours.
DRAFT_KEEP_HOURS = env_int("LINLI_DRAFT_KEEP_HOURS", 24, minimum=1)

# Two-factor (TOTP) login; production requires it for district administrators.
REQUIRE_2FA_FOR_ADMINS = env_bool("LINLI_REQUIRE_2FA_FOR_ADMINS", PRODUCTION)
OTP_TOTP_ISSUER = "Linli"

# The 等保 2.0 profile (docs/security.md): one switch that deployments assessed
# under GB/T 22239 level 3 turn on. Each rule has its own variable; its default
# is the profile's value when the profile is on, and otherwise the OWASP ASVS
# L2 choice (no forced expiry or composition rules: ASVS 2.1.9 and 2.1.10).
DENGBAO_PROFILE = env_bool("LINLI_DENGBAO", False)
_DB = DENGBAO_PROFILE
# Days a password stays valid (0: it never expires) and how many earlier ones may not come back.
PASSWORD_MAX_AGE_DAYS = env_int("LINLI_PASSWORD_MAX_AGE_DAYS", 90 if _DB else 0, minimum=0)
PASSWORD_HISTORY = env_int("LINLI_PASSWORD_HISTORY", 5 if _DB else 0, minimum=0)
# Character classes (lower case, upper case, digits, symbols) a password must mix; 0 or 1: no rule.
PASSWORD_MIN_CLASSES = env_int("LINLI_PASSWORD_MIN_CLASSES", 3 if _DB else 0, minimum=0)
if PASSWORD_MIN_CLASSES > 4:
    raise ImproperlyConfigured("LINLI_PASSWORD_MIN_CLASSES must be at most 4")
# 2FA for every privileged role (station leads, supervisors, administrators), not only district admins.
REQUIRE_2FA_FOR_PRIVILEGED = env_bool("LINLI_REQUIRE_2FA_FOR_PRIVILEGED", _DB)
# A session ends this many hours after login whatever the activity (ASVS 3.3.2 asks for 12 at L2).
SESSION_ABSOLUTE_HOURS = env_int("LINLI_SESSION_ABSOLUTE_HOURS", 8 if _DB else 12, minimum=1)
# Days an API token works (0: until revoked).
API_TOKEN_DAYS = env_int("LINLI_API_TOKEN_DAYS", 90 if _DB else 0, minimum=0)
# Refused requests (403, and 404 for an object outside the user's scope) are audited.
AUDIT_DENIED_ACCESS = env_bool("LINLI_AUDIT_DENIED_ACCESS", _DB)
# 三员分立: system, security and audit administration in three roles; the
# district administrator who holds all three can no longer be assigned.
SEPARATE_ADMIN_ROLES = env_bool("LINLI_SEPARATE_ADMIN_ROLES", _DB)
# Audit events are kept at least this long (网络安全法: six months); the
# application deletes none, this is the guarantee shown and checked.
AUDIT_RETENTION_DAYS = env_int("LINLI_AUDIT_RETENTION_DAYS", 365 if _DB else 183, minimum=183)

# The public portal (docs/portal.md): its own short sessions, one-time SMS
# codes and their limits, what it may take in, and how long it keeps it.
PORTAL_IDLE_MINUTES = env_int("LINLI_PORTAL_IDLE_MINUTES", 30, minimum=1)
PORTAL_ABSOLUTE_HOURS = env_int("LINLI_PORTAL_ABSOLUTE_HOURS", 12, minimum=1)
PORTAL_CODE_MINUTES = env_int("LINLI_PORTAL_CODE_MINUTES", 5, minimum=1)
PORTAL_CODE_TRIES = env_int("LINLI_PORTAL_CODE_TRIES", 3, minimum=1)  # wrong tries that void a code
PORTAL_CODE_GAP_SECONDS = env_int("LINLI_PORTAL_CODE_GAP_SECONDS", 60, minimum=0)  # between two codes to one phone
PORTAL_CODES_PER_PHONE_HOUR = env_int("LINLI_PORTAL_CODES_PER_PHONE_HOUR", 5, minimum=1)
PORTAL_CODES_PER_ADDRESS_HOUR = env_int("LINLI_PORTAL_CODES_PER_ADDRESS_HOUR", 20, minimum=1)
PORTAL_SUBMISSIONS_PER_ADDRESS_HOUR = env_int("LINLI_PORTAL_SUBMISSIONS_PER_ADDRESS_HOUR", 20, minimum=1)
PORTAL_SURVEY_ANSWERS_PER_ADDRESS_HOUR = env_int("LINLI_PORTAL_SURVEY_ANSWERS_PER_ADDRESS_HOUR", 30, minimum=1)
PORTAL_UPLOAD_MAX_MB = env_int("LINLI_PORTAL_UPLOAD_MAX_MB", 5, minimum=1)
# PIPL: a child under this age needs a guardian to register or ask for help.
PORTAL_GUARDIAN_AGE = 14
# What the privacy notice promises: months a closed request or feedback is kept.
PORTAL_KEEP_MONTHS = env_int("LINLI_PORTAL_KEEP_MONTHS", 36, minimum=6)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# ISO date input formats first for every language (core/widgets.py says why).
FORMAT_MODULE_PATH = ["linli.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(env_str("LINLI_MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded files are never served by URL directly; views stream them after the
# scope check, so there is deliberately no MEDIA_URL.
# Uploads, pending imports and reports (core/files.py): MEDIA_ROOT on this
# host, or an S3-compatible bucket shared by every host when LINLI_S3_BUCKET is set.
S3_BUCKET = env_str("LINLI_S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env_str("LINLI_S3_ENDPOINT_URL", "") or None,
                "region_name": env_str("LINLI_S3_REGION", "") or None,
                "access_key": env_str("LINLI_S3_ACCESS_KEY", "") or None,
                "secret_key": env_str("LINLI_S3_SECRET_KEY", "") or None,
                "location": env_str("LINLI_S3_PREFIX", ""),
                "addressing_style": env_str("LINLI_S3_ADDRESSING_STYLE", "path"),
                "default_acl": "private",
                "querystring_auth": True,
            },
        }
        if S3_BUCKET
        else {"BACKEND": "core.files.PrivateStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy: no inline scripts or styles anywhere.
_TILE_HOSTS = env_list("LINLI_MAP_TILE_HOSTS", [])
# Resource-map tiles (e.g. an intranet tile server "https://tiles.example/{z}/{x}/{y}.png");
# empty → the resource map shows plain lists only.
LINLI_MAP_TILE_URL = env_str("LINLI_MAP_TILE_URL", "")
LINLI_MAP_TILE_ATTRIBUTION = env_str("LINLI_MAP_TILE_ATTRIBUTION", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_TILE_HOSTS],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "core.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Without Redis: files in DATA_DIR, one cache for every worker process
        # of the host (a per-process cache shows a user's own change on only
        # some page views). Not the database cache: on SQLite every cache write
        # would queue on the one write lock that pages wait for. Tests keep one
        # process and must not share a cache with other runs.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if ENVIRONMENT == "test"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    )
}
# Sessions live in Redis when it is configured: renewing the idle timeout is a
# write (at most once a minute per active user; on SQLite a global write lock).
# Without Redis they stay in the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cache" if REDIS_URL else "core.sessions"
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "linli",
    "immediate": env_bool("LINLI_HUEY_IMMEDIATE", ENVIRONMENT == "test"),
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(DATA_DIR / "huey.sqlite3")},
    "consumer": {"workers": env_int("LINLI_HUEY_WORKERS", 2, minimum=1), "worker_type": "thread"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Domain rules that vary by place; defaults from docs/domain rules. Areas
# that own a rule read it from here or from their own configuration tables.
LINLI_DISTRICT_CODE = env_str("LINLI_DISTRICT_CODE", "350502")
# Seconds a user's home-page figures are reused (core/home_cache.py); 0 = off.
HOME_COUNTERS_SECONDS = env_int("LINLI_HOME_COUNTERS_SECONDS", 0 if ENVIRONMENT == "test" else 30, minimum=0)
# Lists (core/lists.py): the page sizes a user may pick and the one they get
# by default (or when they ask for any other size).
LIST_PAGE_SIZES = [int(n) for n in env_list("LINLI_LIST_PAGE_SIZES", ["10", "25", "50", "100"])]
LIST_PAGE_SIZE = env_int("LINLI_LIST_PAGE_SIZE", 25, minimum=1)
if LIST_PAGE_SIZE not in LIST_PAGE_SIZES:
    raise ImproperlyConfigured("LINLI_LIST_PAGE_SIZE must be one of LINLI_LIST_PAGE_SIZES")
# A station is "behind" on a KPI when its actual is more than this share below
# the pro-rated expected progress.
LINLI_KPI_BEHIND_TOLERANCE = float(env_str("LINLI_KPI_BEHIND_TOLERANCE", "0.1"))
# How often the dashboards' daily rollup of volunteer service records is rebuilt.
LINLI_ROLLUP_REFRESH_MINUTES = env_int("LINLI_ROLLUP_REFRESH_MINUTES", 10, minimum=1)
# A job still queued after this many seconds means no background worker is
# running: its page says so instead of "queued" forever (core/jobs.py).
LINLI_WORKER_WAIT_SECONDS = env_int("LINLI_WORKER_WAIT_SECONDS", 30, minimum=1)

# Outbound messages (messaging/): every channel works with nothing set
# (console / in-memory backends); docs/notifications.md "Delivery".
# Absolute links in messages that leave the system start with this.
LINLI_SITE_URL = env_str("LINLI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# E-mail over SMTP through Django's EMAIL_* settings.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if ENVIRONMENT == "test"
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Linli <noreply@linli.example>")
# SMS: "console" (prints a masked line) or "http" (a signed gateway request,
# messaging/backends/sms.py); template codes as "template=CODE,..." with a default.
SMS_BACKEND = env_str("LINLI_SMS_BACKEND", "console")
if SMS_BACKEND not in {"console", "http"}:
    raise ImproperlyConfigured("LINLI_SMS_BACKEND must be console or http")
SMS_GATEWAY_URL = env_str("LINLI_SMS_GATEWAY_URL", "")
SMS_ACCESS_KEY_ID = env_str("LINLI_SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = env_str("LINLI_SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = env_str("LINLI_SMS_SIGN_NAME", "邻里")
SMS_TEMPLATE_CODE = env_str("LINLI_SMS_TEMPLATE_CODE", "")
SMS_TEMPLATE_CODES = dict(item.split("=", 1) for item in env_list("LINLI_SMS_TEMPLATE_CODES", []) if "=" in item)
if SMS_BACKEND == "http" and not (SMS_GATEWAY_URL and SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET):
    raise ImproperlyConfigured("LINLI_SMS_BACKEND=http needs LINLI_SMS_GATEWAY_URL and the access key id and secret")
# WeCom group robots (one per station, set on a page): the hosts a webhook may name.
WECOM_WEBHOOK_HOSTS = env_list("LINLI_WECOM_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com"])
# Browser push (VAPID): keys from the environment, else generated once into DATA_DIR/vapid.
VAPID_PRIVATE_KEY = env_str("LINLI_VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = env_str("LINLI_VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = env_str("LINLI_VAPID_SUBJECT", "mailto:noreply@linli.example")
# Sending: seconds per try and attempts before a delivery is failed; the
# waits double (60, 120, 240, 480 s).
MESSAGING_TIMEOUT_SECONDS = env_int("LINLI_MESSAGE_TIMEOUT_SECONDS", 10, minimum=1)
MESSAGING_MAX_ATTEMPTS = env_int("LINLI_MESSAGE_ATTEMPTS", 5, minimum=1)
MESSAGING_RETRY_SECONDS = env_int("LINLI_MESSAGE_RETRY_SECONDS", 60, minimum=1)

# Lock-outs are per account, not per IP: stations sit behind one NAT address,
# and an IP lock would shut out a whole office (axes.W006 warns otherwise).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
