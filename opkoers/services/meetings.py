"""Round-table meetings: plan, change, cancel; invitations as e-mail with .ics; minutes, attendance,
the prioritised problem; the calendar views and the personal calendar feed."""

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from .. import access, audit, ical
from ..domain import RuleViolation
from ..domain import case_status as lifecycle
from ..domain import meetings as rules
from ..domain.consent import VALID, consent_state
from ..extensions import db
from ..labels import label
from ..models import (
    Action,
    BudgetEntry,
    Case,
    CaseInvolvement,
    Consent,
    Deviation,
    Intake,
    IntakeProblem,
    Meeting,
    MeetingParticipant,
    MinutesAddendum,
    SelectionStep,
    User,
)
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ, local_today
from . import check_version, mail, notifications
from .actions import case_actions
from .deviations import case_deviations

MEETING_FIELDS = ("kind", "starts_at", "ends_at", "location", "video_link", "chair_id", "agenda")
INVOLVED_ROLES = ("professional", "buurtteam")


@dataclass(frozen=True)
class Participant:
    """One participant as entered on the form."""

    kind: str
    user_id: int | None = None
    name: str = ""
    email: str = ""
    relation: str = ""

    @property
    def identity(self) -> tuple:
        """Who this is, independent of spelling: the same identity is the same participant."""
        if self.kind == "user":
            return ("user", self.user_id)
        if self.kind in ("client", "coach"):  # one of each; a new address is a new invitation
            return (self.kind, self.email.strip().lower())
        return (self.kind, self.name.strip().lower(), self.email.strip().lower())


def _identity(participant: MeetingParticipant) -> tuple:
    return Participant(
        participant.kind, participant.user_id, participant.name, participant.email, participant.relation
    ).identity


# ---------------------------------------------------------------- planning


def find_clashes(user_ids, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None):
    """Other meetings that user participants already have at that time."""
    if not user_ids:
        return []
    query = (
        select(User.name, Meeting.starts_at, Meeting.ends_at)
        .join(MeetingParticipant, MeetingParticipant.meeting_id == Meeting.id)
        .join(User, User.id == MeetingParticipant.user_id)
        .where(
            MeetingParticipant.user_id.in_(user_ids),
            Meeting.status != rules.CANCELLED,
            Meeting.starts_at < ends_at,
            Meeting.ends_at > starts_at,
        )
        .order_by(Meeting.starts_at, User.name)
    )
    if exclude_id is not None:
        query = query.where(Meeting.id != exclude_id)
    return [rules.Clash(name, start, end) for name, start, end in db.session.execute(query)]


def _schedule(day: date, start: time, end: time, location: str, video_link: str):
    starts_at, ends_at = rules.local_span(day, start, end)
    if not (location or video_link):
        raise RuleViolation("meeting_needs_place")
    return starts_at, ends_at


def _with_chair(participants: list[Participant], chair_id: int | None) -> list[Participant]:
    """The chair takes part too; each identity once."""
    if chair_id is not None:
        participants = [Participant("user", chair_id), *participants]
    unique = {}
    for participant in participants:
        unique.setdefault(participant.identity, participant)
    return list(unique.values())


def _check_clashes(participants, starts_at, ends_at, accept_clashes: bool, exclude_id=None) -> str:
    user_ids = [p.user_id for p in participants if p.kind == "user"]
    clashes = find_clashes(user_ids, starts_at, ends_at, exclude_id)
    if clashes and not accept_clashes:
        raise RuleViolation("meeting_clash", clashes=clashes)
    return rules.clash_note(clashes)


def _involve(actor, case: Case, participants: list[Participant]) -> None:
    """Professionals and neighbourhood contacts at the table become involved in the case
    (what they may see still depends on the consent)."""
    user_ids = {p.user_id for p in participants if p.kind == "user"}
    if not user_ids:
        return
    already = set(
        db.session.scalars(
            select(CaseInvolvement.user_id).where(
                CaseInvolvement.case_id == case.id, CaseInvolvement.user_id.in_(user_ids)
            )
        )
    )
    for user in db.session.scalars(
        select(User).where(User.id.in_(user_ids - already), User.role.in_(INVOLVED_ROLES)).order_by(User.id)
    ):
        involvement = CaseInvolvement(case_id=case.id, user_id=user.id, role_note=_("Deelnemer bijeenkomst"))
        db.session.add(involvement)
        audit.record(actor, "involvement_added", involvement, {"user": [None, user.name]}, case.id)


