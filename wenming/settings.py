"""Wenming settings, read from the environment (see the configuration table in README.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("WENMING_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_bool("WENMING_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _secret_key() -> str:
    """The demo keeps a generated key in the data directory; production must set one."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when WENMING_PRODUCTION is on.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "csp",
    "wenming.core",
    "wenming.org",
    "wenming.cases",
    "wenming.notify",
    "wenming.portal",
    "wenming.api",
    "wenming.volunteers",
    "wenming.honors",
    "wenming.accountability",
    "wenming.dashboard",
    "wenming.assessment",
    "wenming.inspections",
    "wenming.triage",
    "wenming.hotline",
    "wenming.livelihood",
    "wenming.audit",
    "wenming.privacy",
    "wenming.accounts_security",
]

MIDDLEWARE = [
    "wenming.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wenming.accounts_security.middleware.SettingsCSPMiddleware",
    "wenming.accounts_security.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wenming.accounts_security.middleware.RequestSizeLimitMiddleware",
    "wenming.accounts_security.middleware.IdleTimeoutMiddleware",
    "wenming.accounts_security.middleware.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wenming.core.middleware.DomainErrorMiddleware",
    "wenming.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "wenming.urls"
WSGI_APPLICATION = "wenming.wsgi.application"

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
                "wenming.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'wenming.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before reuse: after a database restart the next
        # request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a connection check that polls the socket instead of a query.
    DATABASES["default"]["ENGINE"] = "wenming.core.postgresql"
    # Session settings of every connection (libpq `options`; ?options= in the URL wins).
    # JIT compiles queries the planner overestimates (40 ms per search, which then runs
    # for a few ms); work_mem above the stock 4 MB keeps the bitmaps of the text search
    # exact (a lossy one re-ran the text function per row: two years of 垃圾 at 1M cases,
    # 540 ms instead of 53; bench/worklist.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("WENMING_PG_OPTIONS", "-c jit=off -c work_mem=32MB")
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file (not :memory:) so threads in concurrency tests queue on the busy
    # timeout like real workers instead of failing on a shared-cache table lock.
    # One file per process: parallel test runs on one checkout never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("WENMING_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wenming.accounts_security.passwords.CharacterClassesValidator"},
    {"NAME": "wenming.accounts_security.passwords.PasswordHistoryValidator"},
]
# Account security (wenming.accounts_security, 等保 2.0 level 3): lockout, idle sign-out.
WENMING_LOGIN_MAX_FAILURES = int(os.environ.get("WENMING_LOGIN_MAX_FAILURES", "5"))
WENMING_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("WENMING_LOGIN_LOCKOUT_MINUTES", "15"))
WENMING_SESSION_IDLE_MINUTES = int(os.environ.get("WENMING_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 3600  # at most a working day between requests that refresh it
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Web hardening: rates per client address ("<n>/<second|minute|hour|day>"; see
# wenming/accounts_security/ratelimit.py for the views each scope covers).
WENMING_RATE_LIMITS = {
    "login": os.environ.get("WENMING_LOGIN_RATE", "10/minute"),
    "anonymous_submit": os.environ.get("WENMING_PORTAL_SUBMIT_RATE", "10/minute"),
    "anonymous_lookup": os.environ.get("WENMING_PORTAL_LOOKUP_RATE", "60/minute"),
}
WENMING_NUM_PROXIES = int(os.environ.get("WENMING_NUM_PROXIES", "0"))  # trusted reverse proxies
WENMING_MAX_REQUEST_MB = int(os.environ.get("WENMING_MAX_REQUEST_MB", "100"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("WENMING_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
# In development (and tests) look files up when asked: indexing the thousands of front-end
# files up front costs half a second per middleware chain — per test client, in tests.
WHITENOISE_AUTOREFRESH = DEBUG
# Front-end packages come from npm at set-up (package-lock.json), never from a CDN.
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Raw citizen uploads until the worker re-encodes them (wenming.core.quarantine).
    "quarantine": {"BACKEND": "wenming.core.quarantine.QuarantineStorage"},
}
WENMING_QUARANTINE_ROOT = os.environ.get("WENMING_QUARANTINE_ROOT", "")
if WENMING_S3_BUCKET := os.environ.get("WENMING_S3_BUCKET", ""):
    # Uploads in S3-compatible object storage (MinIO, OSS, COS, AWS …) instead of MEDIA_ROOT.
    # Links are signed and expire: photos are not public objects.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": WENMING_S3_BUCKET,
            "endpoint_url": os.environ.get("WENMING_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("WENMING_S3_REGION") or None,
            "access_key": os.environ.get("WENMING_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("WENMING_S3_SECRET_KEY") or None,
            "location": os.environ.get("WENMING_S3_PREFIX", ""),
            "querystring_auth": True,
            "querystring_expire": 3600,
            "file_overwrite": False,
        },
    }
    STORAGES["quarantine"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],  # type: ignore[dict-item]
            "location": "/".join(
                filter(None, [os.environ.get("WENMING_S3_PREFIX", "").strip("/"), "quarantine"])
            ),
        },
    }
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("WENMING_MEDIA_ROOT", DATA_DIR / "media"))

# Queued jobs (wenming.core.tasks): on the database unless Redis is configured.
# WENMING_TASK_BACKEND: "database", "redis" or a backend's dotted path.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASK_BACKENDS = {
    "database": "wenming.core.task_database.DatabaseBackend",  # django-tasks-db's, faster insert
    "redis": "wenming.core.redis_clients.RQBackend",  # django-tasks-rq's, clients kept
}
_task_backend = os.environ.get("WENMING_TASK_BACKEND", "redis" if REDIS_URL else "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_task_backend, _task_backend)}}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["redis"]:
    INSTALLED_APPS.append("django_rq")  # its queues and admin statistics
_REDIS = REDIS_URL or "redis://127.0.0.1:6379/0"
RQ_QUEUES = {"default": {"URL": _REDIS, "DEFAULT_TIMEOUT": 600}}

# Django's cache keeps the sign-in lockouts and one-time privacy codes, so every server
# process must see the same one: Redis when configured; in production without Redis a table
# in the database (`wenming serve` creates it); the demo's single process and the tests keep
# it in memory. WENMING_CACHE: "redis", "database" or "memory". The rate-limit counts follow
# it (wenming.core.ratelimit): keys in Redis, with the database a table of their own
# (core_ratewindow: one statement per count), else in the cache.
CACHE_BACKENDS = {
    "redis": {
        "BACKEND": "wenming.core.redis_clients.RedisCache",  # Django's, clients kept
        "LOCATION": _REDIS,
        "KEY_PREFIX": "wenming",
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wenming_cache",
    },
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
WENMING_CACHE = os.environ.get(
    "WENMING_CACHE", "redis" if REDIS_URL else "database" if PRODUCTION else "memory"
)
if WENMING_CACHE not in CACHE_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"WENMING_CACHE must be one of {', '.join(CACHE_BACKENDS)}.")
CACHES = {"default": CACHE_BACKENDS[WENMING_CACHE]}
# A task running longer than this is taken for one whose worker died, and runs again.
WENMING_TASK_TIMEOUT = int(os.environ.get("WENMING_TASK_TIMEOUT", "600"))

# City-level presentation; policy a city changes lives in the database, not here.
WENMING_CITY_NAME = os.environ.get("WENMING_CITY_NAME", "包头市")
# Its name on English pages (empty: the Chinese name there too).
WENMING_CITY_NAME_EN = os.environ.get("WENMING_CITY_NAME_EN", "Baotou")
WENMING_MAP_TILES = os.environ.get("WENMING_MAP_TILES", "")  # empty: GeoJSON-only base layer
# Case codes (cases/codes.py): BT202611230017. Set once: a search by dates in code order reads
# the code index from the window's first day, which only codes with this prefix follow.
WENMING_CASE_PREFIX = os.environ.get("WENMING_CASE_PREFIX", "BT")
WENMING_REPORTER_RETENTION_DAYS = int(os.environ.get("WENMING_REPORTER_RETENTION_DAYS", "730"))
# Lists over the whole case table (search, API list) count at most this many rows and then
# say "10,000+" (wenming.core.paging): an exact count of a million cases costs ~0.4 s.
WENMING_COUNT_CAP = 10_000
# A text search counts at most this many: each text match is read from the table (the LIKE
# that checks the index's candidates), where other counts read an index alone; and a common
# term's 1,001 newest matches are found by walking the report-time index through a few
# thousand cases (cases.selectors.search_walk; bench/worklist.py).
WENMING_TEXT_COUNT_CAP = 1_000

# Notifications (wenming.notify): the inbox always; extra channels only when listed here.
WENMING_NOTIFY_CHANNELS = env_list("WENMING_NOTIFY_CHANNELS", "")  # e.g. "email,sms"
WENMING_SENDERS = {
    "email": os.environ.get("WENMING_EMAIL_SENDER", "wenming.notify.senders.EmailSender"),
    "sms": os.environ.get("WENMING_SMS_SENDER", "wenming.notify.senders.LoggingSmsSender"),
    "console": "wenming.notify.senders.ConsoleSender",
}
# Queue a job per delivery so a worker sends it at once (default with Redis); the periodic
# sweep every 10 s sends whatever the queue did not.
WENMING_NOTIFY_VIA_QUEUE = env_bool("WENMING_NOTIFY_VIA_QUEUE", bool(REDIS_URL))
# Dotted path of `f(user) -> str` giving a user's mobile number; unset: no SMS deliveries.
WENMING_SMS_PHONE_FOR_USER = os.environ.get("WENMING_SMS_PHONE_FOR_USER") or None
WENMING_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("WENMING_DELIVERY_MAX_ATTEMPTS", "5"))
WENMING_SITE_URL = os.environ.get("WENMING_SITE_URL", "").rstrip("/")  # links in email/SMS
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wenming@localhost")

# REST API (wenming.api): token or session auth, one error format, throttled anonymous use.
# Rates are "<n>/<second|minute|hour|day>", counted in fixed windows where WENMING_CACHE says.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["wenming.api.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": os.environ.get("WENMING_API_ANON_RATE", "120/minute"),
        "anonymous_submit": os.environ.get("WENMING_API_ANON_SUBMIT_RATE", "20/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "wenming.api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wenming.api.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "wenming.api.pagination.PagePagination",
    "NUM_PROXIES": WENMING_NUM_PROXIES,  # throttles count the same client address as the site
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wenming API",
    "DESCRIPTION": "Cases of the problem loop, categories and units. Open311 GeoReport v2 is "
    "served separately at /open311/v2/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wenming.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "NatureEnum": "wenming.cases.models.Nature",
        "StateEnum": "wenming.cases.states.State",
    },
}
WENMING_OPEN311_CONTACT = os.environ.get("WENMING_OPEN311_CONTACT", "")  # discovery contact

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # scripts read the token from the form, never the cookie
SECURE_HSTS_SECONDS = int(os.environ.get("WENMING_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))


def _tile_origin(template: str) -> list[str]:
    """The map tile server's origin for img-src ({s} subdomains become a wildcard)."""
    from urllib.parse import urlsplit

    parts = urlsplit(template.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Strict CSP: scripts only from our own static files (no inline scripts, no eval). Style
# attributes stay allowed: templates and chart/map libraries set widths and positions with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origin(WENMING_MAP_TILES)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "wenming.core.logs.ContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "wenming.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": os.environ.get("WENMING_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
WENMING_METRICS_TOKEN = os.environ.get("WENMING_METRICS_TOKEN", "")  # empty: loopback only

# Demo seeders, in dependency order; each app adds its own.
WENMING_DEMO_SEEDERS = [
    "wenming.org.seed.seed_demo",
    "wenming.volunteers.seed.seed_demo",
    "wenming.honors.seed.seed_demo",
    "wenming.cases.seed.seed_demo",
    "wenming.accountability.seed.seed_demo",
    "wenming.assessment.seed.seed_demo",
    "wenming.inspections.seed.seed_demo",
    "wenming.hotline.seed.seed_demo",
    "wenming.triage.seed.seed_demo",  # last: trains the first model from the demo's closed cases
]
