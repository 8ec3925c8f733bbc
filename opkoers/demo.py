"""Demo data for trying Op Koers: organisations and neighbourhoods of Houten, one account per role,
and eight clients at different steps (one with a held and a planned round table; three after the
handover, see demo_follow_up). Loaded only in demo mode, through the same services as the UI."""

from datetime import time, timedelta

from sqlalchemy import select

from . import demo_follow_up
from .demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from .extensions import db
from .models import LifeDomain, User
from .services import actions, admin, agreements, budget, cases, deviations, intake, meetings
from .services.meetings import Participant
from .timeutil import local_today

ORGANISATIONS = (
    ("Gemeente Houten", "gemeente"),
    ("Schuldhulp Houten", "schuldhulp"),
    ("Woningcorporatie Viveste", "woningcorporatie"),
    ("GGZ Altrecht", "ggz"),
    ("Buurtteam Houten Noord", "buurtteam"),
    ("Buurtteam Houten Zuid", "buurtteam"),
    ("Reclassering Utrecht", "reclassering"),
)
NEIGHBOURHOODS = (
    ("Houten Noord-Oost", "Buurtteam Houten Noord"),
    ("Houten Noord-West", "Buurtteam Houten Noord"),
    ("Houten Zuid-Oost", "Buurtteam Houten Zuid"),
    ("Houten Zuid-West", "Buurtteam Houten Zuid"),
    ("Centrum", "Buurtteam Houten Noord"),
    ("Schalkwijk", "Buurtteam Houten Zuid"),
)


def load_demo_data() -> bool:
    """Create the demo organisations, accounts and clients; False when they are already there."""
    if db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][1])):
        return False
    orgs = {name: admin.create_organisation(None, name=name, kind=kind) for name, kind in ORGANISATIONS}
    hoods = {
        name: admin.create_neighbourhood(None, name=name, team_id=orgs[team].id)
        for name, team in NEIGHBOURHOODS
    }
    users = {
        role: admin.create_user(
            None, name=name, email=email, role=role, organisation_id=orgs[org].id, password=DEMO_PASSWORD
        )
        for role, email, name, org in DEMO_ACCOUNTS
    }
    db.session.flush()
    admin.set_fixed_contact(
        None, orgs["Buurtteam Houten Noord"], None, contact_id=users["buurtteam"].id, deputy_id=None
    )
    admin.set_fixed_contact(
        None, orgs["Schuldhulp Houten"], None, contact_id=users["professional"].id, deputy_id=None
    )
    _demo_clients(users, orgs, hoods)
    demo_follow_up.load(users, orgs, hoods, _referral, _through_intake)
    return True


def _demo_meetings(pg, prof, contact, case):
    """A round table held ten days ago (minuted, with the client's priority) and one next week."""
    today = local_today()
    debts = db.session.scalar(select(LifeDomain).where(LifeDomain.code == "schulden"))
    at_the_table = [
        Participant("user", prof.id),
        Participant("client", name=case.client.name, email=case.client.email),
        Participant("network", name="Anja Janssen", relation="dochter"),
    ]
    place = {
        "kind": "round_table",
        "location": "Gemeentehuis Houten, kamer 3",
        "video_link": "",
        "chair_id": pg.id,
    }
    held = meetings.plan_meeting(
        pg,
        case,
        day=today - timedelta(days=10),
        start=time(10),
        end=time(11, 30),
        participants=at_the_table,
        agenda="1. Kennismaken\n2. Wat komt voor Kees op de eerste plaats?\n3. Afspraken",
        **place,
    )
    meetings.record_attendance(pg, held, {p.id for p in held.participants})
    meetings.record_priority(
        pg,
        held,
        held.priority_revision,
        '"Dat het licht aan blijft. En dat ik weer kan slapen."',
        debts.id,
        "Elke maand een vast bedrag aflossen dat ik kan betalen.",
    )
    db.session.flush()
    meetings.save_minutes(
        pg,
        held,
        held.minutes_revision,
        "Kees vertelt dat de energieleverancier de levering wil stoppen. De schuld is ongeveer € 1.400.\n"
        "Afgesproken: eerst een betalingsregeling, daarna de aanvraag bijzondere bijstand.",
    )
    db.session.flush()
    meetings.sign_minutes(pg, held, held.minutes_revision)
    meetings.plan_meeting(
        pg,
        case,
        day=today + timedelta(days=7),
        start=time(14),
        end=time(15),
        participants=[*at_the_table, Participant("user", contact.id)],
        agenda="1. Hoe staat het met de afspraken?\n2. Voorbereiden overdracht aan het buurtteam",
        accept_clashes=True,
        **place,
    )
    return held


