"""Configuration for Op Koers.

Pick a configuration with ``OPKOERS_CONFIG`` (``development``, ``testing`` or ``production``).
Every setting can be overridden from the environment; secrets only ever come from there.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'opkoers.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    DEBUG = False
    TESTING = False
    # Demo mode allows loading demo data with published demo passwords. Never in production.
    DEMO_MODE = _env_bool("OPKOERS_DEMO")

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 0
    # A session ends after this long without a request, and in any case this long after login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    # Login throttling: this many failures within the window lock the account (or the network
    # address) for the lock time.
    LOGIN_MAX_FAILURES_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_ADDRESS", "20"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
    # Roles that must use two-factor authentication; the beheerder can require it of everyone.
    TWO_FACTOR_ROLES = tuple(
        r for r in os.environ.get("TWO_FACTOR_ROLES", "projectgroep,beheerder").split(",") if r
    )
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0: none, use the peer).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # The address people use to reach the app; links in e-mails and calendar entries start with it.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")

    # E-mail. "outbox" keeps every message in the app (readable at /e-mail), nothing leaves the
    # machine; "smtp" delivers through the server below. The scheduler sends and retries.
    MAIL_TRANSPORT = os.environ.get("MAIL_TRANSPORT", "outbox")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_STARTTLS = _env_bool("MAIL_USE_STARTTLS", True)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Op Koers <noreply@opkoers.test>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "12"))

    # What an admitted client may spend, until the beheerder sets another default in the app.
    DEFAULT_BUDGET_CENTS = int(os.environ.get("DEFAULT_BUDGET_CENTS", "250000"))

    # Requests larger than this are refused (413) before anything is read: no form here needs more.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    MAX_FORM_PARTS = 2000

    # Several scheduler processes may run (say one per app server): the one holding the lease runs
    # the jobs and renews it with every heartbeat; another takes over when its beat is this old.
    SCHEDULER_HEARTBEAT_SECONDS = int(os.environ.get("SCHEDULER_HEARTBEAT_SECONDS", "60"))
    SCHEDULER_LEASE_SECONDS = int(os.environ.get("SCHEDULER_LEASE_SECONDS", "180"))

    CASES_PER_PAGE = 25
    HISTORY_ON_CASE_PAGE = 20
    ACTIONS_ON_CASE_PAGE = 20  # the most urgent; the rest on the case's list of actions
    MEETINGS_ON_CASE_PAGE = 10  # the latest; a link shows them all
    # The impact report, the deviation register and the budget overview count over all the years of
    # data: each app process computes them at most once in this many seconds (0: at every request).
    REPORT_CACHE_SECONDS = int(os.environ.get("REPORT_CACHE_SECONDS", "60"))
    # The case page's and a meeting page's own part are shown again to the same session, while the
    # case has no new change, for at most this many seconds (0: rendered at every view).
    CASE_PAGE_CACHE_SECONDS = int(os.environ.get("CASE_PAGE_CACHE_SECONDS", "60"))
    # The impact report over all years is counted ahead by the scheduler this often.
    REPORT_FIGURES_MINUTES = int(os.environ.get("REPORT_FIGURES_MINUTES", "10"))


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    DEMO_MODE = True
    # Tests log users in with their password alone; the two-factor tests switch this on themselves.
    TWO_FACTOR_ROLES = ()
    REPORT_CACHE_SECONDS = 0  # the report tests check the figures right after each change


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    # The __Host- prefix: the browser keeps the cookie only if it is Secure, for this host alone.
    SESSION_COOKIE_NAME = "__Host-opkoers" if SESSION_COOKIE_SECURE else "opkoers"
    MAIL_TRANSPORT = os.environ.get("MAIL_TRANSPORT", "smtp")

    @classmethod
    def check(cls, config) -> None:
        """Refuse to start when the configuration is not safe for production."""
        problems = []
        if config.get("DEBUG"):
            problems.append("DEBUG is on")
        if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
            problems.append("SECRET_KEY is not set (or is the development default)")
        if config.get("DEMO_MODE"):
            problems.append("OPKOERS_DEMO is on")
        if not str(config.get("PUBLIC_URL", "")).startswith("https://"):
            problems.append("PUBLIC_URL is not an https:// address (links in e-mails and calendars use it)")
        if config["SCHEDULER_LEASE_SECONDS"] < 2 * config["SCHEDULER_HEARTBEAT_SECONDS"]:
            problems.append("SCHEDULER_LEASE_SECONDS is less than twice SCHEDULER_HEARTBEAT_SECONDS")
        if config.get("MAIL_TRANSPORT") == "smtp" and not config.get("MAIL_SERVER"):
            problems.append("MAIL_SERVER is not set (or choose MAIL_TRANSPORT=outbox)")
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
