"""Rule deviations: propose, correct or withdraw; the deviation page (decide, carried out, outcome);
the printable decision; the anonymised register with its CSV export."""

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import access, audit, idempotency
from ..domain import RuleViolation
from ..domain.deviations import CORRECTION, WITHDRAWAL
from ..exports import csv_response
from ..extensions import db
from ..forms.deviations import (
    DecideDeviationForm,
    DeviationForm,
    ExecutionForm,
    OutcomeForm,
    WithdrawDeviationForm,
)
from ..labels import label
from ..messages import rule_message
from ..models import Deviation
from ..services import deviations, lookups, meetings
from ..services.figures import figures, now
from ..timeutil import local_today
from .requests import as_rule_violation

bp = Blueprint("deviations", __name__)

access.guard(bp, "cases.list")


def _editor():
    if not access.can(current_user, "deviations.manage"):
        abort(403)


def _proposal_choices(form: DeviationForm) -> None:
    form.rule_id.choices = [("", _("Een nieuwe regel (hieronder invullen)"))] + [
        (r.id, _rule_text(r)) for r in deviations.active_rules()
    ]
    form.new_rule_organisation_id.choices = [("", _("Onbekend of geen"))] + [
        (o.id, o.name) for o in lookups.active_organisations()
    ]


def _rule_text(rule) -> str:
    parts = [label("rule_kind", rule.kind) + ": " + rule.name, rule.reference]
    if rule.organisation:
        parts.append(rule.organisation.name)
    return " — ".join(p for p in parts if p)


def _proposal_values(form: DeviationForm) -> dict:
    rule_id = form.rule_id.data
    if rule_id is None:
        rule_id = deviations.add_rule(
            current_user,
            form.new_rule_kind.data,
            form.new_rule_name.data,
            form.new_rule_reference.data or "",
            form.new_rule_organisation_id.data,
        ).id
    return {
        "rule_id": rule_id,
        "what_differently": form.what_differently.data,
        "motivation": form.motivation.data,
        "expected_effect": form.expected_effect.data or "",
        "valid_until": form.valid_until.data,
    }


def _propose_page(case, form, template: str, status: int, message=None, replaces=None):
    context = {"case": case, "form": form, "message": message, "replaces": replaces}
    return render_template(template, **context), status


def _submit(case, form, template: str, change, replaces=None):
    """GET: the empty form; POST: validate, save once per form, go to the new deviation."""
    if request.method == "GET":
        form.form_token.data = idempotency.new_token()
        return _propose_page(case, form, template, 200, replaces=replaces)
    if not form.validate_on_submit():
        return _propose_page(case, form, template, 422, replaces=replaces)
    earlier = idempotency.earlier_result(form.form_token.data)
    if earlier:
        flash(_("Dit was al opgeslagen."), "info")
        return redirect(earlier)
    try:
        deviation = change()
        url = url_for("deviations.detail", deviation_id=deviation.id)
        idempotency.remember(form.form_token.data, url)
    except IntegrityError:  # the same form at the same moment, or a second correction at once
        db.session.rollback()
        earlier = idempotency.earlier_result(form.form_token.data)
        if earlier:
            return redirect(earlier)
        return _propose_page(case, form, template, 409, rule_message(RuleViolation("conflict")), replaces)
    except RuleViolation as error:
        db.session.rollback()
        return _propose_page(case, form, template, 409, rule_message(error), replaces)
    flash(_("Het voorstel is opgeslagen. De projectgroep kan er nu over besluiten."), "success")
    return redirect(url)


