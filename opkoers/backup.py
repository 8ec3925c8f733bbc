"""Backup and restore of the whole database: SQLite through its online backup API, PostgreSQL through
pg_dump and pg_restore. A backup holds client data: it is written with mode 0600, appears under its
final name only when complete, and carries a SHA-256 sidecar that restore checks."""

import contextlib
import functools
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

CHUNK = 1024 * 1024
# libpq settings that may come as query parameters of the URL, and the variables pg_dump reads them from.
_LIBPQ_QUERY_ENV = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


# ---------------------------------------------------------------- public functions


def default_backup_path(database_url: str, folder: str | os.PathLike) -> Path:
    """Where a backup goes when no path is given: <folder>/opkoers-<UTC timestamp>.<sqlite|dump>."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(folder) / f"opkoers-{stamp}{_suffix(_url(database_url))}"


def make_backup(database_url: str, target_path: str | os.PathLike) -> Path:
    """Write a consistent backup of the database to target_path (plus target_path.sha256)."""
    url = _url(database_url)
    target = Path(target_path)
    if target.is_dir():
        target = default_backup_path(database_url, target)
    if target.exists():
        raise BackupError(f"{target} already exists; a backup never overwrites another file.")
    if _is_sqlite(url):
        source = _sqlite_file(url)
        write = functools.partial(_sqlite_backup, source)
    elif _is_postgresql(url):
        write = functools.partial(_pg_dump, url)
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    try:
        _write_atomically(target, write)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"Writing the backup {target} failed: {error}") from error
    digest = sha256_of(target)
    _write_atomically(checksum_path(target), lambda partial: partial.write_text(f"{digest}  {target.name}\n"))
    return target


def check_backup(database_url: str, source_path: str | os.PathLike, without_checksum: bool = False) -> str:
    """Check a backup before restoring it (checksum, format, schema); return its Alembic revision.
    A backup without its .sha256 file is refused unless without_checksum says to trust it."""
    url = _url(database_url)
    source = Path(source_path)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    if not verify_checksum(source) and not without_checksum:
        raise BackupError(
            f"{checksum_path(source).name} is missing, so {source} cannot be checked for damage. "
            "Put it next to the backup, or restore with --without-checksum if you trust the file."
        )
    if _is_sqlite(url):
        return _sqlite_revision_of_backup(source)
    if _is_postgresql(url):
        return _pg_check_dump(url, source)
    raise BackupError(f"Restoring {url.get_backend_name()} databases is not supported.")


def restore_backup(database_url: str, source_path: str | os.PathLike, without_checksum: bool = False) -> str:
    """Replace all data in the database with the backup; return the Alembic revision restored."""
    url = _url(database_url)
    source = Path(source_path)
    check_backup(database_url, source, without_checksum)
    if _is_sqlite(url):
        _sqlite_restore(source, _sqlite_file(url, must_exist=False))
    else:
        _pg_restore(url, source)
    return database_revision(database_url)


def database_revision(database_url: str) -> str:
    """The Alembic revision the database is at ('' when it has none)."""
    engine = create_engine(_url(database_url))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    finally:
        engine.dispose()


def migration_advice(revision: str, migrations_directory: str | os.PathLike) -> str:
    """What to do after a restore, comparing the restored revision with the code's migrations."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    if not Path(migrations_directory, "env.py").is_file():
        return f"Migrations not found in {migrations_directory}; check the revision by hand."
    script = ScriptDirectory(str(migrations_directory))
    heads = script.get_heads()
    if not revision:
        return "The restored database has no revision; run `flask --app opkoers db upgrade`."
    if revision in heads:
        return "The database is at the code's latest revision; nothing to migrate."
    try:
        script.get_revision(revision)
    except CommandError:
        return (
            f"Revision {revision} is unknown to this code (a newer version made the backup?): "
            "run the version of Op Koers that made it."
        )
    return (
        f"Revision {revision} is older than the code's ({', '.join(heads)}): "
        "run `flask --app opkoers db upgrade` before starting the app."
    )


def checksum_path(path: str | os.PathLike) -> Path:
    """The sidecar that holds a backup's SHA-256 (sha256sum format)."""
    path = Path(path)
    return path.with_name(path.name + ".sha256")


def sha256_of(path: str | os.PathLike) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(path: str | os.PathLike) -> bool:
    """Check the file against its .sha256 sidecar: True when it matches, False without a sidecar."""
    sidecar = checksum_path(path)
    if not sidecar.exists():
        return False
    expected = sidecar.read_text().split(maxsplit=1)
    if not expected or not re.fullmatch(r"[0-9a-fA-F]{64}", expected[0]):
        raise BackupError(f"{sidecar} does not hold a SHA-256 checksum.")
    if sha256_of(path).lower() != expected[0].lower():
        raise BackupError(f"{path} does not match its checksum in {sidecar}: the file is damaged or altered.")
    return True


