"""The client's rights: who looked at their file."""

from datetime import date

from flask import Blueprint, render_template, request

from .. import access
from ..services import privacy
from .requests import number_arg

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
