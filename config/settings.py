"""Settings for the quality award platform.

Every value that differs between a developer's laptop and production comes from the
environment (django-environ). The defaults give a working local run on SQLite with
DEBUG on; production sets DJANGO_DEBUG=0, a strong DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
and DATABASE_URL, and then passes `manage.py check --deploy` with no warnings.
"""

from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A development key is only acceptable while DEBUG is on; production must provide its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY måste sättas när DJANGO_DEBUG=0.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "import_export",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "award",
    "submissions",
    "examiners",
    "scoring",
    "judging",
    "accounts",
    "evaluation",
]
# The demo data (seed_demo): for `make run` and the tests, never needed in production (the
# benchmarks' load generator is bench/generate_load.py). On by default exactly when DEBUG is.
if env.bool("AWARD_DEMO", default=DEBUG):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page (static files served above it need none).
    "config.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers asked several times in one request (object permissions, team places) are
    # read once per request (award/request_memo.py).
    "award.request_memo.RequestMemoMiddleware",
    # A query string with an invisible control character is refused (400) before any view
    # reads it; placed after authentication so its page has the menu.
    "config.middleware.QueryControlCharacterMiddleware",
    # Every view needs a login unless it is explicitly marked @login_not_required,
    # so a new page can never be public by accident (an htmx request is answered 401).
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs a session out once it is older than AWARD_SESSION_MAX_HOURS, however active.
    "config.middleware.SessionLifetimeMiddleware",
    # SLK administrators, the committee and staff reach no page of theirs (nor the admin)
    # before their second factor is verified in this session (accounts/twofactor.py).
    "accounts.twofactor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes turns a locked-out login attempt into its lockout page; it must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "award.context_processors.roles",
                "config.security.csp_nonce",
                "config.oidc.login_context",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and an immediate write lock keep a local run with several users from failing
    # with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # No JIT compilation: the pages' queries take milliseconds, and PostgreSQL's JIT, which
    # kicks in on cost estimates (guardian's permission filter on a large table), spent
    # 30 ms compiling a 2 ms query. Overridable with DJANGO_DB_JIT=on.
    # Set DJANGO_DB_JIT empty to send no option at all (PgBouncer refuses startup options).
    if jit := env.str("DJANGO_DB_JIT", default="off"):
        options["options"] = f"{options.get('options', '')} -c jit={jit}".strip()
    if env.bool("DJANGO_DB_POOL", default=not DEBUG):
        # psycopg 3's connection pool, one per app-server process (Django 5.1+).
        options["pool"] = {"min_size": 1, "max_size": env.int("DJANGO_DB_POOL_MAX", default=8)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "award.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "config.security.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

# Single sign-on with the city's identity provider (OpenID Connect, mozilla-django-oidc),
# off by default. When on, the login page offers "Logga in med stadens konto" next to the
# password form, /oidc/ holds the flow's URLs, and the provider's e-mail address signs in
# the existing account with that address (case-insensitive); nobody is created, roles
# stay with SLK (config/oidc.py).
AWARD_OIDC_ENABLED = env.bool("AWARD_OIDC_ENABLED", default=False)
if AWARD_OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "config.oidc.ExistingUserOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "config.oidc.AuthenticateView"
OIDC_CALLBACK_CLASS = "config.oidc.CallbackView"

# Getting in without the admin (the accounts app): invitations, password reset, two-factor.
# An invitation link is valid this many days and works once.
INVITATION_DAYS = env.int("AWARD_INVITATION_DAYS", default=7)
# "Glömt lösenordet?": at most this many requests an hour for one address and from one client
# (counted whether or not the address has an account, so the answer tells nothing).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("AWARD_PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("AWARD_PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
# A reset link works once, for this many seconds (Django's own setting).
PASSWORD_RESET_TIMEOUT = env.int("AWARD_PASSWORD_RESET_SECONDS", default=2 * 3600)
# SLK administrators, committee members and staff must verify a second factor (TOTP or a
# recovery code) before any page of theirs; off only for a demonstration.
TWO_FACTOR_REQUIRED = env.bool("AWARD_TWO_FACTOR_REQUIRED", default=True)
# With single sign-on: the ID token's `amr` values (any of them) or `acr` values that mean
# the identity provider itself asked for a second factor; such a sign-on counts as verified.
# Empty (the default): the provider's word does not count, the platform asks its own.
OIDC_SECOND_FACTOR_AMR = env.list("AWARD_OIDC_SECOND_FACTOR_AMR", default=[])
OIDC_SECOND_FACTOR_ACR = env.list("AWARD_OIDC_SECOND_FACTOR_ACR", default=[])
# The e-mail domains an examiner volunteer without an account may use (the city's own).
VOLUNTEER_EMAIL_DOMAINS = env.list("AWARD_VOLUNTEER_EMAIL_DOMAINS", default=["stockholm.se"])
OTP_TOTP_ISSUER = "Kvalitetsutmärkelsen"

# Anonymous visitors never hold object permissions: no guardian anonymous user is created.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Argon2id with OWASP's parameters first (config/hashers.py); older hashes still verify and
# are replaced at the next login.
PASSWORD_HASHERS = [
    "config.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "start"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# One Swedish way to write a date and a moment everywhere (config/formats/sv/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploaded attachments are private: they live outside the static root and are only ever
# served through permission-checked views, never by URL.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Attachments to applications: limits per file, per application and in number.
ATTACHMENT_MAX_FILE_BYTES = env.int("AWARD_ATTACHMENT_MAX_FILE_BYTES", default=10_000_000)
ATTACHMENT_MAX_TOTAL_BYTES = env.int("AWARD_ATTACHMENT_MAX_TOTAL_BYTES", default=30_000_000)
ATTACHMENT_MAX_COUNT = env.int("AWARD_ATTACHMENT_MAX_COUNT", default=10)
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="kvalitetsutmarkelsen@example.stockholm.se")

# Background work (README, "Background work"): django-tasks with its database queue. Every
# e-mail is stored in the outbox first and sent by the worker (`manage.py run_worker`);
# `immediate` runs each task at once in the process that queued it (the tests; a
# deployment without a worker would send in the request, as before).
TASKS_BACKEND = env.str("AWARD_TASKS_BACKEND", default="database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}
# The absolute address of the site, for links in e-mails sent by the worker (no request).
SITE_URL = env.str("AWARD_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How often the worker's scheduler looks for due reminders and notices (one tick among all
# workers), and after how many failed attempts an e-mail is left as failed for SLK.
TICK_SECONDS = env.int("AWARD_TICK_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("AWARD_OUTBOX_MAX_ATTEMPTS", default=8)
# Files made in the background (the cycle export, the report PDF) are kept this many hours.
JOB_FILE_HOURS = env.int("AWARD_JOB_FILE_HOURS", default=24)

# Security. Production (DEBUG off) is secure by default; each value can be overridden
# for a deployment that terminates TLS differently.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Sessions end after AWARD_SESSION_IDLE_MINUTES without a request and, however active,
# after AWARD_SESSION_MAX_HOURS from login; both in config.middleware.SessionLifetimeMiddleware.
# The cookie's and the stored session's expiry (SESSION_COOKIE_AGE) are moved forward by
# a request at most once a minute rather than on every request (SESSION_SAVE_EVERY_REQUEST
# would write the session row on every page view and autosave), so a session ends between
# one minute before and at the idle limit.
# A password change ends every other session of the user (Django's session auth hash).
SESSION_IDLE_MINUTES = env.int("AWARD_SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.float("AWARD_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 2)

# Content-Security-Policy (django-csp): nothing inline except scripts carrying the
# per-request nonce (`{{ request.csp_nonce }}`, or `{{ csp_nonce }}`); no inline styles at all. Charts are
# SVG images from their own URL; their responses get a policy of their own
# (config.middleware.CSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# Login throttling (django-axes): AWARD_LOGIN_FAILURE_LIMIT failed attempts for one user
# name, or from one client address, lock further attempts for that name or address for
# AWARD_LOGIN_COOLOFF_MINUTES. The lockout page is the login page with a Swedish message
# and status 429. Behind a reverse proxy set AWARD_TRUSTED_PROXY_COUNT so the client's
# address (not the proxy's) is counted.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.int("AWARD_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AWARD_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
TRUSTED_PROXY_COUNT = env.int("AWARD_TRUSTED_PROXY_COUNT", default=0)

# django-import-export: spreadsheets in and out are XLSX and CSV only, and an import is
# all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_FORMATS = ["import_export.formats.base_formats.CSV", "import_export.formats.base_formats.XLSX"]
EXPORT_FORMATS = IMPORT_FORMATS
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
