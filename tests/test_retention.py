"""Retention: a date when a case ends, the nightly pass that anonymises (each case exactly once,
never under a legal hold) and deletes old operational records, and the beheerder's periods."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Text, func, select

from opkoers import timeutil
from opkoers.demo import load_demo_data
from opkoers.domain import RuleViolation
from opkoers.domain import retention as retention_rules
from opkoers.extensions import db
from opkoers.models import (
    AccessLogEntry,
    AuditEntry,
    Case,
    Client,
    Deviation,
    LoginThrottle,
    Notification,
    UserSession,
)
from opkoers.services import intake, privacy, retention

from .helpers import run_at_once


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(factory):
    """The demo's eight clients, with every kind of record (a migration seeds the reference lists)."""
    factory.life_domains(), factory.handover_points(), factory.themes()
    load_demo_data()
    db.session.commit()
    return db.session.scalars(select(Case).order_by(Case.id)).all()


def _decline(pg, case) -> None:
    """The four selection steps, then a decision to decline."""
    for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
        report = "Verslag van het gesprek." if kind == "intake_talk" else ""
        intake.record_step(
            pg, case, kind, None, held_on=case.referred_on, performed_by_id=pg.id, note="", report=report
        )
    intake.decide(pg, case, "declined", "Past niet bij Op Koers.", case.referred_on)


def test_an_ending_case_gets_its_retention_date(factory):
    pg = factory.user("projectgroep")
    case = factory.case(status="intake")
    _decline(pg, case)
    assert case.retention_until == retention_rules.months_after(case.referred_on, 12)


def test_the_nightly_pass_leaves_no_personal_data_behind(demo):
    names = {c.client.name for c in demo}
    texts = {c.reason for c in demo}
    ended = [c for c in demo if c.retention_until]
    assert ended, "the demo has closed and declined cases"
    for case in demo:
        case.retention_until = timeutil.local_today() - timedelta(days=1)
    db.session.commit()

    report = retention.run()
    db.session.commit()

    assert report.anonymised_cases == len(demo) and report.anonymised_clients == len(names)
    for client in db.session.scalars(select(Client)):
        assert client.name == "Geanonimiseerd" and {client.address, client.phone, client.email} <= {
            "",
            "(verwijderd)",
        }
        assert (client.date_of_birth.month, client.date_of_birth.day) == (1, 1)
    # No long text of any record of any case keeps a word, but an outcome put into the register.
    for part in privacy.PARTS:
        for column in part.model.__table__.columns:
            if isinstance(column.type, Text) or column.name in part.personal:
                values = set(db.session.scalars(select(column).distinct()))
                if part.model is Deviation and column.name == "outcome":
                    kept = set(
                        db.session.scalars(select(Deviation.outcome).where(Deviation.outcome_in_register))
                    )
                    values -= kept
                assert values <= {"", "(verwijderd)", None}, f"{part.key}.{column.name}: {values}"
    dump = json.dumps([privacy.client_file(c) for c in db.session.scalars(select(Client))], default=str)
    for secret in names | texts:
        assert secret not in dump
    # The trail keeps its lines (who did what when), not the values.
    redacted = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.case_id.is_not(None))).all()
    assert all(c in ({"redacted": True}, {}) for c in redacted)
    assert _count(AuditEntry, AuditEntry.action == "case_anonymised") == len(demo)
    assert _count(Notification) == 0
    # The counts stay: the cases, their statuses, the register.
    assert _count(Case) == len(demo)


def test_a_second_pass_does_nothing(demo):
    for case in demo:
        case.retention_until = timeutil.local_today() - timedelta(days=1)
    db.session.commit()
    first = retention.run()
    db.session.commit()
    second = retention.run()
    db.session.commit()
    assert first.anonymised_cases == len(demo)
    assert second.anonymised_cases == 0 and second.anonymised_clients == 0
    assert _count(AuditEntry, AuditEntry.action == "case_anonymised") == len(demo)


def test_two_passes_at_the_same_moment_anonymise_each_case_once(factory, app):
    cases = [factory.case(status="closed") for _ in range(6)]
    for case in cases:
        case.retention_until = timeutil.local_today() - timedelta(days=1)
    db.session.commit()

    def one_pass():
        with app.app_context():
            report = retention.run()
            db.session.commit()
            return report.anonymised_cases

    assert sorted(run_at_once(one_pass)) == [0, 6]
    assert _count(AuditEntry, AuditEntry.action == "case_anonymised") == 6


