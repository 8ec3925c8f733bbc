"""The case list and the case page with its sections, each editable in place (htmx) or on its own page."""

import json
from datetime import timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import access, audit, idempotency
from ..domain import RuleViolation
from ..domain.case_status import check_intake_open
from ..domain.consent import one_year_after
from ..domain.selection import STEP_KINDS
from ..extensions import db, htmx
from ..forms.actions import ActionForm, NewActionForm
from ..forms.cases import (
    ConsentForm,
    ContractForm,
    DecisionForm,
    GoalForm,
    InvolvementForm,
    PlanForm,
    ReferralForm,
    StepForm,
    WithdrawConsentForm,
    intake_form_class,
)
from ..labels import choices
from ..messages import rule_message
from ..models import Action, CaseInvolvement, Consent, PlanGoal
from ..services import actions, agreements, cases, intake, lookups, names
from ..timeutil import local_today
from .requests import as_rule_violation, number_arg, shown_again

bp = Blueprint("cases", __name__, url_prefix="/trajecten")

access.guard(bp, "cases.list")


def _editor():
    if not access.can(current_user, "cases.edit"):
        abort(403)


def _in_place() -> bool:
    """An htmx request that swaps one section (not a boosted page navigation)."""
    return bool(htmx) and not htmx.boosted


# ---------------------------------------------------------------- list


@bp.get("")
def index():
    filters = cases.CaseFilter(
        q=request.args.get("q", "").strip()[:100],
        status=request.args.get("status", "")
        if request.args.get("status") in dict(choices("status"))
        else "",
        neighbourhood_id=number_arg("wijk"),
        crisis=request.args.get("crisis") == "1",
    )
    page = cases.list_cases(
        current_user, filters, number_arg("page", 1), current_app.config["CASES_PER_PAGE"]
    )
    audit.log_list(current_user, page.items)
    args = {k: v for k in ("q", "status", "wijk", "crisis") if (v := request.args.get(k))}
    context = {"page": page, "filters": filters, "args": args, "neighbourhoods": lookups.neighbourhoods()}
    if _in_place() and htmx.target == "case-results":
        return render_template("cases/_results.html", **context)
    return render_template("cases/index.html", **context)


# ---------------------------------------------------------------- referral


def _referral_choices(form: ReferralForm, case=None) -> None:
    hoods = lookups.neighbourhoods()
    form.client_neighbourhood_id.choices = [("", _("Onbekend"))] + [(n.id, n.name) for n in hoods]
    handlers = lookups.people(("projectgroep",), also_id=case.handler_id if case else None)
    form.handler_id.choices = [("", _("Nog niemand"))] + [(u.id, u.name) for u in handlers]


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    _editor()
    form = ReferralForm()
    _referral_choices(form)
    if request.method == "GET":
        form.form_token.data = idempotency.new_token()
        form.referred_on.data = local_today()
        form.handler_id.data = current_user.id
    elif form.validate_on_submit():
        earlier = idempotency.earlier_result(form.form_token.data)
        if earlier:
            flash(_("Deze aanmelding was al opgeslagen."), "info")
            return redirect(earlier)
        case = cases.register_referral(current_user, **form.values())
        url = url_for("cases.detail", case_id=case.id)
        idempotency.remember(form.form_token.data, url)
        flash(_("De aanmelding is opgeslagen."), "success")
        return redirect(url)
    status = 422 if form.errors else 200
    return render_template("cases/new.html", form=form), status


# ---------------------------------------------------------------- case page


@bp.get("/<int:case_id>")
def detail(case_id: int):
    """The case page; its own part is shown again while the case has not changed (`shown_again`)."""
    case = access.case_or_404(case_id)
    body = shown_again(
        "case_page", case, lambda: render_template("cases/_detail_body.html", case=case, **_case_page(case))
    )
    return render_template("cases/detail.html", case=case, body=body)


def _case_page(case) -> dict:
    config = current_app.config
    meetings = None if request.args.get("bijeenkomsten") == "alle" else config["MEETINGS_ON_CASE_PAGE"]
    return cases.case_page(case, config["HISTORY_ON_CASE_PAGE"], config["ACTIONS_ON_CASE_PAGE"], meetings)


