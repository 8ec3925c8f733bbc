"""The case list keeps a fixed number of SQL queries from a handful of clients to thousands."""

from datetime import date, timedelta

from sqlalchemy import insert, select

from opkoers.extensions import db
from opkoers.models import Case, Client, Neighbourhood

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