@bp.route("/trajecten/<int:case_id>/afwijkingen/nieuw", methods=["GET", "POST"])
def new(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = DeviationForm()
    _proposal_choices(form)
    return _submit(
        case,
        form,
        "deviations/form.html",
        lambda: deviations.propose(current_user, case, **_proposal_values(form)),
    )


@bp.route("/afwijkingen/<int:deviation_id>/corrigeren", methods=["GET", "POST"])
def correct(deviation_id: int):
    _editor()
    old = access.case_record_or_404(Deviation, deviation_id)
    prefill = (
        None
        if request.method == "POST"
        else SimpleNamespace(
            rule_id=old.rule_id,
            what_differently=old.what_differently,
            motivation="",
            expected_effect=old.expected_effect,
            valid_until=old.valid_until,
        )
    )
    form = DeviationForm(obj=prefill)
    _proposal_choices(form)
    return _submit(
        old.case,
        form,
        "deviations/form.html",
        lambda: deviations.propose(
            current_user, old.case, replaces=old, successor_kind=CORRECTION, **_proposal_values(form)
        ),
        replaces=old,
    )


@bp.route("/afwijkingen/<int:deviation_id>/intrekken", methods=["GET", "POST"])
def withdraw(deviation_id: int):
    _editor()
    old = access.case_record_or_404(Deviation, deviation_id)
    form = WithdrawDeviationForm()
    return _submit(
        old.case,
        form,
        "deviations/withdraw.html",
        lambda: deviations.propose(
            current_user,
            old.case,
            replaces=old,
            successor_kind=WITHDRAWAL,
            rule_id=old.rule_id,
            what_differently=_("De afwijking wordt ingetrokken."),
            motivation=form.motivation.data,
        ),
        replaces=old,
    )


# ---------------------------------------------------------------- the deviation page


def _page_forms(deviation) -> dict:
    decide = DecideDeviationForm(formdata=None)
    decide.version.data, decide.decided_on.data = deviation.version, local_today()
    execution = ExecutionForm(formdata=None)
    execution.executed_on.data = local_today()
    return {"decide_form": decide, "execution_form": execution, "outcome_form": OutcomeForm(formdata=None)}


def _with_choices(forms: dict, deviation) -> dict:
    """The choices of the forms given: the case's meetings, the organisations."""
    if "decide_form" in forms:
        forms["decide_form"].meeting_id.choices = [("", _("Geen bijeenkomst"))] + meetings.meeting_choices(
            deviation.case
        )
    if "execution_form" in forms:
        forms["execution_form"].organisation_id.choices = [("", _("Kies een organisatie"))] + [
            (o.id, o.name) for o in lookups.active_organisations()
        ]
    return forms


def _detail(deviation, status: int = 200, message=None, **forms):
    context = _with_choices({**_page_forms(deviation), **forms}, deviation)
    return (
        render_template(
            "deviations/detail.html",
            deviation=deviation,
            case=deviation.case,
            successors=deviations.successors(deviation),
            in_force=deviations.is_in_force(deviation),
            message=message,
            **context,
        ),
        status,
    )


def _step(deviation_id: int, form_name: str, form_class, change, success: str):
    """One step on the deviation page (decide, carried out, outcome): validate, save, back."""
    _editor()
    deviation = access.case_record_or_404(Deviation, deviation_id)
    form = _with_choices({form_name: form_class()}, deviation)[form_name]
    if not form.validate_on_submit():
        return _detail(deviation, 422, **{form_name: form})
    try:
        change(deviation, form)
        db.session.flush()
    except (RuleViolation, StaleDataError) as refusal:
        db.session.rollback()
        error = as_rule_violation(refusal)
        return _detail(
            access.case_record_or_404(Deviation, deviation_id), 409, rule_message(error), **{form_name: form}
        )
    flash(success, "success")
    return redirect(url_for("deviations.detail", deviation_id=deviation.id))


@bp.get("/afwijkingen/<int:deviation_id>")
def detail(deviation_id: int):
    deviation = access.case_record_or_404(Deviation, deviation_id)
    return _detail(deviation)


@bp.post("/afwijkingen/<int:deviation_id>/besluiten")
def decide(deviation_id: int):
    return _step(
        deviation_id,
        "decide_form",
        DecideDeviationForm,
        lambda d, f: deviations.decide(
            current_user,
            d,
            f.version.data,
            f.outcome.data,
            f.meeting_id.data,
            f.decided_on.data,
            f.reasoning.data,
        ),
        _("Het besluit is vastgelegd. Het kan niet meer veranderen; een correctie is een nieuw voorstel."),
    )


@bp.post("/afwijkingen/<int:deviation_id>/uitgevoerd")
def executed(deviation_id: int):
    return _step(
        deviation_id,
        "execution_form",
        ExecutionForm,
        lambda d, f: deviations.record_execution(current_user, d, f.organisation_id.data, f.executed_on.data),
        _("Vastgelegd wie de afwijking uitvoerde."),
    )


@bp.post("/afwijkingen/<int:deviation_id>/resultaat")
def outcome(deviation_id: int):
    return _step(
        deviation_id,
        "outcome_form",
        OutcomeForm,
        lambda d, f: deviations.record_outcome(current_user, d, f.outcome.data, bool(f.in_register.data)),
        _("Het resultaat is vastgelegd."),
    )


@bp.get("/afwijkingen/<int:deviation_id>/besluit")
def decision_document(deviation_id: int):
    deviation = access.case_record_or_404(Deviation, deviation_id)
    return render_template("deviations/decision.html", deviation=deviation, case=deviation.case)


# ---------------------------------------------------------------- the register


def _register_guard():
    if not access.can(current_user, "deviations.register"):
        abort(403)


@bp.get("/register")
def register():
    _register_guard()
    rows, computed_at = figures("register", None, lambda: now(deviations.register()))
    return render_template("deviations/register.html", rows=rows, computed_at=computed_at)


@bp.get("/register.csv")
def register_csv():
    _register_guard()
    audit.log_export(current_user)
    header = [
        _("Soort regel"),
        _("Regel"),
        _("Artikel"),
        _("Organisatie"),
        _("Aantal keer"),
        _("Uitgevoerd"),
        _("Resultaten"),
    ]
    rows = (
        [
            label("rule_kind", row["kind"]),
            row["name"],
            row["reference"],
            row["organisation"],
            row["count"],
            row["executed"],
            " | ".join(f"{text} ({times}×)" if times > 1 else text for text, times in row["outcomes"]),
        ]
        for row in deviations.register(outcomes_per_rule=None)
    )
    return csv_response("register-afwijkingen.csv", header, rows)
