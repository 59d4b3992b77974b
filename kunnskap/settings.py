"""Settings for Kunnskapsstøtte: every value comes from the environment, with a safe default.

Development needs nothing set: `make run` exports DEBUG=1, the database is a SQLite file under
var/ and a secret key is generated there once. Production sets DEBUG=0 (the default), a
SECRET_KEY, ALLOWED_HOSTS and a DATABASE_URL pointing at PostgreSQL.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kunnskap.accounts.oidc_config import provider_origins, providers_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    """Generate the secret once and keep it under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Kunnskapsstøtte")
SITE_OWNER = os.environ.get("SITE_OWNER", "Kommunenes samarbeidsarena for forskning (KSF)")
SITE_OWNER_URL = os.environ.get("SITE_OWNER_URL", "")
ACCESSIBILITY_STATEMENT_URL = os.environ.get(
    "ACCESSIBILITY_STATEMENT_URL", "https://uustatus.no/nb/erklaringer/publisert/"
)
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "kunnskapsstotte@example.no")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "ninja",
    "simple_history",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "kunnskap",
    "kunnskap.organisations",
    "kunnskap.accounts",
    "kunnskap.taxonomy",
    "kunnskap.search",
    "kunnskap.proposals",
    "kunnskap.screening",
    "kunnskap.rounds",
    "kunnskap.commissions",
    "kunnskap.library",
    "kunnskap.newsletter",
    "kunnskap.assessments",
    "kunnskap.followup",
    "kunnskap.learning",
    "kunnskap.insights",
    "kunnskap.inbox",
    "kunnskap.operations",
    "kunnskap.limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # issue 15: SECURE_CSP below
    "kunnskap.middleware.PrivacyHeadersMiddleware",  # issue 15: Permissions-Policy, no-store
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kunnskap.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kunnskap.accounts.two_step.TwoStepRequiredMiddleware",  # issue 20: staff set up two steps
    "kunnskap.middleware.ControlCharacterMiddleware",  # issue 15: NUL is a 400, not a 500
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kunnskap.urls"
WSGI_APPLICATION = "kunnskap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kunnskap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kunnskap.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "kunnskap.forms.DesignsystemetFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kunnskap.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds a writer waits for the write lock before "database is locked" (busy timeout).
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 60),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: the live test server and concurrency tests need real locking. One per
    # process, so test runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "inbox:tasks"  # "Mine oppgaver": what waits for the person
LOGOUT_REDIRECT_URL = "home"

# --- Signing in with django-allauth (kunnskap/accounts/adapters.py) ---
# People sign in with their e-mail address; nobody signs up herself: administrators create the
# accounts (and invite with a set-password mail).
ACCOUNT_ADAPTER = "kunnskap.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "kunnskap.accounts.forms.SignInForm",
    "reauthenticate": "kunnskap.accounts.forms.ReauthenticateForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
