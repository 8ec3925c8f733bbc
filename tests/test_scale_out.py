"""Several processes on one database, as behind a load balancer: two scheduler processes (one runs
the jobs, the other takes over when it stops, and each e-mail goes out once), and two app processes
(gunicorn workers) taking the same forms at the same moment without losing an update. On SQLite and
on PostgreSQL; real processes, real HTTP, a real (tiny) SMTP server."""

import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opkoers.extensions import db
from opkoers.models import BudgetEntry, Meeting, Notification, OutboxMessage, SchedulerHeartbeat
from opkoers.services import budget
from opkoers.services.housekeeping import HEARTBEAT
from opkoers.timeutil import local_today

from .factories import Factory

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def process_env(app, **extra: str) -> dict[str, str]:
    """The production configuration on this test's database, over plain http on this machine."""
    return (
        os.environ
        | {
            "OPKOERS_CONFIG": "production",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "scale-out-test-" + "x" * 32,
            "PUBLIC_URL": "https://opkoers.example",
            "SESSION_COOKIE_SECURE": "0",
            "TWO_FACTOR_ROLES": "",
            "OPKOERS_DEMO": "0",
        }
        | extra
    )


def wait_for(check, seconds: float = 30, what: str = "the processes"):
    """Poll check() (each time in a fresh transaction of the test's own) until it is true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        db.session.rollback()  # hold no lock (SQLite) and see the processes' commits
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"{what} did not get there within {seconds} s")


class SmtpSink:
    """A minimal SMTP server on 127.0.0.1 that keeps every message it is given."""

    def __init__(self):
        self.messages: list[bytes] = []
        sink = self

        class Session(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 sink\r\n")
                data = None
                while line := self.rfile.readline():
                    if data is not None:
                        if line.rstrip(b"\r\n") == b".":
                            sink.messages.append(b"".join(data))
                            data = None
                            self.wfile.write(b"250 kept\r\n")
                        else:
                            data.append(line)
                    elif line[:4].upper() == b"DATA":
                        data = []
                        self.wfile.write(b"354 go on\r\n")
                    elif line[:4].upper() == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def message_ids(self) -> list[str]:
        return [re.search(rb"^Message-ID: (.+)$", m, re.M | re.I).group(1).decode() for m in self.messages]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _overdue_actions(factory, people: int) -> list:
    org = factory.organisation()
    users = [factory.user("professional", org) for _ in range(people)]
    case = factory.case("in_progress", involved=users, consent_organisations=[org])
    for user in users:
        factory.action(case, user, due=local_today() - timedelta(days=2))
    db.session.commit()
    return users


def test_two_scheduler_processes_send_each_e_mail_once_and_one_takes_over(app, factory, smtp, processes):
    users = _overdue_actions(factory, 3)
    env = process_env(
        app,
        MAIL_TRANSPORT="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        MAIL_USE_STARTTLS="0",
        SCHEDULER_HEARTBEAT_SECONDS="1",
        SCHEDULER_LEASE_SECONDS="3",
    )
    command = [str(BIN / "flask"), "--app", "opkoers", "scheduler"]
    first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    processes.append(first)
    # the first one takes the lease and catches up: for each person a reminder of the overdue action
    # and this week's overview, each also as an e-mail
    wait_for(lambda: len(smtp.messages) == 6, what="the first scheduler's e-mails")
    holder = db.session.get(SchedulerHeartbeat, HEARTBEAT).holder
    second = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    processes.append(second)
    time.sleep(3)  # the second one has started and stands by: the jobs stay with the first
    assert db.session.get(SchedulerHeartbeat, HEARTBEAT).holder == holder
    db.session.rollback()

    first.kill()  # the first server goes down without a word
    first.wait()
    late = _overdue_actions(factory, 2)
    # the second one sees the heartbeat stop, takes the lease and catches up at once
    wait_for(lambda: len(smtp.messages) == 10, what="the second scheduler taking over")
    assert db.session.get(SchedulerHeartbeat, HEARTBEAT).holder not in (None, holder)
    time.sleep(2)  # nothing more comes: no e-mail is sent twice
    db.session.rollback()

    assert len(smtp.messages) == 10 and len(set(smtp.message_ids())) == 10
    sent = db.session.scalars(select(OutboxMessage.status)).all()
    assert sent == ["sent"] * 10
    per_user = dict(
        db.session.execute(select(Notification.user_id, func.count()).group_by(Notification.user_id)).all()
    )
    assert per_user == {u.id: 2 for u in users + late}


# ---------------------------------------------------------------- two app processes


class FormReader(HTMLParser):
    """The fields of the forms on a page, as a browser would send them (per form action)."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, list[str]]] = {}
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action") or "", {})
        elif self._form is None or "name" not in a and tag != "option":
            return
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form.setdefault(self._select, []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form[self._textarea] = [""]

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Browser:
    """One user's session against the app over HTTP: cookies kept, redirects not followed."""

    def __init__(self, base: str):
        self.base, self.cookie = base, ""

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers={"Cookie": self.cookie})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as answer:
            status, headers, body = answer.code, answer.headers, answer.read()
        if cookie := headers.get("Set-Cookie"):
            self.cookie = cookie.split(";")[0]
        return status, body.decode()

    def form(self, path: str) -> dict[str, list[str]]:
        status, page = self.request(path)
        assert status == 200, (path, status)
        reader = FormReader()
        reader.feed(page)
        return reader.forms.get(path) or reader.forms[""]  # (no action: it posts back to the page)

    def log_in(self, email: str) -> None:
        form = self.form("/login")
        form.update(email=[email], password=[Factory.PASSWORD])
        assert self.request("/login", form)[0] == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_app_processes(app, processes):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "opkoers:create_app()"]
    env = process_env(app, MAIL_TRANSPORT="outbox")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # errors: in the log
    processes.append(server)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return urllib.request.urlopen(base + "/healthz", timeout=1).status in (200, 503)
        except OSError:
            return False

    wait_for(up, what="gunicorn")
    return base


