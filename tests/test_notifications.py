"""Reminders arrive exactly once: again and again, after downtime, and with two schedulers at once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import Notification, OutboxMessage
from opkoers.models.base import utcnow
from opkoers.services import meetings, notifications
from opkoers.timeutil import local_today

from .helpers import run_at_once

TODAY = local_today()


def _count(**filters) -> int:
    query = select(func.count()).select_from(Notification).filter_by(**filters)
    return db.session.scalar(query)


def _world(factory):
    org = factory.organisation()
    user = factory.user("professional", org)
    case = factory.case("in_progress", involved=[user], consent_organisations=[org])
    tomorrow = factory.action(case, user, due=TODAY + timedelta(days=1))
    late = factory.action(case, user, due=TODAY - timedelta(days=2))
    factory.action(case, user, due=TODAY + timedelta(days=5))  # not yet
    factory.action(case, user, due=TODAY - timedelta(days=1), status="done")  # finished
    factory.action(case, organisation=factory.organisation(), due=TODAY)  # nobody of it is involved
    gone = factory.user("professional", active=False)
    factory.action(case, gone, due=TODAY - timedelta(days=1))  # switched-off account: flagged, not reminded
    db.session.commit()
    return user, tomorrow, late


def test_each_reminder_is_created_once(app, factory):
    user, tomorrow, late = _world(factory)
    assert notifications.send_action_reminders() == 2
    assert notifications.send_action_reminders() == 0
    assert _count(user_id=user.id, kind="action_due_tomorrow") == 1
    assert _count(user_id=user.id, kind="action_overdue") == 1
    keys = set(db.session.scalars(select(Notification.key)))
    assert keys == {
        f"action_due_tomorrow:{tomorrow.id}:{user.id}:{tomorrow.due_on.isoformat()}",
        f"action_overdue:{late.id}:{user.id}:{late.due_on.isoformat()}",
    }


def test_after_three_days_of_downtime_nothing_is_skipped_or_doubled(app, factory):
    user, tomorrow, late = _world(factory)
    assert notifications.send_action_reminders(today=TODAY) == 2
    # The scheduler was down for three days: 'tomorrow' has become overdue (one new reminder); the
    # overdue one was already sent, and the action due in five days is not due tomorrow yet.
    later = TODAY + timedelta(days=3)
    assert notifications.send_action_reminders(today=later) == 1
    assert notifications.send_action_reminders(today=later) == 0
    assert _count(user_id=user.id) == 3
    assert _count(user_id=user.id, kind="action_overdue") == 2


def test_two_schedulers_at_once_send_each_reminder_once(app, factory):
    _world(factory)
    db.session.commit()
    results = run_at_once(lambda: jobs.action_reminders(app))
    assert sorted(results) == [0, 2]
    db.session.rollback()
    assert _count() == 2


def test_the_inbox_and_the_unread_count(login, factory):
    user, _, _ = _world(factory)
    notifications.send_action_reminders()
    client = login(user)
    start = client.get("/start").get_data(as_text=True)
    assert '<span class="badge badge--count">2' in start
    inbox = client.get("/meldingen").get_data(as_text=True)
    assert "Deze actie is te laat:" in inbox and "Morgen moet deze actie klaar zijn:" in inbox
    assert client.post("/meldingen/gelezen").status_code == 302
    assert "badge--count" not in client.get("/start").get_data(as_text=True)
    assert _count(user_id=user.id) == 2  # read, not gone


def test_the_badge_stops_counting_at_99(login, factory):
    user = factory.user("professional")
    db.session.commit()
    items = [{"key": f"k{i}", "user_id": user.id, "kind": "digest", "subject": "Week"} for i in range(120)]
    notifications.notify_many(items)
    db.session.commit()
    assert '<span class="badge badge--count">99+' in login(user).get("/start").get_data(as_text=True)


def test_each_reminder_is_also_one_e_mail(app, factory):
    user, _, _ = _world(factory)
    notifications.send_action_reminders()
    notifications.send_action_reminders()
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert len(mails) == 2 and {m.to_address for m in mails} == {user.email}
    assert all("Bekijk het hier: http" in m.body for m in mails)
    assert all("Actie" not in m.subject + m.body for m in mails)  # what happened, not the details


def test_an_action_for_an_organisation_reminds_its_people_involved_in_the_case(app, factory):
    org = factory.organisation("Woningcorporatie", kind="woningcorporatie")
    involved = factory.user("professional", org)
    elsewhere = factory.user("professional", org)  # same organisation, not on this case
    case = factory.case("in_progress", involved=[involved], consent_organisations=[org])
    action = factory.action(case, organisation=org, due=TODAY - timedelta(days=1))
    db.session.commit()
    assert notifications.send_action_reminders() == 1
    assert _count(user_id=involved.id, kind="action_overdue") == 1
    assert _count(user_id=elsewhere.id) == 0
    assert db.session.scalar(select(Notification.subject)) == action.description


def _meeting_tomorrow(factory, **extra):
    chair = factory.user("projectgroep")
    org = factory.organisation()
    pro = factory.user("professional", org)
    case = factory.case("in_progress", consent_organisations=[org])
    meeting = factory.meeting(case, chair, users=[pro], day=TODAY + timedelta(days=1), **extra)
    db.session.commit()
    return meeting, chair, pro


def test_nobody_is_reminded_of_a_case_they_may_no_longer_see(app, factory):
    org = factory.organisation()
    outside = factory.organisation()
    inside = factory.user("professional", org)
    stranger = factory.user("professional", outside)  # involved, but not in the consent
    case = factory.case("in_progress", involved=[inside, stranger], consent_organisations=[org])
    factory.action(case, organisation=outside, due=TODAY - timedelta(days=1))
    factory.action(case, stranger, due=TODAY - timedelta(days=1))
    factory.action(case, organisation=org, due=TODAY - timedelta(days=1))
    db.session.commit()
    assert notifications.send_action_reminders() == 1
    assert _count(user_id=stranger.id) == 0 and _count(user_id=inside.id) == 1


def test_the_day_before_a_meeting_each_user_at_the_table_is_reminded_once(app, factory):
    meeting, chair, pro = _meeting_tomorrow(factory)
    factory.meeting(meeting.case, chair, users=[pro], day=TODAY + timedelta(days=2))  # not yet
    db.session.commit()
    assert notifications.send_meeting_reminders() == 2
    assert notifications.send_meeting_reminders() == 0
    assert _count(kind="meeting_reminder", user_id=pro.id) == 1
    # Moved to the day after: a new reminder for the new date, the day before it.
    meeting.starts_at += timedelta(days=1)
    meeting.ends_at += timedelta(days=1)
    db.session.commit()
    later = utcnow() + timedelta(days=1)
    assert notifications.send_meeting_reminders(now=later) == 2 + 2  # both meetings now fall tomorrow


def test_no_reminder_for_a_cancelled_meeting(app, factory):
    meeting, chair, _pro = _meeting_tomorrow(factory)
    meetings.cancel_meeting(chair, meeting, meeting.version, "Gaat niet door.")
    db.session.commit()
    assert notifications.send_meeting_reminders() == 0


def test_the_weekly_digest_comes_once_a_week(app, factory):
    user, _, _ = _world(factory)
    same_week = TODAY + timedelta(days=1 if TODAY.weekday() < 6 else -1)
    assert notifications.send_weekly_digest(today=TODAY) == 1
    assert notifications.send_weekly_digest(today=same_week) == 0
    subject = db.session.scalar(select(Notification.subject).where(Notification.kind == "weekly_digest"))
    assert subject == "3 open acties, waarvan 1 te laat."
    assert notifications.send_weekly_digest(today=TODAY + timedelta(days=7)) == 1
    assert _count(user_id=user.id, kind="weekly_digest") == 2


def test_two_schedulers_deliver_each_e_mail_once(app, factory, monkeypatch):
    import smtplib

    sent = []

    class RecordingSMTP:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            pass

        def send_message(self, message, to_addrs=None):
            sent.append(message["To"])

    _world(factory)
    notifications.send_action_reminders()
    factory.meeting(
        factory.case("in_progress"), factory.user("projectgroep"), users=[factory.user("professional")]
    )
    db.session.commit()
    app.config.update(MAIL_TRANSPORT="smtp", MAIL_SERVER="smtp.example.org")
    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    results = run_at_once(lambda: jobs.deliver_mail(app))
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert sum(results) == len(sent) == total == 4


def test_a_crash_half_way_through_a_batch_loses_nothing_and_doubles_nothing(app, factory, monkeypatch):
    user, _, _ = _world(factory)
    db.session.commit()
    real = notifications.notify_many
    calls = []

    def crash_on_the_second_batch(items):
        calls.append(len(items))
        if len(calls) == 2:
            raise RuntimeError("scheduler killed")
        return real(items)

    monkeypatch.setattr(notifications, "BATCH", 1)
    monkeypatch.setattr(notifications, "notify_many", crash_on_the_second_batch)
    with pytest.raises(RuntimeError):
        jobs.action_reminders(app)  # the job's transaction is rolled back with the crash
    assert _count() == 0
    db.session.rollback()  # (SQLite: end the test's own read before the job writes)
    monkeypatch.setattr(notifications, "notify_many", real)
    assert jobs.action_reminders(app) == 2
    assert jobs.action_reminders(app) == 0
    assert _count(user_id=user.id) == 2
