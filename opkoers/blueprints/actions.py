"""'My actions' across cases, and the two-click updates on one action (status, progress note)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..domain import RuleViolation
from ..extensions import db, htmx
from ..forms.actions import ActionNoteForm, ActionStatusForm
from ..labels import label
from ..messages import rule_message
from ..models import Action
from ..services import actions
from .requests import number_arg, safe_local_path

bp = Blueprint("actions", __name__, url_prefix="/acties")

access.guard(bp, "actions.mine")


@bp.get("")
def mine():
    show = request.args.get("toon", "open")
    show = show if show in actions.FILTERS else "open"
    page = actions.my_actions(current_user, show, number_arg("page", 1), current_app.config["CASES_PER_PAGE"])
    audit.log_list(current_user, (a.case for a in page.items))
    return render_template("actions/mine.html", page=page, show=show)


def _action_or_404(action_id: int) -> Action:
    """The action, if its case is visible to the user (else 404) and the user may update it (else 403)."""
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404)
    access.case_or_404(action.case_id)
    if not access.can_update_action(current_user, action):
        abort(403)
    return action


def _answer(action: Action, next_url: str | None, message: str | None = None, status: int = 200, saved=None):
    """The updated action in place (htmx), or back to the page the user came from."""
    if htmx and not htmx.boosted:
        context = {"action": action, "message": message, "action_saved": saved, "show_case": True}
        return render_template("actions/_action.html", **context), status
    if message:
        flash(message, "error")
    return redirect(safe_local_path(next_url, url_for("cases.detail", case_id=action.case_id)))


@bp.post("/<int:action_id>/status")
def status(action_id: int):
    action = _action_or_404(action_id)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        actions.change_action_status(current_user, action, form.version.data, form.status.data)
    except RuleViolation as error:
        db.session.rollback()
        action = db.session.get(Action, action_id)
        return _answer(action, form.next.data, rule_message(error), 409)
    saved = _("De status is nu: %(status)s.", status=label("action_status", action.status))
    return _answer(action, form.next.data, saved=saved)


@bp.post("/<int:action_id>/notitie")
def note(action_id: int):
    action = _action_or_404(action_id)
    form = ActionNoteForm()
    if not form.validate_on_submit():
        return _answer(action, form.next.data, form.text.errors[0] if form.text.errors else None, 422)
    actions.add_action_note(current_user, action, form.text.data)
    return _answer(action, form.next.data, saved=_("De notitie is opgeslagen."))