def at_once(calls) -> list:
    """Run the calls in threads released at the same moment; their results in order."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i, call):
        start.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_app_processes_never_spend_more_than_the_budget(factory, two_app_processes):
    case = factory.case("in_progress")
    members = [factory.user("projectgroep") for _ in range(3)]
    budget.open_budget(members[0], case)  # € 2,500
    db.session.commit()
    path, emails = f"/trajecten/{case.id}/budget/toezegging", [m.email for m in members]
    db.session.commit()  # the test holds no transaction (on SQLite: no lock) while the app works
    forms = []
    for i in range(30):  # thirty commitments of € 100, by three people in thirty browser sessions
        browser = Browser(two_app_processes)
        browser.log_in(emails[i % 3])
        form = browser.form(path)
        form.update(category=["housing"], description=[f"Toezegging {i}"], payee=["Verhuurder"])
        form.update(amount=["100,00"])
        forms.append((browser, form))

    statuses = at_once([lambda b=b, f=f: b.request(path, f)[0] for b, f in forms])

    saved = db.session.scalars(select(BudgetEntry.description).where(BudgetEntry.case_id == case.id)).all()
    assert statuses.count(302) == 25 == len(saved)  # every saved one is there, none beyond the budget
    assert statuses.count(409) == 5  # the rest is refused, saying what is left
    assert budget.case_budget(case)["totals"].committed == 250_000


def test_two_app_processes_never_overwrite_each_others_change(factory, two_app_processes):
    case = factory.case("in_progress")
    chair = factory.user("projectgroep")
    meeting = factory.meeting(case, chair, location="Stadhuis")
    members = [chair] + [factory.user("projectgroep") for _ in range(3)]
    db.session.commit()
    path, emails, meeting_id = f"/bijeenkomsten/{meeting.id}/wijzigen", [m.email for m in members], meeting.id
    version = meeting.version
    db.session.commit()  # the test holds no transaction (on SQLite: no lock) while the app works
    forms = []
    for i, email in enumerate(emails * 2):  # eight people opened the same form, all at version 1
        browser = Browser(two_app_processes)
        browser.log_in(email)
        form = browser.form(path)
        form["location"] = [f"Wijkcentrum {i}"]
        forms.append((browser, form))

    statuses = at_once([lambda b=b, f=f: b.request(path, f)[0] for b, f in forms])

    assert statuses.count(302) == 1 and statuses.count(422) == len(forms) - 1
    db.session.expire_all()
    saved = db.session.get(Meeting, meeting_id)
    winner = statuses.index(302)
    assert saved.location == f"Wijkcentrum {winner}" and saved.version > version  # the one change, kept
