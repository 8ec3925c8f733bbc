"""Actions: agreed on a case, updated in two clicks, and 'my actions' across cases."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.models import Action, AuditEntry
from opkoers.services import actions
from opkoers.timeutil import local_today

from .helpers import count_queries

TODAY = local_today()


@pytest.fixture
def pg(factory):
    return factory.user("projectgroep")


def test_add_an_action_for_each_kind_of_assignee(pg, factory):
    case = factory.case("in_progress")
    org = factory.organisation()
    base = {"description": "Huurachterstand bespreken", "due_on": TODAY + timedelta(days=7)}
    for_user = actions.add_action(pg, case, assignee_kind="user", assignee_user_id=pg.id, **base)
    for_org = actions.add_action(
        pg, case, assignee_kind="organisation", assignee_organisation_id=org.id, **base
    )
    for_net = actions.add_action(
        pg, case, assignee_kind="network", assignee_name="Tante Ria", assignee_user_id=pg.id, **base
    )
    for_client = actions.add_action(pg, case, assignee_kind="client", **base)
    assert for_user.assignee_user_id == pg.id and for_org.assignee_organisation_id == org.id
    assert for_net.assignee_name == "Tante Ria" and for_net.assignee_user_id is None  # only the kind's 'who'
    assert for_client.assignee_name == "" and for_client.status == "open"
    added = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "action_added")).all()
    assert len(added) == 4 and all(e.case_id == case.id for e in added)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"assignee_kind": "user"}, "action_needs_user"),
        ({"assignee_kind": "organisation"}, "action_needs_organisation"),
        ({"assignee_kind": "network", "assignee_name": ""}, "action_needs_name"),
    ],
)
def test_an_action_needs_its_who(pg, factory, fields, code):
    case = factory.case("in_progress")
    with pytest.raises(RuleViolation) as error:
        actions.add_action(pg, case, description="Iets", due_on=TODAY, **fields)
    assert error.value.code == code


def test_no_actions_on_a_declined_case(pg, factory):
    with pytest.raises(RuleViolation, match="case_closed"):
        actions.add_action(
            pg, factory.case("declined"), description="X", assignee_kind="client", due_on=TODAY
        )


def test_status_changes_are_versioned_and_audited(pg, factory):
    action = factory.action(factory.case("in_progress"), user=pg)
    version = action.version
    actions.change_action_status(pg, action, version, "done")
    db.session.flush()
    assert action.status == "done" and action.status_changed_by_id == pg.id
    with pytest.raises(RuleViolation, match="stale"):
        actions.change_action_status(pg, action, version, "open")  # someone saved in between
    with pytest.raises(RuleViolation, match="action_status_unchanged"):
        actions.change_action_status(pg, action, action.version, "done")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "action_status_changed"))
    assert entry.changes == {"action_status": ["open", "done"]}


def test_my_actions_are_mine_or_my_organisations_on_cases_i_may_see(factory):
    org = factory.organisation("Schuldhulp", "schuldhulp")
    me = factory.user("professional", org)
    colleague = factory.user("professional", org)
    seen = factory.case("in_progress", involved=[me], consent_organisations=[org])
    hidden = factory.case("in_progress", involved=[me])  # no consent for my organisation
    late = factory.action(seen, user=me, due=TODAY - timedelta(days=3), description="Te laat")
    soon = factory.action(seen, organisation=org, due=TODAY + timedelta(days=3), description="Voor de org")
    factory.action(seen, user=colleague, description="Van een collega")
    factory.action(hidden, user=me, description="Verborgen")
    done = factory.action(seen, user=me, status="done", description="Al klaar")
    descriptions = lambda show: [a.description for a in actions.my_actions(me, show, 1, 25).items]  # noqa: E731
    assert descriptions("open") == [late.description, soon.description]
    assert descriptions("overdue") == [late.description]
    assert descriptions("finished") == [done.description]
    assert descriptions("all") == [late.description, soon.description, done.description]
    assert actions.overdue_actions(me)[0] == 1


def _my_actions_queries(client) -> int:
    client.get("/acties")
    db.session.expire_all()
    with count_queries() as statements:
        assert client.get("/acties").status_code == 200
    return len(statements)


def test_my_actions_page_has_a_fixed_number_of_queries(login, factory):
    org = factory.organisation()
    me = factory.user("professional", org)
    cases = [factory.case("in_progress", involved=[me], consent_organisations=[org]) for _ in range(3)]
    for i in range(20):
        action = factory.action(cases[i % 3], user=me, due=TODAY + timedelta(days=i - 10))
        actions.add_action_note(me, action, f"Notitie {i}")
    client = login(me)
    few = _my_actions_queries(client)
    for i in range(200):
        factory.action(cases[i % 3], user=me, due=TODAY + timedelta(days=i))
    assert _my_actions_queries(client) == few


def test_mark_done_in_place_with_htmx(login, factory):
    org = factory.organisation()
    pro = factory.user("professional", org)
    case = factory.case("in_progress", involved=[pro], consent_organisations=[org])
    action = factory.action(case, user=pro)
    client = login(pro)
    response = client.post(
        f"/acties/{action.id}/status",
        data={"status": "done", "version": action.version},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith(f'<li id="action-{action.id}"')
    assert "Weer openzetten" in body
    db.session.expire_all()
    assert action.status == "done"


def test_without_javascript_the_update_returns_to_the_page(login, factory):
    pg_user = factory.user("projectgroep")
    case = factory.case("in_progress")
    action = factory.action(case, user=pg_user)
    client = login(pg_user)
    data = {"status": "in_progress", "version": action.version, "next": "/acties?toon=all"}
    response = client.post(f"/acties/{action.id}/status", data=data)
    assert response.status_code == 302 and response.location == "/acties?toon=all"
    response = client.post(f"/acties/{action.id}/notitie", data={"text": "", "next": "//evil.example"})
    assert response.status_code == 302 and response.location == f"/trajecten/{case.id}"


def test_a_stale_status_change_says_so(login, factory):
    pg_user = factory.user("projectgroep")
    action = factory.action(factory.case("in_progress"), user=pg_user)
    client = login(pg_user)
    old = action.version
    client.post(f"/acties/{action.id}/status", data={"status": "done", "version": old})
    response = client.post(
        f"/acties/{action.id}/status",
        data={"status": "cancelled", "version": old},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert action.status == "done"


def test_others_who_see_the_case_may_not_update_someone_elses_action(login, factory):
    org = factory.organisation()
    mine, other = factory.user("professional", org), factory.user("professional", factory.organisation())
    case = factory.case(
        "in_progress", involved=[mine, other], consent_organisations=[org, other.organisation]
    )
    action = factory.action(case, user=mine)
    client = login(other)
    response = client.post(f"/acties/{action.id}/status", data={"status": "done", "version": action.version})
    assert response.status_code == 403
    assert f'id="action-{action.id}"' in client.get(f"/trajecten/{case.id}").get_data(as_text=True)


def test_notes_are_kept_and_shown_as_text(login, factory):
    pg_user = factory.user("projectgroep")
    case = factory.case("in_progress")
    action = factory.action(case, user=pg_user)
    client = login(pg_user)
    response = client.post(
        f"/acties/{action.id}/notitie",
        data={"text": "<script>alert(1)</script> gebeld"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; gebeld" in body and "<script>alert(1)" not in body


def test_an_action_goes_to_someone_who_can_see_the_case(login, factory):
    org = factory.organisation()
    pg_user = factory.user("projectgroep", name="Petra Projectgroep")
    involved = factory.user("professional", org, name="Ivo Betrokken")
    outsider = factory.user("professional", org, name="Olga Buitenstaander")
    case = factory.case("in_progress", involved=[involved], consent_organisations=[org])
    client = login(pg_user)
    form = client.get(f"/trajecten/{case.id}/acties/nieuw").get_data(as_text=True)
    assert "Petra Projectgroep" in form and "Ivo Betrokken" in form
    assert "Olga Buitenstaander" not in form  # she cannot see the case: her organisation can get it
    data = {"description": "Bellen", "assignee_kind": "user", "due_on": TODAY.isoformat()}
    refused = client.post(f"/trajecten/{case.id}/acties/nieuw", data=data | {"assignee_user_id": outsider.id})
    assert refused.status_code == 422
    assert db.session.scalar(select(db.func.count()).select_from(Action)) == 0


def test_add_an_action_through_the_case_page(login, factory):
    pg_user = factory.user("projectgroep")
    case = factory.case("in_progress")
    client = login(pg_user)
    url = f"/trajecten/{case.id}/acties/nieuw"
    bad = client.post(url, data={"description": "", "assignee_kind": "user", "due_on": "31-02-2026"})
    assert bad.status_code == 422 and "Vul dit veld in." in bad.get_data(as_text=True)
    missing_who = client.post(
        url, data={"description": "Bellen", "assignee_kind": "user", "due_on": TODAY.isoformat()}
    )
    assert missing_who.status_code == 409 and "Kies de persoon die de actie doet." in missing_who.get_data(
        as_text=True
    )
    assert db.session.scalar(select(db.func.count()).select_from(Action)) == 0
    good = {
        "description": "Bellen",
        "assignee_kind": "user",
        "assignee_user_id": pg_user.id,
        "due_on": TODAY.isoformat(),
    }
    assert client.post(url, data=good).status_code == 302
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "Bellen" in page and "Actie afgesproken" in page


def test_the_dashboard_shows_overdue_actions(login, factory):
    pg_user = factory.user("projectgroep")
    case = factory.case("in_progress", client_name="Laat Cliënt")
    factory.action(case, user=pg_user, due=TODAY - timedelta(days=2), description="Achterstallige actie")
    body = login(pg_user).get("/start").get_data(as_text=True)
    assert "1 actie te laat" in body and "Achterstallige actie" in body


def test_an_action_of_a_deactivated_user_is_flagged_and_can_be_given_to_someone_else(login, factory):
    pg_user = factory.user("projectgroep")
    leaver = factory.user("professional", name="Vertrokken Collega")
    newcomer = factory.user("professional", name="Nieuwe Collega")
    case = factory.case("in_progress", involved=[leaver, newcomer])
    action = factory.action(case, user=leaver, description="Dossier overdragen")
    leaver.active = False
    client = login(pg_user)
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "Geef deze actie aan iemand anders" in page and "Vertrokken Collega" in page

    edit_url = f"/trajecten/{case.id}/acties/{action.id}"
    form = client.get(edit_url).get_data(as_text=True)
    assert "Vertrokken Collega" in form  # the current assignee stays on the list, so the form still works
    data = {
        "version": action.version,
        "description": "Dossier overdragen",
        "assignee_kind": "user",
        "assignee_user_id": newcomer.id,
        "due_on": action.due_on.isoformat(),
    }
    assert client.post(edit_url, data=data).status_code == 302
    db.session.expire_all()
    assert action.assignee_user_id == newcomer.id
    stale = client.post(edit_url, data=data | {"description": "Anders"}, headers={"HX-Request": "true"})
    assert stale.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(
        as_text=True
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "action_updated"))
    assert entry.changes == {"assignee_user_id": [leaver.id, newcomer.id]}


def test_the_case_page_shows_the_most_urgent_actions_and_links_to_all(login, factory):
    pg_user = factory.user("projectgroep")
    case = factory.case("in_progress")
    for n in range(22):
        factory.action(
            case, pg_user, due=TODAY + timedelta(days=n + 1), description=f"Later {n:02d}", status="done"
        )
    factory.action(case, pg_user, due=TODAY - timedelta(days=3), description="Te laat: bellen")
    db.session.commit()
    client = login(pg_user)
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "Te laat: bellen" in page and "Alle 23 acties bekijken" in page
    assert page.count('<li id="action-') == 20  # the overdue one and the 19 due soonest
    assert "Later 18" in page and "Later 19" not in page
    everything = client.get(f"/trajecten/{case.id}/acties").get_data(as_text=True)
    second = client.get(f"/trajecten/{case.id}/acties?page=2").get_data(as_text=True)
    shown = [f"Later {n:02d}" for n in range(22) if f"Later {n:02d}" in everything + second]
    assert len(shown) == 22 and "Te laat: bellen" in everything
