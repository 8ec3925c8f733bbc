"""`flask backup` and `flask restore` on SQLite and PostgreSQL: a restore gives back the database exactly
as it was at backup time; damaged, foreign or unconfirmed restores change nothing; a backup is 0600 and
never left half written."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from flask_migrate import stamp
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from opkoers import backup, create_app
from opkoers.extensions import db
from opkoers.models import AccessLogEntry, AuditEntry, Case, Client

from .conftest import throwaway_pg_database
from .factories import Factory

MIGRATIONS = str(Path(__file__).resolve().parents[1] / "migrations")


@pytest.fixture
def scratch_url(backend, tmp_path):
    """An empty database of this test's own: restoring into the shared test database is not done."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    missing = [tool for tool in ("pg_dump", "pg_restore") if not backup.find_pg_tool(tool)]
    if missing:
        message = f"{' and '.join(missing)} not installed (apt-get install postgresql-client)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(f"PostgreSQL backup tests skipped: {message}.")
    with throwaway_pg_database("opkoers_backup") as url:
        yield url


@pytest.fixture
def live(scratch_url, tmp_path):
    """An app on the scratch database, with the schema (stamped at the code's head) and its context."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_url})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
        stamp(directory=MIGRATIONS)
        yield app
        db.session.remove()
        db.engine.dispose()


def _log(what: str, case: Case | None = None) -> None:
    db.session.add(
        AccessLogEntry(
            user_name="Tester",
            role="projectgroep",
            action="view",
            what=what,
            case_id=case.id if case else None,
            client_id=case.client_id if case else None,
        )
    )


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version too), in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        rows[table.name] = [tuple(r) for r in db.session.execute(select(table).order_by(*table.primary_key))]
    rows["alembic_version"] = [tuple(r) for r in db.session.execute(text("SELECT * FROM alembic_version"))]
    db.session.remove()  # no open transaction: a restore must not wait for this test's locks
    return rows


def _suffix(app) -> str:
    return ".sqlite" if db.engine.dialect.name == "sqlite" else ".dump"


def _make_backup(app, tmp_path) -> Path:
    target = tmp_path / "backups" / f"opkoers{_suffix(app)}"
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    return target


def _with_data() -> Case:
    factory = Factory()
    case = factory.case(client_name="Anna de Vries")
    factory.case(client_name="Bert Jansen")
    _log("cases.detail", case)
    db.session.commit()
    return case


def test_restore_gives_back_the_database_as_it_was_at_backup_time(live, tmp_path):
    case = _with_data()
    case_id, client_id = case.id, case.client_id
    before = _snapshot()
    target = _make_backup(live, tmp_path)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sidecar = backup.checksum_path(target)
    assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600
    assert sidecar.read_text() == f"{backup.sha256_of(target)}  {target.name}\n"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, sidecar.name]
    assert db.session.scalar(select(AuditEntry.changes).where(AuditEntry.action == "backup_made")) == {
        "file": [None, target.name]
    }

    # After the backup: a case and its client deleted, another renamed, a new access-log row.
    db.session.delete(db.session.get(Case, case_id))
    db.session.flush()
    db.session.delete(db.session.get(Client, client_id))
    db.session.scalars(select(Client).where(Client.name == "Bert Jansen")).one().name = "Bert Pietersen"
    _log("cases.list")
    db.session.commit()
    assert _snapshot() != before

    result = live.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Checksum verified" in result.output
    assert f"Database revision: {before['alembic_version'][0][0]}" in result.output
    assert "nothing to migrate" in result.output

    restored = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "database_restored")).one()
    assert restored.changes["file"] == [None, target.name]
    after = _snapshot()
    after["audit_entry"] = [row for row in after["audit_entry"] if "database_restored" not in row]
    assert after == before  # as it was, and the trail says it was restored
    assert db.session.get(Case, case_id).client.name == "Anna de Vries"
    assert db.session.scalar(select(AccessLogEntry.what).where(AccessLogEntry.what == "cases.list")) is None
    # The trails are append-only again after the restore.
    with pytest.raises(Exception, match="cannot be changed"):
        db.session.execute(text("UPDATE access_log SET what = 'x'"))
        db.session.flush()
    db.session.rollback()


def test_a_restore_into_an_older_schema_still_ends_with_the_advice(live, tmp_path, monkeypatch):
    """A backup from before the audit trail had its present columns: restored, and told what to do."""
    _with_data()
    target = _make_backup(live, tmp_path)

    def older_schema(*args, **kwargs):
        raise OperationalError("INSERT INTO audit_entry", {}, Exception("no column remote_addr"))

    monkeypatch.setattr("opkoers.cli.audit.record", older_schema)
    result = live.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Database revision:" in result.output
    assert "not in the audit trail" in result.output


def test_a_tampered_backup_is_refused_and_changes_nothing(live, tmp_path):
    _with_data()
    target = _make_backup(live, tmp_path)
    _log("cases.list")
    db.session.commit()
    before = _snapshot()
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))

    result = live.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 1
    assert "does not match its checksum" in result.output
    assert _snapshot() == before


def test_restore_answered_no_changes_nothing(live, tmp_path):
    _with_data()
    target = _make_backup(live, tmp_path)
    _log("cases.list")
    db.session.commit()
    before = _snapshot()

    result = live.test_cli_runner().invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1
    assert "replaces ALL data" in result.output
    assert "Aborted" in result.output
    assert _snapshot() == before


def test_a_file_that_is_no_backup_is_refused(live, tmp_path):
    _with_data()
    before = _snapshot()
    stranger = tmp_path / f"stranger{_suffix(live)}"
    if db.engine.dialect.name == "sqlite":  # a SQLite database, but not ours
        conn = sqlite3.connect(stranger)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        stranger.write_bytes(b"PGDMP but not really")

    result = live.test_cli_runner().invoke(args=["restore", str(stranger), "--yes"])
    assert result.exit_code == 1 and ".sha256 is missing" in result.output
    result = live.test_cli_runner().invoke(args=["restore", str(stranger), "--yes", "--without-checksum"])
    assert result.exit_code == 1
    assert "is not an Op Koers backup" in result.output
    assert _snapshot() == before


def test_a_failed_backup_leaves_no_file(live, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    if db.engine.dialect.name == "sqlite":

        def half_then_fail(source, partial):
            partial.write_bytes(b"SQLite format 3\x00 half a page")
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(backup, "_sqlite_backup", half_then_fail)
        app = live
        expected = "disk I/O error"
    else:  # pg_dump itself fails: the database does not exist
        missing = make_url(db.engine.url).set(database="opkoers_no_such_database")
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": missing.render_as_string(False)})
        expected = 'database "opkoers_no_such_database" does not exist'

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", "--to", str(folder / "b.backup")])
    assert result.exit_code == 1
    assert expected in result.output
    assert list(folder.iterdir()) == []


def test_backup_goes_to_the_instance_folder_by_default(live):
    result = live.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    folder = Path(live.instance_path) / "backups"
    (made,) = [p for p in folder.iterdir() if not p.name.endswith(".sha256")]
    assert made.name.startswith("opkoers-") and made.name.endswith(f"Z{_suffix(live)}")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert backup.verify_checksum(made)
    # A second backup under the same name is refused rather than overwriting the first.
    again = live.test_cli_runner().invoke(args=["backup", "--to", str(made)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_sqlite_backup_is_consistent_while_a_writer_is_busy(tmp_path):
    """The online backup copies the last committed state, not a writer's transaction in progress."""
    live_db = tmp_path / "live.db"
    writer = sqlite3.connect(live_db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("INSERT INTO t VALUES (1)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (2)")
    made = backup.make_backup(f"sqlite:///{live_db}", tmp_path / "b.sqlite")
    writer.execute("COMMIT")
    writer.close()
    copy = sqlite3.connect(made)
    assert copy.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, no -wal beside it
    copy.close()


def test_migration_advice():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(MIGRATIONS).get_heads()
    assert "nothing to migrate" in backup.migration_advice(heads[0], MIGRATIONS)
    assert "db upgrade" in backup.migration_advice("0001", MIGRATIONS)
    assert "unknown to this code" in backup.migration_advice("ffffffff", MIGRATIONS)


def test_postgresql_connection_goes_through_the_environment():
    """The password reaches pg_dump in PGPASSWORD, never on its command line."""
    url = make_url("postgresql+psycopg://op:s3cret@db.example:6543/opkoers?sslmode=require")
    env = backup._pg_env(url)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.example",
        "6543",
        "op",
        "opkoers",
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGSSLMODE"] == "require"
