"""Inzage (AVG article 15): everything stored about a client, as a document and as JSON, from one map
of the records in a client's file — a map no table with client data can be missing from."""

import json

from sqlalchemy import select

from opkoers.demo import load_demo_data
from opkoers.extensions import db
from opkoers.models import AccessLogEntry, Case, User
from opkoers.passwords import hash_password
from opkoers.services import privacy

from .factories import Factory
from .helpers import count_queries

# Tables that hold no client data of their own, or that the map reaches another way.
NOT_A_CLIENT_RECORD = {
    "client",  # the file's own first part
    "client_case",  # the case itself
    "audit_entry",  # the change history, in the file as such
    "access_log",  # the access log, in the file as such
    "consent_organisation",  # the organisations of a consent: in consent_domain per life domain
}


def test_every_table_with_a_case_in_it_is_on_the_map():
    on_map = {p.model.__tablename__ for p in privacy.PARTS}
    parents = {p.model.__tablename__ for p in privacy.PARTS}
    for table in db.metadata.sorted_tables:
        refers = {fk.column.table.name for fk in table.foreign_keys}
        about_a_case = "client_case" in refers or bool(refers & parents)
        if about_a_case and table.name not in NOT_A_CLIENT_RECORD:
            assert table.name in on_map, f"{table.name} holds client data: add it to privacy.PARTS"


def _demo(factory):
    """The demo's clients; its project-group member logs in with the test password."""
    factory.life_domains(), factory.handover_points(), factory.themes()
    load_demo_data()
    db.session.scalar(select(User).where(User.role == "projectgroep")).password_hash = hash_password(
        Factory.PASSWORD
    )
    db.session.commit()


def test_the_json_export_holds_everything(factory, login):
    _demo(factory)
    case = db.session.scalar(select(Case).where(Case.status == "in_progress"))
    pg = db.session.scalar(select(User).where(User.role == "projectgroep"))
    client = login(pg)
    client.get(f"/trajecten/{case.id}")  # so the access log has a row
    response = client.get(f"/trajecten/{case.id}/gegevens.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="opkoers-client-')
    file = json.loads(response.get_data(as_text=True))
    assert file["client"]["name"] == case.client.name and file["exported_by"] == pg.name
    records = file["cases"][0]["records"]
    for part in ("intake", "intake_problem", "consent", "consent_domain", "plan_goal", "meeting", "action"):
        assert records.get(part), part
    assert file["change_history"] and file["access_log"]
    assert {r["what"] for r in file["access_log"]} >= {"cases.detail"}
    exported = AccessLogEntry.what == "privacy.export_json"
    rows = db.session.scalars(select(AccessLogEntry).where(exported)).all()
    assert [(r.action, r.client_id) for r in rows] == [("export", case.client_id)]


def test_the_document_reads_as_words_not_codes(factory, login):
    _demo(factory)
    case = db.session.scalar(select(Case).where(Case.status == "in_progress"))
    case.client.address = "<script>alert(1)</script> 12"
    db.session.commit()
    pg = db.session.scalar(select(User).where(User.role == "projectgroep"))
    page = login(pg).get(f"/trajecten/{case.id}/gegevens").get_data(as_text=True)
    assert f"Alle gegevens over {case.client.name}" in page
    assert "Problemen per leefgebied" in page and "Wie heeft uw dossier bekeken?" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 12" in page and "<script>alert(1)" not in page
    assert "case_id" not in page and "version" not in page and "None" not in page
    assert pg.name in page  # ids of people are shown as names


def test_the_export_has_a_fixed_number_of_queries(factory):
    small = factory.case(status="in_progress")
    db.session.commit()
    with count_queries() as few:
        privacy.client_file(small.client)
    big = factory.case(status="in_progress")
    for _ in range(20):
        factory.meeting(big, factory.user("projectgroep"))
    db.session.commit()
    with count_queries() as many:
        privacy.client_file(big.client)
    assert len(many) == len(few)
