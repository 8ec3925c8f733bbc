"""Logging in and out, the health check, production safety and the command-line tools."""

import pytest
from sqlalchemy import select

from config import DEFAULT_SECRET_KEY
from opkoers import create_app, jobs
from opkoers.extensions import db
from opkoers.models import AuditEntry, Case, User
from opkoers.passwords import verify_password

from .factories import Factory

NEUTRAL = "Inloggen is niet gelukt. Controleer uw e-mailadres en wachtwoord."


def test_login_and_logout(client, factory):
    user = factory.user("projectgroep")
    response = client.post("/login", data={"email": user.email.upper(), "password": Factory.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")
    assert client.get("/start").status_code == 200
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.user_id == user.id)) == "login"

    assert client.post("/logout").status_code == 302
    assert client.get("/start").headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("pg@example.test", "wrong-password-123"),
        ("nobody@example.test", Factory.PASSWORD),
        ("", ""),
        ("pg@example.test", "x" * 500),
    ],
)
def test_wrong_login_gets_one_neutral_message(client, factory, email, password):
    factory.user("projectgroep", email="pg@example.test")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 422
    assert client.get("/start").status_code == 302
    if email and len(password) < 200:
        assert NEUTRAL in response.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, factory):
    user = factory.user("professional", active=False)
    response = client.post("/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert NEUTRAL in response.get_data(as_text=True)


def test_a_copied_session_cookie_stops_working_after_logout(app, factory):
    user = factory.user("projectgroep")
    db.session.commit()
    first = app.test_client()
    first.post("/login", data={"email": user.email, "password": Factory.PASSWORD})
    cookie = first.get_cookie("session")
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/start").status_code == 200
    first.post("/logout")
    assert copy.get("/start").status_code == 302


def test_login_redirect_only_to_local_paths(client, factory):
    user = factory.user("projectgroep")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": Factory.PASSWORD}
    )
    assert response.headers["Location"] == "/start"


def test_csrf_is_required_when_enabled(backend, factory, app):
    strict = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": True},
    )
    user = factory.user("projectgroep")
    db.session.commit()
    response = strict.test_client().post("/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert response.status_code == 400


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_with_client_data_are_not_cached(login, factory):
    case = factory.case()
    response = login(factory.user("projectgroep")).get(f"/trajecten/{case.id}")
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True, "scheduler_last_seen": None}
    jobs.heartbeat(app)
    assert client.get("/healthz").get_json()["scheduler_last_seen"].startswith("20")


def test_healthz_reports_an_unreachable_database():
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-folder/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"SECRET_KEY": DEFAULT_SECRET_KEY},
        {"SECRET_KEY": "a-long-random-production-secret", "DEBUG": True},
        {"SECRET_KEY": "a-long-random-production-secret", "DEMO_MODE": True},
        {"SECRET_KEY": "a-long-random-production-secret", "MAIL_SERVER": ""},
        {"SECRET_KEY": "a-long-random-production-secret", "PUBLIC_URL": "http://127.0.0.1:5000"},
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "a-long-random-production-secret", "SCHEDULER_LEASE_SECONDS": 90},
    ],
)
def test_production_refuses_unsafe_settings(overrides):
    with pytest.raises(RuntimeError, match="Refusing to start in production"):
        create_app("production", overrides)


def test_production_starts_with_safe_settings():
    app = create_app(
        "production",
        {
            "SECRET_KEY": "a-long-random-production-secret",
            "DEMO_MODE": False,
            "MAIL_SERVER": "smtp.example.org",
            "PUBLIC_URL": "https://opkoers.example.org",
        },
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_errors_show_a_generic_page_with_an_incident_code(app, login, factory, monkeypatch):
    from opkoers.services import dashboard

    def broken(*args, **kwargs):
        raise ValueError("secret internal detail")

    monkeypatch.setattr(dashboard, "case_overview", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = login(factory.user("projectgroep")).get("/start")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in body and "secret internal detail" not in body and "Traceback" not in body


def test_create_admin_asks_for_the_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Beheer@Houten.example",
            "--name",
            "Ada Beheer",
            "--organisation",
            "Gemeente Houten",
        ],
        input="a-very-long-password-1\na-very-long-password-1\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "beheer@houten.example"))
    assert user.role == "beheerder" and verify_password(user.password_hash, "a-very-long-password-1")
    assert "a-very-long-password-1" not in result.output


def test_create_admin_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "b@houten.example",
            "--name",
            "B",
            "--organisation",
            "Gemeente Houten",
        ],
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "b@houten.example")) is None


