"""After the handover, through the pages: aftercare contacts and the safety net, closing with the
letter, pilot-light contacts, the measurement form, the follow-up list, the impact report and its CSV,
and the beheer pages of the instrument; bad input is refused with the input kept and nothing saved."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from opkoers import timeutil
from opkoers.extensions import db
from opkoers.models import (
    AftercareContact,
    AuditEntry,
    CaseClosing,
    Handover,
    PilotLightContact,
    SelfRelianceMeasurement,
    SelfRelianceScore,
    Setting,
)
from opkoers.services import admin, budget
from opkoers.services import handover as handovers
from opkoers.timeutil import local_today

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
TODAY = local_today().isoformat()


@pytest.fixture
def world(factory):
    team = factory.organisation("Buurtteam Noord", kind="buurtteam")
    hood = factory.neighbourhood("Houten Noord-Oost", team=team)
    contact = factory.user("buurtteam", team, name="Sanne Bakker")
    other_team = factory.user("buurtteam", factory.organisation("Buurtteam Zuid", kind="buurtteam"))
    pg = factory.user("projectgroep", name="Fatima El Amrani")
    case = factory.case(
        "in_progress",
        neighbourhood=hood,
        consent_organisations=[team, other_team.organisation],
        involved=[other_team],
        handler=pg,
        client_name="Willem de Graaf",
    )
    admin.set_fixed_contact(pg, team, None, contact_id=contact.id, deputy_id=None)
    factory.handover_points()
    factory.themes()
    handover = handovers.start(pg, case, team.id, contact.id)
    db.session.flush()
    handovers.save_document(pg, handover, handover.version, {p.id: ("ready", "") for p in handovers.points()})
    db.session.flush()
    handovers.send(pg, handover, handover.version)
    db.session.commit()
    return {"case": case, "pg": pg, "contact": contact, "other_team": other_team, "handover": handover}


def _accept(login, w):
    handover = db.session.get(Handover, w["handover"].id)
    response = login(w["contact"]).post(
        f"/overdrachten/{handover.id}/antwoord", data={"version": handover.version, "decision": "accept"}
    )
    assert response.status_code == 302
    return db.session.get(Handover, handover.id)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_aftercare_contacts_are_logged_by_the_team_with_clear_refusals(login, world):
    w = world
    handover = _accept(login, w)
    client = login(w["contact"])
    page = client.get(f"/overdrachten/{handover.id}").get_data(as_text=True)
    assert "Contact vastleggen" in page and "Vangnet inroepen" in page
    url = f"/overdrachten/{handover.id}/contact"

    empty = client.post(url, data={"contact_on": TODAY, "kind": "visit", "note": ""})
    assert empty.status_code == 422 and "Vul dit veld in." in empty.get_data(as_text=True)
    future = (local_today() + timedelta(days=2)).isoformat()
    refused = client.post(url, data={"contact_on": future, "kind": "visit", "note": "Nog niet gebeurd"})
    body = refused.get_data(as_text=True)
    assert (
        refused.status_code == 409 and "Deze datum ligt in de toekomst" in body and "Nog niet gebeurd" in body
    )
    bad_kind = client.post(url, data={"contact_on": TODAY, "kind": "carrier-pigeon", "note": "x"})
    assert bad_kind.status_code == 422
    assert _count(AftercareContact) == 0

    saved = client.post(url, data={"contact_on": TODAY, "kind": "phone", "note": SCRIPT})
    assert saved.status_code == 302
    page = client.get(f"/overdrachten/{handover.id}").get_data(as_text=True)
    assert ESCAPED in page and SCRIPT not in page
    # Someone of another team who can see the case may not log aftercare for this one.
    other = login(w["other_team"]).post(url, data={"contact_on": TODAY, "kind": "phone", "note": "Ik ook"})
    assert other.status_code == 409 and "Dit kan alleen het buurtteam" in other.get_data(as_text=True)
    assert _count(AftercareContact) == 1


def test_the_safety_net_through_the_page(login, world):
    w = world
    handover = _accept(login, w)
    client = login(w["contact"])
    url = f"/overdrachten/{handover.id}/vangnet"
    assert client.post(url, data={"version": handover.version, "reason": ""}).status_code == 422
    stale = client.post(url, data={"version": handover.version - 1, "reason": "Nieuwe schulden."})
    assert stale.status_code == 409 and "Iemand anders" in stale.get_data(as_text=True)
    response = client.post(url, data={"version": handover.version, "reason": "Nieuwe schulden."})
    assert response.status_code == 302
    assert db.session.get(Handover, handover.id).status == "safety_net"
    case_page = login(w["pg"]).get(f"/trajecten/{w['case'].id}").get_data(as_text=True)
    assert "vangnet in" in case_page and "Overdracht starten" in case_page


def _close_form(case, talk, **changes) -> dict:
    data = {
        "version": case.version,
        "outcome": "plan_done",
        "explanation": "",
        "meeting_id": talk.id,
        "closed_on": TODAY,
    }
    return data | changes


def _closed(login, w, factory):
    """Accepted, the closing talk held today, and closed through the page."""
    _accept(login, w)
    talk = factory.meeting(w["case"], w["pg"], kind="closing", day=local_today() - timedelta(days=1))
    db.session.commit()
    case = db.session.get(type(w["case"]), w["case"].id)
    response = login(w["pg"]).post(f"/trajecten/{case.id}/afsluiten", data=_close_form(case, talk))
    assert response.status_code == 302
    return case


def test_close_after_the_closing_talk_and_print_the_letter(login, world, factory):
    w = world
    _accept(login, w)
    client = login(w["pg"])
    url = f"/trajecten/{w['case'].id}/afsluiten"
    page = client.get(url).get_data(as_text=True)
    assert "Er is nog geen afsluitend gesprek" in page
    talk = factory.meeting(w["case"], w["pg"], kind="closing", day=local_today() - timedelta(days=1))
    db.session.commit()
    case = db.session.get(type(w["case"]), w["case"].id)

    assert client.post(url, data=_close_form(case, talk, outcome="")).status_code == 422
    refused = client.post(
        url, data=_close_form(case, talk, outcome="goals_unreachable", explanation="Keep me")
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Kies welke doelen" in body and "Keep me" in body
    bad_date = client.post(url, data=_close_form(case, talk, closed_on="31-02-2026"))
    assert bad_date.status_code == 422 and "Vul een bestaande datum in" in bad_date.get_data(as_text=True)
    assert _count(CaseClosing) == 0 and case.status == "aftercare"

    goal = client.get(url).get_data(as_text=True)
    assert "Een eigen woning" in goal  # the plan's goals to choose from
    response = client.post(
        url,
        data=_close_form(
            case, talk, outcome="no_cooperation", explanation=f"Afspraken niet nagekomen {SCRIPT}"
        ),
    )
    assert response.status_code == 302
    again = client.post(url, data=_close_form(db.session.get(type(case), case.id), talk))
    assert again.status_code == 409  # closed once
    assert _count(CaseClosing) == 1

    letter = client.get(f"/trajecten/{case.id}/afsluitbrief").get_data(as_text=True)
    assert "Beste Willem de Graaf," in letter
    assert "Die zijn niet nagekomen" in letter and ESCAPED in letter and SCRIPT not in letter
    assert "Uw vaste contactpersoon is Sanne Bakker" in letter
    assert "In het komende jaar nemen we een paar keer contact met u op" in letter


def test_pilot_light_form_refuses_what_is_missing(login, world, factory):
    w = world
    _closed(login, w, factory)
    contact = db.session.scalar(select(PilotLightContact).order_by(PilotLightContact.months))
    client = login(w["contact"])
    url = f"/waakvlam/{contact.id}"
    assert client.get(url).status_code == 200
    no_balance = client.post(url, data={"version": contact.version, "outcome": "held", "held_on": TODAY})
    assert no_balance.status_code == 422 and "Kies ja of nee." in no_balance.get_data(as_text=True)
    no_reason = client.post(url, data={"version": contact.version, "outcome": "impossible"})
    assert no_reason.status_code == 422 and "Schrijf op waarom" in no_reason.get_data(as_text=True)
    future = (local_today() + timedelta(days=3)).isoformat()
    later = client.post(
        url, data={"version": contact.version, "outcome": "held", "held_on": future, "balanced": "no"}
    )
    assert later.status_code == 422
    assert db.session.get(PilotLightContact, contact.id).status == "open"
    done = client.post(
        url,
        data={
            "version": contact.version,
            "outcome": "held",
            "held_on": TODAY,
            "balanced": "no",
            "note": "Budgetcursus",
        },
    )
    assert done.status_code == 302
    stored = db.session.get(PilotLightContact, contact.id)
    assert (stored.status, stored.balanced, stored.note) == ("held", False, "Budgetcursus")
    # The other team may see the case, but the contact is not theirs.
    assert login(w["other_team"]).get(url).status_code == 403


def test_the_measurement_form_keeps_what_was_chosen(login, world, factory):
    w = world
    case = w["case"]
    measurement = SelfRelianceMeasurement(
        case_id=case.id, moment="start", due_on=local_today(), assignee_id=w["pg"].id
    )
    db.session.add(measurement)
    db.session.commit()
    themes = factory.themes()
    client = login(w["pg"])
    url = f"/metingen/{measurement.id}"
    page = client.get(url).get_data(as_text=True)
    assert themes[0].anchor_1 in page and "Zelfredzaamheid meten: begin" in page
    partial = {"version": measurement.version, "taken_on": TODAY, f"score_{themes[0].id}": "4"}
    response = client.post(url, data=partial)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kies een score." in body
    assert f'checked id="score_{themes[0].id}-3"' in body  # the 4 stays chosen
    out_of_range = {**partial, **{f"score_{t.id}": "7" for t in themes}}
    assert client.post(url, data=out_of_range).status_code == 422
    assert _count(SelfRelianceScore) == 0
    full = {"version": measurement.version, "taken_on": TODAY} | {f"score_{t.id}": "3" for t in themes}
    assert client.post(url, data=full).status_code == 302
    assert _count(SelfRelianceScore) == len(themes)
    assert client.post(url, data=full).status_code == 409  # once
    case_page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "Scores per onderwerp" in case_page and "<svg" in case_page


def test_a_missed_measurement_shows_as_missed(login, world):
    w = world
    measurement = SelfRelianceMeasurement(
        case_id=w["case"].id,
        moment="start",
        due_on=local_today() - timedelta(days=45),
        assignee_id=w["pg"].id,
    )
    db.session.add(measurement)
    db.session.commit()
    page = login(w["pg"]).get(f"/trajecten/{w['case'].id}").get_data(as_text=True)
    assert "Gemist" in page and "Meting invullen" not in page


def test_the_follow_up_list_of_the_team_and_of_the_group(login, world, factory):
    w = world
    _accept(login, w)
    team_list = login(w["contact"]).get("/nazorg").get_data(as_text=True)
    assert "Willem de Graaf" in team_list and "Nazorg die loopt" in team_list
    assert "Willem de Graaf" not in login(w["other_team"]).get("/nazorg").get_data(as_text=True)
    group = login(w["pg"])
    assert "Willem de Graaf" in group.get("/nazorg?alle=1").get_data(as_text=True)


def test_the_impact_report_and_its_csv(login, world, factory):
    w = world
    case = _closed(login, w, factory)
    client = login(w["pg"])
    page = client.get("/impact").get_data(as_text=True)
    assert "Impact van Op Koers" in page and "Het plan van aanpak is uitgevoerd" in page and "<svg" in page
    year = case.referred_on.year
    assert client.get(f"/impact?jaar={year}&wijk=abc").status_code == 200
    empty = client.get(f"/impact?jaar={year - 5}").get_data(as_text=True)
    assert "Er zijn geen trajecten voor deze keuze." in empty
    csv = client.get(f"/impact.csv?jaar={year}")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and "Afgesloten per reden;Het plan van aanpak is uitgevoerd;;1" in text
    assert "Willem" not in text  # no names in the report


def test_beheer_changes_the_instrument_and_the_pilot_light_moments(login, world, factory):
    w = world
    beheerder = login(factory.user("beheerder"))
    theme = factory.themes()[0]
    db.session.commit()
    form = {
        "version": theme.version,
        "code": theme.code,
        "name": "Juridisch",
        "position": "0",
        "active": "y",
        **{f"anchor_{s}": f"Betekenis {s}" for s in range(1, 6)},
    }
    assert (
        beheerder.post(f"/beheer/zelfredzaamheid/{theme.id}", data=form | {"anchor_3": ""}).status_code == 422
    )
    assert beheerder.post(f"/beheer/zelfredzaamheid/{theme.id}", data=form).status_code == 302
    assert db.session.get(type(theme), theme.id).anchor_3 == "Betekenis 3"
    url = "/beheer/waakvlamcontacten"
    for bad in ("", "3, 13", "drie", "0"):
        response = beheerder.post(url, data={"months": bad})
        assert response.status_code == 422, bad
    assert db.session.get(Setting, "pilot_light_months") is None
    assert beheerder.post(url, data={"months": "1; 4, 4, 9"}).status_code == 302
    assert db.session.get(Setting, "pilot_light_months").value == "1, 4, 9"
    assert (
        db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()))
        == "pilot_light_setting_changed"
    )
    # The next case closed gets its pilot-light contacts at those months.
    _closed(login, w, factory)
    assert sorted(db.session.scalars(select(PilotLightContact.months))) == [1, 4, 9]


def test_three_months_later_the_case_page_says_the_aftercare_is_over(login, world):
    w = world
    handover = _accept(login, w)
    with timeutil.travel(handover.aftercare_ends_on - local_today() + timedelta(days=1)):
        page = login(w["pg"]).get(f"/trajecten/{w['case'].id}").get_data(as_text=True)
        assert "De nazorg liep tot en met" in page and "Afsluitend gesprek plannen" in page


def test_beheer_changes_the_points_of_the_handover_document(login, factory):
    beheerder = login(factory.user("beheerder"))
    points = factory.handover_points()
    db.session.commit()
    new = {"code": "werk", "text": "Werk is geregeld", "position": "20", "active": "y"}
    assert (
        beheerder.post("/beheer/overdrachtsdocument/nieuw", data=new | {"code": "Werk!"}).status_code == 422
    )
    assert (
        beheerder.post("/beheer/overdrachtsdocument/nieuw", data=new | {"code": points[0].code}).status_code
        == 422
    )
    assert beheerder.post("/beheer/overdrachtsdocument/nieuw", data=new).status_code == 302
    first = points[0]
    edit = {"version": first.version, "code": first.code, "text": first.text, "position": "0"}  # switched off
    assert beheerder.post(f"/beheer/overdrachtsdocument/{first.id}", data=edit).status_code == 302
    in_use = [p.text for p in handovers.points()]
    assert "Werk is geregeld" in in_use and first.text not in in_use


def test_a_double_submit_logs_an_aftercare_contact_once(login, world):
    w = world
    handover = _accept(login, w)
    client = login(w["contact"])
    data = {"contact_on": TODAY, "kind": "visit", "note": "Langs geweest.", "form_token": "one-time-token"}
    assert client.post(f"/overdrachten/{handover.id}/contact", data=data).status_code == 302
    again = client.post(f"/overdrachten/{handover.id}/contact", data=data)
    assert again.status_code == 302 and again.location == f"/overdrachten/{handover.id}"
    assert _count(AftercareContact) == 1


def test_the_budget_is_still_used_during_aftercare(login, world):
    w = world
    budget.open_budget(w["pg"], w["case"])
    _accept(login, w)
    entry = budget.commit(
        w["pg"], w["case"], category="housing", description="Borg", payee="Corporatie", amount_cents=10000,
        decided_by_id=w["pg"].id, entry_date=local_today(),
    )  # fmt: skip
    assert entry.amount_cents == 10000
