"""Meetings: planning with clash check, invitations with .ics (update, cancel), the meeting page
(attendance, priority, actions, minutes with lock and addenda), the agenda and the calendar feed."""

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.models import AuditEntry, CaseInvolvement, Meeting, OutboxMessage
from opkoers.services import meetings
from opkoers.services.meetings import Participant
from opkoers.timeutil import LOCAL_TZ, local_today

NEXT_WEEK = local_today() + timedelta(days=7)


@pytest.fixture
def table(factory):
    """A running case, a chair, two professionals of an organisation in the consent, and a client
    with an e-mail address."""
    org = factory.organisation("Gemeente")
    case = factory.case("in_progress", consent_organisations=[org])
    case.client.email = "client@example.org"
    chair = factory.user("projectgroep")
    pros = [factory.user("professional", org), factory.user("professional", org)]
    db.session.commit()
    return case, chair, pros


def _plan(case, chair, users, **extra):
    values = {
        "day": NEXT_WEEK,
        "start": time(14),
        "end": time(15, 30),
        "participants": [Participant("user", u.id) for u in users],
        "kind": "round_table",
        "location": "Stadhuis, kamer 2",
        "video_link": "",
        "chair_id": chair.id,
        "agenda": "1. Welkom\n2. Wat komt eerst?",
    }
    values.update(extra)
    return meetings.plan_meeting(chair, case, **values)


def _mails(meeting=None, method=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if meeting is not None:
        query = query.where(OutboxMessage.case_id == meeting.case_id)
    if method:
        query = query.where(OutboxMessage.ics_method == method)
    return db.session.scalars(query).all()


def _event(message):
    calendar = Calendar.from_ical(message.ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


FOUR = [
    Participant("client", name="Cliënt Zelf", email="client@example.org"),
    Participant("coach", name="Coach Jansen", email="coach@example.org"),
    Participant("network", name="Tante Ria", relation="tante", email="ria@example.org"),
    Participant("guest", name="Mr. De Wit", email="dewit@example.org"),
]


# ---------------------------------------------------------------- planning and invitations


def test_everyone_with_an_address_gets_a_valid_invitation(table):
    case, chair, pros = table
    client = Participant("client", name=case.client.name, email="client@example.org")
    people = [*(Participant("user", p.id) for p in pros), client, *FOUR[1:]]
    meeting = _plan(case, chair, pros, participants=people)
    db.session.commit()
    mails = _mails(meeting)
    expected = {chair.email, pros[0].email, pros[1].email} | {p.email for p in FOUR}
    assert {m.to_address for m in mails} == expected
    users = {chair.email, pros[0].email, pros[1].email}
    for message in mails:
        calendar, event = _event(message)
        assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
        assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 0
        start = datetime.combine(NEXT_WEEK, time(14), tzinfo=LOCAL_TZ)
        assert event.decoded("DTSTART") == start.astimezone(UTC)
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1, minutes=30)
        assert str(event["LOCATION"]) == "Stadhuis, kamer 2"
        if message.to_address != client.email:  # calendars are shared and synced: no client name
            assert case.client.name not in message.ics and case.client.name not in message.body
        attendees = {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
        assert attendees == users | {message.to_address}  # the client, network, guests: only themselves
        assert ("/bijeenkomsten/" in message.ics) is (message.to_address in users)
        assert str(event["ORGANIZER"]) == f"mailto:{chair.email}"


def test_professionals_at_the_table_become_involved(table):
    case, chair, pros = table
    _plan(case, chair, pros)
    involved = set(
        db.session.scalars(select(CaseInvolvement.user_id).where(CaseInvolvement.case_id == case.id))
    )
    assert {p.id for p in pros} <= involved
    assert chair.id not in involved  # the project group sees every case anyway


def test_users_get_an_in_app_notification_too(table):
    from opkoers.models import Notification

    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == pros[0].id)).all()
    assert kinds == ["meeting_invited"]
    assert meeting.participants[0].user_id == chair.id  # the chair takes part


def test_a_clash_is_named_before_saving_and_recorded_when_saved_anyway(table):
    case, chair, pros = table
    _plan(case, chair, [pros[0]])
    with pytest.raises(RuleViolation) as error:
        _plan(case, chair, [pros[0]], start=time(15), end=time(16))
    clashes = error.value.details["clashes"]
    assert {c.person for c in clashes} == {chair.name, pros[0].name}
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
    second = _plan(case, chair, [pros[0]], start=time(15), end=time(16), accept_clashes=True)
    assert pros[0].name in second.clash_note and "14:00–15:30" in second.clash_note
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "meeting_planned").order_by(AuditEntry.id.desc())
    )
    assert entry.changes["clash_note"][1] == second.clash_note


