"""Settings for Stadshart: one module, driven by environment variables.

Development (the README's run command) and production differ only by environment. With DEBUG off
the site refuses to start without SECRET_KEY and ALLOWED_HOSTS: production never runs on a
silent default. Variables may also come from a `.env` file in the project folder.
"""

import warnings
from pathlib import Path
from urllib.parse import urlparse

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# Local state of the embedded setup: the SQLite database, the file broker, mail, uploads.
VAR_DIR = Path(env.str("STADSHART_VAR_DIR", default=str(BASE_DIR / "var")))
# A parallel test run (pytest-xdist) gives each of its workers its own files and Redis database, as
# it gives each its own test database; tests/services.child_env hands both to child processes.
TEST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if TEST_WORKER:
    VAR_DIR = VAR_DIR / TEST_WORKER

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-do-not-deploy")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as missing:
        raise ImproperlyConfigured(
            f"{missing}. With DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be set explicitly."
        ) from None

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "stadshart.apps.StadshartConfig",
    "crm",
    "newsletter",
    "portal",
    "portal.members",
    "projects",
    "funding",
    "insights",
    "drafting",
    "social",
    "wagtail.contrib.forms",
    # Wagtail's own apps, without the v3 API that Stadshart does not serve (stadshart/wagtail_apps.py).
    "stadshart.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "stadshart.wagtail_apps.SnippetsConfig",
    "stadshart.wagtail_apps.DocumentsConfig",
    "stadshart.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "anymail",
    "auditlog",
    "django_celery_results",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stadshart.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every staff login has a second factor; always on (stadshart/mfa).
    "stadshart.mfa.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "stadshart.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "stadshart.urls"
WSGI_APPLICATION = "stadshart.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: an SQLite file by default, PostgreSQL (or any engine) through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'stadshart.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write at the same time: WAL and immediate transactions
    # make SQLite wait for the other writer instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that worker processes started by the tests see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short, but the trigram search's many LIKE patterns are
    # estimated dear enough for PostgreSQL to compile them, which took 0.8 s of a 1 s search.
    # (`?options=...` in DATABASE_URL still wins.)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# locale/overrides: Wagtail's Dutch made formal ("u", not "je"), written by scripts/wagtail_formal.py;
