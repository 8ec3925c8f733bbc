"""Meetings: plan, change and cancel; the meeting page (attendance, priority, actions, minutes),
the preparation pack, the .ics download, the week agenda and the personal calendar address."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import access, audit, ical
from ..domain import RuleViolation
from ..domain.meetings import KINDS
from ..extensions import db, htmx
from ..forms.actions import NewActionForm
from ..forms.meetings import (
    AddendumForm,
    AttendanceForm,
    CancelMeetingForm,
    MeetingForm,
    MinutesForm,
    PriorityForm,
    SignMinutesForm,
    parse_guests,
)
from ..messages import rule_message
from ..models import IntakeProblem
from ..services import actions, lookups, mail, meetings
from ..services.handover import current_handover
from ..services.meetings import Participant
from ..timeutil import LOCAL_TZ, local_today
from .cases import action_choices, action_values
from .requests import as_rule_violation, shown_again

bp = Blueprint("meetings", __name__)

access.guard(bp, "meetings.view")

SECTIONS = ("participants", "priority", "actions", "minutes")


def _manager():
    if not access.can(current_user, "meetings.manage"):
        abort(403)


def _in_place() -> bool:
    return bool(htmx) and not htmx.boosted


# ---------------------------------------------------------------- plan, change, cancel


def _meeting_form(case, meeting=None) -> MeetingForm:
    form = MeetingForm(formdata=None) if request.method == "GET" else MeetingForm()
    form.chair_id.choices = [("", _("Kies een voorzitter"))] + lookups.person_choices(
        ("projectgroep",), also_id=meeting.chair_id if meeting else None
    )
    chosen = {p.user_id for p in meeting.participants if p.user_id} if meeting else set()
    form.user_ids.choices = [
        (user.id, f"{user.name} ({user.organisation.name})")
        for user in lookups.people(("projectgroep", "professional", "buurtteam"))
        if user.active or user.id in chosen
    ]
    if request.method == "GET":
        _fill(form, case, meeting)
    return form


def _fill(form: MeetingForm, case, meeting) -> None:
    """The form's starting values: a new meeting two weeks ahead, or the meeting as it is."""
    if meeting is None:
        kind = request.args.get("kind")
        form.kind.data = kind if kind in KINDS else "round_table"
        form.day.data = local_today() + timedelta(days=14)
        form.chair_id.data = current_user.id
        form.with_client.data = True
        handover = current_handover(case)
        if form.kind.data in ("handover", "closing") and handover is not None:
            form.user_ids.data = [handover.contact_id]  # the neighbourhood team's contact person
        if case.referrer_kind == "coach":
            form.coach_name.data = case.referrer_name
        return
    start, end = meeting.starts_at.astimezone(LOCAL_TZ), meeting.ends_at.astimezone(LOCAL_TZ)
    form.version.data = meeting.version
    form.kind.data, form.day.data, form.start.data, form.end.data = (
        meeting.kind,
        start.date(),
        start.time(),
        end.time(),
    )
    form.location.data, form.video_link.data = meeting.location, meeting.video_link
    form.chair_id.data, form.agenda.data = meeting.chair_id, meeting.agenda
    form.user_ids.data = [p.user_id for p in meeting.participants if p.kind == "user"]
    guests = []
    for p in meeting.participants:
        if p.kind == "client":
            form.with_client.data = True
        elif p.kind == "coach":
            form.coach_name.data, form.coach_email.data = p.name, p.email
        elif p.kind == "network":
            form.network_name.data, form.network_relation.data, form.network_email.data = (
                p.name,
                p.relation,
                p.email,
            )
        elif p.kind == "guest":
            guests.append(f"{p.name}, {p.email}" if p.email else p.name)
    form.guests.data = "\n".join(guests)


def _participants(form: MeetingForm, case) -> list[Participant]:
    people = [Participant("user", user_id) for user_id in form.user_ids.data or []]
    if form.with_client.data:
        people.append(Participant("client", name=case.client.name, email=case.client.email))
    if form.coach_name.data:
        people.append(Participant("coach", name=form.coach_name.data, email=form.coach_email.data or ""))
    if form.network_name.data:
        people.append(
            Participant(
                "network",
                name=form.network_name.data,
                email=form.network_email.data or "",
                relation=form.network_relation.data or "",
            )
        )
    people += [Participant("guest", name=n, email=e) for n, e in parse_guests(form.guests.data)]
    return people


