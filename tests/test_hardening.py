"""ASVS level 2 around the pages: CSRF on every POST (forms and htmx), no change on GET, user text
that can never become markup, script or an htmx request, oversized requests refused with a readable
page, and the production cookies and headers."""

import re

import pytest
from flask import current_app, url_for
from sqlalchemy import String, func, select, update

from opkoers import create_app
from opkoers.extensions import db
from opkoers.models import Case, Client, Meeting, UserSession
from opkoers.services import privacy

from .conftest import _FreshUserClient
from .factories import Factory
from .test_access_matrix import MATRIX, World

# Text that would act if it reached the page unescaped: markup, a script, an htmx request on load.
PAYLOAD = '<b x="1" hx-get="/logout" hx-trigger="load">vet</b><script>alert(1)</script>'


@pytest.fixture
def strict(app):
    """The same app with CSRF protection on, as in production."""
    strict = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": True},
    )
    strict.test_client_class = _FreshUserClient  # the test's own data is committed before each request
    return strict


def _token(client, url: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True))[1]


def _strict_login(strict, user):
    client = strict.test_client()
    token = _token(client, "/login")
    response = client.post(
        "/login", data={"email": user.email, "password": Factory.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_csrf_missing_or_wrong_is_refused_on_forms_and_htmx(strict, factory):
    pg = factory.user("projectgroep")
    case = factory.case(status="referred")
    db.session.commit()
    client = _strict_login(strict, pg)
    url = f"/trajecten/{case.id}/intake/start"
    htmx = {"HX-Request": "true"}
    token = _token(client, f"/trajecten/{case.id}")
    for data, headers in (
        ({}, {}),  # no token at all
        ({"csrf_token": "vervalst"}, {}),  # a wrong token in the form
        ({}, htmx),  # htmx without the header
        ({}, htmx | {"X-CSRFToken": "vervalst"}),  # htmx with a wrong header
        ({"csrf_token": token + "x"}, {}),
    ):
        response = client.post(url, data=data, headers=headers)
        assert response.status_code == 400, (data, headers)
        if not headers:
            assert "Het formulier was verlopen of onvolledig" in response.get_data(as_text=True)
    assert db.session.get(Case, case.id).status == "referred"
    assert client.post(url, headers=htmx | {"X-CSRFToken": token}).status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "intake"


def test_no_get_changes_anything(login, factory):
    world = World(factory)
    client = login(world.users["projectgroep"])

    def state():
        counts = {}
        for table in db.metadata.sorted_tables:
            if table.name in ("access_log", "user_session", "audit_entry", "login_throttle"):
                continue  # the log of the looking itself, and the session's last-seen time
            counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
        counts["versions"] = db.session.scalar(select(func.sum(Case.version))) + db.session.scalar(
            select(func.sum(Meeting.version))
        )
        return counts

    before = state()
    for endpoint, methods in MATRIX.items():
        if "GET" in methods and endpoint not in ("auth.logout",):
            client.get(world.url(endpoint))
    db.session.expire_all()
    assert state() == before
    # …and the only audit entries a GET writes are about sessions (none here)
    assert db.session.scalar(select(UserSession.id)) is not None


def test_user_text_is_inert_on_every_page(login, factory):
    world = World(factory)
    case = world.case
    # Every short and long text of every record of the case, and of the client, becomes the payload.
    for model in [Client, Case] + [p.model for p in privacy.PARTS]:
        columns = {
            c.name: PAYLOAD[: c.type.length] if c.type.length else PAYLOAD
            for c in model.__table__.columns
            if isinstance(c.type, String) and (not c.type.length or c.type.length >= 60)
            if not c.name.endswith(("key", "uid", "url", "to_address", "email", "key_hash"))
        }
        if not columns:
            continue
        if model is Client:
            where = Client.id == case.client_id
        elif model is Case:
            where = Case.id == case.id
        else:
            part = next(p for p in privacy.PARTS if p.model is model)
            if not hasattr(model, "id"):
                continue
            where = model.id.in_(part.ids_of_case([case.id]))
        db.session.execute(
            update(model).where(where).values(columns).execution_options(synchronize_session=False)
        )
    db.session.commit()
    shown_escaped = 0
    for role in ("projectgroep", "involved", "buurtteam"):
        client = login(world.users[role])
        for endpoint, methods in MATRIX.items():
            if "GET" not in methods or endpoint in ("auth.logout", "meetings.ics", "feed.calendar"):
                continue
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(world.url(endpoint), headers=headers)
                if response.mimetype != "text/html":
                    continue  # JSON and CSV carry text as data, as an attachment the browser does not render
                body = response.get_data(as_text=True)
                assert "<script>alert(1)" not in body, (role, endpoint)
                assert 'hx-get="/logout"' not in body and "<b x=" not in body, (role, endpoint)
                shown_escaped += "&lt;script&gt;alert(1)" in body
    assert shown_escaped > 20  # the text is there, as text: the test looked at real pages


def test_an_oversized_request_gets_a_readable_413(login, factory):
    case = factory.case(status="referred")
    client = login(factory.user("projectgroep"))
    size = current_app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(f"/trajecten/{case.id}/aanmelding", data={"reason": "x" * size})
    assert response.status_code == 413
    assert "Wat u wilde opslaan is te groot" in response.get_data(as_text=True)
    assert db.session.get(Case, case.id).reason != "x" * size


def test_overlong_text_in_a_field_is_refused_at_the_field(login, factory):
    case = factory.case(status="referred")
    client = login(factory.user("projectgroep"))
    page = client.get(f"/trajecten/{case.id}/aanmelding").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page)[1]
    response = client.post(
        f"/trajecten/{case.id}/aanmelding", data={"version": version, "client_name": "n" * 201, "reason": "r"}
    )
    assert response.status_code == 422
    assert db.session.get(Client, case.client_id).name != "n" * 201


def test_production_cookies_and_headers(app, factory):
    production = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "a-long-random-production-secret",
            "DEMO_MODE": False,
            "MAIL_SERVER": "smtp.example.org",
            "PUBLIC_URL": "https://opkoers.example.org",
            "TWO_FACTOR_ROLES": (),
        },
    )
    production.test_client_class = _FreshUserClient
    user = factory.user("professional")
    db.session.commit()
    client = production.test_client()
    login_page = client.get("/login", base_url="https://opkoers.example.org")
    headers = login_page.headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["Referrer-Policy"] == "same-origin" and headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page.get_data(as_text=True))[1]
    response = client.post(
        "/login",
        data={"email": user.email, "password": Factory.PASSWORD, "csrf_token": token},
        base_url="https://opkoers.example.org",
    )
    (cookie,) = response.headers.getlist("Set-Cookie")  # the session cookie, and nothing else
    assert cookie.startswith("__Host-opkoers=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    with production.test_request_context():
        assert url_for("main.dashboard") == "/start"
