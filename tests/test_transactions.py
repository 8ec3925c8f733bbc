"""A page view reads without taking SQLite's write lock; its access-log rows are written when it
ends; a page view that writes without saying so first is a programming error that a test finds."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from opkoers import timeutil, transactions
from opkoers.extensions import db
from opkoers.models import AccessLogEntry, SchedulerHeartbeat, UserSession
from opkoers.models.base import utcnow


@pytest.fixture
def transaction_starts(app):
    """The BEGIN statements SQLite receives (PostgreSQL's driver begins on its own)."""
    seen: list[str] = []

    def spy(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    yield seen
    event.remove(db.engine, "before_cursor_execute", spy)


def test_a_page_view_reads_and_then_writes_its_log_rows_on_their_own(login, factory, transaction_starts):
    case = factory.case("intake")
    user = factory.user("projectgroep")
    db.session.commit()
    client = login(user)
    count = db.session.scalar(select(db.func.count()).select_from(AccessLogEntry))
    url = f"/trajecten/{case.id}"
    db.session.commit()
    transaction_starts.clear()

    assert client.get(url).status_code == 200
    during_the_request = list(transaction_starts)

    assert db.session.scalar(select(db.func.count()).select_from(AccessLogEntry)) == count + 1
    if db.engine.dialect.name == "sqlite":
        # the page read without the write lock; only the short log write at the end took it
        assert during_the_request == ["BEGIN", "BEGIN IMMEDIATE"]


def test_a_form_takes_the_write_lock_at_its_start(login, factory, transaction_starts):
    user = factory.user("projectgroep")
    db.session.commit()
    client = login(user)
    transaction_starts.clear()
    client.post("/taal", data={"lang": "en"})
    if db.engine.dialect.name == "sqlite":
        assert transaction_starts and set(transaction_starts) == {"BEGIN IMMEDIATE"}


def test_a_page_view_that_writes_without_saying_so_is_stopped(app):
    with app.test_request_context("/start", method="GET"):
        db.session.rollback()
        with pytest.raises(transactions.WriteInReadTransaction):
            db.session.execute(insert(SchedulerHeartbeat).values(name="probe", beat_at=utcnow()))
        db.session.rollback()
        assert transactions.start_writing() is True
        db.session.execute(insert(SchedulerHeartbeat).values(name="probe", beat_at=utcnow()))
        db.session.commit()
    assert db.session.get(SchedulerHeartbeat, "probe") is not None


def test_a_page_view_moves_the_sessions_last_seen_time_on(login, factory):
    user = factory.user("professional")
    db.session.commit()
    client = login(user)
    with timeutil.travel(timedelta(minutes=5)):
        assert client.get("/start").status_code == 200
    db.session.expire_all()
    last_seen = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user.id))
    assert last_seen > utcnow() + timedelta(minutes=4)