def _meeting_values(form: MeetingForm, case) -> dict:
    return {
        "kind": form.kind.data,
        "day": form.day.data,
        "start": form.start.data,
        "end": form.end.data,
        "location": form.location.data or "",
        "video_link": form.video_link.data or "",
        "chair_id": form.chair_id.data,
        "agenda": form.agenda.data or "",
        "participants": _participants(form, case),
        "accept_clashes": bool(form.accept_clashes.data),
    }


def _plan_page(case, form, meeting=None, error: RuleViolation | None = None, status: int = 200):
    clashes = error.details.get("clashes", []) if error else []
    message = rule_message(error) if error and not clashes else None
    return (
        render_template(
            "meetings/form.html", case=case, form=form, meeting=meeting, message=message, clashes=clashes
        ),
        status,
    )


@bp.route("/trajecten/<int:case_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
def new(case_id: int):
    _manager()
    case = access.case_or_404(case_id)
    form = _meeting_form(case)
    if form.validate_on_submit():
        try:
            meeting = meetings.plan_meeting(current_user, case, **_meeting_values(form, case))
        except (RuleViolation, IntegrityError) as refusal:
            db.session.rollback()
            error = as_rule_violation(refusal)
            return _plan_page(case, form, error=error, status=409 if error.code == "meeting_clash" else 422)
        flash(_planned_message(meeting), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _plan_page(case, form, status=422 if form.errors else 200)


def _planned_message(meeting) -> str:
    if meetings.invitations_go_out(meeting):
        return _("De bijeenkomst is opgeslagen. De deelnemers met een e-mailadres krijgen een uitnodiging.")
    return _("De bijeenkomst is vastgelegd. Ze is al begonnen, dus er gaan geen uitnodigingen uit.")


@bp.route("/bijeenkomsten/<int:meeting_id>/wijzigen", methods=["GET", "POST"])
def edit(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    case = meeting.case
    form = _meeting_form(case, meeting)
    if form.validate_on_submit():
        try:
            meetings.update_meeting(current_user, meeting, form.version.data, **_meeting_values(form, case))
            db.session.flush()
        except (RuleViolation, StaleDataError, IntegrityError) as refusal:
            db.session.rollback()
            error = as_rule_violation(refusal)
            meeting = access.meeting_or_404(meeting_id)
            if error.code == "stale":
                form.version.data, form.version.raw_data = meeting.version, None
            return _plan_page(case, form, meeting, error, 409 if error.code == "meeting_clash" else 422)
        flash(_("De bijeenkomst is gewijzigd. De deelnemers krijgen bericht."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _plan_page(case, form, meeting, status=422 if form.errors else 200)


@bp.route("/bijeenkomsten/<int:meeting_id>/afzeggen", methods=["GET", "POST"])
def cancel(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = CancelMeetingForm(formdata=None) if request.method == "GET" else CancelMeetingForm()
    if request.method == "GET":
        form.version.data = meeting.version
    elif form.validate_on_submit():
        try:
            meetings.cancel_meeting(current_user, meeting, form.version.data, form.reason.data)
            db.session.flush()
        except (RuleViolation, StaleDataError) as refusal:
            db.session.rollback()
            meeting = access.meeting_or_404(meeting_id)
            message = rule_message(as_rule_violation(refusal))
            return render_template("meetings/cancel.html", meeting=meeting, form=form, message=message), 409
        flash(_("De bijeenkomst gaat niet door. De deelnemers krijgen een afzegging."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    status = 422 if form.errors else 200
    return render_template("meetings/cancel.html", meeting=meeting, form=form, message=None), status


# ---------------------------------------------------------------- the meeting page


def _forms(meeting) -> dict:
    """A fresh form for each section of the meeting page."""
    attendance = AttendanceForm(formdata=None)
    priority = PriorityForm(formdata=None)
    priority.version.data = meeting.priority_revision
    priority.prioritised_problem.data = meeting.prioritised_problem
    priority.life_domain_id.data = meeting.prioritised_life_domain_id
    priority.client_solution.data = meeting.client_solution
    minutes = MinutesForm(formdata=None)
    minutes.version.data, minutes.minutes.data = meeting.minutes_revision, meeting.minutes
    sign = SignMinutesForm(formdata=None)
    sign.version.data = meeting.minutes_revision
    action = NewActionForm(formdata=None)
    action.due_on.data = local_today() + timedelta(days=14)
    return {
        "attendance_form": attendance,
        "priority_form": priority,
        "minutes_form": minutes,
        "sign_form": sign,
        "addendum_form": AddendumForm(formdata=None),
        "action_form": action,
    }


def _choices(forms: dict, case) -> dict:
    forms["priority_form"].life_domain_id.choices = [("", _("Kies een leefgebied"))] + [
        (d.id, d.name) for d in lookups.active_life_domains()
    ]
    action_choices(forms["action_form"], case)
    return forms


def _context(meeting, section=None, message=None, saved=None, **forms) -> dict:
    """What the meeting page shows; forms given replace the fresh ones (with the user's input and
    errors)."""
    context = {**_forms(meeting), **forms}
    _choices(context, meeting.case)
    context.update(
        meetings.meeting_page(meeting), meeting=meeting, case=meeting.case, message=message, saved=saved
    )
    context["attendance_form"].present.choices = [(p.id, p.display_name) for p in context["participants"]]
    context["section"] = section
    return context


def _page(meeting, section=None, status=200, message=None, also=(), saved=None, **forms):
    """The meeting page, or one section of it for htmx (with the sections in `also` swapped out of
    band)."""
    context = _context(meeting, section, message, saved, **forms)
    if section and _in_place():
        html = render_template(f"meetings/_section_{section}.html", **context)
        for other in also:
            html += render_template(f"meetings/_section_{other}.html", swap_oob=True, **context)
        return html, status
    return _whole_page(meeting, render_template("meetings/_detail_body.html", **context)), status


def _whole_page(meeting, body: str) -> str:
    return render_template("meetings/detail.html", meeting=meeting, case=meeting.case, body=Markup(body))


SAVED = {
    "participants": _l("De aanwezigheid is opgeslagen."),
    "priority": _l("Het probleem dat op de eerste plaats komt, is opgeslagen."),
    "order": _l("De volgorde is opgeslagen."),
    "actions": _l("De actie is toegevoegd. U kunt meteen de volgende invullen."),
    "minutes": _l("Het verslag is opgeslagen."),
}


def _saved(meeting, section: str, also=()):
    if _in_place():
        return _page(meeting, section, also=also, saved=str(SAVED[section]))
    flash(_("Opgeslagen."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=f"section-{section}"))


REVISIONS = {"priority": "priority_revision", "minutes": "minutes_revision"}


def _change(meeting, section: str, form_name: str, form, change, also=()):
    """Validate, call the one service, answer with the section (htmx) or the page. After a stale
    save the user keeps their input, now on top of the part's current revision."""
    if form.validate_on_submit():
        try:
            change()
            db.session.flush()
        except (RuleViolation, StaleDataError, IntegrityError) as refusal:
            db.session.rollback()
            meeting = access.meeting_or_404(meeting.id)
            error = as_rule_violation(refusal)
            if error.code == "stale" and section in REVISIONS:
                form.version.data, form.version.raw_data = getattr(meeting, REVISIONS[section]), None
            return _page(
                meeting,
                section,
                409 if error.code != "stale" else 422,
                rule_message(error),
                **{form_name: form},
            )
        return _saved(meeting, section, also)
    return _page(meeting, section, 422, **{form_name: form})


@bp.get("/bijeenkomsten/<int:meeting_id>")
def detail(meeting_id: int):
    """The meeting page; its own part is shown again while the case has not changed (`shown_again`)."""
    meeting = access.meeting_or_404(meeting_id)
    body = shown_again(
        "meeting_page",
        meeting.case,
        lambda: render_template("meetings/_detail_body.html", **_context(meeting)),
    )
    return _whole_page(meeting, body)


@bp.post("/bijeenkomsten/<int:meeting_id>/aanwezig")
def attendance(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = AttendanceForm()
    form.present.choices = [(p.id, p.display_name) for p in meeting.participants]
    return _change(
        meeting,
        "participants",
        "attendance_form",
        form,
        lambda: meetings.record_attendance(current_user, meeting, set(form.present.data or [])),
    )


@bp.post("/bijeenkomsten/<int:meeting_id>/voorrang")
def priority(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    forms = {"priority_form": PriorityForm(), "action_form": NewActionForm(formdata=None)}
    form = _choices(forms, meeting.case)["priority_form"]
    return _change(
        meeting,
        "priority",
        "priority_form",
        form,
        lambda: meetings.record_priority(
            current_user,
            meeting,
            form.version.data,
            form.prioritised_problem.data,
            form.life_domain_id.data,
            form.client_solution.data or "",
        ),
    )


@bp.post("/bijeenkomsten/<int:meeting_id>/problemen/<int:problem_id>/<any(omhoog, omlaag):direction>")
def move_problem(meeting_id: int, problem_id: int, direction: str):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    problem = db.session.get(IntakeProblem, problem_id)
    if problem is None or problem.intake.case_id != meeting.case_id:
        abort(404)
    try:
        meetings.move_problem(current_user, meeting, problem_id, "up" if direction == "omhoog" else "down")
    except RuleViolation as error:
        db.session.rollback()
        return _page(access.meeting_or_404(meeting_id), "order", 409, rule_message(error))
    return _saved(meeting, "order")


@bp.post("/bijeenkomsten/<int:meeting_id>/acties")
def add_action(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = NewActionForm()
    action_choices(form, meeting.case)
    return _change(
        meeting,
        "actions",
        "action_form",
        form,
        lambda: actions.add_action(current_user, meeting.case, meeting=meeting, **action_values(form)),
    )


@bp.post("/bijeenkomsten/<int:meeting_id>/verslag")
def minutes(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = MinutesForm()
    return _change(
        meeting,
        "minutes",
        "minutes_form",
        form,
        lambda: meetings.save_minutes(current_user, meeting, form.version.data, form.minutes.data or ""),
    )


@bp.post("/bijeenkomsten/<int:meeting_id>/verslag/vaststellen")
def sign(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = SignMinutesForm()
    return _change(
        meeting,
        "minutes",
        "sign_form",
        form,
        lambda: meetings.sign_minutes(current_user, meeting, form.version.data),
        also=("participants", "priority", "order"),  # signed minutes lock these too
    )


@bp.post("/bijeenkomsten/<int:meeting_id>/verslag/aanvulling")
def addendum(meeting_id: int):
    _manager()
    meeting = access.meeting_or_404(meeting_id)
    form = AddendumForm()
    return _change(
        meeting,
        "minutes",
        "addendum_form",
        form,
        lambda: meetings.add_addendum(current_user, meeting, form.text.data),
    )


@bp.get("/bijeenkomsten/<int:meeting_id>/voorbereiding")
def preparation(meeting_id: int):
    meeting = access.meeting_or_404(meeting_id)
    pack = meetings.preparation_pack(meeting)
    return render_template("meetings/preparation.html", meeting=meeting, case=meeting.case, **pack)


@bp.get("/bijeenkomsten/<int:meeting_id>/agenda.ics")
def ics(meeting_id: int):
    meeting = access.meeting_or_404(meeting_id)
    body = ical.publish(meetings.calendar_event(meeting))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=bijeenkomst-{meeting.id}.ics"},
    )


# ---------------------------------------------------------------- the week agenda


def _monday() -> date:
    try:
        chosen = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        chosen = local_today()
    return meetings.week_start(chosen)


def _week(only_mine: bool, endpoint: str):
    monday = _monday()
    items = meetings.week_meetings(current_user, monday, only_mine)
    audit.log_list(current_user, (m.case for m in items))
    days = {}
    for meeting in items:
        days.setdefault(meeting.starts_at.astimezone(LOCAL_TZ).date(), []).append(meeting)
    return render_template(
        "meetings/week.html",
        monday=monday,
        days=days,
        only_mine=only_mine,
        endpoint=endpoint,
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
        feed_url=session.pop("new_feed_url", None),
        feed_active=current_user.calendar_token is not None,
    )


@bp.get("/agenda")
def mine():
    return _week(True, "meetings.mine")


@bp.get("/agenda/alle")
def everything():
    if not access.can(current_user, "meetings.agenda"):
        abort(403)
    return _week(False, "meetings.everything")


@bp.post("/agenda/koppeling")
def renew_feed():
    had_one = current_user.calendar_token is not None
    token = meetings.renew_calendar_token(current_user)
    session["new_feed_url"] = mail.link(url_for("feed.calendar", token=token))  # shown once
    if had_one:
        flash(_("U heeft een nieuw agenda-adres. Het oude adres werkt niet meer."), "success")
    else:
        flash(_("U heeft nu een agenda-adres. Zet het in uw eigen agenda."), "success")
    return redirect(url_for("meetings.mine", _anchor="feed"))


@bp.post("/agenda/koppeling/uitzetten")
def revoke_feed():
    meetings.revoke_calendar_token(current_user)
    flash(_("Het agenda-adres is uitgezet. Agenda's die het gebruikten, krijgen niets meer."), "success")
    return redirect(url_for("meetings.mine", _anchor="feed"))


# ------------------------------------------------ calendar feed (no login: the secret is the key)

feed_bp = Blueprint("feed", __name__)


@feed_bp.get("/agenda/feed/<token>.ics")
def calendar(token: str):
    user = meetings.feed_owner(token)
    if user is None:
        abort(404)
    audit.log_export(user)
    response = Response(meetings.calendar_feed(user), mimetype="text/calendar")
    response.headers["Cache-Control"] = "no-store"
    return response
