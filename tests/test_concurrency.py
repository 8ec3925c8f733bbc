"""Several people at once: page views that write the access log while others write too."""

import threading

from sqlalchemy import func, select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import AccessLogEntry

from .factories import Factory


def test_page_views_and_writes_at_the_same_time(app, factory):
    case = factory.case("intake")
    users = [factory.user("projectgroep") for _ in range(4)]
    db.session.commit()
    case_id = case.id
    clients = []
    for user in users:
        client = app.test_client()
        assert (
            client.post("/login", data={"email": user.email, "password": Factory.PASSWORD}).status_code == 302
        )
        clients.append(client)
    db.session.commit()

    statuses: list[int] = []
    failures: list[BaseException] = []

    def view(client):
        try:
            with app.app_context():
                for _ in range(8):
                    statuses.append(client.get(f"/trajecten/{case_id}").status_code)
        except BaseException as error:  # noqa: BLE001 - collected and reported below
            failures.append(error)

    def beat():
        try:
            for _ in range(8):
                jobs.heartbeat(app)
        except BaseException as error:  # noqa: BLE001
            failures.append(error)

    threads = [threading.Thread(target=view, args=(c,)) for c in clients] + [threading.Thread(target=beat)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert statuses == [200] * 32
    db.session.rollback()
    logged = db.session.scalar(
        select(func.count()).select_from(AccessLogEntry).where(AccessLogEntry.case_id == case_id)
    )
    assert logged == 32