# Signed in until the session ends (two weeks), as before: no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
MFA_ADAPTER = "kunnskap.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "") or SITE_NAME
MFA_TOTP_PERIOD = 30
# A code of the step before or after is accepted too (RFC 6238 allows for a slow clock or a
# slow typist); each code signs in once.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "kunnskap.accounts.forms.TwoStepCodeForm",
    "reauthenticate": "kunnskap.accounts.forms.TwoStepReauthenticateForm",
    "activate_totp": "kunnskap.accounts.forms.TwoStepActivateForm",
}
# Failed sign-ins (kunnskap/accounts/throttle.py): after this many wrong passwords for one
# address, even the right one is refused from every client for at least this many minutes; one
# client may fail this many times in the same period, whatever the addresses.
SIGN_IN_FAILURES_PER_ACCOUNT = envint("SIGN_IN_FAILURES_PER_ACCOUNT", 5)
SIGN_IN_FAILURES_PER_CLIENT = envint("SIGN_IN_FAILURES_PER_CLIENT", 30)
SIGN_IN_LOCK_MINUTES = envint("SIGN_IN_LOCK_MINUTES", 15)
# OpenID Connect (kunnskap/accounts/oidc.py): ID-porten with IDPORTEN_ISSUER, IDPORTEN_CLIENT_ID,
# IDPORTEN_CLIENT_SECRET (and IDPORTEN_ACR), Entra ID with ENTRA_ISSUER, ENTRA_CLIENT_ID,
# ENTRA_CLIENT_SECRET; a provider without its issuer and client id is not offered.
SOCIALACCOUNT_ADAPTER = "kunnskap.accounts.oidc.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "kunnskap.accounts.oidc.SignupForm"}
SOCIALACCOUNT_PROVIDERS = providers_from_environment(os.environ)
# A new person's address is confirmed by mail unless the provider vouches for it (ID-porten
# gives none); an address the provider vouches for finds the account that has it.
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # in the browser that asked for the link
SOCIALACCOUNT_STORE_TOKENS = False  # ID-porten's access token carries `pid`
SOCIALACCOUNT_REQUESTS_TIMEOUT = envint("OIDC_REQUESTS_TIMEOUT", 10)
# --- end of signing in ---

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kunnskap" / "locale"]
LANGUAGE_COOKIE_NAME = "kunnskap_language"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (publication PDFs). They are served by views that check what may be read, never
# as a public folder; past one machine, point STORAGES["default"] at S3-compatible storage.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Mail (Django 6.1 mailers): printed to the console in development, SMTP when EMAIL_HOST is set.
_smtp_host = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _smtp_host,
            "port": envint("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", True),
            "timeout": envint("EMAIL_TIMEOUT", 30),
        },
    }
    if _smtp_host
    else {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <{CONTACT_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How often and how far apart the worker retries a message the mail server refused.
MAIL_MAX_ATTEMPTS = envint("MAIL_MAX_ATTEMPTS", 8)
MAIL_RETRY_BASE_SECONDS = envint("MAIL_RETRY_BASE_SECONDS", 60)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Workers: tasks are never lost (kunnskap/operations/worker.py) ---
# A running task whose worker wrote no heartbeat for this many seconds goes back to the queue.
WORKER_HEARTBEAT_TIMEOUT = envint("WORKER_HEARTBEAT_TIMEOUT", 120)
# ... unless this many workers have died running it: then it fails, for staff to look at.
TASK_MAX_CLAIMS = envint("TASK_MAX_CLAIMS", 5)
# Sent mail, finished tasks and scheduled runs are removed after this many days.
OPERATIONS_RETENTION_DAYS = envint("OPERATIONS_RETENTION_DAYS", 30)

SESSION_ENGINE = "kunnskap.accounts.sessions"  # Django's database sessions, read in plain SQL
# Signing in goes through django-allauth's views (docs/architecture.md, "Signing in"); the backend
# finds the person by e-mail address (USERNAME_FIELD) and reads the signed-in user in plain SQL.
AUTHENTICATION_BACKENDS = ["kunnskap.accounts.backends.ModelBackend"]  # Django's, likewise
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a reverse proxy the client is the proxy: its X-Forwarded-* headers are trusted then.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# --- More than one app server: cache and sessions in Redis, uploads in S3 (docs/deployment.md) ---
# With REDIS_URL every server shares one cache (cached lists, page fragments) and reads sessions
# through it (`cached_db`: Redis in front of the database table, so a Redis restart signs nobody
# out). Without it: each process's own memory, and sessions read from the database in plain SQL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kunnskap"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With S3_BUCKET, uploaded files (publication PDFs) go to S3-compatible object storage; they are
# still served through views that check what may be read, never by a public bucket address.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "file_overwrite": False,
            "default_acl": None,
        },
    }

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Headers (issue 15): no inline script or style anywhere, so the policy needs no nonce ---
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Signing in and out through a provider posts here and is redirected there.
SECURE_CSP["form-action"] = [CSP.SELF, *provider_origins(SOCIALACCOUNT_PROVIDERS)]
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)
# With DEBUG off and HTTPS at the proxy: HSTS and the redirect to HTTPS (check --deploy).
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Entering the browsers' preload list is the domain owner's decision, not the app's.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^ping$"]
# --- end of headers ---

# Submissions per client address per hour, on the form and the anonymous API alike.
PROPOSAL_RATE_LIMIT_PER_HOUR = envint("PROPOSAL_RATE_LIMIT_PER_HOUR", 10)
# Anonymous registrations for events per client address per hour (Kunnskapsbroen).
EVENT_REGISTRATION_RATE_LIMIT_PER_HOUR = envint("EVENT_REGISTRATION_RATE_LIMIT_PER_HOUR", 10)
# --- Limits (issue 15): docs/deployment.md, "Limits" ---
# How many reverse proxies in front of the app append to X-Forwarded-For; the client is the
# entry that many places from the right. 0: the connection's address (REMOTE_ADDR).
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
# IPv6 clients are counted per network of this prefix length.
RATE_LIMIT_IPV6_PREFIX = envint("RATE_LIMIT_IPV6_PREFIX", 64)
# Mail that a requester can cause (newsletter, password reset, status links, receipts,
# invitations): at most this many per recipient, and requests per client, in any hour.
MAIL_LIMIT_PER_RECIPIENT_PER_HOUR = envint("MAIL_LIMIT_PER_RECIPIENT_PER_HOUR", 3)
MAIL_LIMIT_PER_CLIENT_PER_HOUR = envint("MAIL_LIMIT_PER_CLIENT_PER_HOUR", 20)
# --- end of limits ---

# 1: one screener decides. 2: two screen each need blind; if they disagree, a third decides.
SCREENING_REVIEWERS = envint("SCREENING_REVIEWERS", 1)
# A need that has waited longer than this for screening gets a badge in the queue.
SCREENING_WAIT_WARNING_DAYS = envint("SCREENING_WAIT_WARNING_DAYS", 14)
# --- Personal data (GDPR; kunnskap/operations/personal_data.py) ---
# A submitter's name, address and position are anonymised this many days after her need closed.
SUBMITTER_DATA_RETENTION_DAYS = envint("SUBMITTER_DATA_RETENTION_DAYS", 3 * 365)
# The hour (local time) from which the daily jobs run (kunnskap/schedule.py).
DAILY_TASKS_HOUR = envint("DAILY_TASKS_HOUR", 7)

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# The library's and the needs' rendered lists are cached this many seconds at most (0: not at
# all); every change they show makes them stale at once (kunnskap/caching.py).
LIST_CACHE_SECONDS = envint("LIST_CACHE_SECONDS", 300)