def test_a_legal_hold_keeps_a_case_until_it_is_lifted(factory):
    pg = factory.user("projectgroep")
    kept, gone = factory.case(status="closed", client_name="Blijft Bewaard"), factory.case(status="closed")
    for case in (kept, gone):
        case.retention_until = timeutil.local_today() - timedelta(days=1)
    retention.set_legal_hold(pg, kept, "Bezwaarprocedure loopt nog.")
    db.session.commit()
    report = retention.run()
    db.session.commit()
    assert (report.anonymised_cases, report.held_cases) == (1, 1)
    assert kept.client.name == "Blijft Bewaard" and kept.anonymised_at is None
    retention.set_legal_hold(pg, kept, "")
    db.session.commit()
    assert retention.run().anonymised_cases == 1
    db.session.commit()
    with pytest.raises(RuleViolation):
        retention.set_legal_hold(pg, kept, "Te laat")
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == kept.id)).all()
    assert actions.count("legal_hold_changed") == 2


def test_a_client_stays_while_another_case_of_theirs_runs(factory):
    old = factory.case(status="closed", client_name="Twee Trajecten")
    running = factory.case(status="in_progress")
    running.client_id = old.client_id
    old.retention_until = timeutil.local_today() - timedelta(days=1)
    db.session.commit()
    report = retention.run()
    db.session.commit()
    assert (report.anonymised_cases, report.anonymised_clients) == (1, 0)
    assert db.session.get(Client, old.client_id).name == "Twee Trajecten"


def test_old_operational_records_are_deleted(factory):
    user = factory.user("professional")
    now = datetime.now(UTC)
    db.session.add_all(
        [
            AccessLogEntry(at=now - timedelta(days=6 * 365), action="view", what="cases.detail"),
            AccessLogEntry(at=now - timedelta(days=4 * 365), action="view", what="cases.detail"),
            UserSession(
                key_hash="a" * 64, user_id=user.id, created_at=now - timedelta(days=400), last_seen_at=now
            ),
            UserSession(
                key_hash="b" * 64, user_id=user.id, created_at=now - timedelta(days=10), last_seen_at=now
            ),
            LoginThrottle(key="account:x", failures=2, window_start=now - timedelta(days=40)),
            LoginThrottle(key="account:y", failures=2, window_start=now - timedelta(days=2)),
            LoginThrottle(key="account:z", failures=0),  # a counter reset by a good login
            Notification(
                key="n1",
                user_id=user.id,
                kind="action_overdue",
                subject="x",
                created_at=now - timedelta(days=400),
            ),
        ]
    )
    db.session.commit()
    report = retention.run()
    db.session.commit()
    counts = (report.access_log_rows, report.sessions, report.login_counters, report.notifications)
    assert counts == (1, 1, 2, 1)
    assert _count(AccessLogEntry) == 1 and _count(UserSession) == 1 and _count(LoginThrottle) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention_run"))
    assert entry.changes["access_log_rows"] == [None, 1]


def test_the_beheerder_sets_periods_with_their_basis(factory, login):
    beheerder = factory.user("beheerder")
    client = login(beheerder)
    page = client.get("/beheer/bewaartermijnen").get_data(as_text=True)
    assert "NEN 7513" in page and "84 maanden" in page
    too_short = client.post(
        "/beheer/bewaartermijnen/access_log", data={"months": "12", "basis": "Korter is fijner"}
    )
    assert too_short.status_code == 422 and "minstens 60 maanden" in too_short.get_data(as_text=True)
    ok = client.post(
        "/beheer/bewaartermijnen/closed_case",
        data={"months": "120", "basis": "Selectielijst, categorie 7.1: 10 jaar (besluit archivaris 2026)"},
    )
    assert ok.status_code == 302
    assert retention.months("closed_case") == 120 and "archivaris" in retention.basis("closed_case")
    assert client.get("/beheer/bewaartermijnen/onbekend").status_code == 404
    pg = factory.user("projectgroep")
    case = factory.case(status="intake")
    _decline(pg, case)
    assert case.retention_until == retention_rules.months_after(case.referred_on, 12)  # its own period


def test_the_legal_hold_page(factory, login):
    case = factory.case(status="closed")
    client = login(factory.user("projectgroep"))
    assert client.get(f"/trajecten/{case.id}/bewaren").status_code == 200
    response = client.post(f"/trajecten/{case.id}/bewaren", data={"reason": "<b>Klacht</b> loopt"})
    assert response.status_code == 302
    page = client.get(f"/trajecten/{case.id}").get_data(as_text=True)
    assert "&lt;b&gt;Klacht&lt;/b&gt; loopt" in page and "<b>Klacht</b>" not in page
    too_long = client.post(f"/trajecten/{case.id}/bewaren", data={"reason": "x" * 2001})
    assert too_long.status_code == 422
    assert db.session.get(Case, case.id).legal_hold == "<b>Klacht</b> loopt"


def test_the_retention_command_says_what_it_did(app, factory):
    case = factory.case(status="closed")
    case.retention_until = timeutil.local_today() - timedelta(days=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "anonymised cases: 1" in result.output
    assert "anonymised cases: 0" in app.test_cli_runner().invoke(args=["retention"]).output
