"""How requests use the database: a page view reads, a form writes.

A GET request reads in a plain transaction, so on SQLite two workers read at the same time. What a
page view must write all the same — its access-log rows — is kept aside and written when the
request ends, in a short transaction of its own, before anything is sent (`audit.write_unsaved_rows`).
A GET that must write in the middle (a session that ran out, its last-seen time moving on) calls
`start_writing()` first. Every other transaction (forms, the scheduler, commands) takes SQLite's
write lock at its start (`BEGIN IMMEDIATE`): a transaction that read first and then writes would
fail with "database is locked" instead of waiting when another connection wrote in between.
"""

import sqlite3

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

READING_METHODS = frozenset({"GET", "HEAD"})
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteInReadTransaction(RuntimeError):
    """A page view wrote without calling start_writing() first (a programming error)."""


def reads_only() -> bool:
    """Is the current transaction one of a page view, which must not write?"""
    return has_request_context() and request.method in READING_METHODS and not g.get("writing")


def start_writing() -> bool:
    """A GET request that must write after all: its read transaction ends (objects loaded in it are
    read again when used) and the next one may write. True when the caller must read again."""
    if not reads_only():
        return False
    g.writing = True
    db.session.rollback()
    return True


SQLITE_MMAP_BYTES = 2**30  # at most this much of the file is mapped; it is only an address range


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, foreign keys, a busy timeout and memory-mapped reads on every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Let SQLAlchemy issue BEGIN itself (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Read the database file through memory mapping (shared by every connection through the
        # operating system's cache) rather than a read() per page: queries that visit many rows
        # spread over a large file, such as "my actions", take about half the time.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()


@event.listens_for(Engine, "begin")
def _begin(conn):
    reading = reads_only()
    conn.info["reads_only"] = reading
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


@event.listens_for(Engine, "before_cursor_execute")
def _no_write_while_reading(conn, cursor, statement, parameters, context, executemany):
    """On both databases, so that a test on either finds a page view that writes too early."""
    if conn.info.get("reads_only") and statement.lstrip()[:7].upper().startswith(WRITES):
        raise WriteInReadTransaction(f"a page view wrote without start_writing(): {statement[:80]}")