def _new_participant(participant: Participant) -> MeetingParticipant:
    return MeetingParticipant(
        kind=participant.kind,
        user_id=participant.user_id,
        name=participant.name,
        email=participant.email,
        relation=participant.relation,
    )


def _renamed(changes: dict) -> dict:
    """The trail names a meeting's kind and status apart from those of a case or a selection step."""
    names = {"kind": "meeting_kind", "status": "meeting_status"}
    return {names.get(field, field): values for field, values in changes.items()}


def _describe(participants) -> list[str]:
    return sorted(f"{label('participant_kind', p.kind)}: {p.display_name}" for p in participants)


def plan_meeting(
    actor,
    case: Case,
    *,
    day: date,
    start: time,
    end: time,
    participants: list[Participant],
    accept_clashes: bool = False,
    **fields,
) -> Meeting:
    """Plan a meeting for a case, invite everyone with an e-mail address, and involve the
    professionals at the table. Refused with the clashes unless accept_clashes is given."""
    if case.status in lifecycle.ENDED:
        raise RuleViolation("case_closed")
    starts_at, ends_at = _schedule(day, start, end, fields["location"], fields["video_link"])
    participants = _with_chair(participants, fields["chair_id"])
    note = _check_clashes(participants, starts_at, ends_at, accept_clashes)
    meeting = Meeting(
        case_id=case.id,
        starts_at=starts_at,
        ends_at=ends_at,
        clash_note=note,
        created_by_id=actor.id,
        **{k: fields[k] for k in ("kind", "location", "video_link", "chair_id", "agenda")},
    )
    meeting.participants = [_new_participant(p) for p in participants]
    db.session.add(meeting)
    db.session.flush()
    changes = audit.snapshot(meeting, MEETING_FIELDS)
    changes["participants"] = [None, _describe(meeting.participants)]
    if note:
        changes["clash_note"] = [None, note]
    audit.record(actor, "meeting_planned", meeting, _renamed(changes), case.id)
    _involve(actor, case, participants)
    _invite(meeting, meeting.participants)
    return meeting


def update_meeting(
    actor,
    meeting: Meeting,
    version: int | None,
    *,
    day: date,
    start: time,
    end: time,
    participants: list[Participant],
    accept_clashes: bool = False,
    **fields,
) -> None:
    """Change a planned meeting: the participants get an update, the ones taken off a cancellation,
    the new ones an invitation."""
    check_version(meeting, version)
    rules.check_open(meeting.status, meeting.minutes_signed)
    starts_at, ends_at = _schedule(day, start, end, fields["location"], fields["video_link"])
    participants = _with_chair(participants, fields["chair_id"])
    note = _check_clashes(participants, starts_at, ends_at, accept_clashes, exclude_id=meeting.id)
    values = {k: fields[k] for k in ("kind", "location", "video_link", "chair_id", "agenda")}
    values.update(starts_at=starts_at, ends_at=ends_at)
    if note:
        values["clash_note"] = note
    changes = audit.apply_changes(meeting, values)

    wanted = {p.identity: p for p in participants}
    current = {_identity(p): p for p in meeting.participants}
    before = _describe(current.values())
    removed = [p for key, p in current.items() if key not in wanted]
    added = [_new_participant(p) for key, p in wanted.items() if key not in current]
    rewritten = False
    for key, row in current.items():  # the same person, a name or relation written differently
        if key in wanted and (row.name, row.relation) != (wanted[key].name, wanted[key].relation):
            row.name, row.relation, rewritten = wanted[key].name, wanted[key].relation, True
    for participant in removed:
        meeting.participants.remove(participant)
    meeting.participants.extend(added)
    after = _describe(meeting.participants)
    # Also a change the names alone do not show (a new e-mail address, another relation) goes in the
    # trail: every change to a case's records does, so the case's pages show it at the next view.
    if before != after or removed or added or rewritten:
        changes["participants"] = [before, after]
    if rules.needs_update(changes) or removed or added:
        meeting.sequence += 1  # every calendar message after a change outranks the ones before
    if changes:
        meeting.updated_at = utcnow()  # the row is updated, so its version moves, also for participants
        audit.record(actor, "meeting_updated", meeting, _renamed(changes), meeting.case_id)
    _involve(actor, meeting.case, [p for p in participants if p.identity not in current])
    _cancel_for(meeting, removed)
    _invite(meeting, meeting.participants if rules.needs_update(changes) else added)