# LOCALE_PATHS win over every app's own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "overrides"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "stadshart" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Private uploads (report photos, import files): never under MEDIA_ROOT/MEDIA_URL; served only by
# views that check access (stadshart/storage.py). A private S3 bucket in production if set.
PRIVATE_ROOT = Path(env.str("PRIVATE_ROOT", default=str(VAR_DIR / "private")))
PRIVATE_S3_BUCKET = env.str("PRIVATE_S3_BUCKET", default="")
if PRIVATE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_S3_BUCKET,
            "endpoint_url": env.str("PRIVATE_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("PRIVATE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PRIVATE_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("PRIVATE_S3_REGION", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["private"] = {
        "BACKEND": "stadshart.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT)},
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Whitenoise serves collected files in production; in development it reads the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:
    # Before the first collectstatic there is no STATIC_ROOT, which is fine with the finders.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# Wagtail
WAGTAIL_SITE_NAME = "Stadshart"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_I18N_ENABLED = False
# No Gravatar: it would send staff e-mail hashes to a third party (and this network has no internet).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "stadshart.forms.StaffLoginForm"

# Email: written to files under var/mail by default; any ESP through django-anymail.
# Every ANYMAIL_* variable lands in the ANYMAIL dict without its prefix, so e.g.
# ANYMAIL_MAILGUN_API_KEY becomes ANYMAIL["MAILGUN_API_KEY"].
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Date headers in Dutch local time (+0100/+0200), as a person's mail program writes them, not -0000.
EMAIL_USE_LOCALTIME = True
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Stadshart <nieuws@stadshart.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Wagtail's review notifications come from the centre's own name and address (stadshart.mail),
# read when each message is built.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = env.str("WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", default="")
if not WAGTAILADMIN_NOTIFICATION_FROM_EMAIL:
    from stadshart.mail import lazy_centre_sender

    WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = lazy_centre_sender()
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value for key, value in env.ENVIRON.items() if key.startswith("ANYMAIL_")
}

# AI drafting: any OpenAI-compatible server. Without a key the template drafter is used.
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="") or None
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
OPENAI_TIMEOUT = env.float("OPENAI_TIMEOUT", default=30.0)
# The model accepts images (alt text); structured output (response_format json_schema) is asked
# for unless switched off, and a server that rejects it is asked again without; streaming keeps a
# slow model's connection alive (the timeout then applies between chunks).
OPENAI_VISION = env.bool("OPENAI_VISION", default=False)
OPENAI_STRUCTURED_OUTPUT = env.bool("OPENAI_STRUCTURED_OUTPUT", default=True)
OPENAI_STREAM = env.bool("OPENAI_STREAM", default=False)
# Tokens per calendar month for all AI calls together, and calls per user per hour (0: no limit).
AI_MONTHLY_BUDGET_TOKENS = env.int("AI_MONTHLY_BUDGET_TOKENS", default=2_000_000)
AI_RATE_LIMIT_PER_HOUR = env.int("AI_RATE_LIMIT_PER_HOUR", default=60)
# The Celery queue of background drafts (default: Celery's default queue).
DRAFTING_TASK_QUEUE = env.str("DRAFTING_TASK_QUEUE", default="") or None

# Celery: Redis or RabbitMQ through CELERY_BROKER_URL; by default a broker in files under
# var/celery, so the run command needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if TEST_WORKER and CELERY_BROKER_URL.startswith("redis://"):
    _broker = urlparse(CELERY_BROKER_URL)
    _db = (int(_broker.path.strip("/") or 0) + 1 + int(TEST_WORKER.removeprefix("gw"))) % 16
    CELERY_BROKER_URL = _broker._replace(path=f"/{_db}").geturl()
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    for _folder in {_queue_dir, VAR_DIR / "celery" / "control"}:
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task that dies with its worker goes back to the queue; tasks are written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
# Failures of tasks that keep no result are stored all the same: the Beheerder's home page counts them.
CELERY_TASK_STORE_ERRORS_EVEN_IF_IGNORED = True
# The heartbeat: beat sends the health check every HEARTBEAT_SECONDS under one fixed task id, so the
# result backend keeps a single row whose time says both beat and a worker were alive then.
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=60)
HEARTBEAT_TASK_ID = "stadshart-heartbeat"
CELERY_BEAT_SCHEDULE["system-heartbeat"] = {
    "task": "stadshart.tasks.health_check",
    "schedule": float(HEARTBEAT_SECONDS),
    "options": {"task_id": HEARTBEAT_TASK_ID},
}

