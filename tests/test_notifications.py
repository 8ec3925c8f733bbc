"""Reminders arrive exactly once: again and again, after downtime, and with two schedulers at once."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import Notification
from opkoers.services import notifications
from opkoers.timeutil import local_today

TODAY = local_today()


def _count(**filters) -> int:
    query = select(func.count()).select_from(Notification).filter_by(**filters)
    return db.session.scalar(query)


def _world(factory):
    user = factory.user("professional")
    case = factory.case("in_progress")
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
    results, failures = [], []

    def run():
        try:
            results.append(jobs.action_reminders(app))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
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
