"""Printable documents of a case, in plain Dutch, for the client to sign and keep:
the intake report, the client contract, each consent (machtiging) and the plan of action.

Each view loads the case's records through the cases service (a fixed number of queries) and
writes a row in the access log. When the data is not there yet, the page says so plainly (still 200)."""

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import login_required

from .. import access
from ..domain.decision_tree import CRITERIA, evaluate
from ..services import cases, lookups

bp = Blueprint("documents", __name__, url_prefix="/trajecten/<int:case_id>/afdrukken")


@bp.get("/intakeverslag")
@login_required
@access.require("cases.list")
def intake_report(case_id: int):
    case = access.case_or_404(case_id)
    records = cases.load_case_records(case)
    intake, talk = records["intake"], records["steps"].get("intake_talk")
    tree, result = [], None
    if intake is not None:
        answers = intake.tree_answers()
        tree = [(c, answers[c], getattr(intake, f"tree_{c.lower()}_note")) for c in CRITERIA]
        result = evaluate(answers)
    return render_template(
        "documents/intake_report.html",
        case=case,
        intake=intake,
        talk=talk,
        tree=tree,
        result=result,
        signer=talk.performed_by if talk else case.handler,
        missing=None if intake else _("Er is nog geen intake. Start eerst de intake."),
    )


@bp.get("/contract")
@login_required
@access.require("cases.list")
def contract(case_id: int):
    case = access.case_or_404(case_id)
    missing = None
    if case.decision == "declined":
        missing = _("De cliënt is niet toegelaten. Daarom is er geen contract.")
    elif case.decision != "admitted":
        missing = _("Er is nog geen contract. Eerst besluit de projectgroep of de cliënt wordt toegelaten.")
    return render_template("documents/contract.html", case=case, signer=case.handler, missing=missing)


@bp.get("/machtiging")
@login_required
@access.require("cases.list")
def consent_form(case_id: int):
    """A consent form to fill in and sign on paper, before it is recorded."""
    case = access.case_or_404(case_id)
    return render_template(
        "documents/consent.html",
        case=case,
        consent=None,
        organisations=lookups.active_organisations(),
        life_domains=lookups.active_life_domains(),
        signer=case.handler,
        missing=None,
    )


@bp.get("/machtiging/<int:consent_id>")
@login_required
@access.require("cases.list")
def consent(case_id: int, consent_id: int):
    case = access.case_or_404(case_id)
    record = next((c for c in cases.load_case_records(case)["consents"] if c.id == consent_id), None)
    if record is None:
        abort(404)
    return render_template(
        "documents/consent.html", case=case, consent=record, signer=case.handler, missing=None
    )


@bp.get("/plan")
@login_required
@access.require("cases.list")
def plan(case_id: int):
    case = access.case_or_404(case_id)
    record = cases.load_case_records(case)["plan"]
    return render_template(
        "documents/plan.html",
        case=case,
        plan=record,
        signer=case.handler,
        missing=None if record else _("Er is nog geen plan van aanpak."),
    )
