"""The case list, "my actions" and the impact report keep a fixed number of SQL queries from a
handful of records to thousands; one scheduler pass over 20,000 actions and the impact report over
5,000 closed cases are timed."""

import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, update

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import (
    Action,
    BudgetEntry,
    Case,
    CaseClosing,
    Client,
    Handover,
    Meeting,
    Neighbourhood,
    SelfRelianceMeasurement,
    SelfRelianceScore,
    SelfRelianceTheme,
)
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


def add_closed_cases(count: int, neighbourhood_ids: list[int], user_id: int, team_id: int) -> None:
    """Insert many closed cases, in bulk, each with what the impact report reads: a round table, a
    closing talk, an accepted handover, the closing (a, b or c), four measurements on every theme of
    the instrument, and a budget commitment."""
    first_client = db.session.scalar(select(func.coalesce(func.max(Client.id), 0))) + 1
    add_clients(count, neighbourhood_ids)
    case_ids = db.session.scalars(
        select(Case.id).where(Case.client_id >= first_client).order_by(Case.id)
    ).all()
    referred = dict(db.session.execute(select(Case.id, Case.referred_on).where(Case.id.in_(case_ids))).all())
    db.session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(status="closed", decision="admitted", decided_on=Case.referred_on, closed_on=Case.referred_on)
    )
    at = datetime(2021, 6, 1, 10, tzinfo=UTC)
    meeting = {"location": "Stadhuis", "video_link": "", "agenda": "", "clash_note": "", "cancel_reason": ""}
    meeting |= {"minutes": "", "prioritised_problem": "", "client_solution": "", "version": 1, "sequence": 0}
    meeting |= {"minutes_revision": 0, "priority_revision": 0, "created_at": at, "updated_at": at}
    db.session.execute(
        insert(Meeting),
        [
            meeting
            | {
                "case_id": c,
                "kind": kind,
                "status": "held",
                "starts_at": at + timedelta(days=i % 300 + offset),
                "ends_at": at + timedelta(days=i % 300 + offset, hours=1),
                "uid": f"{kind}-{c}@scale",
            }
            for i, c in enumerate(case_ids)
            for kind, offset in (("round_table", 10), ("closing", 90))
        ],
    )
    talks = dict(
        db.session.execute(
            select(Meeting.case_id, Meeting.id).where(
                Meeting.kind == "closing", Meeting.case_id.in_(case_ids)
            )
        ).all()
    )
    outcomes = ("plan_done", "plan_done", "goals_unreachable", "no_cooperation")
    db.session.execute(
        insert(CaseClosing),
        [
            {
                "case_id": c,
                "outcome": outcomes[i % 4],
                "unreachable_goals": [],
                "explanation": "",
                "meeting_id": talks[c],
                "closed_by_id": user_id,
                "follow_up_by_id": user_id,
                "closed_at": at,
            }
            for i, c in enumerate(case_ids)
        ],
    )
    db.session.execute(
        insert(Handover),
        [
            {
                "case_id": c,
                "team_id": team_id,
                "contact_id": user_id,
                "team_reason": "",
                "status": "safety_net" if i % 20 == 0 else "accepted",
                "question": "",
                "created_by_id": user_id,
                "created_at": at,
                "updated_at": at,
                "accepted_at": at + timedelta(days=i % 300 + 60),
                "safety_net_reason": "Terugval" if i % 20 == 0 else "",
                "version": 1,
            }
            for i, c in enumerate(case_ids)
        ],
    )
    moments = ("start", "end", "half_year", "year")
    db.session.execute(
        insert(SelfRelianceMeasurement),
        [
            {
                "case_id": c,
                "moment": m,
                "due_on": referred[c],
                "assignee_id": user_id,
                "taken_on": referred[c],
                "taken_by_id": user_id,
                "note": "",
                "version": 1,
            }
            for c in case_ids
            for m in moments
        ],
    )
    measurements = db.session.execute(
        select(
            SelfRelianceMeasurement.id, SelfRelianceMeasurement.case_id, SelfRelianceMeasurement.moment
        ).where(SelfRelianceMeasurement.case_id.in_(case_ids))
    ).all()
    theme_ids = db.session.scalars(select(SelfRelianceTheme.id)).all()
    base = {"start": 2, "end": 4, "half_year": 4, "year": 3}
    db.session.execute(
        insert(SelfRelianceScore),
        [
            {"measurement_id": m_id, "theme_id": t, "score": min(5, base[moment] + (case_id + t) % 2)}
            for m_id, case_id, moment in measurements
            for t in theme_ids
        ],
    )
    db.session.execute(
        insert(BudgetEntry),
        [
            {
                "case_id": c,
                "kind": "commitment",
                "category": "housing",
                "description": "Borg",
                "payee": "Woningcorporatie",
                "amount_cents": 45000,
                "decided_by_id": user_id,
                "entry_date": referred[c],
                "created_by_id": user_id,
                "created_at": at,
            }
            for c in case_ids
        ],
    )
    db.session.commit()


def impact_world(factory, neighbourhoods: int):
    """What the impact report needs around closed cases: a neighbourhood team with neighbourhoods,
    a project-group member and the self-reliance themes."""
    team = factory.organisation("Buurtteam", "buurtteam")
    hoods = [factory.neighbourhood(team=team) for _ in range(neighbourhoods)]
    pg = factory.user("projectgroep")
    factory.themes()
    db.session.commit()
    return team, hoods, pg


def test_the_impact_report_over_5000_closed_cases(login, factory, capsys):
    team, hoods, pg = impact_world(factory, 3)
    client = login(pg)
    urls = ["/impact", f"/impact?jaar=2021&wijk={hoods[0].id}", "/impact.csv?jaar=2022"]
    add_closed_cases(100, [h.id for h in hoods], pg.id, team.id)
    small = [list_queries(client, url) for url in urls]
    add_closed_cases(4900, [h.id for h in hoods], pg.id, team.id)
    assert db.session.scalar(select(func.count()).select_from(CaseClosing)) == 5000
    large = [list_queries(client, url) for url in urls]
    assert small == large
    timings = []
    for url in urls:
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    page = client.get("/impact").get_data(as_text=True)
    assert "Trajecten: 5000" in page
    with capsys.disabled():
        print(
            f"\n[{db.engine.dialect.name}] impact report queries with 100 / 5,000 closed cases: "
            f"{small} / {large}; time with 5,000: "
            + ", ".join(f"{u} {t * 1000:.0f} ms" for u, t in zip(urls, timings, strict=True))
        )
    assert max(timings) < 5
