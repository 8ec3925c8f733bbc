"""The case list and "my actions" keep a fixed number of SQL queries from a handful of records to
thousands; one scheduler pass over 20,000 actions is timed."""

import time
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import Action, Case, Client, Neighbourhood
from opkoers.models.base import utcnow
from opkoers.timeutil import local_today

from .helpers import count_queries


def add_clients(count: int, neighbourhood_ids: list[int]) -> None:
    """Insert many clients with a case each, in two bulk statements."""
    start = db.session.scalar(select(db.func.coalesce(db.func.max(Client.id), 0))) + 1
    clients = [
        {
            "id": start + i,
            "name": f"Generated Client {start + i}",
            "date_of_birth": date(1950, 1, 1) + timedelta(days=i % 20000),
            "address": "Straat 1",
            "postcode": "",
            "city": "Houten",
            "neighbourhood_id": neighbourhood_ids[i % len(neighbourhood_ids)],
            "phone": "",
            "email": "",
            "version": 1,
        }
        for i in range(count)
    ]
    statuses = ("referred", "intake", "admitted", "in_progress", "declined")
    cases = [
        {
            "client_id": start + i,
            "status": statuses[i % 5],
            "crisis": i % 50 == 0,
            "crisis_kind": "eviction" if i % 50 == 0 else None,
            "urgency": "normal",
            "referrer_kind": "self",
            "referrer_name": "",
            "referrer_role": "",
            "referrer_organisation": "",
            "channel": "phone",
            "referred_on": date(2020, 1, 1) + timedelta(days=i % 2000),
            "reason": "Generated",
            "decision_motivation": "",
            "closed_reason": "",
            "version": 1,
        }
        for i in range(count)
    ]
    db.session.execute(insert(Client), clients)
    db.session.execute(insert(Case), cases)
    db.session.commit()


def list_queries(client, url: str) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_case_list_query_count_does_not_grow(login, factory, capsys):
    team = factory.organisation("Buurtteam", "buurtteam")
    hoods = [factory.neighbourhood(team=team) for _ in range(3)]
    client = login(factory.user("projectgroep"))
    add_clients(80, [h.id for h in hoods])
    urls = [
        "/trajecten",
        f"/trajecten?q=client&status=intake&wijk={hoods[0].id}&crisis=1",
        "/trajecten?page=3",
    ]
    small = [list_queries(client, url) for url in urls]
    add_clients(5000, [h.id for h in hoods])
    large = [list_queries(client, url) for url in urls]
    assert small == large
    with capsys.disabled():
        print(f"\n[{db.engine.dialect.name}] case list queries with 80 / 5,080 cases: {small} / {large}")
    assert db.session.scalar(select(db.func.count()).select_from(Neighbourhood)) == 3


def add_actions(count: int, case_ids: list[int], user_ids: list[int]) -> None:
    """Insert many actions in one bulk statement: spread over cases, people, statuses and due dates
    (two months back to two months ahead)."""
    today = local_today()
    statuses = ("open", "in_progress", "done", "cancelled", "open")
    rows = [
        {
            "case_id": case_ids[i % len(case_ids)],
            "description": f"Generated action {i}",
            "assignee_kind": "user",
            "assignee_user_id": user_ids[i % len(user_ids)],
            "assignee_name": "",
            "due_on": today + timedelta(days=i % 120 - 60),
            "status": statuses[i % 5],
            "status_changed_at": utcnow(),
            "created_at": utcnow(),
            "version": 1,
        }
        for i in range(count)
    ]
    db.session.execute(insert(Action), rows)
    db.session.commit()


def test_my_actions_and_the_scheduler_with_20000_actions(app, login, factory, capsys):
    org = factory.organisation()
    busy = factory.user("professional", org)
    others = [factory.user("professional", org) for _ in range(49)]
    cases = [
        factory.case("in_progress", involved=[busy, *others[:5]], consent_organisations=[org])
        for _ in range(50)
    ]
    db.session.commit()
    case_ids = [c.id for c in cases]
    add_actions(200, case_ids, [busy.id])
    client = login(busy)
    few = list_queries(client, "/acties")
    few_overdue = list_queries(client, "/acties?toon=overdue&page=2")
    add_actions(20_000 - 200, case_ids, [busy.id] + [u.id for u in others])
    assert db.session.scalar(select(func.count()).select_from(Action)) == 20_000
    many = list_queries(client, "/acties")
    many_overdue = list_queries(client, "/acties?toon=overdue&page=2")
    assert (few, few_overdue) == (many, many_overdue)

    timings = []
    for _ in range(2):  # the first pass creates the reminders, the second finds nothing new
        started = time.perf_counter()
        created = jobs.action_reminders(app) + jobs.meeting_reminders(app) + jobs.weekly_digest(app)
        timings.append((created, time.perf_counter() - started))
    assert timings[1][0] == 0
    with capsys.disabled():
        print(
            f"\n[{db.engine.dialect.name}] my actions queries with 200 / 20,000 actions: {few} / {many}; "
            f"scheduler pass over 20,000 actions: first {timings[0][1]:.2f} s ({timings[0][0]} reminders), "
            f"next {timings[1][1]:.2f} s"
        )
    assert timings[1][1] < 10