@bp.get("/<int:case_id>/acties")
def action_list(case_id: int):
    """Every action of the case, a page at a time (the case page shows the most urgent)."""
    case = access.case_or_404(case_id)
    page = actions.case_actions_page(case, number_arg("page", 1), current_app.config["CASES_PER_PAGE"])
    return render_template("cases/actions.html", case=case, page=page)


@bp.get("/<int:case_id>/geschiedenis")
def history(case_id: int):
    case = access.case_or_404(case_id)
    page = cases.history(case, number_arg("page", 1), 50)
    return render_template(
        "cases/history.html", case=case, page=page, history_names=names.history_names(page.items)
    )


def _section(case, section: str | None):
    """After a successful save: the fresh section (htmx) or back to the case page.

    section None means the whole page changed (a new status): htmx then loads it anew."""
    url = url_for("cases.detail", case_id=case.id, _anchor=f"section-{section}" if section else None)
    if not _in_place():
        flash(_("Opgeslagen."), "success")
        return redirect(url)
    if section is None:
        return "", 200, {"HX-Redirect": url}
    context = _case_page(case)
    page = render_template("cases/_swap.html", case=case, section=section, **context)
    return page, 200, {"HX-Trigger": json.dumps({"announce": _("Opgeslagen.")})}


def _form(case, form_name: str, section: str | None, status: int, message: str | None, **context):
    """The edit form of a section: alone for htmx, inside a page without JavaScript."""
    context.update(
        case=case,
        message=message,
        section=section or form_name,
        form_template=f"cases/_form_{form_name}.html",
    )
    if _in_place():
        return render_template("cases/_form_frame.html", **context), status
    return render_template("cases/edit.html", **context), status


def _save(case, form_name: str, section: str | None, form, change, versions=None, **context):
    """Validate, call the one service, answer: the shared shape of every section's GET and POST.

    versions: for a form with version fields, a function giving the stored versions after a refusal."""
    if form.validate_on_submit():
        try:
            change()
        except (RuleViolation, StaleDataError, IntegrityError) as refusal:
            db.session.rollback()
            error = as_rule_violation(refusal)
            if error.code == "stale" and versions:
                _take_stored_versions(form, versions())
            return _form(
                case,
                form_name,
                section,
                422 if error.code == "stale" else 409,
                rule_message(error),
                form=form,
                **context,
            )
        return _section(case, section)
    status = 422 if request.method == "POST" else 200
    return _form(case, form_name, section, status, None, form=form, **context)


def _take_stored_versions(form, versions: dict) -> None:
    """After a stale save the user keeps their input, now on top of the stored versions: having been
    told that someone else changed the record, saving again is a choice, not the same refusal again."""
    for name, version in versions.items():
        form[name].data, form[name].raw_data = version, None


