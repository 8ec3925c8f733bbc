"""Fixtures: an app per test on a throwaway database (SQLite, and PostgreSQL when enabled),
a logged-in test client per role, and factories for data."""

import atexit
import os
import tempfile
from contextlib import contextmanager

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from opkoers import create_app
from opkoers.extensions import db
from opkoers.models.audit import LOG_GUARD_TRIGGERS, log_guard_ddl

from .factories import Factory

PG_HELP = (
    "PostgreSQL tests skipped: set OPKOERS_TEST_DATABASE_URL="
    "postgresql+psycopg://postgres@127.0.0.1:5432/test to run them (CI=true runs them always)."
)
DEFAULT_CI_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_prepared: dict[str, str] = {}


def pg_base_url() -> str | None:
    url = os.environ.get("OPKOERS_TEST_DATABASE_URL")
    if not url and os.environ.get("CI", "").lower() == "true":
        url = DEFAULT_CI_PG_URL
    return url


def _worker() -> str:
    """A name for this test process: parallel workers and parallel runs never share a database."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def _drop_database_at_exit(base: str, name: str) -> None:
    def drop():
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    atexit.register(drop)


def _database_url(backend: str) -> str:
    """A database of our own for this test process, created (empty, with the schema) once."""
    if backend in _prepared:
        return _prepared[backend]
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="opkoers-test-")
        url = f"sqlite:///{folder}/test.db"
    else:
        base = pg_base_url()
        name = f"opkoers_test_{_worker()}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        _drop_database_at_exit(base, name)
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    _prepared[backend] = url
    return url


@contextmanager
def throwaway_pg_database(prefix: str):
    """An empty PostgreSQL database of this test process's own, dropped afterwards; yields its URL."""
    base = pg_base_url()
    name = f"{prefix}_{_worker()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_all_tables() -> None:
    """Between tests: every table empty again, the append-only trails too (their guards step aside
    for this, and only this)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text("SET session_replication_role = replica"))  # triggers off, this session
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.execute(text("SET session_replication_role = DEFAULT"))
    else:
        for _, trigger in LOG_GUARD_TRIGGERS:
            db.session.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        for table in tables:
            db.session.execute(table.delete())
        for statement in log_guard_ddl("sqlite"):
            db.session.connection().exec_driver_sql(statement)
    db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql" and not pg_base_url():
        pytest.skip(PG_HELP)
    return request.param


class _FreshUserClient(FlaskClient):
    """A test client whose requests behave like separate ones.

    The fixture keeps one app context (and so one database session) open for the test. Before each
    request the test's own data is committed, so a request that fails and rolls back cannot take
    the test's set-up with it; and Flask-Login's cached user on `g` is forgotten, so a second
    client is not served as the first client's user."""

    def open(self, *args, **kwargs):
        db.session.commit()
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(backend):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": _database_url(backend)})
    app.test_client_class = _FreshUserClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app):
    """login(user) → a test client logged in as that user."""

    def _login(user):
        c = app.test_client()
        response = c.post("/login", data={"email": user.email, "password": Factory.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return _login
