"""The meeting pages through the test client: plan with bad input and clashes, the meeting page
filled in live (htmx and without JavaScript), stale edits, script in minutes, the outbox and SMTP."""

import smtplib
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from opkoers import jobs
from opkoers.extensions import db
from opkoers.models import Action, Meeting, MeetingParticipant, OutboxMessage
from opkoers.services import mail
from opkoers.timeutil import local_today

from .helpers import count_queries

HX = {"HX-Request": "true"}
NEXT_WEEK = local_today() + timedelta(days=7)
SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.fixture
def table(factory):
    org = factory.organisation("Gemeente")
    case = factory.case("in_progress", consent_organisations=[org])
    case.client.email = "client@example.org"
    chair = factory.user("projectgroep")
    pros = [factory.user("professional", org), factory.user("professional", org)]
    db.session.commit()
    return case, chair, pros


def _form(chair, pros, **changes) -> dict:
    data = {
        "kind": "round_table",
        "day": NEXT_WEEK.isoformat(),
        "start": "14:00",
        "end": "15:30",
        "location": "Stadhuis, kamer 2",
        "chair_id": str(chair.id),
        "agenda": "1. Welkom",
        "user_ids": [str(p.id) for p in pros],
        "with_client": "y",
        "coach_name": "Coach Jansen",
        "coach_email": "coach@example.org",
        "network_name": "Tante Ria",
        "network_relation": "tante",
        "guests": "Mr. De Wit, dewit@example.org",
    }
    data.update(changes)
    return data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_plan_a_round_table_from_the_form(login, table):
    case, chair, pros = table
    client = login(chair)
    response = client.post(f"/trajecten/{case.id}/bijeenkomsten/nieuw", data=_form(chair, pros))
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = db.session.scalar(select(Meeting))
    assert response.location == f"/bijeenkomsten/{meeting.id}"
    kinds = sorted(p.kind for p in meeting.participants)
    assert kinds == ["client", "coach", "guest", "network", "user", "user", "user"]
    assert _count(OutboxMessage) == 6  # chair, two professionals, client, coach, guest (Ria: no address)
    page = client.get(response.location).get_data(as_text=True)
    assert "Tante Ria" in page and "(tante)" in page and "Mr. De Wit" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "13:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"start": "25:00"}, "Vul een tijd in als uu:mm"),
        ({"day": "31-02-2026"}, "Vul een bestaande datum in"),
        ({"location": ""}, "Vul een plaats of een videolink in."),
        ({"video_link": "javascript:alert(1)"}, "Een videolink begint met https://"),
        ({"guests": "Mr. De Wit, dewit@example.org\nzonder apenstaartje, fout"}, "Regel 2 klopt niet."),
        ({"coach_email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"network_relation": ""}, "Schrijf op wie dit is voor de cliënt"),
        ({"chair_id": ""}, "Kies een voorzitter."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_the_input_kept(login, table, changes, message):
    case, chair, pros = table
    response = login(chair).post(
        f"/trajecten/{case.id}/bijeenkomsten/nieuw", data=_form(chair, pros, **changes)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Stadhuis, kamer 2" in page or changes.get("location") == ""
    assert "Tante Ria" in page  # the rest of the input is still there
    assert _count(Meeting) == 0 and _count(OutboxMessage) == 0


def test_a_clash_is_shown_and_saving_anyway_records_it(login, factory, table):
    case, chair, pros = table
    factory.meeting(case, chair, users=[pros[0]], day=NEXT_WEEK)
    db.session.commit()
    client = login(chair)
    url = f"/trajecten/{case.id}/bijeenkomsten/nieuw"
    response = client.post(url, data=_form(chair, pros))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "hebben op dat moment al een andere bijeenkomst" in page and pros[0].name in page
    assert "Toch opslaan" in page and _count(Meeting) == 1
    response = client.post(url, data=_form(chair, pros, accept_clashes="y"))
    assert response.status_code == 302
    latest = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()))
    assert pros[0].name in latest.clash_note


def test_change_the_meeting_and_take_someone_off(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    db.session.commit()
    client = login(chair)
    form = client.get(f"/bijeenkomsten/{meeting.id}/wijzigen").get_data(as_text=True)
    assert 'value="14:00"' in form and f'value="{meeting.version}"' in form
    data = _form(chair, [pros[0]], start="16:00", end="17:00", version=str(meeting.version))
    data.pop("with_client")
    response = client.post(f"/bijeenkomsten/{meeting.id}/wijzigen", data=data)
    assert response.status_code == 302
    cancels = db.session.scalars(
        select(OutboxMessage.to_address).where(OutboxMessage.ics_method == "CANCEL")
    ).all()
    assert cancels == [pros[1].email]
    # Someone else saving from the old version is refused, with their input kept.
    response = client.post(f"/bijeenkomsten/{meeting.id}/wijzigen", data=data | {"location": "Bibliotheek"})
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    assert "Bibliotheek" in response.get_data(as_text=True)


def test_cancel_the_meeting(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    db.session.commit()
    client = login(chair)
    assert (
        client.post(f"/bijeenkomsten/{meeting.id}/afzeggen", data={"version": meeting.version}).status_code
        == 422
    )
    response = client.post(
        f"/bijeenkomsten/{meeting.id}/afzeggen",
        data={"version": meeting.version, "reason": "Cliënt is ziek."},
    )
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.status == "cancelled"
    assert _count(OutboxMessage) == 6  # three invitations, three cancellations


def test_the_meeting_page_is_filled_in_live_with_htmx(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros, day=local_today() - timedelta(days=1))
    domain = factory.life_domains()[0]
    factory.problems(case, ["Schulden", "Wonen"])
    db.session.commit()
    client = login(chair)
    base = f"/bijeenkomsten/{meeting.id}"

    response = client.post(
        f"{base}/voorrang",
        headers=HX,
        data={
            "version": meeting.priority_revision,
            "prioritised_problem": "Ik wil eerst weten of ik mijn huis kan houden.",
            "life_domain_id": domain.id,
            "client_solution": "Een betalingsregeling",
        },
    )
    assert response.status_code == 200
    assert 'id="section-priority"' in response.get_data(as_text=True) and "<html" not in response.get_data(
        as_text=True
    )

    for i in range(5):
        response = client.post(
            f"{base}/acties",
            headers=HX,
            data={
                "description": f"Actie {i}",
                "assignee_kind": "user",
                "assignee_user_id": pros[i % 2].id,
                "due_on": (local_today() + timedelta(days=7)).isoformat(),
            },
        )
        assert response.status_code == 200
    section = response.get_data(as_text=True)
    assert all(f"Actie {i}" in section for i in range(5))
    assert (
        db.session.scalar(select(func.count()).select_from(Action).where(Action.meeting_id == meeting.id))
        == 5
    )

    present = db.session.scalars(
        select(MeetingParticipant.id).where(MeetingParticipant.meeting_id == meeting.id)
    )
    response = client.post(f"{base}/aanwezig", headers=HX, data={"present": list(present)})
    assert response.status_code == 200

    db.session.refresh(meeting)
    response = client.post(
        f"{base}/verslag", headers=HX, data={"version": meeting.minutes_revision, "minutes": SCRIPT}
    )
    assert response.status_code == 200 and ESCAPED in response.get_data(as_text=True)
    db.session.refresh(meeting)
    response = client.post(
        f"{base}/verslag/vaststellen", headers=HX, data={"version": meeting.minutes_revision}
    )
    assert response.status_code == 200
    section = response.get_data(as_text=True)
    assert "Vastgesteld door" in section and ESCAPED in section and SCRIPT not in section
    db.session.refresh(meeting)
    response = client.post(
        f"{base}/verslag", headers=HX, data={"version": meeting.minutes_revision, "minutes": "x"}
    )
    assert response.status_code == 409 and "Schrijf een verbetering als aanvulling" in response.get_data(
        as_text=True
    )
    response = client.post(
        f"{base}/verslag/aanvulling", headers=HX, data={"text": "Correctie: huur is € 650."}
    )
    assert response.status_code == 200 and "Correctie: huur is € 650." in response.get_data(as_text=True)

    # The professionals see their actions under "my actions".
    mine = login(pros[0]).get("/acties").get_data(as_text=True)
    assert "Actie 0" in mine and "Actie 2" in mine and "Actie 1" not in mine


def test_every_mistake_in_the_plan_is_shown_at_once(login, table):
    case, chair, pros = table
    data = _form(chair, pros, end="13:00", location="", coach_email="geen-adres")
    page = login(chair).post(f"/trajecten/{case.id}/bijeenkomsten/nieuw", data=data).get_data(as_text=True)
    for message in (
        "De eindtijd moet na de begintijd",
        "Vul een plaats of een videolink in",
        "geldig e-mailadres",
    ):
        assert message in page
    assert page.count('aria-invalid="true"') == 3


def test_a_new_action_is_not_due_in_the_past(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    db.session.commit()
    data = {
        "description": "Bellen",
        "assignee_kind": "client",
        "due_on": (local_today() - timedelta(days=1)).isoformat(),
    }
    response = login(chair).post(f"/bijeenkomsten/{meeting.id}/acties", headers=HX, data=data)
    assert response.status_code == 422 and "Deze datum is al voorbij" in response.get_data(as_text=True)
    assert _count(Action) == 0


def test_without_javascript_the_page_comes_back_with_the_errors(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    db.session.commit()
    client = login(chair)
    response = client.post(f"/bijeenkomsten/{meeting.id}/acties", data={"description": "Bellen"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in page and "Bellen" in page and "Wie doet het?" in page
    response = client.post(
        f"/bijeenkomsten/{meeting.id}/verslag", data={"version": meeting.minutes_revision, "minutes": "Kort"}
    )
    assert response.status_code == 302 and response.location.endswith("#section-minutes")


def test_moving_a_problem_of_another_case_is_not_found(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    other = factory.case("intake")
    (problem,) = factory.problems(other, ["Schulden"])
    db.session.commit()
    response = login(chair).post(f"/bijeenkomsten/{meeting.id}/problemen/{problem.id}/omhoog")
    assert response.status_code == 404


def test_meeting_page_queries_do_not_grow_with_actions_and_participants(login, factory, table):
    case, chair, pros = table
    small = factory.meeting(case, chair, users=pros[:1])
    big = factory.meeting(case, chair, users=pros + [factory.user("professional") for _ in range(8)])
    for meeting, n in ((small, 1), (big, 12)):
        for i in range(n):
            action = factory.action(case, pros[0], description=f"A{i}")
            action.meeting_id = meeting.id
    db.session.commit()
    client = login(chair)
    counts = []
    for meeting in (small, big):
        with count_queries() as statements:
            assert client.get(f"/bijeenkomsten/{meeting.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------- the outbox and SMTP


def test_the_local_outbox_shows_the_invitation_and_its_ics(login, factory, table):
    case, chair, pros = table
    factory.meeting(case, chair, users=pros)
    db.session.commit()
    client = login(pros[0])
    page = client.get("/e-mail").get_data(as_text=True)
    assert "Uitnodiging: Doorbraaktafel" in page and chair.email not in page  # only their own mail
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == pros[0].email))
    attachment = client.get(f"/e-mail/{message.id}/uitnodiging.ics")
    assert Calendar.from_ical(attachment.data)["METHOD"] == "REQUEST"


def test_with_smtp_the_local_outbox_does_not_exist(app, login, table):
    case, chair, pros = table
    client = login(chair)
    app.config["MAIL_TRANSPORT"] = "smtp"
    assert client.get("/e-mail").status_code == 404


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what was sent, or refuses to connect."""

    sent: list = []
    down = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError(111, "Connection refused")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message, to_addrs=None):
        FakeSMTP.sent.append(message)


def test_an_smtp_server_that_is_down_keeps_the_mail_queued_and_it_is_retried(
    app, factory, table, monkeypatch
):
    case, chair, pros = table
    factory.meeting(case, chair, users=pros)  # the save itself never talks to SMTP
    db.session.commit()
    app.config.update(MAIL_TRANSPORT="smtp", MAIL_SERVER="smtp.example.org")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.down = [], True

    assert jobs.deliver_mail(app) == 0
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert {(m.status, m.attempts) for m in messages} == {("queued", 1)}
    assert all("Connection refused" in m.last_error for m in messages)
    db.session.commit()  # (SQLite: the test's own transaction would hold the write lock)
    assert jobs.deliver_mail(app) == 0  # not due yet: it waits before the retry
    assert {m.attempts for m in db.session.scalars(select(OutboxMessage))} == {1}

    FakeSMTP.down = False
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=mail.utcnow()))
    db.session.commit()
    assert jobs.deliver_mail(app) == 3
    assert jobs.deliver_mail(app) == 0  # each once
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}
    email = FakeSMTP.sent[0]
    calendar_part = next(p for p in email.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    assert Calendar.from_ical(calendar_part.get_content())["METHOD"] == "REQUEST"


def test_mail_that_keeps_failing_is_given_up_after_the_last_attempt(app, factory, table, monkeypatch):
    case, chair, pros = table
    factory.meeting(case, chair, users=[])
    db.session.commit()
    app.config.update(MAIL_TRANSPORT="smtp", MAIL_SERVER="smtp.example.org", MAIL_MAX_ATTEMPTS=2)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.down = True
    for _ in range(2):
        db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=mail.utcnow()))
        db.session.commit()
        jobs.deliver_mail(app)
    assert db.session.scalar(select(OutboxMessage.status)) == "failed"


def test_in_the_local_outbox_mode_delivery_sends_nothing_out(app, factory, table, monkeypatch):
    case, chair, pros = table
    factory.meeting(case, chair, users=pros)
    db.session.commit()
    monkeypatch.setattr(smtplib, "SMTP", None)  # would fail if anything tried
    assert jobs.deliver_mail(app) == 3


def test_the_page_carries_each_parts_revision_so_a_first_save_is_not_stale(login, factory, table):
    case, chair, pros = table
    meeting = factory.meeting(case, chair, users=pros)
    db.session.commit()
    client = login(chair)
    page = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert 'id="priority-version" value="0"' in page and 'id="minutes-version" value="0"' in page
    data = {"version": "0", "prioritised_problem": "Rust", "life_domain_id": factory.life_domains()[0].id}
    assert client.post(f"/bijeenkomsten/{meeting.id}/voorrang", headers=HX, data=data).status_code == 200