@bp.route("/<int:case_id>/aanmelding", methods=["GET", "POST"])
def referral(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = ReferralForm(obj=None if request.method == "POST" else _referral_data(case))
    _referral_choices(form, case)
    return _save(
        case,
        "referral",
        "referral",
        form,
        lambda: cases.update_referral(
            current_user, case, form.version.data, form.client_version.data, **form.values()
        ),
        versions=lambda: {"version": case.version, "client_version": case.client.version},
    )


def _referral_data(case):
    client = case.client
    data = {f"client_{f}": getattr(client, f) for f in cases.CLIENT_FIELDS}
    data.update({f: getattr(case, f) for f in cases.REFERRAL_FIELDS})
    data.update(version=case.version, client_version=client.version, crisis_kind=case.crisis_kind or "")
    return SimpleNamespace(**data)


@bp.post("/<int:case_id>/intake/start")
def start_intake(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    intake.start_intake(current_user, case)
    flash(_("De intake is gestart."), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="section-intake"))


@bp.route("/<int:case_id>/intake", methods=["GET", "POST"])
def intake_edit(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    record = cases.load_case_records(case)["intake"]
    check_intake_open(case.status)
    domains = lookups.active_life_domains()
    form_class = intake_form_class(domains)
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(obj=record)
        for problem in record.problems:
            field = form._fields.get(f"problem_{problem.life_domain_id}")
            if field is not None:
                field.data = problem.description

    def save():
        values = {q: form[q].data or "" for q in intake.QUESTION_FIELDS}
        for name in intake.TREE_FIELDS:
            values[name] = form[name].data or ("" if name.endswith("_note") else None)
        problems = {d.id: form[f"problem_{d.id}"].data or "" for d in domains}
        intake.save_intake(current_user, case, record, form.version.data, problems, **values)

    return _save(case, "intake", "intake", form, save, lambda: {"version": record.version}, domains=domains)


@bp.route("/<int:case_id>/stappen/<kind>", methods=["GET", "POST"])
def step(case_id: int, kind: str):
    _editor()
    if kind not in STEP_KINDS:
        abort(404)
    case = access.case_or_404(case_id)
    existing = cases.load_case_records(case)["steps"].get(kind)
    form = StepForm(obj=existing if request.method == "GET" else None)
    form.performed_by_id.choices = lookups.person_choices(
        ("projectgroep", "professional"), also_id=existing.performed_by_id if existing else None
    )
    if request.method == "GET" and existing is None:
        form.held_on.data = local_today()
        form.performed_by_id.data = current_user.id
    form.require_report = kind == "intake_talk"

    def save():
        intake.record_step(
            current_user,
            case,
            kind,
            form.version.data,
            held_on=form.held_on.data,
            performed_by_id=form.performed_by_id.data,
            note=form.note.data or "",
            report=form.report.data or "",
        )

    def versions():
        return {"version": cases.load_case_records(case)["steps"][kind].version}

    return _save(case, "step", "selection", form, save, versions, kind=kind)


@bp.route("/<int:case_id>/besluit", methods=["GET", "POST"])
def decision(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = DecisionForm()
    if request.method == "GET":
        form.decided_on.data = local_today()
    return _save(
        case,
        "decision",
        None,
        form,
        lambda: intake.decide(
            current_user,
            case,
            form.outcome.data,
            form.motivation.data,
            form.decided_on.data,
            told_client=form.told_client.data or "",
        ),
    )


@bp.route("/<int:case_id>/contract", methods=["GET", "POST"])
def contract(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = ContractForm(
        obj=SimpleNamespace(version=case.version, signed_on=case.contract_signed_on or local_today())
    )
    return _save(
        case,
        "contract",
        "agreements",
        form,
        lambda: agreements.record_contract(current_user, case, form.version.data, form.signed_on.data),
        lambda: {"version": case.version},
    )


@bp.route("/<int:case_id>/machtiging", methods=["GET", "POST"])
def consent(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = ConsentForm(life_domains=lookups.active_life_domains())
    form.organisation_ids.choices = [(o.id, o.name) for o in lookups.active_organisations()]
    if request.method == "GET":
        form.form_token.data = idempotency.new_token()
        form.signed_on.data = local_today()
        form.valid_until.data = one_year_after(local_today())
    elif form.validate_on_submit() and idempotency.earlier_result(form.form_token.data):
        return _section(case, "agreements")

    def save():
        agreements.record_consent(
            current_user,
            case,
            form.organisation_ids.data,
            form.purposes.data,
            form.signed_on.data,
            form.valid_until.data,
            form.domains(),
        )
        idempotency.remember(form.form_token.data, url_for("cases.detail", case_id=case.id))

    return _save(case, "consent", "agreements", form, save)


@bp.route("/<int:case_id>/machtiging/<int:consent_id>/intrekken", methods=["GET", "POST"])
def withdraw_consent(case_id: int, consent_id: int):
    _editor()
    case = access.case_or_404(case_id)
    record = access.record_of_case_or_404(case, Consent, consent_id)
    form = WithdrawConsentForm()
    return _save(
        case,
        "withdraw",
        "agreements",
        form,
        lambda: agreements.withdraw_consent(current_user, case, record, form.reason.data),
        consent=record,
    )


@bp.route("/<int:case_id>/plan", methods=["GET", "POST"])
def plan(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    record = cases.load_case_records(case)["plan"]
    form = PlanForm(obj=record if request.method == "GET" else None)
    return _save(
        case,
        "plan",
        "plan",
        form,
        lambda: agreements.save_plan(
            current_user,
            case,
            form.version.data,
            prioritised_problem=form.prioritised_problem.data or "",
            activities=form.activities.data or "",
            signed_on=form.signed_on.data,
        ),
        lambda: {"version": cases.load_case_records(case)["plan"].version},
    )


@bp.route("/<int:case_id>/plan/doelen", methods=["GET", "POST"])
def goal_add(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = GoalForm()
    form.life_domain_id.choices = [(d.id, d.name) for d in lookups.active_life_domains()]
    return _save(
        case,
        "goal",
        "plan",
        form,
        lambda: agreements.add_goal(
            current_user, case, form.life_domain_id.data, form.goal.data, form.expected_result.data
        ),
    )


@bp.post("/<int:case_id>/plan/doelen/<int:goal_id>/verwijderen")
def goal_remove(case_id: int, goal_id: int):
    _editor()
    case = access.case_or_404(case_id)
    goal = access.record_of_case_or_404(case, PlanGoal, goal_id)
    agreements.remove_goal(current_user, case, goal)
    return _section(case, "plan")


@bp.post("/<int:case_id>/starten")
def start(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    agreements.start_plan(current_user, case)
    flash(_("De uitvoering van het plan is gestart."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/betrokkenen", methods=["GET", "POST"])
def involvement_add(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = InvolvementForm()
    form.user_id.choices = lookups.person_choices(("professional", "buurtteam"))
    return _save(
        case,
        "involvement",
        "involvement",
        form,
        lambda: cases.add_involvement(current_user, case, form.user_id.data, form.role_note.data or ""),
    )


@bp.post("/<int:case_id>/betrokkenen/<int:involvement_id>/verwijderen")
def involvement_remove(case_id: int, involvement_id: int):
    _editor()
    case = access.case_or_404(case_id)
    involvement = access.record_of_case_or_404(case, CaseInvolvement, involvement_id)
    cases.remove_involvement(current_user, case, involvement)
    return _section(case, "involvement")


def action_choices(form: ActionForm, case, action=None) -> None:
    """Whom an action can be given to: the people of the case and the organisations (also the one
    it has now)."""
    form.assignee_user_id.choices = [("", _("Kies een persoon"))] + lookups.case_people_choices(
        case.id, also_id=action.assignee_user_id if action else None
    )
    form.assignee_organisation_id.choices = [("", _("Kies een organisatie"))] + [
        (o.id, o.name) for o in lookups.active_organisations()
    ]


def _action_form(case, action=None) -> ActionForm:
    form_class = ActionForm if action else NewActionForm
    form = form_class(obj=action if request.method == "GET" else None)
    action_choices(form, case, action)
    return form


def action_values(form: ActionForm) -> dict:
    """What the action form says, as the actions service takes it."""
    return {f: form[f].data for f in actions.ACTION_FIELDS}


@bp.route("/<int:case_id>/acties/nieuw", methods=["GET", "POST"])
def action_new(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = _action_form(case)
    if request.method == "GET":
        form.due_on.data = local_today() + timedelta(days=14)
    return _save(
        case,
        "action",
        "actions",
        form,
        lambda: actions.add_action(current_user, case, **action_values(form)),
    )


@bp.route("/<int:case_id>/acties/<int:action_id>", methods=["GET", "POST"])
def action_edit(case_id: int, action_id: int):
    _editor()
    case = access.case_or_404(case_id)
    action = access.record_of_case_or_404(case, Action, action_id)
    form = _action_form(case, action)
    return _save(
        case,
        "action",
        "actions",
        form,
        lambda: actions.update_action(current_user, action, form.version.data, **action_values(form)),
        versions=lambda: {"version": db.session.get(Action, action_id).version},
        action=action,
    )