def _demo_deviation_and_deposit(pg, orgs, case):
    """The classic case: benefits with a postal address at the town hall while the client has no
    home, decided under the mandate; and a rent deposit committed from the budget."""
    today = local_today()
    rule = deviations.add_rule(
        pg, "law", "Participatiewet", "artikel 40 (woonplaats)", orgs["Gemeente Houten"].id
    )
    deviation = deviations.propose(
        pg,
        case,
        rule_id=rule.id,
        what_differently="Lotte krijgt een uitkering met een postadres bij het gemeentehuis, "
        "ook al heeft zij (nog) geen woning.",
        motivation="Zonder adres geen uitkering, en zonder inkomen geen woning. Zo blijft Lotte vastzitten. "
        "Met een postadres kan de uitkering starten en kan zij een huurwoning zoeken.",
        expected_effect="Binnen een maand inkomen; binnen drie maanden een eigen woning.",
        valid_until=today + timedelta(days=180),
    )
    db.session.flush()
    deviations.decide(
        pg,
        deviation,
        deviation.version,
        "decided",
        None,
        today,
        "Past binnen het mandaat; eenmalig voor Lotte.",
    )
    budget.commit(
        pg,
        case,
        category="housing",
        description="Borg voor de huurwoning",
        payee="Woningcorporatie Viveste",
        amount_cents=45000,
        decided_by_id=pg.id,
        entry_date=today,
    )


def _referral(actor, hood, name, born, address, reason, crisis_kind=None, days_ago=20, **extra):
    today = local_today()
    values = dict(
        client_name=name,
        client_date_of_birth=born,
        client_address=address,
        client_postcode="3991 AB",
        client_city="Houten",
        client_neighbourhood_id=hood.id,
        client_phone="030 123 45 67",
        client_email="",
        referrer_kind="coach",
        referrer_name="Ingrid Smit",
        referrer_role="cliëntcoach",
        referrer_organisation="Gemeente Houten",
        channel="phone",
        referred_on=today - timedelta(days=days_ago),
        reason=reason,
        urgency="high" if crisis_kind else "normal",
        crisis_kind=crisis_kind,
        handler_id=actor.id,
    )
    values.update(extra)
    return cases.register_referral(actor, **values)


def _through_intake(actor, case, days_ago: int) -> None:
    today = local_today()
    record = intake.start_intake(actor, case)
    domains = db.session.scalars(select(LifeDomain).order_by(LifeDomain.position)).all()
    by_code = {d.code: d.id for d in domains}
    answers = {f"tree_{c}": "yes" for c in "abcd"}
    notes = {f"tree_{c}_note": "" for c in "abcd"}
    intake.save_intake(
        actor,
        case,
        record,
        record.version,
        {
            by_code["inkomen"]: "Geen inkomen sinds het ontslag.",
            by_code["wonen"]: "Geen vast woonadres.",
            by_code["gezondheid"]: "Slaapt slecht door de zorgen; de huisarts weet ervan.",
        },
        who_asks="De cliënt zelf, met hulp van de coach.",
        problem="Zonder adres geen uitkering, zonder inkomen geen woning.",
        concerns_whom="De cliënt en haar zoon van 8.",
        tried="Aanvraag uitkering en inschrijving woningzoekende; beide vastgelopen.",
        goal="Een vast adres en een inkomen, zodat mijn zoon rust heeft.",
        **answers,
        **notes,
    )
    for offset, kind in enumerate(("introduction", "intake_talk", "file_review", "decision_meeting")):
        intake.record_step(
            actor,
            case,
            kind,
            None,
            held_on=today - timedelta(days=days_ago - 2 * offset),
            performed_by_id=actor.id,
            note="",
            report="Verslag volgens het standaardformulier: de cliënt vertelt open over haar situatie."
            if kind == "intake_talk"
            else "",
        )


def _all_domains_but(orgs, left_out: dict[str, str], names) -> dict[int, set[int]]:
    """Per organisation every life domain, but the one the client leaves out for it (health for
    debt help, say)."""
    domains = db.session.scalars(select(LifeDomain)).all()
    return {orgs[n].id: {d.id for d in domains if d.code != left_out.get(n)} for n in names}