def test_back_to_back_and_cancelled_meetings_do_not_clash(table):
    case, chair, pros = table
    first = _plan(case, chair, pros)
    _plan(case, chair, pros, start=time(15, 30), end=time(16))  # starts when the first ends
    meetings.cancel_meeting(chair, first, first.version, "Cliënt is ziek.")
    _plan(case, chair, pros, start=time(14), end=time(15))  # the cancelled one no longer counts


def test_a_meeting_in_the_past_is_recorded_without_invitations(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros, day=local_today() - timedelta(days=3))
    assert meeting.id and _mails(meeting) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"start": time(15), "end": time(14)}, "meeting_end_before_start"),
        ({"location": "", "video_link": ""}, "meeting_needs_place"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_written(table, changes, code):
    case, chair, pros = table
    with pytest.raises(RuleViolation) as error:
        _plan(case, chair, pros, **changes)
    assert error.value.code == code
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0
    assert _mails() == []


def test_a_change_sends_an_update_with_the_same_uid_and_a_higher_sequence(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    db.session.commit()
    _update(meeting, start=time(10), end=time(11))
    updates = [m for m in _mails(meeting) if m.key.startswith(f"invite:{meeting.id}:1:")]
    assert {m.to_address for m in updates} == {chair.email, pros[0].email, pros[1].email}
    _calendar, event = _event(updates[0])
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").astimezone(LOCAL_TZ).time() == time(10)


def _update(meeting, users=None, **changes):
    values = {
        "day": meeting.starts_at.astimezone(LOCAL_TZ).date(),
        "start": meeting.starts_at.astimezone(LOCAL_TZ).time(),
        "end": meeting.ends_at.astimezone(LOCAL_TZ).time(),
        "participants": [
            Participant(p.kind, p.user_id, p.name, p.email, p.relation)
            for p in meeting.participants
            if users is None or p.user_id in users
        ],
        "kind": meeting.kind,
        "location": meeting.location,
        "video_link": meeting.video_link,
        "chair_id": meeting.chair_id,
        "agenda": meeting.agenda,
    }
    values.update(changes)
    meetings.update_meeting(meeting.chair, meeting, meeting.version, **values)
    db.session.flush()


def test_a_participant_taken_off_gets_a_cancel_and_a_new_one_an_invitation(table, factory):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    newcomer = factory.user("professional")
    participants = [
        Participant("user", chair.id),
        Participant("user", pros[0].id),
        Participant("user", newcomer.id),
    ]
    _update(meeting, participants=participants)
    cancels = _mails(meeting, "CANCEL")
    assert [m.to_address for m in cancels] == [pros[1].email]
    calendar, event = _event(cancels[0])
    assert calendar["METHOD"] == "CANCEL" and str(event["UID"]) == meeting.uid
    assert str(event["STATUS"]) == "CANCELLED"
    assert meeting.sequence == 1 and event["SEQUENCE"] == 1  # outranks the invitation it cancels
    invites = [m.to_address for m in _mails(meeting, "REQUEST")]
    assert invites.count(newcomer.email) == 1  # the newcomer is invited
    assert invites.count(pros[0].email) == 1  # the time did not change: the others need no update


def test_someone_taken_off_and_put_back_is_invited_again(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros, participants=[Participant("user", pros[0].id), FOUR[3]])
    _update(meeting, participants=[Participant("user", pros[0].id)])
    _update(meeting, participants=[Participant("user", pros[0].id), FOUR[3]])
    to_guest = [
        (m.ics_method, _event(m)[1]["SEQUENCE"]) for m in _mails(meeting) if m.to_address == FOUR[3].email
    ]
    assert to_guest == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]


def test_a_new_address_for_the_coach_cancels_the_old_and_invites_the_new(table):
    case, chair, pros = table
    coach = Participant("coach", name="Coach Jansen", email="coach@example.org")
    meeting = _plan(case, chair, [], participants=[coach])
    _update(
        meeting,
        participants=[
            Participant("user", chair.id),
            Participant("coach", name="C. Jansen", email="cj@example.org"),
        ],
    )
    sent = [
        (m.ics_method, m.to_address)
        for m in _mails(meeting)
        if "coach" in m.to_address or "cj@" in m.to_address
    ]
    assert sent == [
        ("REQUEST", "coach@example.org"),
        ("CANCEL", "coach@example.org"),
        ("REQUEST", "cj@example.org"),
    ]
    # A new spelling of the name alone changes the row, not the invitations.
    _update(
        meeting,
        participants=[
            Participant("user", chair.id),
            Participant("coach", name="Carla Jansen", email="cj@example.org"),
        ],
    )
    assert [p.name for p in meeting.participants if p.kind == "coach"] == ["Carla Jansen"]
    assert len(_mails(meeting)) == 4  # the chair's first invitation and the three above


def test_the_order_of_problems_is_locked_with_the_minutes(table, factory):
    case, chair, pros = table
    meeting = _plan(case, chair, pros, day=local_today() - timedelta(days=1))
    first, second = factory.problems(case, ["Schulden", "Wonen"])
    meetings.save_minutes(chair, meeting, meeting.minutes_revision, "Kort verslag")
    meetings.sign_minutes(chair, meeting, meeting.minutes_revision)
    with pytest.raises(RuleViolation, match="minutes_locked"):
        meetings.move_problem(chair, meeting, second.id, "up")


def test_saving_one_part_of_the_meeting_page_leaves_another_parts_copy_valid_but_not_a_stale_one(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    seen_minutes = meeting.minutes_revision
    meetings.record_priority(chair, meeting, meeting.priority_revision, "Eerst de huur", None, "")
    meetings.record_attendance(chair, meeting, set())
    meetings.save_minutes(chair, meeting, seen_minutes, "Versie van A")  # other parts did not matter
    with pytest.raises(RuleViolation, match="stale"):
        meetings.save_minutes(chair, meeting, seen_minutes, "Versie van B, van de oude kopie")
    assert meeting.minutes == "Versie van A"


def test_cancelling_sends_everyone_a_cancel(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros, participants=[Participant("user", p.id) for p in pros] + FOUR[:1])
    meetings.cancel_meeting(chair, meeting, meeting.version, "De cliënt is verhuisd.")
    cancels = _mails(meeting, "CANCEL")
    assert {m.to_address for m in cancels} == {
        chair.email,
        pros[0].email,
        pros[1].email,
        "client@example.org",
    }
    assert all(_event(m)[1]["SEQUENCE"] == 1 for m in cancels)
    with pytest.raises(RuleViolation, match="meeting_cancelled"):
        meetings.cancel_meeting(chair, meeting, meeting.version, "Nog eens.")


def test_two_people_changing_the_same_meeting(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    db.session.commit()
    seen = meeting.version
    _update(meeting, agenda="Eerst dit")
    db.session.commit()
    with pytest.raises(RuleViolation, match="stale"):
        meetings.update_meeting(
            chair,
            meeting,
            seen,
            day=NEXT_WEEK,
            start=time(9),
            end=time(10),
            participants=[],
            kind="round_table",
            location="Elders",
            video_link="",
            chair_id=chair.id,
            agenda="Anders",
        )
    assert meeting.agenda == "Eerst dit"


# ---------------------------------------------------------------- at the table


def _held(case, chair, pros):
    """A meeting that was yesterday."""
    return _plan(case, chair, pros, day=local_today() - timedelta(days=1))


def test_minutes_lock_after_sign_off_and_corrections_become_addenda(table):
    case, chair, pros = table
    meeting = _held(case, chair, pros)
    meetings.save_minutes(chair, meeting, meeting.minutes_revision, "Besproken: de huurschuld.")
    db.session.flush()
    meetings.sign_minutes(chair, meeting, meeting.minutes_revision)
    db.session.flush()
    assert meeting.status == "held" and meeting.minutes_signed_by_id == chair.id
    with pytest.raises(RuleViolation, match="minutes_locked"):
        meetings.save_minutes(chair, meeting, meeting.minutes_revision, "Iets anders")
    with pytest.raises(RuleViolation, match="minutes_locked"):
        meetings.record_priority(chair, meeting, meeting.priority_revision, "Wonen", None, "")
    meetings.add_addendum(chair, meeting, "Correctie: de schuld is € 1.200.")
    assert meeting.minutes == "Besproken: de huurschuld." and len(meeting.addenda) == 1


def test_minutes_of_a_future_meeting_cannot_be_signed(table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    meetings.save_minutes(chair, meeting, meeting.minutes_revision, "Voorbereiding")
    db.session.flush()
    with pytest.raises(RuleViolation, match="meeting_not_started"):
        meetings.sign_minutes(chair, meeting, meeting.minutes_revision)
    with pytest.raises(RuleViolation, match="minutes_not_signed"):
        meetings.add_addendum(chair, meeting, "Te vroeg")


def test_attendance_priority_and_the_order_of_problems(table, factory):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    present = {p.id for p in meeting.participants if p.user_id != pros[1].id}
    meetings.record_attendance(chair, meeting, present)
    assert [p.attended for p in meeting.participants] == [True, True, False]
    domain = factory.life_domains()[1]
    meetings.record_priority(
        chair, meeting, meeting.priority_revision, "Ik wil eerst rust over de huur.", domain.id, "Afbetalen"
    )
    db.session.flush()
    assert meetings.current_priority(case).prioritised_problem == "Ik wil eerst rust over de huur."
    debts, house, work = factory.problems(case, ["Schulden", "Wonen", "Werk"])
    meetings.move_problem(chair, meeting, work.id, "up")
    assert [p.description for p in meetings.case_problems(case)] == ["Schulden", "Werk", "Wonen"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "problems_reordered"))
    assert entry.changes["life_domain_order"][1] == [p.life_domain_id for p in meetings.case_problems(case)]


def test_an_action_agreed_at_the_meeting_belongs_to_it(table):
    from opkoers.services import actions

    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    actions.add_action(
        chair,
        case,
        meeting=meeting,
        description="Huur regelen",
        assignee_kind="user",
        assignee_user_id=pros[0].id,
        due_on=NEXT_WEEK,
    )
    actions.add_action(chair, case, description="Los", assignee_kind="client", due_on=NEXT_WEEK)
    assert [a.description for a in meetings.meeting_actions(meeting)] == ["Huur regelen"]


# ---------------------------------------------------------------- calendar views and feed


def test_week_lists(table, factory):
    case, chair, pros = table
    meeting = _plan(case, chair, [pros[0]])
    monday = meetings.week_start(NEXT_WEEK)
    assert meetings.week_meetings(pros[0], monday, only_mine=True) == [meeting]
    assert meetings.week_meetings(pros[1], monday, only_mine=True) == []
    assert meetings.week_meetings(chair, monday, only_mine=False) == [meeting]
    assert meetings.week_meetings(chair, monday + timedelta(days=7), only_mine=False) == []
    stranger = factory.user("professional")
    assert meetings.week_meetings(stranger, monday, only_mine=False) == []


def test_the_calendar_feed_follows_the_secret_and_the_consent(app, table):
    case, chair, pros = table
    meeting = _plan(case, chair, pros)
    token = meetings.renew_calendar_token(pros[0])
    db.session.commit()
    client = app.test_client()
    response = client.get(f"/agenda/feed/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [meeting.uid]
    assert "METHOD" not in calendar

    # Without a valid consent the professional no longer sees the case, nor its meetings.
    from opkoers.models import Consent

    for consent in db.session.scalars(select(Consent).where(Consent.case_id == case.id)):
        consent.withdrawn_at = datetime.now(UTC)
    db.session.commit()
    assert Calendar.from_ical(client.get(f"/agenda/feed/{token}.ics").data).walk("VEVENT") == []

    meetings.revoke_calendar_token(pros[0])
    db.session.commit()
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 404
    assert client.get("/agenda/feed/not-a-token.ics").status_code == 404


def test_upcoming_meetings_are_the_next_ones_not_yet_over(factory):
    chair = factory.user("projectgroep")
    case = factory.case(status="in_progress")
    now = datetime.now(LOCAL_TZ)
    ongoing = factory.meeting(case, chair, day=now.date(), start=time(0, 1), end=time(23, 59))
    later = factory.meeting(case, chair, day=now.date() + timedelta(days=3))
    factory.meeting(case, chair, day=now.date() - timedelta(days=2))  # over
    factory.meeting(case, factory.user("projectgroep"), day=now.date() + timedelta(days=1))  # not mine
    db.session.flush()
    assert [m.id for m in meetings.upcoming_meetings(chair)] == [ongoing.id, later.id]


def test_a_new_address_or_relation_of_a_participant_goes_in_the_trail(table):
    """Names alone do not show it, but the case's trail (and so its pages) must."""
    case, chair, pros = table
    network = Participant("network", name="Els de Buur", email="els@example.org", relation="buurvrouw")
    meeting = _plan(case, chair, pros)
    _update(meeting, participants=[Participant("user", chair.id), network])

    def entries() -> list[AuditEntry]:
        query = select(AuditEntry).where(
            AuditEntry.case_id == case.id, AuditEntry.action == "meeting_updated"
        )
        return db.session.scalars(query).all()

    before = len(entries())
    moved = Participant("network", name="Els de Buur", email="els@example.nl", relation="buurvrouw")
    _update(meeting, participants=[Participant("user", chair.id), moved])
    assert len(entries()) == before + 1
    other = Participant("network", name="Els de Buur", email="els@example.nl", relation="vriendin")
    _update(meeting, participants=[Participant("user", chair.id), other])
    assert len(entries()) == before + 2
