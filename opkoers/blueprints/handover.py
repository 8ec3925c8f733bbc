"""The warm handover: start it, the document page (fill in, send; the receiver accepts or asks for
more; then the aftercare: contacts and the safety net), the printable document, and the handover
inbox."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from .. import access, audit, idempotency
from ..domain import RuleViolation
from ..extensions import db
from ..forms.follow_up import AftercareContactForm, SafetyNetForm
from ..forms.handover import AnswerHandoverForm, SendForm, StartHandoverForm, document_form_class
from ..messages import rule_message
from ..models import Handover, Organisation
from ..services import handover as service
from ..services import lookups
from ..timeutil import local_today
from .requests import as_rule_violation

bp = Blueprint("handover", __name__)

access.guard(bp, "cases.list")


def _sender():
    if not access.can(current_user, "handover.manage"):
        abort(403)


def _teams() -> list[Organisation]:
    return [o for o in lookups.active_organisations() if o.kind == "buurtteam"]


@bp.route("/trajecten/<int:case_id>/overdracht/nieuw", methods=["GET", "POST"])
def start(case_id: int):
    _sender()
    case = access.case_or_404(case_id)
    form = StartHandoverForm()
    teams = _teams()
    form.team_id.choices = [("", _("Kies een buurtteam"))] + [(t.id, t.name) for t in teams]
    form.contact_id.choices = [("", _("Kies een contactpersoon"))] + [
        (u.id, f"{u.name} ({u.organisation.name})")
        for u in lookups.people(("buurtteam",))
        if u.organisation_id in {t.id for t in teams}
    ]
    message = None
    if request.method == "GET":
        form.team_id.data, form.contact_id.data = service.proposal(case)
    elif form.validate_on_submit():
        try:
            handover = service.start(
                current_user, case, form.team_id.data, form.contact_id.data, form.reason.data or ""
            )
        except RuleViolation as error:
            db.session.rollback()
            message = rule_message(error)
        else:
            flash(_("De overdracht is gestart. Vul nu het overdrachtsdocument in."), "success")
            return redirect(url_for("handover.detail", handover_id=handover.id))
    status = 200 if request.method == "GET" else (409 if message else 422)
    return render_template("handover/start.html", case=case, form=form, message=message), status


def _document_form(handover, formdata=True):
    points = service.points()
    form_class = document_form_class(points)
    if formdata:
        return form_class(), points
    form = form_class(formdata=None)
    form.version.data = handover.version
    for answer in handover.answers:
        if f"state_{answer.point_id}" in form:
            form[f"state_{answer.point_id}"].data = answer.state
            form[f"note_{answer.point_id}"].data = answer.note
    return form, points


def _page(handover, status: int = 200, message=None, **forms):
    document, points = _document_form(handover, formdata=False)
    context = {
        "document_form": document,
        "send_form": SendForm(formdata=None),
        "answer_form": AnswerHandoverForm(formdata=None),
        "contact_form": AftercareContactForm(
            formdata=None, contact_on=local_today(), form_token=idempotency.new_token()
        ),
        "safety_net_form": SafetyNetForm(formdata=None),
        **forms,
    }
    for name in ("send_form", "answer_form", "safety_net_form"):
        context[name].version.data = handover.version
    return (
        render_template(
            "handover/detail.html",
            handover=handover,
            case=handover.case,
            points=points,
            missing=service.missing_points(handover),
            message=message,
            aftercare_running=service.aftercare_running(handover),
            aftercare_contacts=service.aftercare_contacts(handover),
            meetings=service.handover_meetings(handover),
            **context,
        ),
        status,
    )


def _step(handover_id: int, form, form_name: str, change, success: str):
    handover = access.case_record_or_404(Handover, handover_id)
    if not form.validate_on_submit():
        return _page(handover, 422, **{form_name: form})
    try:
        change(handover)
        db.session.flush()
    except (RuleViolation, StaleDataError) as refusal:
        db.session.rollback()
        error = as_rule_violation(refusal)
        return _page(
            access.case_record_or_404(Handover, handover_id), 409, rule_message(error), **{form_name: form}
        )
    flash(success, "success")
    return redirect(url_for("handover.detail", handover_id=handover.id))


@bp.get("/overdrachten/<int:handover_id>")
def detail(handover_id: int):
    handover = access.case_record_or_404(Handover, handover_id)
    return _page(handover)


@bp.post("/overdrachten/<int:handover_id>/document")
def document(handover_id: int):
    _sender()
    form, points = _document_form(None)

    def save(handover):
        answers = {p.id: (form[f"state_{p.id}"].data or "", form[f"note_{p.id}"].data or "") for p in points}
        service.save_document(current_user, handover, form.version.data, answers)

    return _step(handover_id, form, "document_form", save, _("Het document is opgeslagen."))


@bp.post("/overdrachten/<int:handover_id>/versturen")
def send(handover_id: int):
    _sender()
    form = SendForm()
    return _step(
        handover_id,
        form,
        "send_form",
        lambda h: service.send(current_user, h, form.version.data),
        _("De overdracht is verstuurd. U blijft verantwoordelijk tot het buurtteam haar aanneemt."),
    )


@bp.post("/overdrachten/<int:handover_id>/antwoord")
def answer(handover_id: int):
    form = AnswerHandoverForm()

    def reply(handover):
        if form.decision.data == "accept":
            service.accept(current_user, handover, form.version.data)
        else:
            service.ask_more(current_user, handover, form.version.data, form.question.data)

    return _step(
        handover_id, form, "answer_form", reply, _("Uw antwoord is opgeslagen. De afzender krijgt bericht.")
    )


@bp.post("/overdrachten/<int:handover_id>/contact")
def aftercare_contact(handover_id: int):
    form = AftercareContactForm()
    earlier = form.validate_on_submit() and idempotency.earlier_result(form.form_token.data)
    if earlier:  # a double submit: the contact was logged the first time
        return redirect(earlier)

    def log(handover):
        service.log_contact(current_user, handover, form.contact_on.data, form.kind.data, form.note.data)
        idempotency.remember(form.form_token.data, url_for("handover.detail", handover_id=handover.id))

    return _step(handover_id, form, "contact_form", log, _("Het contact is vastgelegd."))


@bp.post("/overdrachten/<int:handover_id>/vangnet")
def safety_net(handover_id: int):
    form = SafetyNetForm()
    return _step(
        handover_id,
        form,
        "safety_net_form",
        lambda h: service.call_safety_net(current_user, h, form.version.data, form.reason.data),
        _("Het vangnet is ingeroepen. De projectgroep neemt het traject weer over."),
    )


@bp.get("/overdrachten/<int:handover_id>/afdrukken")
def printable(handover_id: int):
    handover = access.case_record_or_404(Handover, handover_id)
    answers = {a.point_id: a for a in handover.answers}
    return render_template(
        "handover/print.html", handover=handover, case=handover.case, points=service.points(), answers=answers
    )


@bp.get("/overdrachten")
def inbox():
    handovers = service.inbox(current_user)
    audit.log_list(current_user, (h.case for h in handovers))
    return render_template("handover/inbox.html", handovers=handovers)