def _demo_clients(users, orgs, hoods) -> None:
    pg, prof = users["projectgroep"], users["professional"]
    today = local_today()
    _referral(
        pg,
        hoods["Houten Zuid-West"],
        "Anouk Visser",
        today.replace(year=today.year - 34, month=3, day=12),
        "Lindenlaan 4",
        "Huisuitzetting dreigt over twee weken. Huurachterstand door wegvallen inkomen.",
        crisis_kind="eviction",
        days_ago=1,
    )
    in_intake = _referral(
        pg,
        hoods["Centrum"],
        "Mehmet Yilmaz",
        today.replace(year=today.year - 52, month=7, day=1),
        "Plein 9",
        "Schulden bij vijf schuldeisers en een conflict met de woningcorporatie.",
        days_ago=12,
    )
    intake.start_intake(pg, in_intake)

    admitted = _referral(
        pg,
        hoods["Houten Noord-Oost"],
        "Lotte de Boer",
        today.replace(year=today.year - 28, month=9, day=23),
        "Molenweg 17",
        "Geen adres, daardoor geen uitkering en geen woning.",
        days_ago=30,
    )
    _through_intake(pg, admitted, 28)
    intake.decide(
        pg,
        admitted,
        "admitted",
        "Voldoet aan A tot en met D. Regels sluiten niet op elkaar aan.",
        today,
        told_client="Fatima belt binnen een week. Over drie weken is het eerste tafelgesprek.",
    )
    agreements.record_contract(pg, admitted, admitted.version, today)
    _demo_deviation_and_deposit(pg, orgs, admitted)

    running = _referral(
        pg,
        hoods["Houten Noord-West"],
        "Kees Janssen",
        today.replace(year=today.year - 61, month=1, day=30),
        "Beukenstraat 2",
        "Dreigende afsluiting van gas en stroom; zorgen over gezondheid.",
        crisis_kind="energy",
        days_ago=45,
    )
    _through_intake(pg, running, 40)
    intake.decide(
        pg,
        running,
        "admitted",
        "Crisis en vastgelopen regels; snelle doorbraak nodig.",
        today - timedelta(days=20),
    )
    agreements.record_contract(pg, running, running.version, today - timedelta(days=18))
    consenting = (
        "Schuldhulp Houten",
        "Woningcorporatie Viveste",
        "Gemeente Houten",
        "Buurtteam Houten Noord",
    )
    agreements.record_consent(
        pg,
        running,
        [orgs[n].id for n in consenting],
        "Informatie delen over inkomen, schulden en wonen om tot één plan te komen, "
        "en voor de warme overdracht naar het buurtteam.",
        today - timedelta(days=18),
        today + timedelta(days=347),
        _all_domains_but(orgs, {"Schuldhulp Houten": "gezondheid"}, consenting),
    )
    goals_domain = db.session.scalars(
        select(LifeDomain).where(LifeDomain.code.in_(("schulden", "wonen")))
    ).all()
    for domain in goals_domain:
        goal = agreements.add_goal(
            pg,
            running,
            domain.id,
            f"Rust op het gebied van {domain.name.lower()}.",
            "Binnen drie maanden een vaste regeling.",
        )
    agreements.save_plan(
        pg,
        running,
        goal.plan.version,
        prioritised_problem='"Dat het licht aan blijft."',
        activities="Afspraak met energieleverancier; aanvraag schuldhulp.",
        signed_on=today - timedelta(days=15),
    )
    agreements.start_plan(pg, running)
    cases.add_involvement(pg, running, prof.id, "schuldhulpverlener")
    held = _demo_meetings(pg, prof, users["buurtteam"], running)
    for description, who, days in (
        ("Betalingsregeling met de energieleverancier maken", {"assignee_user_id": prof.id}, -2),
        (
            "Aanvraag bijzondere bijstand indienen",
            {"assignee_organisation_id": orgs["Gemeente Houten"].id},
            5,
        ),
        ("Bankafschriften van de laatste drie maanden verzamelen", {}, 7),
    ):
        kind = "user" if "assignee_user_id" in who else "organisation" if who else "client"
        actions.add_action(
            pg,
            running,
            description=description,
            assignee_kind=kind,
            due_on=today + timedelta(days=days),
            meeting=held,
            **who,
        )

    declined = _referral(
        pg,
        hoods["Schalkwijk"],
        "Rob Verhoeven",
        today.replace(year=today.year - 45, month=5, day=5),
        "Dorpsweg 30",
        "Wil hulp bij een burenruzie.",
        days_ago=60,
        referrer_kind="self",
        referrer_name="",
        referrer_role="",
        referrer_organisation="",
    )
    intake.start_intake(pg, declined)
    intake.record_step(
        pg,
        declined,
        "decision_meeting",
        None,
        held_on=today - timedelta(days=50),
        performed_by_id=pg.id,
        note="",
        report="",
    )
    intake.decide(
        pg,
        declined,
        "declined",
        "Er is één probleem en de regels werken hier wel. Doorverwezen naar buurtbemiddeling.",
        today - timedelta(days=50),
    )
