"""Demo clients after the breakthrough: one in aftercare with the neighbourhood team, one closed half
a year ago (its +6 months measurement and pilot-light contact are due now), and one closed more than a
year ago with every measurement taken. Built through the same services as the UI, with the clock set
back to the day each step happened."""

from datetime import time, timedelta

from sqlalchemy import select

from .extensions import db
from .models import LifeDomain
from .services import agreements, closing, intake, meetings, self_reliance
from .services import handover as handovers
from .services.meetings import Participant
from .timeutil import local_today, travel

# Per client: name, birth year offset, address, neighbourhood, reason, the days ago each step
# happened, and the average score at each moment (start, end, +6 months, +1 year).
JOURNEYS = (
    {
        "name": "Sandra Mulder",
        "age": 39,
        "address": "Kolkakker 12",
        "hood": "Houten Noord-Oost",
        "reason": "Schulden en een huurachterstand na een scheiding; de kinderen slapen bij oma.",
        "referred": 150,
        "accepted": 50,
        "contacts": (40, 12),
        "scores": (2, None, None, None),
    },
    {
        "name": "Willem de Graaf",
        "age": 57,
        "address": "Brink 3",
        "hood": "Centrum",
        "reason": "Uitkering gestopt na een fout in de papieren; dreigende afsluiting van water.",
        "referred": 420,
        "accepted": 300,
        "contacts": (280, 240, 215),
        "closed": 190,
        "pilot_light": {3: ("held", True)},
        "scores": (2, 4, None, None),
    },
    {
        "name": "Ria Bos",
        "age": 66,
        "address": "Oude Dijk 8",
        "hood": "Houten Noord-West",
        "reason": "Na het overlijden van haar man loopt de administratie vast; aanmaningen stapelen zich op.",
        "referred": 640,
        "accepted": 520,
        "contacts": (500, 460),
        "closed": 400,
        "pilot_light": {3: ("held", True), 6: ("held", False), 12: ("impossible", None)},
        "scores": (2, 4, 4, 3),
    },
)


def _at(days_ago: int):
    return travel(-timedelta(days=days_ago))


def _scores(average: int, spread: int = 0) -> dict[int, int]:
    """A score per theme around an average (some themes a little higher or lower)."""
    themes = self_reliance.themes()
    return {t.id: max(1, min(5, average + ((i + spread) % 3) - 1)) for i, t in enumerate(themes)}


def _take(actor, case, moment: str, average: int | None) -> None:
    if average is None:
        return
    row = next(r for r in self_reliance.case_measurements(case) if r.measurement.moment == moment)
    measurement = row.measurement
    self_reliance.record(actor, measurement, measurement.version, local_today(), _scores(average, 1), "")
    db.session.flush()


def _meeting(pg, case, kind: str, people, agenda: str):
    """A meeting held yesterday (in the clock of the step)."""
    meeting = meetings.plan_meeting(
        pg,
        case,
        day=local_today() - timedelta(days=1),
        start=time(10),
        end=time(11),
        participants=[Participant("user", u.id) for u in people]
        + [Participant("client", name=case.client.name, email="")],
        kind=kind,
        location="Gemeentehuis Houten, kamer 3",
        video_link="",
        chair_id=pg.id,
        agenda=agenda,
        accept_clashes=True,
    )
    meetings.record_attendance(pg, meeting, {p.id for p in meeting.participants})
    meetings.save_minutes(pg, meeting, meeting.minutes_revision, agenda)
    db.session.flush()
    meetings.sign_minutes(pg, meeting, meeting.minutes_revision)
    return meeting