def cancel_meeting(actor, meeting: Meeting, version: int | None, reason: str) -> None:
    """Cancel a meeting: everyone invited gets a cancellation for their calendar."""
    check_version(meeting, version)
    rules.check_open(meeting.status, meeting.minutes_signed)
    changes = audit.apply_changes(meeting, {"status": rules.CANCELLED, "cancel_reason": reason})
    meeting.sequence += 1
    audit.record(actor, "meeting_cancelled", meeting, _renamed(changes), meeting.case_id)
    _cancel_for(meeting, meeting.participants)


# ---------------------------------------------------------------- invitations


def calendar_event(meeting: Meeting, recipient: MeetingParticipant | None = None, cancelled=False):
    """The meeting as a calendar entry: for a user's own calendar, or for one recipient of an
    invitation. No client name in it: calendars are shared and synced widely. Attendees are the
    professionals at the table (and the recipient); the client, their network and guests see only
    themselves, and get no link to pages they cannot open."""
    for_user = recipient is None or recipient.user_id is not None
    attendees = [(p.display_name, p.address) for p in meeting.participants if p.user_id and p.address]
    if recipient is not None and recipient.user_id is None:
        attendees.append((recipient.display_name, recipient.address))
    url = mail.link(f"/bijeenkomsten/{meeting.id}") if for_user else ""
    lines = (
        _("Video: %(link)s", link=meeting.video_link) if meeting.video_link else "",
        _("Alles over deze bijeenkomst: %(url)s", url=url) if url else "",
    )
    return ical.CalendarEvent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_(
            "%(kind)s (traject %(case)s)", kind=label("meeting_kind", meeting.kind), case=meeting.case_id
        ),
        location=meeting.location or meeting.video_link,
        description="\n".join(line for line in lines if line),
        url=url,
        cancelled=cancelled or meeting.status == rules.CANCELLED,
        organizer=(meeting.chair.name, meeting.chair.email) if meeting.chair else None,
        attendees=attendees,
    )


def _when(meeting: Meeting) -> str:
    start, end = meeting.starts_at.astimezone(LOCAL_TZ), meeting.ends_at.astimezone(LOCAL_TZ)
    return f"{start:%d-%m-%Y} {start:%H:%M}–{end:%H:%M}"


def _notify_user(participant: MeetingParticipant, meeting: Meeting, kind: str, summary: str) -> None:
    if participant.user_id:
        notifications.notify(
            participant.user_id,
            f"{kind}:{meeting.id}:{meeting.sequence}:{participant.user_id}",
            kind,
            f"{summary}, {_when(meeting)}",
            url=f"/bijeenkomsten/{meeting.id}",
            case_id=meeting.case_id,
        )


def invitations_go_out(meeting: Meeting) -> bool:
    """A meeting that has begun is only recorded: nobody is invited to it."""
    return meeting.starts_at > utcnow()


def _invite(meeting: Meeting, participants) -> None:
    """Queue an invitation (or update) with .ics for each of these participants with an address."""
    if not invitations_go_out(meeting):
        return
    db.session.flush()
    update = meeting.sequence > 0
    for participant in participants:
        if not participant.address:
            continue
        event = calendar_event(meeting, participant)
        what = f"{event.summary}, {_when(meeting)}"
        subject = (_("Gewijzigd: %(what)s") if update else _("Uitnodiging: %(what)s")) % {"what": what}
        opening = (
            _("Er is iets veranderd aan deze afspraak. Dit is de nieuwe afspraak:")
            if update
            else _("U bent uitgenodigd voor deze afspraak:")
        )
        body = _(
            "Beste %(name)s,\n\n%(opening)s\n%(what)s\nWanneer: %(when)s\nWaar: %(where)s\n\n"
            "In de bijlage staat de afspraak voor uw agenda.\n%(url)s",
            name=participant.display_name,
            opening=opening,
            what=event.summary,
            when=_when(meeting),
            where=event.location,
            url=event.url,
        )
        key = f"invite:{meeting.id}:{meeting.sequence}:{participant.address.lower()}"
        mail.queue(
            key, participant.address, subject, body, meeting.case_id, ical.invitation(event), "REQUEST"
        )
        _notify_user(participant, meeting, "meeting_changed" if update else "meeting_invited", event.summary)


