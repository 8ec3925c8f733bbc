"""Fixed contact persons: chosen by the beheerder per organisation, with a deputy; the directory
shows, for a neighbourhood, whom to call."""

import pytest
from sqlalchemy import select

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.models import AuditEntry, FixedContact
from opkoers.services import admin


@pytest.fixture
def team(factory):
    org = factory.organisation("Buurtteam Noord", kind="buurtteam")
    hood = factory.neighbourhood("Houten Noord-Oost", team=org)
    contact, deputy = factory.user("buurtteam", org, name="Sanne Bakker"), factory.user("buurtteam", org)
    db.session.commit()
    return org, hood, contact, deputy


def test_a_contact_person_and_a_deputy_from_the_organisation(factory, team):
    org, hood, contact, deputy = team
    beheerder = factory.user("beheerder")
    row = admin.set_fixed_contact(beheerder, org, None, contact_id=contact.id, deputy_id=deputy.id)
    db.session.flush()
    admin.set_fixed_contact(beheerder, org, row.version, contact_id=deputy.id, deputy_id=contact.id)
    assert (row.contact_id, row.deputy_id) == (deputy.id, contact.id)
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "fixed_contact_set"
    with pytest.raises(RuleViolation, match="stale"):
        admin.set_fixed_contact(beheerder, org, row.version - 1, contact_id=contact.id, deputy_id=None)


@pytest.mark.parametrize("who", ["outsider", "inactive", "same"])
def test_the_wrong_person_is_refused(factory, team, who):
    org, hood, contact, deputy = team
    person = {
        "outsider": factory.user("professional"),
        "inactive": factory.user("buurtteam", org, active=False),
        "same": contact,
    }[who]
    code = "deputy_same_as_contact" if who == "same" else "contact_not_in_organisation"
    with pytest.raises(RuleViolation, match=code):
        admin.set_fixed_contact(
            factory.user("beheerder"), org, None, contact_id=contact.id, deputy_id=person.id
        )
    assert db.session.scalar(select(FixedContact)) is None


def test_the_beheerder_chooses_through_the_page_and_everyone_sees_whom_to_call(login, factory, team):
    org, hood, contact, deputy = team
    partner = factory.organisation("Schuldhulp Houten", kind="schuldhulp")
    helper = factory.user("professional", partner, name="Joost de Vries")
    beheerder = factory.user("beheerder")
    db.session.commit()
    client = login(beheerder)
    assert (
        client.post(f"/beheer/contactpersonen/{org.id}", data={"contact_id": contact.id}).status_code == 302
    )
    client.post(f"/beheer/contactpersonen/{partner.id}", data={"contact_id": helper.id})
    response = client.post(
        f"/beheer/contactpersonen/{org.id}", data={"contact_id": helper.id, "version": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "Ongeldige keuze." in page  # only people of the organisation are offered
    page = login(factory.user("professional")).get(f"/contactpersonen?wijk={hood.id}").get_data(as_text=True)
    team_part, partners_part = page.split("Vaste contactpersonen van de organisaties")
    assert "Sanne Bakker" in team_part and "Joost de Vries" in partners_part
    assert "Sanne Bakker" not in partners_part