def _admit(pg, orgs, hood, journey, referral, through_intake):
    with _at(journey["referred"]):
        today = local_today()
        case = referral(
            pg,
            hood,
            journey["name"],
            today.replace(year=today.year - journey["age"], month=4, day=2),
            journey["address"],
            journey["reason"],
            days_ago=0,
        )
    with _at(journey["referred"] - 14):
        today = local_today()
        through_intake(pg, case, 12)
        intake.decide(pg, case, "admitted", "Voldoet aan A tot en met D.", today)
        _take(pg, case, "start", journey["scores"][0])
        agreements.record_contract(pg, case, case.version, today)
        agreements.record_consent(
            pg,
            case,
            [orgs[n].id for n in ("Gemeente Houten", "Schuldhulp Houten", hood.team.name)],
            "Informatie delen over inkomen, schulden en wonen, voor één plan en voor de warme overdracht "
            "naar het buurtteam en de nazorg daarna.",
            today,
            today + timedelta(days=730),
        )
        domains = db.session.scalars(select(LifeDomain).where(LifeDomain.code.in_(("schulden", "inkomen"))))
        for domain in domains:
            goal = agreements.add_goal(
                pg, case, domain.id, f"Rust op het gebied van {domain.name.lower()}.", "Een vaste regeling."
            )
        agreements.save_plan(
            pg,
            case,
            goal.plan.version,
            prioritised_problem='"Dat er weer geld is voor de boodschappen."',
            activities="Schulden op een rij, betalingsregelingen, aanvraag bijzondere bijstand.",
            signed_on=today,
        )
        agreements.start_plan(pg, case)
    return case


def _hand_over(pg, contact, case, journey):
    with _at(journey["referred"] - 35):
        _meeting(pg, case, "round_table", [], "Wat komt voor de cliënt op de eerste plaats?")
    with _at(journey["accepted"] + 7):
        handover = handovers.start(pg, case, case.client.neighbourhood.team_id, contact.id)
        db.session.flush()
        points = handovers.points()
        answers = {p.id: ("ready", "") for p in points}
        answers[points[1].id] = ("attention", "Nog één regeling loopt, tot het eind van het jaar.")
        handovers.save_document(pg, handover, handover.version, answers)
        db.session.flush()
        handovers.send(pg, handover, handover.version)
        db.session.flush()
    with _at(journey["accepted"]):
        _meeting(pg, case, "handover", [contact], "Het overdrachtsdocument samen doornemen.")
        handovers.accept(contact, handover, handover.version)
        db.session.flush()
    for days_ago in journey["contacts"]:
        with _at(days_ago):
            note = "Langs geweest. De post is geopend, de huur is betaald."
            handovers.log_contact(contact, handover, local_today(), "visit", note)
    return handover


def _close(pg, contact, case, journey):
    with _at(journey["closed"]):
        talk = _meeting(pg, case, "closing", [contact], "Terugkijken en afspraken voor het komende jaar.")
        closing.close_case(
            pg,
            case,
            case.version,
            outcome="plan_done",
            goal_ids=[],
            explanation="",
            meeting_id=talk.id,
            closed_on=local_today(),
        )
        db.session.flush()
        _take(contact, case, "end", journey["scores"][1])
    for months, (outcome, balanced) in journey.get("pilot_light", {}).items():
        contact_moment = next(p for p in closing.case_pilot_lights(case) if p.months == months)
        with _at(max((local_today() - contact_moment.due_on).days, 0)):
            closing.register_pilot_light(
                contact,
                contact_moment,
                contact_moment.version,
                outcome=outcome,
                held_on=local_today() if outcome == "held" else None,
                balanced=balanced,
                note="Gewezen op de budgetcursus in de bibliotheek." if balanced is False else "",
                reason="Drie keer gebeld en langs geweest, niet thuis." if outcome == "impossible" else "",
            )
            db.session.flush()
    for moment, average in zip(("half_year", "year"), journey["scores"][2:], strict=True):
        if average is None:
            continue
        row = next(r for r in self_reliance.case_measurements(case) if r.measurement.moment == moment)
        with _at((local_today() - row.measurement.due_on).days):
            _take(contact, case, moment, average)


def load(users, orgs, hoods, referral, through_intake) -> None:
    """The three clients after the breakthrough (see the module docstring)."""
    pg, contact = users["projectgroep"], users["buurtteam"]
    for journey in JOURNEYS:
        hood = hoods[journey["hood"]]
        case = _admit(pg, orgs, hood, journey, referral, through_intake)
        _hand_over(pg, contact, case, journey)
        if journey.get("closed"):
            _close(pg, contact, case, journey)