# Newsletter sending (newsletter/sending/, tasks.py). Beat starts due scheduled sends, restarts idle ones
# and hands back rows a dead worker claimed longer than NEWSLETTER_CLAIM_TIMEOUT seconds ago, so
# a killed worker's work is resumed within a minute (timeout + one beat interval).
NEWSLETTER_TASK_QUEUE = env.str("NEWSLETTER_TASK_QUEUE", default="") or None
CELERY_BEAT_SCHEDULE["newsletter-dispatch"] = {
    "task": "newsletter.tasks.dispatch_newsletters",
    "schedule": env.float("NEWSLETTER_DISPATCH_SECONDS", default=10.0),
    "options": {"queue": NEWSLETTER_TASK_QUEUE} if NEWSLETTER_TASK_QUEUE else {},
}
NEWSLETTER_CLAIM_TIMEOUT = env.int("NEWSLETTER_CLAIM_TIMEOUT", default=45)
# A send no worker claimed a batch of for this long is handed to the workers again.
NEWSLETTER_IDLE_RESTART_SECONDS = env.int("NEWSLETTER_IDLE_RESTART_SECONDS", default=30)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)
# Messages per second handed to the ESP, shared by all workers through Redis (0: no limit).
NEWSLETTER_RATE_LIMIT = env.float("NEWSLETTER_RATE_LIMIT", default=0)
# Task chains working on one send at once (set to the worker's concurrency).
NEWSLETTER_PARALLEL_TASKS = env.int("NEWSLETTER_PARALLEL_TASKS", default=1)
NEWSLETTER_TASK_BUDGET_SECONDS = env.float("NEWSLETTER_TASK_BUDGET_SECONDS", default=240.0)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=6)
NEWSLETTER_RETRY_BASE_SECONDS = env.int("NEWSLETTER_RETRY_BASE_SECONDS", default=30)
# ESPs with batch sending (anymail merge_data): one API call per batch; the merge field syntax
# of the ESP, e.g. "%recipient.{name}%" for Mailgun (tested: tests/newsletter/test_esp_batch.py),
# "-{name}-" for SendGrid, "{{{{{name}}}}}" for SparkPost.
NEWSLETTER_BATCH_SEND = env.bool("NEWSLETTER_BATCH_SEND", default=False)
NEWSLETTER_MERGE_FIELD = env.str("NEWSLETTER_MERGE_FIELD", default="{{{{{name}}}}}")
# A mailto: in List-Unsubscribe only when something reads that mailbox and unsubscribes the
# sender (an ESP's inbound route to the unsubscribe webhook); an unread address would break the promise.
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str("NEWSLETTER_UNSUBSCRIBE_MAILTO", default="")
# The sender domain's DNS (`manage.py check_mail_domain`, README "Production"): which domain
# (default: DEFAULT_FROM_EMAIL's), the ESP's DKIM selector(s) and its SPF include(s).
MAIL_DOMAIN = env.str("MAIL_DOMAIN", default="")
MAIL_DKIM_SELECTORS = env.list("MAIL_DKIM_SELECTORS", default=[])
MAIL_SPF_INCLUDES = env.list("MAIL_SPF_INCLUDES", default=[])

# Audit trail (django-auditlog): loading fixtures or restoring a database is not a user's change.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# Tests: under REQUIRE_SERVICES=1 (CI) a test that needs a missing service fails instead of skipping.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)

# Security. Production defaults are strict; behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=1.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin frame; DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes (INCLUDE) are PostgreSQL's speed at regional scale; on SQLite the same
    # indexes are built on their key columns, which is all a centre's data needs. Said once here,
    # not as four warnings before every command of the embedded default.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks come from inside the container network, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail 8 logs every background task and page action at INFO; keep the console readable.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Portal page cache (portal/cache.py): public pages for visitors without a session are served from
# the cache (CACHE_URL; use Redis when running more than one web process). 0 switches it off.
PORTAL_CACHE_SECONDS = env.int("PORTAL_CACHE_SECONDS", default=300)
MIDDLEWARE += ["portal.cache.PublicPageCacheMiddleware"]

# Second factor for staff (stadshart/mfa, django-otp): the name authenticator apps show.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Stadshart")

