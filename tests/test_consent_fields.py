"""A consent names, per organisation, the life domains it covers. What it leaves out (here: health
for debt help) is absent from every page, partial, document and history line that organisation sees."""

import pytest
from flask import current_app, url_for
from sqlalchemy import select

from opkoers import audit
from opkoers.domain import RuleViolation
from opkoers.domain.consent import visible_changes
from opkoers.extensions import db
from opkoers.models import CaseClosing, Consent, Intake, LifeDomain, PlanGoal, PlanOfAction
from opkoers.services import agreements, intake, meetings

SECRET = "GEHEIM-GEZONDHEID"
SHARED = "ZICHTBAAR-SCHULDEN"


@pytest.fixture
def world(factory):
    domains = {d.code: d for d in factory.life_domains()}
    debt_help = factory.organisation("Schuldhulp", kind="schuldhulp")
    team = factory.organisation("Buurtteam", kind="buurtteam")
    pg = factory.user("projectgroep")
    pro = factory.user("professional", debt_help, name="Dirk Schuldhulp")
    contact = factory.user("buurtteam", team, name="Bea Buurtteam")
    case = factory.case(status="intake", involved=[pro, contact])
    factory.consent(case, [debt_help], not_about=("gezondheid",))
    factory.consent(case, [team])
    record = db.session.scalar(select(Intake).where(Intake.case_id == case.id))
    intake.save_intake(
        pg,
        case,
        record,
        record.version,
        {domains["gezondheid"].id: f"{SECRET} probleem", domains["schulden"].id: f"{SHARED} probleem"},
        **{f: getattr(record, f) for f in ("who_asks", "problem", "concerns_whom", "tried", "goal")},
        **{f"tree_{c}": getattr(record, f"tree_{c}") for c in "abcd"},
        **{f"tree_{c}_note": "" for c in "abcd"},
    )
    case.status = "admitted"
    agreements.add_goal(pg, case, domains["gezondheid"].id, f"{SECRET} doel", f"{SECRET} resultaat")
    agreements.add_goal(pg, case, domains["schulden"].id, f"{SHARED} doel", "Rust")
    meeting = factory.meeting(case, pg, users=[pro])
    meetings.record_priority(
        pg, meeting, meeting.priority_revision, f"{SECRET} eerst", domains["gezondheid"].id, f"{SECRET} zelf"
    )
    goals = db.session.scalars(
        select(PlanGoal).join(PlanOfAction).where(PlanOfAction.case_id == case.id)
    ).all()
    plan = goals[0].plan  # the plan's own text names no life domain: it may be about health
    plan_text = {"prioritised_problem": f"{SECRET} voorrang", "activities": f"{SECRET} activiteiten"}
    audit.record(pg, "plan_saved", plan, audit.apply_changes(plan, plan_text), case.id)
    db.session.add(
        CaseClosing(
            case=case,
            outcome="goals_unreachable",
            unreachable_goals=[{"life_domain_id": g.life_domain_id, "goal": g.goal} for g in goals],
            meeting_id=meeting.id,
            closed_by_id=pg.id,
            follow_up_by_id=contact.id,
        )
    )
    audit.record(pg, "case_closed", case, {"unreachable_goals": [None, [f"{SECRET} doel"]]}, case.id)
    case.status = "closed"
    db.session.commit()
    return {"case": case, "meeting": meeting, "pg": pg, "pro": pro, "contact": contact, "goal": goals[0]}


def _case_urls(world) -> list[str]:
    """Every GET page of the app that takes only the ids of this case's records."""
    args = {
        "case_id": world["case"].id,
        "meeting_id": world["meeting"].id,
        "goal_id": world["goal"].id,
        "consent_id": db.session.scalars(select(Consent.id)).first(),
    }
    urls = []
    for rule in current_app.url_map.iter_rules():
        if "GET" in rule.methods and rule.arguments and rule.arguments <= args.keys():
            with current_app.test_request_context():
                urls.append(url_for(rule.endpoint, **{a: args[a] for a in rule.arguments}))
    return urls


def test_what_the_consent_leaves_out_is_on_no_page_or_partial(login, world):
    urls = _case_urls(world)
    assert len(urls) > 15
    pro = login(world["pro"])
    shown = 0
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = pro.get(url, headers=headers)
            body = response.get_data(as_text=True)
            assert SECRET not in body, f"{url} {headers}"
            shown += SHARED in body
    assert shown >= 4  # the shared life domain is still there, on the case page, documents, history
    everything = login(world["pg"]).get(f"/trajecten/{world['case'].id}").get_data(as_text=True)
    assert SECRET in everything  # the project group sees it all: the test can fail
    team = login(world["contact"]).get(f"/trajecten/{world['case'].id}").get_data(as_text=True)
    assert SECRET in team  # the team's consent covers health


def test_the_page_says_something_is_left_out(login, world):
    page = login(world["pro"]).get(f"/trajecten/{world['case'].id}").get_data(as_text=True)
    assert "de machtiging deelt niet elk leefgebied met uw organisatie" in page


def test_a_consent_records_its_life_domains_per_organisation(factory):
    domains = {d.code: d for d in factory.life_domains()}
    pg, org = factory.user("projectgroep"), factory.organisation("Schuldhulp")
    case = factory.case(status="admitted")
    consent = agreements.record_consent(
        pg, case, [org.id], "Delen", case.referred_on, case.referred_on, {org.id: {domains["schulden"].id}}
    )
    assert consent.domains_of(org.id) == {domains["schulden"].id}
    with pytest.raises(RuleViolation) as refused:
        agreements.record_consent(
            pg, case, [org.id], "Delen", case.referred_on, case.referred_on, {org.id: set()}
        )
    assert refused.value.code == "consent_needs_domains"
    with pytest.raises(RuleViolation) as unknown:
        agreements.record_consent(
            pg, case, [org.id], "Delen", case.referred_on, case.referred_on, {org.id: {999}}
        )
    assert unknown.value.code == "unknown_life_domain"