def test_seed_demo_loads_once_and_only_in_demo_mode(app):
    runner = app.test_cli_runner()
    f = Factory()
    f.life_domains(), f.handover_points(), f.themes()  # (a migration puts them in a real database)
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(db.func.count()).select_from(Case)) == 8
    assert "already" in runner.invoke(args=["seed-demo"]).output
    app.config["DEMO_MODE"] = False
    assert runner.invoke(args=["seed-demo"]).exit_code != 0


def test_dashboard_counts_and_lists_only_what_the_user_may_see(login, factory):
    debt_help = factory.organisation("Schuldhulp", "schuldhulp")
    professional = factory.user("professional", debt_help)
    seen = factory.case(
        "in_progress",
        client_name="Zichtbare Cliënt",
        crisis=True,
        involved=[professional],
        consent_organisations=[debt_help],
    )
    factory.case("in_progress", client_name="Verborgen Cliënt", crisis=True, involved=[professional])
    factory.case("referred", client_name="Andere Cliënt")
    body = login(professional).get("/start").get_data(as_text=True)
    assert "Zichtbare Cliënt" in body and f"/trajecten/{seen.id}" in body
    assert "Verborgen Cliënt" not in body and "Andere Cliënt" not in body
    assert "<strong>1</strong> in totaal" in body

    body = login(factory.user("projectgroep")).get("/start").get_data(as_text=True)
    assert "<strong>3</strong> in totaal" in body
    assert "Zichtbare Cliënt" in body and "Verborgen Cliënt" in body


def test_ids_beyond_what_the_database_holds_are_not_found(login, factory):
    projectgroep = login(factory.user("projectgroep"))
    beheerder = login(factory.user("beheerder"))
    huge = 2**63
    assert projectgroep.get(f"/trajecten/{huge}").status_code == 404
    assert projectgroep.get(f"/trajecten/{huge}/afdrukken/contract").status_code == 404
    assert beheerder.get(f"/beheer/gebruikers/{huge}").status_code == 404


def test_dates_may_be_typed_the_dutch_way(login, factory):
    case = factory.case("admitted")
    client = login(factory.user("projectgroep"))
    response = client.post(
        f"/trajecten/{case.id}/contract", data={"signed_on": "03-11-2026", "version": case.version}
    )
    assert response.status_code == 302
    assert case.contract_signed_on.isoformat() == "2026-11-03"


def test_demo_accounts_open_nothing_outside_demo_mode(app, client, factory):
    demo = factory.user("projectgroep", email="projectgroep@opkoers.test")
    app.config["DEMO_MODE"] = False
    response = client.post("/login", data={"email": demo.email, "password": Factory.PASSWORD})
    assert response.status_code == 422 and NEUTRAL in response.get_data(as_text=True)
    app.config["DEMO_MODE"] = True
    assert client.post("/login", data={"email": demo.email, "password": Factory.PASSWORD}).status_code == 302


def test_users_of_a_switched_off_organisation_cannot_log_in(app, client, factory):
    org = factory.organisation("Gestopt")
    user = factory.user("professional", org)
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": Factory.PASSWORD}).status_code == 302
    org.active = False
    response = client.post("/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert response.status_code == 422 and NEUTRAL in response.get_data(as_text=True)
    assert other.get("/start").status_code == 302  # the running session ends too
