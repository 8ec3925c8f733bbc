"""Logging in and out."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..forms.auth import LoginForm
from ..services import accounts
from .requests import safe_local_path

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            lang = session.get("lang")
            session.clear()  # a fresh session at login
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(safe_local_path(request.args.get("next"), url_for("main.dashboard")))
        error = _("Het e-mailadres of het wachtwoord klopt niet.")
    status = 200 if request.method == "GET" or not (error or form.errors) else 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    accounts.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