def _cancel_for(meeting: Meeting, participants) -> None:
    """Queue a cancellation (.ics METHOD:CANCEL) for each of these participants with an address."""
    if not invitations_go_out(meeting):
        return
    db.session.flush()
    for participant in participants:
        if not participant.address:
            continue
        event = replace(
            calendar_event(meeting, participant, cancelled=True),
            attendees=[(participant.display_name, participant.address)],
        )
        body = _(
            "Beste %(name)s,\n\nDeze afspraak gaat voor u niet door: %(what)s, %(when)s.\n"
            "In de bijlage staat de afzegging voor uw agenda.",
            name=participant.display_name,
            what=event.summary,
            when=_when(meeting),
        )
        key = f"cancel:{meeting.id}:{meeting.sequence}:{participant.address.lower()}"
        subject = _("Gaat niet door: %(what)s", what=f"{event.summary}, {_when(meeting)}")
        mail.queue(key, participant.address, subject, body, meeting.case_id, ical.invitation(event), "CANCEL")
        _notify_user(participant, meeting, "meeting_cancelled", event.summary)


# ---------------------------------------------------------------- during and after the meeting


def record_attendance(actor, meeting: Meeting, present_ids: set[int]) -> None:
    """Note who was there."""
    rules.check_open(meeting.status, meeting.minutes_signed)
    before = _describe(p for p in meeting.participants if p.attended)
    for participant in meeting.participants:
        participant.attended = participant.id in present_ids
    after = _describe(p for p in meeting.participants if p.attended)
    if before != after:
        audit.record(actor, "attendance_recorded", meeting, {"present": [before, after]}, meeting.case_id)


def _check_revision(stored: int, submitted: int | None) -> None:
    """Refuse a save of a part of the meeting page made from an older copy of that part."""
    if submitted != stored:
        raise RuleViolation("stale")


def save_minutes(actor, meeting: Meeting, revision: int | None, minutes: str) -> None:
    """Write or correct the minutes, until they are signed off."""
    _check_revision(meeting.minutes_revision, revision)
    rules.check_open(meeting.status, meeting.minutes_signed)
    changes = audit.apply_changes(meeting, {"minutes": minutes})
    if changes:
        meeting.minutes_revision += 1
        audit.record(actor, "minutes_saved", meeting, changes, meeting.case_id)


def sign_minutes(actor, meeting: Meeting, revision: int | None) -> None:
    """Sign off the minutes as they were seen: the meeting is held and its minutes are locked
    (corrections are addenda)."""
    _check_revision(meeting.minutes_revision, revision)
    rules.check_sign_off(meeting.status, meeting.minutes_signed, meeting.starts_at, utcnow(), meeting.minutes)
    changes = audit.apply_changes(
        meeting, {"status": rules.HELD, "minutes_signed_at": utcnow(), "minutes_signed_by_id": actor.id}
    )
    audit.record(actor, "minutes_signed", meeting, _renamed(changes), meeting.case_id)


def add_addendum(actor, meeting: Meeting, text: str) -> MinutesAddendum:
    """Add a correction or addition to signed minutes."""
    if not meeting.minutes_signed:
        raise RuleViolation("minutes_not_signed")
    addendum = MinutesAddendum(meeting=meeting, text=text, author_id=actor.id, author_name=actor.name)
    db.session.add(addendum)
    audit.record(actor, "addendum_added", addendum, {"text": [None, text]}, meeting.case_id)
    return addendum


def record_priority(
    actor, meeting: Meeting, revision: int | None, problem: str, life_domain_id: int | None, solution: str
) -> None:
    """Record the problem the client puts first, in their own words, and how they would solve it."""
    _check_revision(meeting.priority_revision, revision)
    rules.check_open(meeting.status, meeting.minutes_signed)
    changes = audit.apply_changes(
        meeting,
        {
            "prioritised_problem": problem,
            "prioritised_life_domain_id": life_domain_id,
            "client_solution": solution,
        },
    )
    if changes:
        meeting.priority_revision += 1
        # The life domain is always in the entry, so a reader kept out of it never sees the text.
        changes.setdefault("prioritised_life_domain_id", [life_domain_id, life_domain_id])
        audit.record(actor, "priority_recorded", meeting, changes, meeting.case_id)


