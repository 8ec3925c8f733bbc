"""The user's notifications (meldingen): the list, and marking them read."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import audit
from ..services import notifications
from .requests import number_arg

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")


@bp.get("")
@login_required
def index():
    page = notifications.inbox(current_user, number_arg("page", 1), current_app.config["CASES_PER_PAGE"])
    audit.log_list(current_user, [n.case for n in page.items if n.case is not None])
    return render_template("notifications/index.html", page=page)


@bp.post("/gelezen")
@login_required
def mark_read():
    notifications.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))