# Members (portal.members): member logins by email address, rate limited logins (django-axes,
# for the portal's and the admin's login forms), a strict Content-Security-Policy for the portal
# (django-csp) and the security headers Django does not set.
INSTALLED_APPS += ["axes", "csp"]
AUTHENTICATION_BACKENDS = [
    "portal.members.backends.RateLimitedBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
# Axes must come last: it turns a locked-out login into its own response.
MIDDLEWARE += ["portal.members.middleware.SecurityHeadersMiddleware", "axes.middleware.AxesMiddleware"]
LOGIN_URL = "members:login"
WAGTAIL_FRONTEND_LOGIN_URL = "/inloggen/"
# Five wrong passwords for one address from one IP address block that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15.0) / 60  # a float means hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "stadshart.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "members/locked_out.html"
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Behind the proxy the client's address is in X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin (and its previews of portal pages) needs inline scripts and styles.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Keeping the data (keeping/): backups with django-dbbackup, retention periods, the leaving archive.
# Backups go to BACKUP_DIR (a folder; in docker/compose.yaml a volume of its own) or, with
# BACKUP_S3_BUCKET set, to an S3-compatible store; gzip-compressed always, GPG-encrypted for
# BACKUP_GPG_RECIPIENT when set (its public key must be in the worker's keyring).
INSTALLED_APPS += ["dbbackup", "keeping"]
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)
BACKUP_GPG_RECIPIENT = env.str("BACKUP_GPG_RECIPIENT", default="")
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
if BACKUP_S3_BUCKET:
    STORAGES["dbbackup"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BACKUP_S3_BUCKET,
            "endpoint_url": env.str("BACKUP_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("BACKUP_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("BACKUP_S3_SECRET_KEY", default="") or None,
            "region_name": env.str("BACKUP_S3_REGION", default="") or None,
            "location": env.str("BACKUP_S3_PREFIX", default="stadshart-backups"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    STORAGES["dbbackup"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BACKUP_DIR)},
    }
DBBACKUP_GPG_RECIPIENT = BACKUP_GPG_RECIPIENT or None
DBBACKUP_GPG_ALWAYS_TRUST = True
DBBACKUP_MEDIA_PATH = MEDIA_ROOT
DBBACKUP_SEND_EMAIL = False
# Old backups are removed by age (BACKUP_KEEP_DAYS, keeping.backups.prune), not by count.
DBBACKUP_CLEANUP_KEEP = 10_000
# Nightly in production (a beat job); off by default in development, where `manage.py backup` runs one.
if env.bool("BACKUP_NIGHTLY", default=not DEBUG):
    CELERY_BEAT_SCHEDULE["keeping-backup"] = {
        "task": "keeping.tasks.nightly_backup",
        "schedule": crontab(hour=env.int("BACKUP_HOUR", default=2), minute=15),
    }

# The board's dashboard keeps reach per newsletter and segment exact by checking its inputs on every
# read (insights/tallies.py); beat derives again what a CRM change or a late event made stale, so a
# board member waits for it only when the CRM changed since the last round (seconds at the size of a
# region). Shorter rounds cost more database work. 0 turns this off.
INSIGHTS_REFRESH_SECONDS = env.int("INSIGHTS_REFRESH_SECONDS", default=300)
if INSIGHTS_REFRESH_SECONDS:
    CELERY_BEAT_SCHEDULE["insights-refresh-reach"] = {
        "task": "insights.tasks.refresh_reach",
        "schedule": float(INSIGHTS_REFRESH_SECONDS),
        # A round still waiting when the next is due is dropped: one round does the work of both.
        "options": {"expires": float(INSIGHTS_REFRESH_SECONDS)},
    }

# Retention periods in days, per kind of data (keeping/retention.py applies them every night and
# records what it removed or anonymised; the README explains each). 0 keeps that kind forever.
RETENTION_DAYS = {
    # ESP events (opens, clicks, …) per message: after this a send keeps only its totals.
    "delivery_events": env.int("RETENTION_DELIVERY_EVENTS_DAYS", default=395),
    # Contact moments of a business that left the centre: notes and people removed, counts kept.
    "left_business_contacts": env.int("RETENTION_LEFT_BUSINESS_CONTACTS_DAYS", default=2 * 365),
    "rejected_applications": env.int("RETENTION_REJECTED_APPLICATIONS_DAYS", default=90),
    "expired_invitations": env.int("RETENTION_EXPIRED_INVITATIONS_DAYS", default=90),
    "unconfirmed_signups": env.int("RETENTION_UNCONFIRMED_SIGNUPS_DAYS", default=30),
    "report_photos": env.int("RETENTION_REPORT_PHOTOS_DAYS", default=180),
    "audit_trail": env.int("RETENTION_AUDIT_TRAIL_DAYS", default=5 * 365),
}
CELERY_BEAT_SCHEDULE["keeping-retention"] = {
    "task": "keeping.tasks.nightly_retention",
    "schedule": crontab(hour=env.int("RETENTION_HOUR", default=3), minute=30),
}
