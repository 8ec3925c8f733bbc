"""Start page, language choice and the health check."""

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from .. import audit
from ..services import actions, admin, housekeeping, lookups, meetings
from ..services import dashboard as overview
from .requests import number_arg, safe_local_path

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    return redirect(url_for("main.dashboard"))


@bp.get("/start")
@login_required
def dashboard():
    if current_user.role == "beheerder":
        return render_template("main/admin_dashboard.html", overview=overview.admin_overview())
    overdue_count, overdue = actions.overdue_actions(current_user)
    cases = overview.case_overview(current_user)
    upcoming = meetings.upcoming_meetings(current_user)
    shown = [*cases["crisis"], *cases["mine"], *(a.case for a in overdue), *(m.case for m in upcoming)]
    audit.log_list(current_user, shown)
    return render_template(
        "main/dashboard.html", overview=cases, overdue_count=overdue_count, overdue=overdue, upcoming=upcoming
    )


@bp.get("/contactpersonen")
@login_required
def directory():
    """Whom to call: the fixed contact persons, for a neighbourhood its team first."""
    return render_template(
        "main/directory.html",
        neighbourhoods=lookups.neighbourhoods(),
        chosen=number_arg("wijk"),
        **admin.directory(number_arg("wijk")),
    )


@bp.post("/taal")
def set_language():
    lang = request.form.get("lang")
    if lang in ("nl", "en"):
        session["lang"] = lang
    return redirect(safe_local_path(request.form.get("next"), url_for("main.dashboard")))


@bp.get("/healthz")
def healthz():
    """For monitoring: 200 when the database answers, 503 when it does not."""
    status = housekeeping.health()
    return jsonify(status), 200 if status["database"] else 503
