"""Django settings for ZWK.

Everything a deployment changes comes from the environment (see README, "Production"):
ZWK_DEBUG, ZWK_SECRET_KEY, DATABASE_URL, ZWK_DATA_DIR, ZWK_ALLOWED_HOSTS, ZWK_REDIS_URL,
ZWK_HTTPS. The defaults are safe for production (DEBUG off); `zwk demo` turns on what a
local demo needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from zwk.config.env import env_bool, env_int, env_list, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ZWK_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("ZWK_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR, allow_generate=DEBUG or env_bool("ZWK_DEMO", False))
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "ZWK_SECRET_KEY is not set. Set it in the environment (see README, Production)."
    )

ALLOWED_HOSTS = env_list("ZWK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ZWK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first: their templates (e.g. registration/*) win over the admin's.
    "zwk.core",
    "zwk.accounts",
    "zwk.history",
    "zwk.communes",
    "zwk.process",
    "zwk.profile",
    "zwk.workshop",
    "zwk.plan",
    "zwk.toolbox",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zwk.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zwk.core.middleware.ParameterGuardMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zwk.config.urls"
WSGI_APPLICATION = "zwk.config.wsgi.application"
ASGI_APPLICATION = "zwk.config.asgi.application"

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
                "zwk.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'zwk.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while one request writes; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "zwk.accounts.backends.LoginThrottleBackend",  # first: refuses while locked (django-axes)
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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

REDIS_URL = os.environ.get("ZWK_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL},
              # results of the Kommunalprofil shared by all app processes (zwk.profile.cache):
              # short socket timeouts so a hanging Redis costs a request at most ~2 s once,
              # after which the processes work in process only for 30 s
              "profile": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "TIMEOUT": 7 * 24 * 3600,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis the profile's results are shared between app processes through files in
    # the data folder (zwk.profile.cache): the first view in a new worker reads what the demo
    # loader or another worker computed instead of parsing and projecting again (~5 s).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "profile": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "profile-cache"), "TIMEOUT": 7 * 24 * 3600,
                          "OPTIONS": {"MAX_ENTRIES": 5000}}}
# Counters every app process must share (workshop joins and rate limits, password-reset mails;
# zwk.core.counters): Redis when configured, else a table in the database (created by the
# migration core/0001), never process memory.
CACHES["shared"] = ({"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": REDIS_URL, "KEY_PREFIX": "zwk-shared"} if REDIS_URL else
                    {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                     "LOCATION": "zwk_shared_cache", "OPTIONS": {"MAX_ENTRIES": 100_000}})

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    if DEBUG else "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Chart bundle for the browser (zwk.charts: zwk-charts.js/.css + the generated ~0.9 MB
# vega-bundle.js). Generated into the data folder on first start, never committed; found by
# the staticfiles finders, so WhiteNoise and collectstatic serve it under /static/zwk/charts/.
CHARTS_STATIC_DIR = DATA_DIR / "generated-static"
STATICFILES_DIRS = [CHARTS_STATIC_DIR]
try:
    from zwk.charts.bundle import BUNDLE_NAME, PACKAGE_STATIC, STATIC_SUBDIR, write_static_files

    if not (CHARTS_STATIC_DIR / STATIC_SUBDIR / BUNDLE_NAME).exists():
        write_static_files(CHARTS_STATIC_DIR)           # about 1 s, once per data folder
    else:                                               # keep the small embed files current
        for _src in (PACKAGE_STATIC / STATIC_SUBDIR).iterdir():
            _dst = CHARTS_STATIC_DIR / STATIC_SUBDIR / _src.name
            if _src.is_file() and (not _dst.exists() or _dst.read_bytes() != _src.read_bytes()):
                _dst.write_bytes(_src.read_bytes())
except OSError:  # read-only data folder: generate it where writable, then collectstatic
    pass
WHITENOISE_USE_FINDERS = True  # serve straight from the apps when collectstatic was not run
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents never get a public URL: a permission-checked view streams them.
ZWK_MAX_UPLOAD_BYTES = int(os.environ.get("ZWK_MAX_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "ZWK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("ZWK_FROM_EMAIL", "ZWK <noreply@zwk.invalid>")

# Security: strict by default; HTTPS-only settings when served over HTTPS.
HTTPS = env_bool("ZWK_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("ZWK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
ZWK_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Login throttling (django-axes, docs/security.md): attempts are kept in the database, so all
# app processes see them. A lockout applies per account and, separately, per client address.
AXES_FAILURE_LIMIT = env_int("ZWK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZWK_LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zwk.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # zwk.accounts.admin shows the attempts read-only (no side door)
# Behind a proxy the client address is the last one it appended to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("ZWK_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
                                     if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",))
# Password-reset mails per requested address and per client within an hour.
ZWK_RESET_MAILS_PER_ADDRESS = env_int("ZWK_RESET_MAILS_PER_ADDRESS", 3)
ZWK_RESET_MAILS_PER_CLIENT = env_int("ZWK_RESET_MAILS_PER_CLIENT", 10)
# Workshop joins per client address and workshop within ten minutes (a whole hall may share one
# Wi-Fi address, so the default is generous); the console flags bursts from one address.
ZWK_WORKSHOP_JOINS_PER_CLIENT = env_int("ZWK_WORKSHOP_JOINS_PER_CLIENT", 60)
ZWK_WORKSHOP_JOIN_BURST = env_int("ZWK_WORKSHOP_JOIN_BURST", 5)
# Personal data of workshop participants (display name, age band, device key) is removed this
# many days after the workshop ended (`zwk manage purge_participants`); cards and votes stay.
ZWK_PARTICIPANT_RETENTION_DAYS = env_int("ZWK_PARTICIPANT_RETENTION_DAYS", 90)

# Demo data is synthetic; pages say so whenever demo records exist.
ZWK_DEMO = env_bool("ZWK_DEMO", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZWK_LOG_LEVEL", "WARNING")},
}
