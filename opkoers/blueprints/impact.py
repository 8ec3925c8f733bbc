"""The impact report: on screen with charts, and as CSV for the council's spreadsheet."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import access, audit, i18n
from ..domain.follow_up import MOMENTS
from ..exports import csv_response
from ..labels import label
from ..recent import recent
from ..services import impact, lookups
from ..services.figures import figures
from .requests import number_arg

bp = Blueprint("impact", __name__)

access.guard(bp, "impact.report")


def _filters() -> impact.ImpactFilter:
    year = number_arg("jaar")
    return impact.ImpactFilter(
        year=year if year and 1900 < year < 3000 else None, neighbourhood_id=number_arg("wijk")
    )


def _charts(data: dict) -> dict:
    """What the charts draw: bars per status and per outcome, and per theme its average scores."""
    return {
        "status": [(label("status", s), n, str(n)) for s, n in data["by_status"]],
        "outcome": [(label("closing_outcome", o), n, str(n)) for o, n in data["by_outcome"]],
        "scores": [
            {"label": row["theme"].name, "scores": {m: v[0] for m, v in row["averages"].items() if v}}
            for row in data["self_reliance"]
        ],
    }


@bp.get("/impact")
def report():
    """The report; rendered once per set of figures and language, as the figures are the same for
    everyone who may see them (and hold no client)."""
    filters = _filters()
    data, computed_at = figures("impact", filters, lambda: impact.for_page(filters))
    body = recent(
        "impact_page",
        (filters, computed_at, str(i18n.locale()), request.full_path),
        current_app.config["REPORT_CACHE_SECONDS"],
        lambda: Markup(
            render_template(
                "impact/_report_body.html",
                computed_at=computed_at,
                filters=filters,
                args={k: v for k in ("jaar", "wijk") if (v := request.args.get(k))},
                years=impact.years(),
                neighbourhoods=lookups.neighbourhoods(),
                report=data,
                charts=_charts(data),
                moments=MOMENTS,
            )
        ),
    )
    return render_template("impact/report.html", body=body)


def _number(value) -> str:
    """A number as a Dutch spreadsheet reads it: a decimal comma, no thousands separator."""
    return "" if value is None else str(value).replace(".", ",")


def _euros(cents: int) -> str:
    return _number(f"{cents / 100:.2f}")


@bp.get("/impact.csv")
def report_csv():
    audit.log_export(current_user)
    data = impact.report(_filters())
    rows = [[_("Trajecten"), _("Totaal"), "", data["total"]]]
    rows += [[_("Trajecten per status"), label("status", s), "", n] for s, n in data["by_status"]]
    rows += [[_("Afgesloten per reden"), label("closing_outcome", o), "", n] for o, n in data["by_outcome"]]
    for step, name in (
        ("admission", _("Van aanmelding tot toelating")),
        ("round_table", _("Van aanmelding tot eerste doorbraaktafel")),
        ("handover", _("Van aanmelding tot aangenomen overdracht")),
    ):
        d = data["durations"][step]
        rows.append([_("Doorlooptijd in dagen"), name, _("mediaan"), _number(d.median_days)])
        rows.append([_("Doorlooptijd in dagen"), name, _("gemiddeld"), _number(d.average_days)])
        rows.append([_("Doorlooptijd in dagen"), name, _("aantal trajecten"), d.cases])
    for row in data["self_reliance"]:
        for moment, value in row["averages"].items():
            if value:
                rows.append(
                    [
                        _("Gemiddelde score"),
                        row["theme"].name,
                        label("moment", moment),
                        _number(round(value[0], 2)),
                    ]
                )
        for moment, value in row["changes"].items():
            if value:
                rows.append(
                    [
                        _("Verandering sinds het begin"),
                        row["theme"].name,
                        label("moment", moment),
                        _number(value[0]),
                    ]
                )
    durable = data["durable"]
    for key, name in (
        ("measured", _("Gemeten aan het einde en een jaar later")),
        ("improved", _("Een jaar later beter")),
        ("kept", _("Een jaar later even goed")),
        ("relapsed", _("Een jaar later slechter (terugval)")),
        ("safety_net", _("Terug via het vangnet")),
        ("new_referral", _("Opnieuw aangemeld na afsluiten")),
    ):
        rows.append([_("Duurzame uitstroom"), name, "", durable[key]])
    budget = data["budget"]
    rows.append([_("Budget in euro"), _("Toegezegd"), "", _euros(budget["committed"])])
    rows.append([_("Budget in euro"), _("Betaald"), "", _euros(budget["paid"])])
    rows.append([_("Budget"), _("Trajecten met uitgaven"), "", budget["cases"]])
    rows.append([_("Afwijkingen"), _("Besloten afwijkingen"), "", data["deviations"]["decided"]])
    rows.append([_("Afwijkingen"), _("Trajecten met een afwijking"), "", data["deviations"]["cases"]])
    header = [_("Onderdeel"), _("Wat"), _("Toelichting"), _("Waarde")]
    return csv_response("impact.csv", header, rows)