def case_problems(case: Case) -> list[IntakeProblem]:
    """The client's problems per life domain, in the order the client puts them."""
    return db.session.scalars(
        select(IntakeProblem)
        .join(Intake, Intake.id == IntakeProblem.intake_id)
        .where(Intake.case_id == case.id)
        .order_by(IntakeProblem.position, IntakeProblem.life_domain_id)
    ).all()


def move_problem(actor, meeting: Meeting, problem_id: int, direction: str) -> None:
    """At a meeting, move one of the client's problems a place up or down."""
    rules.check_open(meeting.status, meeting.minutes_signed)
    case = meeting.case
    problems = case_problems(case)
    order = rules.moved([p.id for p in problems], problem_id, direction)
    by_id = {p.id: p for p in problems}
    before = [p.life_domain_id for p in problems]
    for position, pid in enumerate(order, start=1):
        by_id[pid].position = position
    after = [by_id[pid].life_domain_id for pid in order]
    if before != after:
        changes = {"life_domain_order": [before, after]}
        audit.record(actor, "problems_reordered", problems[0].intake, changes, case.id)


# ---------------------------------------------------------------- pages


def _participants_loaded(meeting: Meeting) -> list[MeetingParticipant]:
    return db.session.scalars(
        select(MeetingParticipant)
        .where(MeetingParticipant.meeting_id == meeting.id)
        .options(joinedload(MeetingParticipant.user))
        .order_by(MeetingParticipant.id)
    ).all()


def current_priority(case: Case) -> Meeting | None:
    """The latest meeting where the client named the problem that comes first."""
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.case_id == case.id, Meeting.prioritised_problem != "", Meeting.status != rules.CANCELLED
        )
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )


def meeting_actions(meeting: Meeting) -> list[Action]:
    """The actions agreed at this meeting."""
    return case_actions(meeting.case, Action.meeting_id == meeting.id)


def meeting_page(meeting: Meeting) -> dict:
    """Everything on the meeting page, in a fixed number of queries."""
    return {
        "participants": _participants_loaded(meeting),
        "problems": case_problems(meeting.case),
        "actions": meeting_actions(meeting),
        "addenda": meeting.addenda,
        "decided_deviations": db.session.scalars(
            select(Deviation).where(Deviation.meeting_id == meeting.id).order_by(Deviation.id)
        ).all(),
        "budget_entries": db.session.scalars(
            select(BudgetEntry).where(BudgetEntry.meeting_id == meeting.id).order_by(BudgetEntry.id)
        ).all(),
    }


def preparation_pack(meeting: Meeting) -> dict:
    """The one-page preparation pack: the client's story, the priority, the life domains, open
    actions, decisions so far, what the consent covers, and the agenda."""
    case = meeting.case
    today = local_today()
    consents = db.session.scalars(
        select(Consent)
        .where(Consent.case_id == case.id)
        .options(selectinload(Consent.organisations))
        .order_by(Consent.signed_on.desc())
    ).all()
    earlier = db.session.scalars(
        select(Meeting)
        .where(Meeting.case_id == case.id, Meeting.status == rules.HELD, Meeting.id != meeting.id)
        .order_by(Meeting.starts_at)
    ).all()
    return {
        "intake": db.session.scalar(select(Intake).where(Intake.case_id == case.id)),
        "priority": current_priority(case),
        "problems": case_problems(case),
        "open_actions": [a for a in case_actions(case) if a.status not in ("done", "cancelled")],
        "steps": db.session.scalars(
            select(SelectionStep).where(SelectionStep.case_id == case.id).order_by(SelectionStep.held_on)
        ).all(),
        "earlier_meetings": earlier,
        "valid_consents": [
            c for c in consents if consent_state(c.signed_on, c.valid_until, c.withdrawn_at, today) == VALID
        ],
        "participants": _participants_loaded(meeting),
        "deviations": case_deviations(case),
    }


