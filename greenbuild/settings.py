"""One settings file, driven by environment variables.

``DATABASE_URL`` unset means the embedded SQLite database in ``var/``; set it (e.g.
``postgres://user@127.0.0.1:5432/greenbuild``) for PostgreSQL in production and CI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from greenbuild.env import (
    envbool,
    envint,
    envlist,
    envsecret,
    installation_secret_key,
    kept_secret_key,
    secret_key_problem,
    site_url_problem,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envsecret("GREENBUILD_VAR_DIR") or BASE_DIR / "var")

DEBUG = envbool("DEBUG", "false")
# Without DEBUG there is no fallback key: a public key would let anyone forge sessions.
# scripts/demo writes a random key to var/secret_key and sets SECRET_KEY_FILE; the test run sets
# a throwaway one (greenbuild/testing/pytest_secret_key.py, scripts/test). With DEBUG and no key,
# the installation makes its own random key once (var/secret_key, 0600). A short (< 50
# characters), uniform or placeholder key is refused (SEC-11). docs/security.md.
SECRET_KEY = (envsecret("SECRET_KEY") or "").strip()
if not SECRET_KEY and not DEBUG:
    # The installation's own key in the var directory (scripts/demo writes it): `greenbuild`
    # commands then work in the demo's checkout without exporting anything (docs/operations.md).
    try:
        SECRET_KEY = kept_secret_key(VAR_DIR) or ""
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured("SECRET_KEY is not set, and {}.".format(error)) from None
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. GreenBuild refuses to start without it while DEBUG is off: set SECRET_KEY, "
            "or SECRET_KEY_FILE naming a file that holds it, or keep it in {} (mode 600; scripts/demo writes "
            "it there). For local development only, DEBUG=true makes a random key once in the var "
            "directory.".format(VAR_DIR / "secret_key")
        )
    try:
        SECRET_KEY = installation_secret_key(VAR_DIR)
    except OSError as error:  # the var directory cannot be made or written
        raise ImproperlyConfigured(
            "SECRET_KEY is not set, and DEBUG=true cannot keep a key of its own in {} ({}): set SECRET_KEY "
            "(or SECRET_KEY_FILE), or GREENBUILD_VAR_DIR to a writable directory.".format(
                VAR_DIR / "secret_key", error.strerror or error
            )
        ) from None
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set, and {} is empty: delete it (DEBUG=true then makes a new key) or set "
            "SECRET_KEY.".format(VAR_DIR / "secret_key")
        )
if secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is refused: {}. Generate one, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        ", and set it in SECRET_KEY or in the file SECRET_KEY_FILE names.".format(secret_key_problem(SECRET_KEY))
    )
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "greenbuild.core",
    "greenbuild.reference",
    "greenbuild.accounts",
    "greenbuild.programmes",
    "greenbuild.projects",
    "greenbuild.attachments",
    "greenbuild.notifications",
    "greenbuild.scoring",
    "greenbuild.dashboards",
    "django_tasks",
    "django_tasks_db",
    "greenbuild.jobs",
    "greenbuild.reports",
    "greenbuild.imports",
    "greenbuild.audit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "greenbuild.secondfactor",
    "greenbuild.guidelines",
    "greenbuild.plans",
    "greenbuild.reviews",
    "greenbuild.conference",
    "greenbuild.lifecycle",
    "greenbuild.documents",
    "greenbuild.webhooks",
    "greenbuild.lists",
    "greenbuild.publicity",
    "greenbuild.supervision",
    "greenbuild.inspections",
    "greenbuild.incentives",
    "greenbuild.bulletins",
    "greenbuild.completion",
    "greenbuild.summaries",
    "greenbuild.api",  # before drf_spectacular: its documentation templates serve local assets only
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "greenbuild.core.middleware.ContentSecurityPolicyMiddleware",  # every response, static files included
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "greenbuild.api.middleware.ApiLanguageMiddleware",  # /api/: the language of Accept-Language
    "django.middleware.common.CommonMiddleware",
    # Before anything reads request.POST (the CSRF check does): refuses oversized bodies unread.
    # /api/: a chunked body is a 411, an oversized one a 413, both in the API's error shape.
    "greenbuild.api.middleware.ApiRequestBodyMiddleware",
    "greenbuild.attachments.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (second factor)
    "django.contrib.messages.middleware.MessageMiddleware",
    # A bare 405 (a GET to a form-only address) becomes the styled, translated page.
    "greenbuild.core.middleware.MethodNotAllowedPageMiddleware",
    # Idle session timeout and forced password change (docs/security.md).
    "greenbuild.accounts.middleware.SecuritySessionMiddleware",
    # Administrators: the second factor before anything else (GREENBUILD_REQUIRE_OTP).
    "greenbuild.secondfactor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A successful write makes the navbar's cached to-do badges count afresh (notifications/badge.py).
    "greenbuild.notifications.badge.InboxBadgeMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend with lockout and address throttling (docs/security.md).
    "greenbuild.accounts.backends.LockoutModelBackend",
    # The admin's model permissions of the separated administrator duties (docs/security.md).
    "greenbuild.accounts.duties.DutyPermissionBackend",
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:overview"
LOGOUT_REDIRECT_URL = "dashboards:overview"

ROOT_URLCONF = "greenbuild.urls"
WSGI_APPLICATION = "greenbuild.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "greenbuild" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "greenbuild.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///{}".format(VAR_DIR / "greenbuild.sqlite3"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
# PostgreSQL: a connection outlives its request (issue 19 item 7: a new connection per request
# adds a connect and an authentication to every page; bench/load.py). DB_CONN_MAX_AGE seconds (default
# 600; 0 opens one per request), checked before reuse (DB_CONN_HEALTH_CHECKS, default true).
# DB_POOL=true uses psycopg's pool instead (DB_POOL_MIN_SIZE/DB_POOL_MAX_SIZE connections per
# process, default 1/4): for threaded or ASGI servers. The operator's guide lists them.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if envbool("DB_POOL", "false"):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses a pool with persistent connections
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DB_POOL_MIN_SIZE", "1"),
            "max_size": envint("DB_POOL_MAX_SIZE", "4"),
            "timeout": envint("DB_POOL_TIMEOUT", "10"),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", "600")
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = envbool("DB_CONN_HEALTH_CHECKS", "true")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one connection writes; NORMAL is WAL's recommended sync level
    # (a commit survives a crash of the process, the last ones may be lost on power loss).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The tests' database is a file, as in production, not Django's default in-memory database:
    # with an in-memory database the live server's request threads share the test's own connection,
    # so a test that writes while its page's requests are still running (the navbar's badge loads
    # after the page) met "database table is locked" (CI, stop 27). With a file every thread has
    # its own connection and waits for the write lock (timeout above), as the web server does.
    # One file per process (two test runs at once in one checkout must not share it); Django
    # removes it when the run ends.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(VAR_DIR / "test-greenbuild-{}.sqlite3".format(os.getpid()))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy (等保2.0 level 3; docs/security.md). Demo users are seeded directly, not validated.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "greenbuild.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "greenbuild.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "greenbuild.accounts.validators.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Not the current password nor one of the last PASSWORD_HISTORY_COUNT (kept as hashes).
    {"NAME": "greenbuild.accounts.validators.PasswordHistoryValidator"},
]
PASSWORD_HISTORY_COUNT = envint("PASSWORD_HISTORY_COUNT", "5")
#: Days after which a password must be changed (0, the default: never).
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", "0")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "greenbuild" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "greenbuild" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Every attachment (attachments app). An S3-compatible store replaces the disk by setting, e.g.
    # ATTACHMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage ATTACHMENTS_STORAGE_OPTIONS='{"bucket_name": …}'.
    "attachments": {
        "BACKEND": envsecret("ATTACHMENTS_STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": json.loads(envsecret("ATTACHMENTS_STORAGE_OPTIONS") or "{}"),
    },
}
WHITENOISE_USE_FINDERS = True

# --- uploads (attachments app; docs/security.md "Uploads") -------------------------------------
# Kind policies (types checked by content, size limits) live in greenbuild/attachments/policy.py;
# override per kind here, e.g. {"model": {"max_bytes": 800 * 1024 * 1024}}.
ATTACHMENT_POLICIES: dict[str, dict[str, object]] = {}
#: Largest request body of a view that takes no uploads; upload views allow their kinds' limits.
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", str(10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields without files (Django's default, stated)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files stream to a temporary file, never to memory
DATA_UPLOAD_MAX_NUMBER_FILES = 50
FILE_UPLOAD_PERMISSIONS = 0o640
# Resumable uploads through the API (tus 1.0.0, /api/v1/uploads/; docs/attachments.md): the
# largest file accepted (Tus-Max-Size; each kind's own limit applies below it), how long an
# unfinished upload is kept (then `cleanup_attachments` removes it), how many unfinished uploads a
# user may hold, and where their parts wait (the var dir; shared by every server of a deployment).
API_UPLOAD_MAX_BYTES = envint("API_UPLOAD_MAX_BYTES", str(500 * 1024 * 1024))
API_UPLOAD_LIFETIME_HOURS = envint("API_UPLOAD_LIFETIME_HOURS", "24")
API_UPLOAD_MAX_OPEN = envint("API_UPLOAD_MAX_OPEN", "10")
API_UPLOAD_DIR = VAR_DIR / "uploads"
# Spreadsheet imports (imports app; docs/jobs-reports-imports.md "Limits"): a workbook is a zip
# archive, checked before any parser reads it, then parsed by a process under a memory cap.
IMPORT_MAX_MEMBERS = envint("IMPORT_MAX_MEMBERS", "200")
IMPORT_MAX_MEMBER_BYTES = envint("IMPORT_MAX_MEMBER_BYTES", str(64 * 1024 * 1024))
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", str(128 * 1024 * 1024))
IMPORT_MAX_COMPRESSION_RATIO = envint("IMPORT_MAX_COMPRESSION_RATIO", "100")
IMPORT_PARSE_MEMORY_BYTES = envint("IMPORT_PARSE_MEMORY_BYTES", str(512 * 1024 * 1024))
IMPORT_PARSE_CPU_SECONDS = envint("IMPORT_PARSE_CPU_SECONDS", "60")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- background jobs (jobs app): django-tasks' database queue, run by `greenbuild worker` ---------
TASKS = {"default": {"BACKEND": envsecret("TASKS_BACKEND") or "django_tasks_db.DatabaseBackend"}}
#: Seconds a running job may go without a heartbeat before it is queued again.
JOBS_LEASE_SECONDS = envint("JOBS_LEASE_SECONDS", "60")
#: Days a job's result file (a generated report or export) is kept after the job finishes; then the
#: daily entry ``jobs.prune_results`` (or ``greenbuild prune_job_results``) removes the file and the
#: task centre says it expired. 0 keeps them for ever. Issued documents are never pruned.
JOBS_RESULT_RETENTION_DAYS = envint("JOBS_RESULT_RETENTION_DAYS", "90")

# --- the open API (/api/v1/, greenbuild/api) ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "greenbuild.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browser, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["greenbuild.api.permissions.TokenScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "greenbuild.api.pagination.Pagination",
    # An unknown query parameter of a list is a 400 naming it (api/filters.py; issue 18, API-13)
    "DEFAULT_FILTER_BACKENDS": [
        "greenbuild.api.filters.KnownQueryParameters",
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # An Accept the endpoint cannot meet gets its JSON, not a 406; ?format=xml on a list is a 400
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "greenbuild.api.negotiation.ApiContentNegotiation",
    # JSON bodies only (issue 18, API-01): any other body is a 415; an upload declares
    # api.parsers.MultiPartParser itself. The parsers refuse NUL, lone surrogates and deep nesting (SEC-07).
    "DEFAULT_PARSER_CLASSES": ["greenbuild.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": [
        "greenbuild.api.throttling.TokenRateThrottle",
        "greenbuild.api.throttling.AddressRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": envsecret("API_THROTTLE_TOKEN") or "1200/min",
        "address": envsecret("API_THROTTLE_ADDRESS") or "600/min",
    },
    "DEFAULT_SCHEMA_CLASS": "greenbuild.api.schema.BilingualAutoSchema",
    "EXCEPTION_HANDLER": "greenbuild.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
}
# The client's address (greenbuild.core.http.client_address; docs/security.md "Throttling"):
# REMOTE_ADDR unless N reverse proxies, each appending to X-Forwarded-For, stand in front; then
# the Nth entry from the right. 0 (the default) trusts no X-Forwarded-For entry.
GREENBUILD_TRUSTED_PROXIES = envint("GREENBUILD_TRUSTED_PROXIES", "0")
# The cache holds the API throttle's counters, so it must be shared by every worker process:
# the database cache (its table is created by `greenbuild migrate`) unless REDIS_URL names a
# Redis server (recommended in production; needs the `redis` package).
REDIS_URL = envsecret("REDIS_URL") or ""
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "greenbuild_cache"}
    )
}
SPECTACULAR_SETTINGS = {
    "TITLE": "绿色建造试点管理平台 API · GreenBuild API",
    "DESCRIPTION": (
        "试点项目、流程、评分与开放数据的接口；令牌放在请求头 Authorization: Bearer gb_… 中。 · "
        "The registry, its workflow, scores and open data; send a token in the header Authorization: Bearer gb_…"
        "\n\n开放数据（无需令牌）：/api/v1/open/，数据目录 /data.json（DCAT-US v1.1），许可协议见目录（默认 CC BY 4.0）。 · "
        "Open data (no token): /api/v1/open/, catalogue /data.json (DCAT-US v1.1), licence in the catalogue "
        "(CC BY 4.0 by default); see docs/open-data.md."
    ),
    # The API's own version (docs/api-changelog.md), semantic and independent of the package's:
    # minor for additions and deprecations, major only with a new prefix (/api/v2/).
    "VERSION": "1.1.0",
    "LICENSE": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
    "CONTACT": {
        "name": envsecret("API_CONTACT_NAME") or "GreenBuild",
        "email": envsecret("API_CONTACT_EMAIL") or envsecret("DEFAULT_FROM_EMAIL") or "greenbuild@localhost",
    },
    "SERVERS": [{"url": "/", "description": "本站 · this site"}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "greenbuild.api.schema.postprocess_typed_nullables",
        # every operation's 4xx answers with the one error shape (api/schema_errors.py; API-03)
        "greenbuild.api.schema_errors.postprocess_error_responses",
        # Location on 201, ETag on single objects, If-Match / If-None-Match (api/conditional.py)
        "greenbuild.api.conditional.postprocess_conditional_headers",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClauseKindEnum": "greenbuild.scoring.choices.ClauseKind",
        "OrganisationKindEnum": "greenbuild.accounts.choices.OrganisationKind",
        "ConclusionEnum": "greenbuild.reviews.choices.Outcome",
        "WebhookEventEnum": "greenbuild.webhooks.catalogue.EVENT_CODES",
        # a choice set answered by several serializers gets one name (no "TargetStarLevel5b7Enum"):
        # the models' choices, and the bare codes of open data and of R7–R14
        "TargetStarLevelEnum": "greenbuild.projects.choices.StarLevel",
        "StageEnum": "greenbuild.scoring.choices.Stage",
        "StarLevelCodeEnum": ["none", "basic", "one_star", "two_star", "three_star"],
        "StageCodeEnum": ["pre_evaluation", "evaluation"],
        "VerdictEnum": ["pass", "fail", "unknown"],
    },
}

# --- e-mail and the inbox (notifications app) ---------------------------------------------------
# Console by default (the demo prints e-mails); set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# and EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS for SMTP.
EMAIL_BACKEND = envsecret("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = envsecret("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = envsecret("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = envsecret("DEFAULT_FROM_EMAIL") or "greenbuild@localhost"
#: The site's public address (scheme, host, and the path it is served under, if any), from which
#: e-mails build their links (the daily digest); docs/notifications.md. Refused at start when malformed.
SITE_URL = (envsecret("SITE_URL") or "http://127.0.0.1:8000").strip().rstrip("/")
if _site_url_problem := site_url_problem(SITE_URL):
    raise ImproperlyConfigured(
        "SITE_URL {!r} is refused: {}. Set it to the address people open the platform at.".format(
            SITE_URL, _site_url_problem
        )
    )

# --- open data (R26, docs/open-data.md): the catalogue /data.json names these --------------------
OPEN_DATA_LICENSE = envsecret("OPEN_DATA_LICENSE") or "https://creativecommons.org/licenses/by/4.0/"
OPEN_DATA_PUBLISHER = envsecret("OPEN_DATA_PUBLISHER") or "常州市住房和城乡建设局"
OPEN_DATA_CONTACT_NAME = envsecret("OPEN_DATA_CONTACT_NAME") or "绿色建造试点开放数据 · GreenBuild open data"
#: DCAT-US asks for a mailbox with a dotted domain; set the publisher's real one in production.
OPEN_DATA_CONTACT_EMAIL = envsecret("OPEN_DATA_CONTACT_EMAIL") or "open-data@greenbuild.invalid"
#: Days an inbox item may wait before it is overdue, by kind (capped by the programme's quota deadline).
INBOX_DUE_DAYS = {
    "projects.to_recommend": 10,
    "projects.to_accept": 10,
    "projects.to_confirm": 15,
    "projects.to_revise": 15,
    "scoring.to_review": 15,
    "projects.withdrawal_to_decide": 15,
}

# --- response headers (core app; docs/security.md) ----------------------------------------------
# Content-Security-Policy: greenbuild.core.middleware.DEFAULT_POLICY unless CONTENT_SECURITY_POLICY
# (a dict of directive -> tuple of sources) is set here; a view relaxes it with @csp_update.
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff
SECURE_REFERRER_POLICY = "same-origin"  # no URLs (with project ids) leak to other sites
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "greenbuild.core.views.csrf_failure"  # the styled 403 page, translated
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP inside the network

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- security controls (docs/security.md; accounts and audit apps) --------------------------------
#: Consecutive failed sign-ins of one account within the window that lock it, and for how long.
LOGIN_LOCKOUT_THRESHOLD = envint("LOGIN_LOCKOUT_THRESHOLD", "5")
LOGIN_LOCKOUT_WINDOW_MINUTES = envint("LOGIN_LOCKOUT_WINDOW_MINUTES", "15")
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", "30")
#: Failed sign-ins from one address (any accounts) within the window that throttle it.
LOGIN_ADDRESS_THRESHOLD = envint("LOGIN_ADDRESS_THRESHOLD", "20")
LOGIN_ADDRESS_WINDOW_MINUTES = envint("LOGIN_ADDRESS_WINDOW_MINUTES", "15")
#: Minutes without a request after which a session ends.
SESSION_IDLE_TIMEOUT_MINUTES = envint("SESSION_IDLE_TIMEOUT_MINUTES", "30")
#: Seconds before the idle timeout at which pages offer to stay signed in.
SESSION_IDLE_WARNING_SECONDS = envint("SESSION_IDLE_WARNING_SECONDS", "120")
#: Days security audit records are kept (never fewer than 180: `greenbuild prune_audit` refuses).
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "180")
#: Key of the HMAC-SHA256 signature on backup manifests (docs/security.md, "Backup and restore").
#: Empty: derived from SECRET_KEY. Restoring needs the same key, so set it (or BACKUP_SIGNING_KEY_FILE)
#: when SECRET_KEY may differ between the backed-up and the restoring installation.
BACKUP_SIGNING_KEY = (envsecret("BACKUP_SIGNING_KEY") or "").strip()
#: 三员 (docs/security.md, "Separated administrator duties"): on, the bureau administrator and the
#: superuser flag lose the account, security, audit and configuration duties to the system,
#: security and audit administrator roles. Off (the demo), the bureau administrator holds all four.
GREENBUILD_SEPARATE_DUTIES = envbool("GREENBUILD_SEPARATE_DUTIES", "false")
#: A second factor (TOTP) for administrator and bureau roles at sign-in (on in production).
GREENBUILD_REQUIRE_OTP = envbool("GREENBUILD_REQUIRE_OTP", "false")
OTP_TOTP_ISSUER = "GreenBuild"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret or QR code
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Behind HTTPS (production): each switch is off unless set; see docs/security.md.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "false")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "false")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
# Only behind a proxy that sets this header itself (and strips it from clients), e.g. nginx.
if envbool("SECURE_PROXY_SSL_HEADER", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
