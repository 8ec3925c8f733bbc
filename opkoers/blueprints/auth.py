"""Logging in (password, then a code from the authenticator app when it is on) and out."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..audit import remote_address
from ..extensions import db
from ..forms.auth import CodeForm, LoginForm
from ..models import User
from ..services import accounts
from ..timeutil import utc_now
from .requests import keep_trail_on_refusal, safe_local_path

bp = Blueprint("auth", __name__)

PENDING = "pending_login"  # between the password and the code: who, since when, where to go next
PENDING_FOR = timedelta(minutes=5)


def login_failed_message() -> str:
    return _(
        "Inloggen is niet gelukt. Controleer uw e-mailadres en wachtwoord. "
        "Na %(failures)s mislukte pogingen moet u %(minutes)s minuten wachten.",
        failures=current_app.config["LOGIN_MAX_FAILURES_ACCOUNT"],
        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        result = accounts.check_password(form.email.data, form.password.data, remote_address())
        next_url = safe_local_path(request.args.get("next"), url_for("main.dashboard"))
        if result.user and result.user.has_two_factor:
            session.pop(PENDING, None)
            session[PENDING] = {"user": result.user.id, "at": utc_now().timestamp(), "next": next_url}
            return redirect(url_for("auth.code"))
        if result.user:
            return _complete_login(result.user, next_url)
        keep_trail_on_refusal()
        error, status = login_failed_message(), 429 if result.address_locked else 422
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form, error=error), status


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING) or {}
    started = pending.get("at", 0)
    if not pending or utc_now().timestamp() - started > PENDING_FOR.total_seconds():
        return None, ""
    return db.session.get(User, pending["user"]), pending.get("next", "")


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    """Step two: the code from the authenticator app (or a recovery code)."""
    user, next_url = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Log opnieuw in. De tijd om de code in te vullen was om."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error, status = None, 200
    if form.validate_on_submit():
        if accounts.check_second_factor(user, form.code.data, remote_address()):
            return _complete_login(user, next_url)
        keep_trail_on_refusal()
        error, status = _("Deze code klopt niet of is al gebruikt. Probeer de volgende code."), 422
    elif request.method == "POST":
        status = 422
    return render_template("auth/code.html", form=form, error=error), status


def _complete_login(user: User, next_url: str):
    """A fresh session (nothing from before the login carries over) and a server-side record of it."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["sid"] = accounts.start_session(user, remote_address(), request.user_agent.string)
    login_user(user)
    if not user.has_two_factor and accounts.two_factor_required(user):
        flash(_("Voor uw rol is tweestapsverificatie verplicht. Stel het nu in."), "info")
        return redirect(url_for("account.two_factor"))
    return redirect(next_url or url_for("main.dashboard"))


@bp.post("/logout")
@login_required
def logout():
    accounts.end_session(session.get("sid"))
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))
