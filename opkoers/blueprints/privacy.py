"""The client's rights: who looked at their file, everything stored about them, and keeping it past
its retention date when the law requires."""

import json
from datetime import date

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access
from ..forms.privacy import LegalHoldForm
from ..services import privacy, retention
from ..timeutil import local_today, utc_now
from .requests import number_arg, submit

bp = Blueprint("privacy", __name__, url_prefix="/trajecten/<int:case_id>")

access.guard(bp, "privacy")

ROWS_PER_PAGE = 50


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/inzagelog")
def access_report(case_id: int):
    """Who looked at the client's file, per period: what the client may ask to see (AVG, NEN 7513)."""
    case = access.case_or_404(case_id)
    period = privacy.Period(_day("van"), _day("tot"))
    with_lists = request.args.get("lijsten") == "1"
    report = privacy.access_report(case.client_id, period, with_lists, number_arg("page", 1), ROWS_PER_PAGE)
    args = {"case_id": case.id} | {k: v for k in ("van", "tot", "lijsten") if (v := request.args.get(k))}
    return render_template(
        "privacy/access_report.html", case=case, period=period, with_lists=with_lists, args=args, **report
    )


@bp.get("/gegevens")
def export_document(case_id: int):
    """Everything stored about the client, as a document to read and print (AVG article 15)."""
    case = access.case_or_404(case_id)
    file = privacy.client_file(case.client)
    return render_template(
        "privacy/export.html",
        case=case,
        file=file,
        names=privacy.names_in(file),
        readable=privacy.readable_fields,
        parts=[p.key for p in privacy.PARTS],
    )


@bp.get("/gegevens.json")
def export_json(case_id: int):
    """Everything stored about the client, as JSON for another system (AVG articles 15 and 20)."""
    case = access.case_or_404(case_id)
    file = privacy.client_file(case.client) | {
        "exported_at": utc_now().isoformat(),
        "exported_by": current_user.name,
    }
    body = json.dumps(file, ensure_ascii=False, indent=2)
    name = f"opkoers-client-{case.client_id}-{local_today().isoformat()}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/bewaren", methods=["GET", "POST"])
def legal_hold(case_id: int):
    """Keep the client's data past its retention date, with the reason (or lift the hold)."""
    case = access.case_or_404(case_id)
    form = LegalHoldForm(data={"reason": case.legal_hold} if request.method == "GET" else None)
    return submit(
        form,
        lambda: retention.set_legal_hold(current_user, case, form.reason.data),
        _("Opgeslagen."),
        url_for("cases.detail", case_id=case.id, _anchor="section-privacy"),
        lambda status, message: (
            render_template("privacy/legal_hold.html", case=case, form=form, message=message),
            status,
        ),
    )