def find_pg_tool(name: str) -> str | None:
    """pg_dump or pg_restore: from PATH, else the newest Debian install under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found

    def major(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=major, reverse=True)
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


def human_size(size: int) -> str:
    """A byte count for people: 1.4 MB."""
    if size < 1000:
        return f"{size} bytes"
    value = size / 1000
    for unit in ("kB", "MB", "GB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


# ---------------------------------------------------------------- files


def _write_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Let write() fill a 0600 temporary file next to target, then rename it; remove it on failure."""
    folder = target.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    os.close(fd)
    partial = Path(name)
    try:
        os.chmod(partial, 0o600)
        write(partial)
        os.chmod(partial, 0o600)  # whatever the writer did
        with open(partial, "rb") as file:
            os.fsync(file.fileno())
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# ---------------------------------------------------------------- SQLite


def _sqlite_file(url: URL, must_exist: bool = True) -> Path:
    name = url.database or ""
    if name in ("", ":memory:") or name.startswith("file:") and "mode=memory" in name:
        raise BackupError("The database is in memory; there is nothing to back up or restore.")
    path = Path(name)
    if must_exist and not path.is_file():
        raise BackupError(f"The SQLite database {path} does not exist.")
    return path


def _sqlite_connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _sqlite_backup(source: Path, partial: Path) -> None:
    """Copy the live database page by page (consistent under concurrent writers) into one file."""
    src = _sqlite_connect(source)
    dest = sqlite3.connect(partial)
    try:
        src.backup(dest)
        # The copy inherits WAL mode; switch it to a rollback journal so the file stands on its own.
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
        src.close()


def _sqlite_revision_of_backup(source: Path) -> str:
    try:
        conn = _sqlite_connect(source, read_only=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} is a damaged SQLite database.")
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_version:
                raise BackupError(f"{source} is not an Op Koers backup (it has no alembic_version table).")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not an Op Koers backup (not a SQLite database: {error}).") from error
    return row[0] if row else ""


def _sqlite_restore(source: Path, live: Path) -> None:
    """Copy the backup into the live database with the backup API (one write transaction)."""
    live.parent.mkdir(parents=True, exist_ok=True)
    src = _sqlite_connect(source, read_only=True)
    dest = _sqlite_connect(live)
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")  # as the app runs it
    except sqlite3.Error as error:
        raise BackupError(f"Restoring into {live} failed: {error}") from error
    finally:
        dest.close()
        src.close()


# ---------------------------------------------------------------- PostgreSQL


def _pg_env(url: URL) -> dict[str, str]:
    """The connection as libpq environment variables: the password never on a command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for key, value in url.query.items():
        if key in _LIBPQ_QUERY_ENV:
            values[_LIBPQ_QUERY_ENV[key]] = value if isinstance(value, str) else value[0]
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _pg_tool(name: str) -> str:
    tool = find_pg_tool(name)
    if not tool:
        raise BackupError(
            f"{name} was not found (on PATH or in /usr/lib/postgresql/*/bin); "
            "install the PostgreSQL client programs (Debian: apt-get install postgresql-client)."
        )
    return tool


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")
    return result


def _pg_dump(url: URL, partial: Path) -> None:
    if not url.database:
        raise BackupError("The database URL names no database.")
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"],
        _pg_env(url),
        "pg_dump",
    )


def _pg_check_dump(url: URL, source: Path) -> str:
    """A pg_dump archive holding the alembic_version table: return the revision in it."""
    pg_restore, env = _pg_tool("pg_restore"), _pg_env(url)
    try:
        listing = _run([pg_restore, "--list", str(source)], env, "pg_restore").stdout
    except BackupError as error:
        raise BackupError(f"{source} is not an Op Koers backup ({error}).") from error
    if not re.search(r"^\d+; .* TABLE \S+ alembic_version ", listing, re.MULTILINE):
        raise BackupError(f"{source} is not an Op Koers backup (it has no alembic_version table).")
    script = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
        env,
        f"Reading {source}",
    ).stdout
    rows = re.search(r"^COPY \S*alembic_version .*FROM stdin;\n(.*?)^\\\.$", script, re.MULTILINE | re.DOTALL)
    return rows.group(1).split("\n", 1)[0].strip() if rows else ""


def _pg_restore(url: URL, source: Path) -> None:
    # --clean drops each table before recreating it; DROP TABLE is not a row or TRUNCATE event, so the
    # triggers that keep access_log and audit_entry append-only do not stand in the way, and the rows
    # come back with COPY (an INSERT) before pg_restore recreates the triggers.
    if not url.database:
        raise BackupError("The database URL names no database.")
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(source),
        ],
        _pg_env(url),
        "pg_restore",
    )


# ---------------------------------------------------------------- URLs


def _url(database_url: str | URL) -> URL:
    return database_url if isinstance(database_url, URL) else make_url(database_url)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _is_postgresql(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def _suffix(url: URL) -> str:
    return ".sqlite" if _is_sqlite(url) else ".dump"
