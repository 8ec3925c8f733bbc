"""The case page's own part (and a meeting page's) is rendered once and shown again to the same
session until the case changes: every change the trail records shows at the next view, each person
and session gets a page of their own, and what the trail does not record shows within
CASE_PAGE_CACHE_SECONDS or the next day."""

from datetime import timedelta

import pytest
from flask_babel import refresh

from opkoers import timeutil
from opkoers.extensions import db
from opkoers.models import Case, Meeting, User
from opkoers.services import cases, meetings

from .helpers import count_queries


@pytest.fixture
def kept(app):
    app.config["CASE_PAGE_CACHE_SECONDS"] = 60


def view(client, case_id: int) -> tuple[str, int]:
    """The case page's text and how many queries it took (nothing loaded before the request)."""
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(f"/trajecten/{case_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def test_shown_again_until_the_case_changes(login, factory, kept):
    pg = factory.user("projectgroep")
    case = factory.case("in_progress")
    helper_id = factory.user("professional", name="Ilse Inzet").id
    db.session.commit()
    case_id = case.id
    client = login(pg)
    client.get("/trajecten")  # the session's form token exists, as after any page
    first, rendered = view(client, case_id)
    again, shown_again = view(client, case_id)
    assert again == first
    assert shown_again < rendered  # nothing of the case page was loaded again

    cases.add_involvement(pg, db.session.get(Case, case_id), helper_id, "Schuldhulp")
    db.session.commit()
    case_id = case.id
    changed, _ = view(client, case_id)
    assert "Ilse Inzet" in changed and "Ilse Inzet" not in first


def test_each_person_and_session_gets_their_own_page(login, factory, kept):
    pg = factory.user("projectgroep")
    zorg = factory.organisation(kind="zorg")
    professional = factory.user("professional", zorg)
    case = factory.case("in_progress", involved=[professional], consent_organisations=[zorg])
    db.session.commit()
    case_id = case.id
    as_pg, as_professional = login(pg), login(professional)
    for client in (as_pg, as_professional):
        client.get("/trajecten")
    project_group_page, _ = view(as_pg, case_id)
    professional_page, _ = view(as_professional, case_id)
    assert 'id="section-privacy"' in project_group_page
    assert 'id="section-privacy"' not in professional_page

    other_session = login(pg)
    other_session.get("/trajecten")
    page, _ = view(other_session, case_id)
    token = 'name="csrf_token" type="hidden" value="'
    assert page.count(token) == project_group_page.count(token)


def test_what_the_trail_does_not_record_shows_within_the_time_limit(login, factory, kept):
    pg = factory.user("projectgroep")
    handler = factory.user("projectgroep", name="Henk Handel")
    handler_id = handler.id
    case = factory.case("in_progress", handler=handler)
    db.session.commit()
    case_id = case.id
    client = login(pg)
    client.get("/trajecten")
    assert "Henk Handel" in view(client, case_id)[0]
    db.session.get(User, handler_id).name = "Henk Hernoemd"
    db.session.commit()
    case_id = case.id
    assert "Henk Hernoemd" not in view(client, case_id)[0]  # the page of a moment ago
    with timeutil.travel(timedelta(seconds=61)):
        assert "Henk Hernoemd" in view(client, case_id)[0]


def test_a_new_day_and_another_language_render_anew(app, login, factory, kept):
    app.config.update(SESSION_IDLE_MINUTES=3 * 24 * 60, SESSION_ABSOLUTE_HOURS=72)  # one session, two days
    pg = factory.user("projectgroep")
    case = factory.case("in_progress")
    db.session.commit()
    case_id = case.id
    client = login(pg)
    client.get("/trajecten")
    dutch, _ = view(client, case_id)
    client.post("/taal", data={"lang": "en"})
    refresh()  # (the tests keep one app context, where Flask-Babel remembers the language)
    english, _ = view(client, case_id)
    assert "Client and referral" in english and "Client and referral" not in dutch
    with timeutil.travel(timedelta(days=1)):
        _, next_day = view(client, case_id)
        _, again = view(client, case_id)
    assert again < next_day


def test_a_meeting_page_is_shown_again_until_the_case_changes(login, factory, kept):
    pg = factory.user("projectgroep")
    case = factory.case("in_progress")
    meeting = factory.meeting(case, pg, [pg])
    db.session.commit()
    meeting_id, revision = meeting.id, meeting.minutes_revision
    client = login(pg)
    client.get("/trajecten")

    def meeting_page() -> tuple[str, int]:
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(f"/bijeenkomsten/{meeting_id}")
        assert response.status_code == 200
        return response.get_data(as_text=True), len(statements)

    first, rendered = meeting_page()
    again, shown_again = meeting_page()
    assert again == first and shown_again < rendered
    meetings.save_minutes(
        pg, db.session.get(Meeting, meeting_id), revision, "Afgesproken: de huur wordt betaald."
    )
    db.session.commit()
    assert "de huur wordt betaald" in meeting_page()[0]
