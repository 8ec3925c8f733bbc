"""After the breakthrough: closing a case (and its confirmation letter), the pilot-light contacts,
the self-reliance measurements, and the list of what is due per person."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..domain.follow_up import PILOT_HELD
from ..forms.follow_up import CloseCaseForm, PilotLightForm, measurement_form_class
from ..i18n import format_date
from ..labels import label
from ..models import PilotLightContact, SelfRelianceMeasurement
from ..services import closing, follow_up, self_reliance
from ..timeutil import local_today
from .requests import submit

bp = Blueprint("follow_up", __name__)

access.guard(bp, "follow_up.list")


@bp.get("/nazorg")
def index():
    everyone = request.args.get("alle") == "1" and current_user.role == "projectgroep"
    lists = follow_up.follow_ups(current_user, everyone)
    shown = [*lists["aftercare"], *lists["pilot_lights"], *(m for m, _state, _last in lists["measurements"])]
    audit.log_list(current_user, (item.case for item in shown))
    return render_template("follow_up/index.html", everyone=everyone, **lists)


# ---------------------------------------------------------------- closing


@bp.route("/trajecten/<int:case_id>/afsluiten", methods=["GET", "POST"])
def close(case_id: int):
    if not access.can(current_user, "cases.close"):
        abort(403)
    case = access.case_or_404(case_id)
    form = CloseCaseForm()
    talks = closing.closing_talks(case)
    goals = closing.plan_goals(case)
    form.meeting_id.choices = [("", _("Kies het afsluitend gesprek"))] + [
        (m.id, f"{label('meeting_kind', m.kind)}, {format_date(m.starts_at, 'long')}") for m in talks
    ]
    form.goal_ids.choices = [(g.id, g.goal) for g in goals]
    if request.method == "GET":
        form.version.data, form.closed_on.data = case.version, local_today()
        form.meeting_id.data = talks[0].id if talks else None

    def page(status, message):
        return render_template(
            "follow_up/close.html",
            case=case,
            form=form,
            message=message,
            talks=talks,
            still_open=closing.still_open(case),
            consent_cover=closing.consent_cover(
                case, closing.follow_up_person(case, current_user), local_today()
            ),
        ), status

    return submit(
        form,
        lambda: closing.close_case(
            current_user,
            case,
            form.version.data,
            outcome=form.outcome.data,
            goal_ids=form.goal_ids.data or [],
            explanation=form.explanation.data or "",
            meeting_id=form.meeting_id.data,
            closed_on=form.closed_on.data,
        ),
        _("Het traject is afgesloten. Druk de bevestiging af voor de cliënt."),
        url_for("cases.detail", case_id=case.id, _anchor="section-closing"),
        page,
    )


@bp.get("/trajecten/<int:case_id>/afsluitbrief")
def closing_letter(case_id: int):
    case = access.case_or_404(case_id)
    letter = closing.letter(case)
    if letter is None:
        abort(404)
    return render_template("documents/closing_letter.html", case=case, **letter)


# ---------------------------------------------------------------- pilot-light contacts


@bp.route("/waakvlam/<int:contact_id>", methods=["GET", "POST"])
def pilot_light(contact_id: int):
    contact = access.case_record_or_404(PilotLightContact, contact_id)
    if not access.can_follow_up(current_user, contact):
        abort(403)
    form = PilotLightForm()
    if request.method == "GET":
        form.version.data, form.held_on.data = contact.version, local_today()

    def page(status, message):
        return render_template(
            "follow_up/pilot_light.html", contact=contact, case=contact.case, form=form, message=message
        ), status

    return submit(
        form,
        lambda: closing.register_pilot_light(
            current_user,
            contact,
            form.version.data,
            outcome=form.outcome.data,
            held_on=form.held_on.data if form.outcome.data == PILOT_HELD else None,
            balanced=form.balance() if form.outcome.data == PILOT_HELD else None,
            note=form.note.data or "",
            reason=form.reason.data or "",
        ),
        _("Het waakvlamcontact is vastgelegd."),
        url_for("cases.detail", case_id=contact.case_id, _anchor="section-closing"),
        page,
    )


# ---------------------------------------------------------------- self-reliance measurements


@bp.route("/metingen/<int:measurement_id>", methods=["GET", "POST"])
def measurement(measurement_id: int):
    record = access.case_record_or_404(SelfRelianceMeasurement, measurement_id)
    if not access.can_follow_up(current_user, record):
        abort(403)
    themes = self_reliance.themes()
    form = measurement_form_class(themes)()
    if request.method == "GET":
        form.version.data, form.taken_on.data = record.version, local_today()

    def page(status, message):
        rows = self_reliance.case_measurements(record.case)
        return render_template(
            "follow_up/measurement.html",
            measurement=record,
            case=record.case,
            form=form,
            themes=themes,
            message=message,
            row=next(r for r in rows if r.measurement.id == record.id),
        ), status

    return submit(
        form,
        lambda: self_reliance.record(
            current_user, record, form.version.data, form.taken_on.data, form.scores(), form.note.data or ""
        ),
        _("De meting is opgeslagen."),
        url_for("cases.detail", case_id=record.case_id, _anchor="section-self-reliance"),
        page,
    )
