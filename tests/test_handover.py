"""The warm handover: to the team of the client's neighbourhood (another with a reason), the ten-point
document sent only when complete, accepted by the receiving contact person or sent back with a question."""

import pytest
from sqlalchemy import select

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.models import AuditEntry, CaseInvolvement, Handover, Notification
from opkoers.services import admin
from opkoers.services import handover as service


@pytest.fixture
def world(factory):
    team = factory.organisation("Buurtteam Noord", kind="buurtteam")
    other_team = factory.organisation("Buurtteam Zuid", kind="buurtteam")
    hood = factory.neighbourhood("Houten Noord-Oost", team=team)
    contact = factory.user("buurtteam", team, name="Sanne Bakker")
    elsewhere = factory.user("buurtteam", other_team)
    case = factory.case("in_progress", neighbourhood=hood, consent_organisations=[team])
    pg = factory.user("projectgroep")
    admin.set_fixed_contact(pg, team, None, contact_id=contact.id, deputy_id=None)
    points = factory.handover_points()
    db.session.commit()
    return {
        "case": case,
        "team": team,
        "other": other_team,
        "contact": contact,
        "elsewhere": elsewhere,
        "pg": pg,
        "points": points,
    }


def _complete(w, handover):
    answers = {p.id: ("ready", "Geregeld.") for p in w["points"]}
    service.save_document(w["pg"], handover, handover.version, answers)
    db.session.flush()


def test_the_neighbourhoods_team_and_its_contact_are_proposed(world):
    assert service.proposal(world["case"]) == (world["team"].id, world["contact"].id)


def test_another_team_needs_a_reason(world):
    w = world
    with pytest.raises(RuleViolation, match="handover_team_needs_reason"):
        service.start(w["pg"], w["case"], w["other"].id, w["elsewhere"].id)
    handover = service.start(
        w["pg"], w["case"], w["other"].id, w["elsewhere"].id, "Cliënt verhuist naar Zuid."
    )
    assert handover.team_reason == "Cliënt verhuist naar Zuid."


def test_sent_only_when_every_point_is_answered(world):
    w = world
    handover = service.start(w["pg"], w["case"], w["team"].id, w["contact"].id)
    db.session.flush()
    service.save_document(
        w["pg"], handover, handover.version, {w["points"][0].id: ("attention", "Nog een schuld.")}
    )
    db.session.flush()
    assert len(service.missing_points(handover)) == 9
    with pytest.raises(RuleViolation) as error:
        service.send(w["pg"], handover, handover.version)
    assert error.value.code == "handover_incomplete" and error.value.details["missing"] == 9
    _complete(w, handover)
    service.send(w["pg"], handover, handover.version)
    db.session.flush()
    assert handover.status == "sent"
    involved = db.session.scalar(
        select(CaseInvolvement.user_id).where(CaseInvolvement.user_id == w["contact"].id)
    )
    assert involved == w["contact"].id  # the receiver can now open the case
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == w["contact"].id))
        == "handover_received"
    )
    with pytest.raises(RuleViolation, match="handover_not_editable"):
        service.save_document(w["pg"], handover, handover.version, {w["points"][0].id: ("ready", "")})


def test_the_receiver_asks_for_more_then_accepts(world):
    w = world
    handover = service.start(w["pg"], w["case"], w["team"].id, w["contact"].id)
    db.session.flush()
    _complete(w, handover)
    service.send(w["pg"], handover, handover.version)
    db.session.flush()
    with pytest.raises(RuleViolation, match="handover_not_yours"):
        service.accept(w["elsewhere"], handover, handover.version)
    service.ask_more(w["contact"], handover, handover.version, "Welke schulden lopen nog?")
    db.session.flush()
    assert handover.status == "more_asked" and w["pg"] and handover in service.inbox(w["pg"])
    _complete(w, handover)
    service.send(w["pg"], handover, handover.version)
    db.session.flush()
    assert handover in service.inbox(w["contact"])
    service.accept(w["contact"], handover, handover.version)
    db.session.flush()
    assert handover.status == "accepted" and handover.accepted_by_id == w["contact"].id
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "Handover")).all()
    assert "handover_accepted" in actions and "handover_more_asked" in actions


def test_no_handover_without_the_team_in_the_consent(world, factory):
    w = world
    case = factory.case("in_progress", consent_organisations=[factory.organisation()])
    handover = service.start(w["pg"], case, w["team"].id, w["contact"].id, "Geen wijk bekend.")
    db.session.flush()
    _complete(w, handover)
    with pytest.raises(RuleViolation, match="handover_needs_consent"):
        service.send(w["pg"], handover, handover.version)


def test_the_whole_handover_through_the_pages(login, world):
    w = world
    client = login(w["pg"])
    page = client.get(f"/trajecten/{w['case'].id}/overdracht/nieuw").get_data(as_text=True)
    assert f'<option selected value="{w["team"].id}">' in page
    response = client.post(
        f"/trajecten/{w['case'].id}/overdracht/nieuw",
        data={"team_id": w["team"].id, "contact_id": w["contact"].id},
    )
    assert response.status_code == 302
    handover = db.session.scalar(select(Handover))
    url = f"/overdrachten/{handover.id}"
    response = client.post(f"{url}/versturen", data={"version": handover.version})
    assert response.status_code == 409 and "Er staan er nog 10 open" in response.get_data(as_text=True)
    data = {"version": handover.version}
    for p in w["points"]:
        data[f"state_{p.id}"] = "ready"
        data[f"note_{p.id}"] = "<script>x</script>"
    assert client.post(f"{url}/document", data=data).status_code == 302
    db.session.refresh(handover)
    assert client.post(f"{url}/versturen", data={"version": handover.version}).status_code == 302
    printed = client.get(f"{url}/afdrukken").get_data(as_text=True)
    assert "Inkomen en financiële basis zijn op orde" in printed and "&lt;script&gt;" in printed
    contact = w["contact"]  # the document speaks to the client and names whom to turn to
    assert f"Uw vaste contactpersoon bij {w['team'].name} is {contact.name}." in printed
    assert contact.email in printed
    receiver = login(w["contact"])
    assert w["case"].client.name in receiver.get("/overdrachten").get_data(as_text=True)
    db.session.refresh(handover)
    response = receiver.post(f"{url}/antwoord", data={"version": handover.version, "decision": "more"})
    assert response.status_code == 422 and "Schrijf op wat u nog wilt weten." in response.get_data(
        as_text=True
    )
    response = receiver.post(f"{url}/antwoord", data={"version": handover.version, "decision": "accept"})
    assert response.status_code == 302
    db.session.refresh(handover)
    assert handover.status == "accepted"
