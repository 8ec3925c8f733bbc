"""NEN 7513: a log row for every view, change, print, export and refusal, written or the request
fails; rows the app cannot change or delete; the client's "who looked at my file" report; and the
beheerder's access review."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from opkoers import audit, timeutil
from opkoers.extensions import db
from opkoers.models import AccessLogEntry, AuditEntry, Consent, UserSession
from opkoers.models.audit import REDACTED
from opkoers.services import accounts, admin, agreements, notifications

from .helpers import count_queries


def _rows(**where) -> list[AccessLogEntry]:
    query = select(AccessLogEntry).order_by(AccessLogEntry.id)
    for name, value in where.items():
        query = query.where(getattr(AccessLogEntry, name) == value)
    return db.session.scalars(query).all()


@pytest.fixture
def people(factory):
    case, users = factory.case_with_people(status="in_progress")
    db.session.commit()
    return case, users


# ---------------------------------------------------------------- a row for everything


def test_view_change_print_and_list_each_write_a_row(login, factory, people):
    case, users = people
    client = login(users["involved"])
    consent_id = db.session.scalar(select(Consent.id).where(Consent.case_id == case.id))
    assert client.get(f"/trajecten/{case.id}").status_code == 200
    assert client.get(f"/trajecten/{case.id}/afdrukken/plan").status_code in (200, 409)
    assert client.get("/trajecten").status_code == 200
    pg = login(users["projectgroep"])
    response = pg.post(f"/trajecten/{case.id}/betrokkenen", data={"user_id": users["not_involved"].id})
    assert response.status_code in (200, 302)
    rows = _rows(case_id=case.id)
    seen = [(r.user_id, r.what, r.action, r.basis, r.consent_id) for r in rows]
    involved, projectgroep = users["involved"].id, users["projectgroep"].id
    assert seen == [
        (involved, "cases.detail", "view", "consent", consent_id),
        (involved, "documents.plan", "print", "consent", consent_id),
        (involved, "cases.index", "list", "consent", None),
        (projectgroep, "cases.involvement_add", "change", "mandate", None),
    ]
    assert {r.client_id for r in rows} == {case.client_id}
    assert {(r.organisation_name, r.role) for r in rows[:3]} == {("Gemeente", "professional")}


def test_exports_and_downloads_without_a_client_are_logged_too(login, factory):
    pg = factory.user("projectgroep")
    client = login(pg)
    for url in ("/budget.csv", "/register.csv", "/impact.csv"):
        assert client.get(url).status_code == 200, url
    assert [(r.what, r.action, r.client_id) for r in _rows()] == [
        ("budget.overview_csv", "export", None),
        ("deviations.register_csv", "export", None),
        ("impact.report_csv", "export", None),
    ]


def test_a_refused_change_still_logs_what_was_shown(login, factory, people):
    case, users = people
    pg = login(users["projectgroep"])
    response = pg.post(f"/trajecten/{case.id}/aanmelding", data={"reason": ""})
    assert response.status_code == 422
    (row,) = _rows(case_id=case.id)
    assert (row.action, row.outcome) == ("change", "allowed")


def test_a_change_rolled_back_before_a_redirect_still_logs_what_was_opened(login, people, monkeypatch):
    """The same form sent twice at the same moment: the second is rolled back and redirected (302)."""
    case, users = people
    pg = users["projectgroep"]

    def at_the_same_moment(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate form token"))

    monkeypatch.setattr("opkoers.blueprints.budget.budget.commit", at_the_same_moment)
    data = {
        "form_token": "token-1",
        "category": "housing",
        "description": "Borg",
        "payee": "Woningcorporatie",
        "amount": "450",
        "decided_by_id": str(pg.id),
        "meeting_id": "",
        "entry_date": timeutil.local_today().isoformat(),
    }
    response = login(pg).post(f"/trajecten/{case.id}/budget/toezegging", data=data)
    assert response.status_code == 302
    assert [(r.action, r.outcome) for r in _rows(case_id=case.id)] == [("change", "allowed")]


def test_a_page_that_fails_logs_no_view_it_did_not_show(login, people, monkeypatch):
    case, users = people

    def broken(*args, **kwargs):
        raise RuntimeError("something broke after the case was opened")

    monkeypatch.setattr("opkoers.blueprints.cases.cases.case_page", broken)
    client = login(users["projectgroep"])
    monkeypatch.setitem(client.application.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get(f"/trajecten/{case.id}")
    assert response.status_code == 500
    assert _rows(case_id=case.id) == []


def test_withdrawn_or_expired_consent_refuses_the_next_request_and_logs_it(login, factory, people):
    case, users = people
    client = login(users["involved"])
    assert client.get(f"/trajecten/{case.id}").status_code == 200
    consent = db.session.scalar(select(Consent).where(Consent.case_id == case.id))
    valid_until = consent.valid_until
    consent.valid_until = timeutil.local_today() - timedelta(days=1)  # the consent ran out overnight
    db.session.commit()
    # the page is still open: the next click, and a part of the page asked for by htmx, are refused
    section = client.get(f"/trajecten/{case.id}/aanmelding", headers={"HX-Request": "true"})
    assert section.status_code in (403, 404)
    assert client.get(f"/trajecten/{case.id}").status_code == 404
    consent.valid_until = valid_until
    db.session.commit()
    assert client.get(f"/trajecten/{case.id}").status_code == 200
    agreements.withdraw_consent(users["projectgroep"], case, consent, "Ingetrokken door de cliënt")
    db.session.commit()
    assert client.get(f"/trajecten/{case.id}").status_code == 404
    outcomes = [r.outcome for r in _rows(case_id=case.id, user_id=users["involved"].id)]
    assert outcomes[-1] == "denied" and outcomes.count("denied") >= 2


def test_notifications_name_only_clients_still_shared_and_are_logged(login, people):
    case, users = people
    pro = users["involved"]
    notifications.notify(pro.id, "n1", "action_overdue", "Bel de woningcorporatie", "", case.id)
    notifications.notify(pro.id, "n2", "weekly_digest", "1 open actie")  # about no client
    db.session.commit()
    client = login(pro)
    page = client.get("/meldingen").get_data(as_text=True)
    assert "Bel de woningcorporatie" in page and "1 open actie" in page
    assert [(r.what, r.action) for r in _rows(case_id=case.id)] == [("notifications.index", "list")]
    consent = db.session.scalar(select(Consent).where(Consent.case_id == case.id))
    agreements.withdraw_consent(users["projectgroep"], case, consent, "Ingetrokken door de cliënt")
    db.session.commit()
    page = client.get("/meldingen").get_data(as_text=True)
    assert "Bel de woningcorporatie" not in page and "1 open actie" in page
    assert len(_rows(case_id=case.id)) == 1


def test_when_the_log_cannot_be_written_the_page_is_not_shown(login, factory, people):
    case, users = people
    client = login(users["projectgroep"])
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                "CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION USING MESSAGE = 'log unavailable'; END $$"
            )
        )
        db.session.execute(
            text(
                "CREATE TRIGGER access_log_broken BEFORE INSERT ON access_log "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert()"
            )
        )
    else:
        db.session.execute(
            text(
                "CREATE TRIGGER access_log_broken BEFORE INSERT ON access_log "
                "BEGIN SELECT RAISE(ABORT, 'log unavailable'); END"
            )
        )
    db.session.commit()
    try:
        response = client.get(f"/trajecten/{case.id}")
        assert response.status_code == 500
        assert case.client.name not in response.get_data(as_text=True)
        assert "Noem deze code als u contact opneemt" in response.get_data(as_text=True)
    finally:
        db.session.rollback()
        db.session.execute(
            text(
                "DROP TRIGGER access_log_broken ON access_log"
                if db.engine.dialect.name == "postgresql"
                else "DROP TRIGGER access_log_broken"
            )
        )
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP FUNCTION refuse_insert()"))
        db.session.commit()


# ---------------------------------------------------------------- the trails cannot be changed


def _refused(statement) -> None:
    with pytest.raises(DBAPIError) as info:
        db.session.execute(statement)
        db.session.flush()
    assert "cannot be changed or deleted" in str(info.value)
    db.session.rollback()


def test_log_rows_cannot_be_changed_or_deleted(login, factory, people):
    case, users = people
    login(users["involved"]).get(f"/trajecten/{case.id}")
    assert _rows()
    _refused(update(AccessLogEntry).values(user_name="Iemand anders"))
    _refused(text("DELETE FROM access_log"))
    if db.engine.dialect.name == "postgresql":
        _refused(text("TRUNCATE access_log"))
        _refused(text("TRUNCATE audit_entry"))
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) > 0
    _refused(update(AuditEntry).values(action="iets anders"))
    _refused(update(AuditEntry).values(changes={"name": ["A", "B"]}))
    _refused(update(AuditEntry).values(changes={"redacted": True}, user_name="Iemand anders"))
    _refused(text("DELETE FROM audit_entry"))
    assert all(r.user_name for r in _rows())


def test_audit_values_can_only_be_redacted(factory, people):
    case, _ = people
    audit.record(None, "case_updated", case, {"reason": ["oud", "nieuw"]}, case.id)
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry)).first()
    db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(changes={"redacted": True}))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry.id).changes == {"redacted": True}
    assert REDACTED == '{"redacted": true}'


def test_access_log_rows_older_than_five_years_may_go(factory, people):
    case, users = people
    long_ago = datetime.now(UTC) - timedelta(days=5 * 366)
    old = AccessLogEntry(at=long_ago, action="view", what="cases.detail", client_id=case.client_id)
    recent = AccessLogEntry(action="view", what="cases.detail", client_id=case.client_id)
    db.session.add_all([old, recent])
    db.session.commit()
    db.session.execute(text("DELETE FROM access_log WHERE id = :id"), {"id": old.id})
    db.session.commit()
    _refused(text(f"DELETE FROM access_log WHERE id = {recent.id}"))
    assert [r.id for r in _rows()] == [recent.id]


# ---------------------------------------------------------------- who looked at my file


def test_the_client_can_see_who_looked_at_their_file(login, factory, people):
    case, users = people
    login(users["involved"]).get(f"/trajecten/{case.id}")
    login(users["outside_consent"]).get(f"/trajecten/{case.id}")  # refused, and in the report
    login(users["buurtteam"]).get("/trajecten")  # a list only
    pg = login(users["projectgroep"])
    page = pg.get(f"/trajecten/{case.id}/inzagelog").get_data(as_text=True)
    assert users["involved"].name in page and users["outside_consent"].name in page
    assert "Geweigerd" in page and "Het dossier" in page and "Machtiging nummer" in page
    assert users["buurtteam"].name not in page
    with_lists = pg.get(f"/trajecten/{case.id}/inzagelog?lijsten=1").get_data(as_text=True)
    assert users["buurtteam"].name in with_lists and "In een lijst gezien" in with_lists
    tomorrow = (timeutil.local_today() + timedelta(days=1)).isoformat()
    later = pg.get(f"/trajecten/{case.id}/inzagelog?van={tomorrow}").get_data(as_text=True)
    assert "In deze periode heeft niemand het dossier geopend." in later
    bad = pg.get(f"/trajecten/{case.id}/inzagelog?van=morgen&tot=2026-13-45")
    assert bad.status_code == 200  # a date that is no date is simply not used
    assert _rows(what="privacy.access_report")  # reading the report is itself logged


def test_the_report_pages_its_rows(login, factory, people, app):
    case, users = people
    db.session.add_all(
        AccessLogEntry(action="view", what="cases.detail", client_id=case.client_id, user_name=f"Kijker {n}")
        for n in range(120)
    )
    db.session.commit()
    pg = login(users["projectgroep"])
    first = pg.get(f"/trajecten/{case.id}/inzagelog").get_data(as_text=True)
    assert "Pagina 1 van 3" in first
    assert pg.get(f"/trajecten/{case.id}/inzagelog?page=3").status_code == 200


# ---------------------------------------------------------------- the beheerder's access review


def test_the_access_review_shows_what_each_account_can_reach(login, factory, people):
    case, users = people
    factory.case(status="intake")
    db.session.commit()
    login(users["involved"])
    page, reach = admin.access_review(1, 50)
    by_name = {u.id: reach[u.id] for u in page.items}
    assert by_name[users["projectgroep"].id].cases == 2
    assert by_name[users["involved"].id].cases == 1 and by_name[users["involved"].id].sessions == 1
    assert by_name[users["outside_consent"].id].cases == 0  # involved, but outside the consent
    assert by_name[users["beheerder"].id].cases == 0
    html = login(users["beheerder"]).get("/beheer/toegang").get_data(as_text=True)
    assert users["involved"].name in html and "Trajecten te openen" in html


def test_the_access_review_has_a_fixed_number_of_queries(login, factory):
    beheerder = factory.user("beheerder")
    client = login(beheerder)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/beheer/toegang").status_code == 200
        return len(statements)

    few = queries()
    for _ in range(30):
        factory.case(status="in_progress", involved=[factory.user("professional")])
    db.session.commit()
    assert queries() == few


def test_the_beheerder_ends_sessions_resets_two_factor_and_switches_off(login, factory, app):
    beheerder, pro = factory.user("beheerder"), factory.user("professional")
    db.session.commit()
    their_client = login(pro)
    admin_client = login(beheerder)
    assert admin_client.post(f"/beheer/gebruikers/{pro.id}/sessies-beeindigen").status_code == 302
    assert their_client.get("/start").status_code == 302
    pro.totp_secret = "A" * 32
    db.session.commit()
    response = admin_client.post(f"/beheer/gebruikers/{pro.id}/tweestapsverificatie-opnieuw")
    assert response.status_code == 302
    db.session.expire_all()
    assert pro.totp_secret is None
    again = admin_client.post(
        f"/beheer/gebruikers/{pro.id}/tweestapsverificatie-opnieuw", follow_redirects=True
    )
    assert "Tweestapsverificatie staat uit." in again.get_data(as_text=True)
    assert admin_client.post(f"/beheer/gebruikers/{pro.id}/uitzetten").status_code == 302
    db.session.expire_all()
    assert not pro.active
    own = admin_client.post(f"/beheer/gebruikers/{beheerder.id}/uitzetten", follow_redirects=True)
    assert "U kunt uw eigen account niet uitzetten." in own.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == pro.id)).all()
    assert {"sessions_ended", "two_factor_reset", "user_updated"} <= set(actions)
    assert (
        db.session.scalar(
            select(func.count()).where(UserSession.user_id == pro.id, UserSession.ended_at.is_(None))
        )
        == 0
    )
    assert accounts.open_sessions(pro) == []
