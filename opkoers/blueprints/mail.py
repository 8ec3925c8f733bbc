"""The local outbox (development): read the e-mails the app would have sent, with their .ics."""

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user, login_required

from ..services import mail
from .requests import number_arg

bp = Blueprint("mail", __name__, url_prefix="/e-mail")


@bp.before_request
@login_required
def _only_with_local_outbox():
    """Only when e-mail stays in the app; with SMTP these pages do not exist."""
    if current_app.config["MAIL_TRANSPORT"] != "outbox":
        abort(404)


@bp.get("")
def index():
    page = mail.outbox(current_user, number_arg("page", 1), current_app.config["CASES_PER_PAGE"])
    return render_template("mail/index.html", page=page)


def _message_or_404(message_id: int):
    message = mail.outbox_message(current_user, message_id)
    if message is None:
        abort(404)
    return message


@bp.get("/<int:message_id>")
def show(message_id: int):
    return render_template("mail/show.html", message=_message_or_404(message_id))


@bp.get("/<int:message_id>/uitnodiging.ics")
def attachment(message_id: int):
    message = _message_or_404(message_id)
    if not message.ics:
        abort(404)
    return Response(
        message.ics,
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=uitnodiging-{message.id}.ics"},
    )