def _seen(changes, action="case_changed", everything_shared=False):
    return visible_changes(changes, frozenset({4}), action, everything_shared)


def test_history_lines_about_a_hidden_life_domain_are_left_out():
    assert _seen({"problem:4": ["a", "b"], "problem:2": ["c", "d"]}) == {"problem:2": ["c", "d"]}
    assert _seen({"life_domain_id": [None, 4], "goal": [None, "x"]}, "goal_added") is None
    assert _seen({"life_domain_id": [None, 2], "goal": [None, "x"]}, "goal_added") == {
        "life_domain_id": [None, 2],
        "goal": [None, "x"],
    }
    assert _seen({"prioritised_life_domain_id": [4, 2], "prioritised_problem": ["x", "y"]}) is None
    priority = {"prioritised_life_domain_id": [4, 4], "prioritised_problem": ["x", "y"]}
    assert _seen(priority, "priority_recorded") is None
    assert _seen({"unreachable_goals": [None, ["x"]]}) is None
    assert _seen({"status": ["a", "b"]}) == {"status": ["a", "b"]}
    nothing_hidden = visible_changes({"problem:4": ["a", "b"]}, frozenset(), "intake_changed", True)
    assert nothing_hidden == {"problem:4": ["a", "b"]}
    assert _seen({}) == {}


def test_older_history_lines_that_do_not_say_their_life_domain_are_left_out():
    assert _seen({"prioritised_problem": ["x", "y"]}, "priority_recorded") is None
    assert _seen({"goal": ["x", None]}, "goal_removed") is None
    old_order = {"order": [["Schulden", "Gezondheid"], ["Gezondheid", "Schulden"]]}
    assert _seen(old_order, "problems_reordered") is None
    # The old text named no life domain: it may have been about health.
    priority = {"prioritised_life_domain_id": [None, 2], "prioritised_problem": ["x", "y"]}
    assert _seen(priority, "priority_recorded") is None


def test_text_without_a_life_domain_is_shown_when_only_inactive_domains_are_left_out():
    plan = {"prioritised_problem": ["", "x"]}
    assert _seen(plan, "plan_saved") is None
    assert _seen(plan, "plan_saved", everything_shared=True) == plan
    priority = {"prioritised_life_domain_id": [None, 2], "prioritised_problem": ["x", "y"]}
    assert _seen(priority, "priority_recorded", everything_shared=True) == priority


def test_a_new_order_of_problems_shows_only_the_visible_life_domains():
    order = {"life_domain_order": [[1, 4, 2], [4, 1, 2]]}
    assert _seen(order, "problems_reordered") is None  # only the hidden one moved
    order = {"life_domain_order": [[1, 4, 2], [2, 4, 1]]}
    assert _seen(order, "problems_reordered") == {"life_domain_order": [[1, 2], [2, 1]]}


def test_a_changed_priority_text_is_hidden_with_its_life_domain(login, world):
    """Only the text changes: the entry still says which life domain it is about."""
    case, meeting, pg = world["case"], world["meeting"], world["pg"]
    health = db.session.scalar(select(LifeDomain.id).where(LifeDomain.code == "gezondheid"))
    meetings.record_priority(
        pg, meeting, meeting.priority_revision, f"{SECRET} anders gezegd", health, f"{SECRET} zelf"
    )
    db.session.commit()
    url = f"/trajecten/{case.id}/geschiedenis"
    assert "anders gezegd" not in login(world["pro"]).get(url).get_data(as_text=True)
    assert "anders gezegd" in login(pg).get(url).get_data(as_text=True)  # the test can fail


def test_the_consent_form_asks_per_organisation_and_refuses_none(login, factory):
    factory.life_domains()
    org = factory.organisation("Schuldhulp")
    case = factory.case(status="admitted")
    client = login(factory.user("projectgroep"))
    form = client.get(f"/trajecten/{case.id}/machtiging").get_data(as_text=True)
    assert f'name="domain-{org.id}"' in form and "Schuldhulp: Gezondheid" in form
    assert " checked" not in form  # privacy by default: the client ticks what they agree to
    data = {"organisation_ids": [org.id], "purposes": "Delen", "signed_on": case.referred_on.isoformat()}
    data["valid_until"] = case.referred_on.isoformat()
    refused = client.post(f"/trajecten/{case.id}/machtiging", data=data)
    assert refused.status_code == 422
    assert "Kies voor elke gekozen organisatie minstens één leefgebied." in refused.get_data(as_text=True)
    health = db.session.scalar(select(LifeDomain.id).where(LifeDomain.code == "gezondheid"))
    ok = client.post(f"/trajecten/{case.id}/machtiging", data=data | {f"domain-{org.id}": [health]})
    assert ok.status_code == 302
    consent = db.session.scalar(select(Consent))
    assert consent.domains_of(org.id) == {health}


def test_a_life_domain_switched_off_later_hides_nothing_more(login, world):
    """A life domain added after the consent, and not in use, does not hide the plan's own text."""
    db.session.add(LifeDomain(code="vervoer", name="Vervoer", position=99, active=False))
    db.session.commit()
    page = login(world["contact"]).get(f"/trajecten/{world['case'].id}").get_data(as_text=True)
    assert f"{SECRET} voorrang" in page
