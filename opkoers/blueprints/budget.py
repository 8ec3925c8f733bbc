"""The budget: commit, pay and reverse on a case; a different amount for one client; the overview
across cases with its CSV export."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import access, audit, idempotency
from ..domain import RuleViolation
from ..exports import csv_response
from ..extensions import db
from ..forms.budget import BudgetAmountForm, CommitmentForm, PaymentForm, ReverseForm
from ..labels import label
from ..messages import rule_message
from ..models import BudgetEntry
from ..services import budget, lookups, meetings
from ..services.figures import figures, now
from ..timeutil import local_today

bp = Blueprint("budget", __name__)

access.guard(bp, "cases.list")


def _editor():
    if not access.can(current_user, "budget.manage"):
        abort(403)


def _meeting_choices(form, case) -> None:
    form.meeting_id.choices = [("", _("Geen bijeenkomst"))] + meetings.meeting_choices(case)


def _decider_choices(form) -> None:
    form.decided_by_id.choices = [("", _("Kies een projectgroeplid"))] + lookups.person_choices(
        ("projectgroep",)
    )


def _entry_or_404(case, entry_id: int) -> BudgetEntry:
    return access.record_of_case_or_404(case, BudgetEntry, entry_id)


def _form_page(case, form, template_form: str, status: int, message=None, **context):
    return (
        render_template(
            "budget/form.html", case=case, form=form, form_kind=template_form, message=message, **context
        ),
        status,
    )


def _save(case, form, form_kind: str, change, success: str, **context):
    """Validate; a form sent twice saves once; call the service; back to the case's budget."""
    url = url_for("cases.detail", case_id=case.id, _anchor="section-budget")
    if request.method == "GET":
        form.form_token.data = idempotency.new_token()
        return _form_page(case, form, form_kind, 200, **context)
    if not form.validate_on_submit():
        return _form_page(case, form, form_kind, 422, **context)
    if idempotency.earlier_result(form.form_token.data):
        flash(_("Dit was al opgeslagen."), "info")
        return redirect(url)
    try:
        change()
        idempotency.remember(form.form_token.data, url)
    except IntegrityError:  # the same form sent twice at the same moment: the first one counts
        db.session.rollback()
        flash(_("Dit was al opgeslagen."), "info")
        return redirect(url)
    except RuleViolation as error:
        db.session.rollback()
        return _form_page(case, form, form_kind, 409, rule_message(error), **context)
    flash(success, "success")
    return redirect(url)


@bp.route("/trajecten/<int:case_id>/budget/toezegging", methods=["GET", "POST"])
def commitment(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = CommitmentForm()
    _decider_choices(form)
    _meeting_choices(form, case)
    if request.method == "GET":
        form.decided_by_id.data, form.entry_date.data = current_user.id, local_today()
    return _save(
        case,
        form,
        "commitment",
        lambda: budget.commit(
            current_user,
            case,
            category=form.category.data,
            description=form.description.data,
            payee=form.payee.data,
            amount_cents=form.amount.data,
            decided_by_id=form.decided_by_id.data,
            meeting_id=form.meeting_id.data,
            entry_date=form.entry_date.data,
        ),
        _("De toezegging is opgeslagen."),
        totals=budget.case_budget(case),
    )


@bp.route("/trajecten/<int:case_id>/budget/<int:entry_id>/betaling", methods=["GET", "POST"])
def payment(case_id: int, entry_id: int):
    _editor()
    case = access.case_or_404(case_id)
    entry = _entry_or_404(case, entry_id)
    form = PaymentForm()
    _decider_choices(form)
    if request.method == "GET":
        form.decided_by_id.data, form.entry_date.data = current_user.id, local_today()
    return _save(
        case,
        form,
        "payment",
        lambda: budget.pay(
            current_user,
            case,
            entry,
            amount_cents=form.amount.data,
            decided_by_id=form.decided_by_id.data,
            entry_date=form.entry_date.data,
        ),
        _("De betaling is opgeslagen."),
        entry=entry,
    )


@bp.route("/trajecten/<int:case_id>/budget/<int:entry_id>/terugdraaien", methods=["GET", "POST"])
def reverse(case_id: int, entry_id: int):
    _editor()
    case = access.case_or_404(case_id)
    entry = _entry_or_404(case, entry_id)
    form = ReverseForm()
    return _save(
        case,
        form,
        "reverse",
        lambda: budget.reverse(current_user, case, entry, form.reason.data, local_today()),
        _("De boeking is teruggedraaid. Beide regels blijven zichtbaar."),
        entry=entry,
    )


@bp.route("/trajecten/<int:case_id>/budget/bedrag", methods=["GET", "POST"])
def amount(case_id: int):
    _editor()
    case = access.case_or_404(case_id)
    form = BudgetAmountForm()
    _meeting_choices(form, case)
    if request.method == "GET":
        form.decided_on.data = local_today()
    return _save(
        case,
        form,
        "amount",
        lambda: budget.decide_amount(
            current_user,
            case,
            form.amount.data,
            form.motivation.data,
            form.decided_on.data,
            form.meeting_id.data,
        ),
        _("Het nieuwe budget is vastgelegd."),
        totals=budget.case_budget(case),
    )


# ---------------------------------------------------------------- across cases


def _overview_guard():
    if not access.can(current_user, "budget.overview"):
        abort(403)


@bp.get("/budget")
def overview():
    _overview_guard()
    data, computed_at = figures("budget", None, lambda: now(budget.overview()))
    return render_template("budget/overview.html", computed_at=computed_at, **data)


@bp.get("/budget.csv")
def overview_csv():
    """The overview as CSV (by category and by month; amounts in euros with a decimal comma)."""
    _overview_guard()
    audit.log_export(current_user)
    data = budget.overview()
    totals = data["totals"]
    rows = [
        [_("Totaal beschikbaar"), "", _euros(totals.budget), ""],
        [_("Totaal"), "", _euros(totals.committed), _euros(totals.paid)],
        *(
            [_("Categorie"), label("budget_category", c), _euros(amount), ""]
            for c, amount in data["by_category"]
        ),
        *([_("Maand"), f"{y}-{m:02d}", _euros(c), _euros(p)] for y, m, c, p in data["by_month"]),
    ]
    header = [_("Soort"), _("Periode of categorie"), _("Toegezegd (euro)"), _("Betaald (euro)")]
    return csv_response("budget-overzicht.csv", header, rows)


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100},{cents % 100:02d}"