def case_meetings(case: Case, limit: int | None = None) -> tuple[list[Meeting], int]:
    """The meetings of a case, latest first (the planned ones on top), at most `limit`; and how
    many the case has in all (counted in the same query)."""
    query = (
        select(Meeting, func.count().over())
        .where(Meeting.case_id == case.id)
        .options(joinedload(Meeting.chair))
        .order_by(Meeting.starts_at.desc())
    )
    rows = db.session.execute(query.limit(limit)).all()
    return [meeting for meeting, _ in rows], rows[0][1] if rows else 0


def meeting_choices(case: Case) -> list[tuple[int, str]]:
    """(id, 'kind, day') of the case's meetings that were not cancelled, for "in which meeting?"."""
    return [
        (m.id, f"{label('meeting_kind', m.kind)}, {m.starts_at.astimezone(LOCAL_TZ):%d-%m-%Y}")
        for m in case_meetings(case)[0]
        if m.status != "cancelled"
    ]


def week_start(day: date) -> date:
    """The Monday of the week of this day."""
    return day - timedelta(days=day.weekday())


def _week_span(monday: date) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), tzinfo=LOCAL_TZ)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=LOCAL_TZ)
    return start, end


def _mine(user):
    return or_(
        Meeting.chair_id == user.id,
        Meeting.id.in_(select(MeetingParticipant.meeting_id).where(MeetingParticipant.user_id == user.id)),
    )


def week_meetings(user, monday: date, only_mine: bool) -> list[Meeting]:
    """The meetings in one week (Monday to Sunday, Dutch time): the user's own, or the whole agenda
    of the cases the user may see."""
    start, end = _week_span(monday)
    query = (
        select(Meeting)
        .join(Meeting.case)
        .where(and_(Meeting.starts_at >= start, Meeting.starts_at < end), access.visible_cases(user))
        .options(contains_eager(Meeting.case), joinedload(Meeting.chair))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if only_mine:
        query = query.where(_mine(user))
    return db.session.scalars(query).unique().all()


def upcoming_meetings(user, limit: int = 5) -> list[Meeting]:
    """The user's next planned meetings (of cases they may see)."""
    now = utcnow()
    return db.session.scalars(
        select(Meeting)
        .join(Meeting.case)
        .where(
            _mine(user),
            access.visible_cases(user),
            Meeting.status == rules.PLANNED,
            Meeting.ends_at > now,
            # A meeting is on one day: this bound lets the index on starts_at skip the years before.
            Meeting.starts_at > now - timedelta(days=1),
        )
        .options(contains_eager(Meeting.case))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
    ).all()


# ---------------------------------------------------------------- calendar feed

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def renew_calendar_token(actor) -> str:
    """Give the user a new secret calendar address; the old address stops working. Only a hash of
    the secret is stored, so the address is shown once, now."""
    token = secrets.token_urlsafe(32)
    actor.calendar_token = _token_hash(token)
    audit.record(actor, "calendar_feed_renewed", actor, {"calendar_feed": [None, "new"]})
    return token


def revoke_calendar_token(actor) -> None:
    """Switch the personal calendar address off."""
    actor.calendar_token = None
    audit.record(actor, "calendar_feed_revoked", actor, {"calendar_feed": ["on", None]})


def feed_owner(token: str) -> User | None:
    """The active user whose calendar address has this secret."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token == _token_hash(token)))
    return user if user is not None and user.active and user.organisation.active else None


def calendar_feed(user) -> bytes:
    """The user's meetings from three months back to a year ahead, as a subscribable calendar.
    Only meetings of cases the user may still see."""
    now = utcnow()
    meetings = (
        db.session.scalars(
            select(Meeting)
            .join(Meeting.case)
            .where(
                _mine(user),
                access.visible_cases(user),
                Meeting.starts_at >= now - FEED_PAST,
                Meeting.starts_at < now + FEED_FUTURE,
            )
            .options(
                contains_eager(Meeting.case), joinedload(Meeting.chair), selectinload(Meeting.participants)
            )
            .order_by(Meeting.starts_at)
        )
        .unique()
        .all()
    )
    return ical.feed([calendar_event(m) for m in meetings], _("Op Koers – %(name)s", name=user.name))
