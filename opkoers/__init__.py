"""Op Koers: the app factory."""

import os
import uuid
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import CONFIGS, ProductionConfig

from . import (
    i18n,
    transactions,  # noqa: F401 - the database listeners: how requests read and write
)
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
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

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


def _configure_login() -> None:
    from flask_babel import lazy_gettext as _l

    from .services import accounts

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user, ended = accounts.session_user(user_id, session.get("sid"))
        if ended:
            g.session_ended = ended
        return user

    @login_manager.unauthorized_handler
    def to_login():
        """To the login page, with the page to come back to. An htmx request gets the whole page
        sent there (HX-Redirect), never a login form inside a fragment."""
        ended = g.pop("session_ended", None)
        if ended:
            g.keep_trail_on_refusal = True  # the ended session and its trail entry stay recorded
        messages = {
            "idle": _l("U bent uitgelogd omdat u een tijd niets heeft gedaan. Log opnieuw in."),
            "absolute": _l("U was lang ingelogd. Log voor de veiligheid opnieuw in."),
        }
        flash(messages.get(ended, _l("Log in om verder te gaan.")), "info")
        page = request.headers.get("HX-Current-URL") if htmx else request.url
        parts = urlsplit(page or "")
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        target = url_for("auth.login", next=back if parts.path not in ("", "/login") else None)
        if htmx:
            return Response(status=401, headers={"HX-Redirect": target})
        return redirect(target)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


# Pages someone who must set up two-factor authentication can still reach.
SETUP_ENDPOINTS = frozenset({"account.two_factor", "auth.logout", "main.set_language", "static"})


def _register_request_hooks(app: Flask) -> None:
    from . import audit
    from .services import accounts

    @app.before_request
    def fresh_request_state():
        """Nothing of an earlier request on `g` (tests keep one app context across requests)."""
        g.keep_trail_on_refusal = False
        g.writing = False
        g.pop("hidden_domains", None)
        g.pop("active_domains", None)
        i18n.forget()
        audit.start_request()

    @app.before_request
    def two_factor_first():
        """Whoever must use two-factor authentication and has not set it up, does that first. (A
        static file, such as the icon the browser fetches beside a page, never looks at the session:
        that would cost queries, and could end an idle session before the page's own request.)"""
        if request.endpoint == "static":
            return None
        user = current_user
        if (
            user.is_authenticated
            and not user.has_two_factor
            and request.endpoint not in SETUP_ENDPOINTS
            and accounts.two_factor_required(user)
        ):
            target = url_for("account.two_factor")
            return Response(status=401, headers={"HX-Redirect": target}) if htmx else redirect(target)
        return None

    @app.after_request
    def secure(response):
        """Security headers on every answer."""
        if "_remember" in session:
            # There is no "remember me": no remember cookie exists, so none needs deleting (Flask-Login
            # would otherwise send an empty cookie without the Secure and HttpOnly flags).
            session.pop("_remember")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.vary.add("HX-Request")
        if "_user_id" in session and request.endpoint != "static":  # (no database: the page is done)
            response.headers["Cache-Control"] = "no-store"
        if not app.debug and app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    @app.after_request  # runs first: the headers above go on whatever page this returns
    def commit(response):
        """The one commit (or rollback) of the request, then the access-log rows still to write.
        When those cannot be written, nothing of the page is shown (fail closed)."""
        if response.status_code < 400 or g.get("keep_trail_on_refusal"):
            db.session.commit()
        else:
            db.session.rollback()
        try:
            audit.write_unsaved_rows(response.status_code)
        except audit.AccessLogUnavailable as error:
            return incident_page(app, error)
        return response

    @app.teardown_request
    def end_transaction(error):
        """Whatever read the database after the commit (the page's last bits) ends with the request
        too, also when tests keep one app context across requests."""
        db.session.rollback()


def render_error(status: int, message: str | None = None):
    db.session.rollback()
    template = "errors/_message.html" if htmx and not htmx.boosted else "errors/error.html"
    return render_template(template, status=status, message=message, incident=g.get("incident")), status


def incident_page(app: Flask, error: Exception) -> Response:
    """The generic error page with an incident id; the details go to the log only."""
    g.incident = uuid.uuid4().hex[:12]
    app.logger.error("Unhandled error, incident %s", g.incident, exc_info=error)
    return app.make_response(render_error(500))


def _register_error_handlers(app: Flask) -> None:
    from .messages import rule_message

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
        return incident_page(app, error)
