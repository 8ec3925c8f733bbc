"""Op Koers: the app factory."""

import os
import uuid

from flask import Flask, g, has_request_context, render_template, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from config import CONFIGS, ProductionConfig

from .blueprints.requests import MAX_ID
from .domain import RuleViolation
from .extensions import babel, csrf, db, htmx, login_manager, migrate


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for a configuration name (default: OPKOERS_CONFIG or development)."""
    config_name = config_name or os.environ.get("OPKOERS_CONFIG", "development")
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseId
    app.config.from_object(CONFIGS[config_name])
    if overrides:
        app.config.update(overrides)
    if config_name == "production":
        ProductionConfig.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    _configure_login()

    from . import cli, templating
    from .blueprints import register_blueprints

    templating.init_app(app)
    register_blueprints(app)
    cli.init_app(app)
    _register_request_hooks(app)
    _register_error_handlers(app)
    return app


class DatabaseId(IntegerConverter):
    """<int:…> in URLs: a number beyond what the database holds is simply not found (404)."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, **kwargs)


def _select_locale() -> str:
    if not has_request_context():
        return "nl"
    lang = session.get("lang")
    return lang if lang in ("nl", "en") else "nl"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy issue BEGIN itself, so writes can start with BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """SQLite: every transaction takes the write lock at the start. Page views write the access log
    after reading, and a read-then-write transaction would fail with "database is locked" (not
    wait) when another connection wrote in between."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_login() -> None:
    from flask_babel import lazy_gettext as _l

    from .models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om verder te gaan.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        uid, _, token = user_id.partition(":")
        if not uid.isdigit() or not token:
            return None
        user = db.session.get(User, int(uid))
        if user is None or not user.active or not user.organisation.active or user.session_token != token:
            return None
        return user


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def _register_request_hooks(app: Flask) -> None:
    @app.after_request
    def secure_and_commit(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.vary.add("HX-Request")
        if current_user.is_authenticated and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        if not app.debug and app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # The request commits once, after the view succeeded; any error rolls everything back.
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response


def _register_error_handlers(app: Flask) -> None:
    from .messages import rule_message

    def render_error(status: int, message: str | None = None):
        db.session.rollback()
        template = "errors/_message.html" if htmx and not htmx.boosted else "errors/error.html"
        return render_template(template, status=status, message=message, incident=g.get("incident")), status

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_error(error.code or 500)

    @app.errorhandler(RuleViolation)
    def rule_violation(error):
        return render_error(409, rule_message(error))

    @app.errorhandler(StaleDataError)
    def stale(error):
        return render_error(409, rule_message(RuleViolation("stale")))

    @app.errorhandler(IntegrityError)
    def conflict(error):
        # Two people saving the same unique thing at the same moment: the database said no.
        return render_error(409, rule_message(RuleViolation("conflict")))

    @app.errorhandler(Exception)
    def unexpected(error):
        if app.debug or app.testing and app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        g.incident = uuid.uuid4().hex[:12]
        app.logger.exception("Unhandled error, incident %s", g.incident)
        return render_error(500)
