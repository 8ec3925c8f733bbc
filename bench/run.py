"""`make bench`: how fast Op Koers answers with a city of 10,000 clients, on SQLite and PostgreSQL.

For each database: a generated city (kept between runs; `--fresh` makes a new one), the app under
gunicorn with two sync workers (the README's set-up for a 2-core server), and for each page `wrk`
with 16 connections, logged in as the role that uses the page. The table gives requests/second (and
as a share of the bare endpoint in the same run), p50 and p99 latency, the SQL queries of the page
with 100 and with 10,000 clients, and the page's first-load size (HTML, CSS and JavaScript, gzip);
then, on a copy of the city, the size of the htmx answers that replace a part of a page, and the
scheduler's daily pass. It is printed and written to bench-results/<database>.md."""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-wachtwoord-2026"
USER_AGENT = "opkoers-bench"  # the same for the login and for wrk: a session is bound to its browser
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
TARGET_SHARE, TARGET_P99_MS, TARGET_KB, TARGET_PASS_S = 0.20, 100, 100, 2.0
TARGET_PARTIAL_KB = 10


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    path: str  # with {case}, {meeting}, {deep_page}, {last_name} filled in from the city
    anew: bool = False  # on an app that renders the page's own part at every view (as after a change)


PAGES = (
    Page("bare endpoint (ceiling)", "", "/healthz"),
    Page("dashboard", "projectgroep", "/start"),
    Page("case list, page 1", "projectgroep", "/trajecten"),
    Page("case list, deep page", "projectgroep", "/trajecten?page={deep_page}"),
    Page("case list, search + filter", "projectgroep", "/trajecten?q={last_name}&status=in_progress"),
    Page("case page, busy client", "projectgroep", "/trajecten/{case}"),
    Page("case page, busy client, rendered anew", "projectgroep", "/trajecten/{case}", anew=True),
    Page("my actions, busy professional", "professional", "/acties"),
    Page("meeting page", "projectgroep", "/bijeenkomsten/{meeting}"),
    Page("meeting page, rendered anew", "projectgroep", "/bijeenkomsten/{meeting}", anew=True),
    Page("budget overview", "projectgroep", "/budget"),
    Page("deviation register", "projectgroep", "/register"),
    Page("impact report", "projectgroep", "/impact"),
)
ACCOUNTS = {
    "projectgroep": "projectgroep1@bench.opkoers.test",
    "professional": "professional1@bench.opkoers.test",
}


@dataclass
class Result:
    page: Page
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    queries_small: int = 0
    queries_big: int = 0
    first_load_kb: float = 0.0


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """A production configuration, on plain http on this machine (with settings of its own)."""
    return (
        os.environ
        | settings
        | {
            "OPKOERS_CONFIG": "production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(32),
            "PUBLIC_URL": "https://opkoers.example",
            "MAIL_TRANSPORT": "outbox",
            "SESSION_COOKIE_SECURE": "0",
            "TWO_FACTOR_ROLES": "",
            "OPKOERS_DEMO": "0",
        }
    )


def flask(database_url: str, *args: str) -> None:
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "opkoers", *args], env=app_env(database_url), check=True, cwd=ROOT
    )


def database_url(backend: str, clients: int) -> str:
    if backend == "sqlite":
        folder = ROOT / "instance" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'city-{clients}.db'}"
    return f"{PG_SERVER}/opkoers_bench_{clients}"


def prepare(backend: str, clients: int, fresh: bool) -> str:
    """The database of a city of this size, generated unless it is there already."""
    from sqlalchemy import create_engine, text

    url = database_url(backend, clients)
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        if fresh:
            path.unlink(missing_ok=True)
    else:
        server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            name = f"opkoers_bench_{clients}"
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        server.dispose()
    flask(url, "db", "upgrade")
    engine = create_engine(url)
    with engine.connect() as conn:
        try:
            present = conn.scalar(text("SELECT count(*) FROM client"))
        finally:
            engine.dispose()
    if present == 0:
        print(f"[{backend}] generating a city of {clients:,} clients …", flush=True)
        flask(url, "generate-city", "--clients", str(clients), "--password", PASSWORD)
    elif present != clients:
        raise SystemExit(f"{url} holds {present} clients, not {clients}: run with --fresh")
    return url


def city_paths(url: str) -> dict:
    """The busy client's case (most meetings), one of its round tables, a page two thirds down the
    case list, and the busy client's last name (a search that finds something in every city)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        cases = conn.scalar(text("SELECT count(*) FROM client_case"))
        case = conn.scalar(
            text("SELECT case_id FROM meeting GROUP BY case_id ORDER BY count(*) DESC, case_id LIMIT 1")
        )
        meeting = conn.scalar(
            text("SELECT id FROM meeting WHERE case_id = :c AND kind = 'round_table' ORDER BY id LIMIT 1"),
            {"c": case},
        )
        name = conn.scalar(
            text(
                "SELECT client.name FROM client JOIN client_case c ON c.client_id = client.id WHERE c.id = :c"
            ),
            {"c": case},
        )
    engine.dispose()
    last_name = name.split()[-2]  # generated names end in a number
    return {
        "case": case,
        "meeting": meeting,
        "deep_page": max(1, cases * 2 // 3 // 25),
        "last_name": last_name,
    }


def measure(url: str, ids: dict[str, int]) -> dict[str, list]:
    """Per page: the SQL statements it sends and its first-load size, measured in a process of its
    own (the configuration is read from the environment once)."""
    return _internal(url, "--measure", json.dumps(ids))


def measure_in_process(ids: dict[str, int]) -> dict[str, tuple[int, float]]:
    """Per page: the SQL statements it sends and its first-load size (gzip of HTML, CSS and JS)."""
    from sqlalchemy import event

    from opkoers import create_app
    from opkoers.extensions import db

    app = create_app("production")
    app.config["CASE_PAGE_CACHE_SECONDS"] = 0  # the queries of the page as rendered, not as shown again
    with app.app_context():
        engine = db.engine
    clients, out, assets = {}, {}, {}
    # Each request in its own app context, as in production (the login lives on `g` within one).
    for role, email in ACCOUNTS.items():
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
        assert response.status_code == 302, f"login as {email}: {response.status_code}"
        clients[role] = client
    clients[""] = app.test_client()
    for page in PAGES:
        client, path = clients[page.role], page.path.format(**ids)
        statements = []

        def count(conn, cursor, statement, *args, into=statements):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                into.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        size = len(gzip.compress(response.data))
        for asset in re.findall(
            r'(?:href|src)="(/static/[^"]+\.(?:css|js))', response.get_data(as_text=True)
        ):
            if asset not in assets:
                assets[asset] = len(gzip.compress(clients[""].get(asset).data))
            size += assets[asset]
        out[page.name] = (len(statements), size / 1024)
    return out


def copy_of(url: str) -> str:
    """A throwaway copy of a city (the scheduler's pass writes reminders into it)."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        import sqlite3

        source = Path(url.removeprefix("sqlite:///"))
        target = source.with_name(f"{source.stem}-pass.db")
        target.unlink(missing_ok=True)
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        return f"sqlite:///{target}"
    from sqlalchemy.exc import DBAPIError

    name = url.rsplit("/", 1)[1]
    server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_pass" WITH (FORCE)'))
        for attempt in range(20):  # the app's connections, or autovacuum after the city was made
            try:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                conn.execute(text(f'CREATE DATABASE "{name}_pass" TEMPLATE "{name}"'))
                break
            except DBAPIError:  # still in use, or not allowed to end a connection: wait, try again
                if attempt == 19:
                    raise
                time.sleep(0.5)
    server.dispose()
    return f"{url}_pass"


def drop_copy(url: str) -> None:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    server.dispose()


def on_a_copy(url: str, ids: dict[str, int]) -> tuple[dict[str, float], list[tuple[float, int]]]:
    """On a throwaway copy of the city (both write): the htmx answers' sizes, then the scheduler's
    daily jobs twice on the same day. The first pass catches up on everything (the generated city
    never had a scheduler), the second is an ordinary day's pass. Per pass: seconds, and how many
    reminders it created."""
    copy = copy_of(url)
    try:
        partials = _internal(copy, "--partials", json.dumps(ids))
        passes = [tuple(p) for p in _internal(copy, "--scheduler-pass")]
        return partials, passes
    finally:
        drop_copy(copy)


def _internal(url: str, *args: str):
    """This script in a process of its own on one database (the configuration is read once)."""
    command = [sys.executable, __file__, *args]
    output = subprocess.run(command, env=app_env(url), cwd=ROOT, capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.splitlines()[-1])


def partials_in_process(ids: dict[str, int]) -> dict[str, float]:
    """The gzip size in KB of the htmx answers that replace a part of the busy client's pages: the
    case list's results, the form that opens in place, the actions section after an action is
    added, one action after its status changed."""
    from opkoers import create_app

    app = create_app("production")
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"csrf_token": token, "email": ACCOUNTS["projectgroep"], "password": PASSWORD})
    htmx = {"HX-Request": "true"}
    case = f"/trajecten/{ids['case']}"
    sizes = {}

    def measured(name, response):
        assert response.status_code == 200, f"{name}: {response.status_code}"
        sizes[name] = len(gzip.compress(response.data)) / 1024
        return response.get_data(as_text=True)

    measured("case list, search (htmx)", client.get(f"/trajecten?q={ids['last_name']}", headers=htmx))
    form = measured("form opened in place (htmx)", client.get(f"{case}/acties/nieuw", headers=htmx))
    data = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data |= {"description": "Benchmark", "assignee_kind": "client", "due_on": "2030-01-01"}
    added = client.post(f"{case}/acties/nieuw", data=data, headers=htmx)
    measured("actions section after a save (htmx)", added)
    page = client.get(case).get_data(as_text=True)
    widget = r'action="(/acties/\d+/status)".*?name="version" value="(\d+)"'  # the first action's buttons
    url, version = re.search(widget, page, re.S).groups()
    data = {"csrf_token": csrf_token(page), "version": version, "status": "done", "next": case}
    measured("one action after a status change (htmx)", client.post(url, data=data, headers=htmx))
    return sizes


def scheduler_pass_in_process() -> list[tuple[float, int]]:
    from opkoers import create_app, jobs

    app = create_app("production")
    daily = (
        jobs.action_reminders,
        jobs.meeting_reminders,
        jobs.follow_up_reminders,
        jobs.weekly_digest,
        jobs.purge_form_tokens,
        jobs.retention,
    )
    passes = []
    for _ in range(2):
        started = time.perf_counter()
        created = sum(job(app) for job in daily[:4])
        for job in daily[4:]:
            job(app)
        passes.append((time.perf_counter() - started, created))
    return passes


def csrf_token(login_page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
    if found is None:
        raise SystemExit(f"no login form in:\n{login_page[:1500]}")
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, **settings: str) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "opkoers:create_app()",
    ]
    server = subprocess.Popen(
        command, env=app_env(url, **settings), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session_cookie(base: str, email: str) -> str:
    """Log in over HTTP like a browser; the session cookie to send along."""
    opener = urllib.request.build_opener(NoRedirect)
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(f"{base}/login") as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
        token = csrf_token(response.read().decode())
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/login", data=form, headers={"Cookie": cookie})
    try:
        opener.open(request)
    except urllib.error.HTTPError as answer:  # the redirect after a good login
        if answer.code != 302:
            raise
        return answer.headers["Set-Cookie"].split(";")[0]
    raise SystemExit(f"login as {email} did not succeed")


def run_wrk(url: str, cookie: str, seconds: int, connections: int) -> tuple[float, float, float, int]:
    headers = {"User-Agent": USER_AGENT} | ({"Cookie": cookie} if cookie else {})
    with urllib.request.build_opener(NoRedirect).open(urllib.request.Request(url, headers=headers)) as answer:
        if answer.status != 200:  # (a redirect to the login page raises here)
            raise SystemExit(f"{url} answers {answer.status}")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p99 = (_ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in ("50", "99"))
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses: |timeout )(\d+)", output))
    return rps, p50, p99, errors


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def table(
    backend: str,
    results: list[Result],
    clients: int,
    partials: dict[str, float],
    passes: list[tuple[float, int]],
) -> str:
    ceiling = results[0].rps or 1
    lines = [
        f"## {backend}: {clients:,} clients, gunicorn 2 sync workers, wrk 16 connections",
        "",
        "| page | req/s | share of bare | p50 ms | p99 ms | queries (100 / "
        f"{clients:,}) | first load KB (gzip) | errors | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        share = r.rps / ceiling
        misses = []
        if r.page.role and share < TARGET_SHARE:
            misses.append("throughput")
        if r.p99_ms >= TARGET_P99_MS:
            misses.append("p99")
        if r.queries_small != r.queries_big:
            misses.append("queries grow")
        if r.first_load_kb > TARGET_KB:
            misses.append("size")
        lines.append(
            f"| {r.page.name} | {r.rps:.0f} | {share:.0%} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.queries_small} / {r.queries_big} | {r.first_load_kb:.1f} | {r.errors} | "
            f"{'ok' if not misses else 'MISSED: ' + ', '.join(misses)} |"
        )
    lines += ["", "| htmx answer (busiest client) | KB (gzip) | target |", "|---|---:|---|"]
    for name, size in partials.items():
        lines.append(f"| {name} | {size:.1f} | {'ok' if size <= TARGET_PARTIAL_KB else 'MISSED: size'} |")
    (first, first_created), (daily, _) = passes
    verdict = "ok" if daily < TARGET_PASS_S else "MISSED"
    lines += [
        "",
        f"Scheduler: the daily pass (reminders, weekly overview, aftercare, retention) over {clients:,} "
        f"clients takes {daily:.2f} s ({verdict}: < {TARGET_PASS_S:.0f} s); the first pass over the "
        f"generated city, which creates {first_created:,} reminders at once, {first:.2f} s.",
    ]
    return "\n".join(lines) + "\n"


def count_ahead(url: str) -> None:
    """What the scheduler beside the app does every few minutes: count the impact report ahead."""
    _internal(url, "--count-ahead")


def bench(backend: str, clients: int, seconds: int, connections: int, fresh: bool, folder: Path) -> str:
    small = prepare(backend, 100, fresh)
    big = prepare(backend, clients, fresh)
    for city in (small, big):
        count_ahead(city)
    sizes_small = measure(small, city_paths(small))
    ids = city_paths(big)
    sizes_big = measure(big, ids)
    results = {}
    # The pages as they are shown, then the pages that show a rendered part again as they are when
    # that part must be rendered anew (after every change), on an app that never shows it again.
    for anew, settings in ((False, {}), (True, {"CASE_PAGE_CACHE_SECONDS": "0"})):
        port = free_port()
        server = start_gunicorn(big, port, **settings)
        base = f"http://127.0.0.1:{port}"
        try:
            cookies = {role: session_cookie(base, email) for role, email in ACCOUNTS.items()} | {"": ""}
            for page in (p for p in PAGES if p.anew == anew):
                print(f"[{backend}] {page.name} …", flush=True)
                rps, p50, p99, errors = run_wrk(
                    base + page.path.format(**ids), cookies[page.role], seconds, connections
                )
                result = Result(page, rps, p50, p99, errors)
                result.queries_small = sizes_small[page.name][0]
                result.queries_big, result.first_load_kb = sizes_big[page.name]
                results[page.name] = result
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    results = [results[page.name] for page in PAGES]
    print(f"[{backend}] the htmx answers and the scheduler's daily pass, on a copy …", flush=True)
    text = table(backend, results, clients, *on_a_copy(big, ids))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{backend}.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk loads each page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--fresh", action="store_true", help="generate the cities again")
    parser.add_argument("--results", type=Path, default=ROOT / "bench-results", help="where the tables go")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one database, in this process
    parser.add_argument("--scheduler-pass", action="store_true", help=argparse.SUPPRESS)  # internal too
    parser.add_argument("--partials", help=argparse.SUPPRESS)  # internal too
    parser.add_argument("--count-ahead", action="store_true", help=argparse.SUPPRESS)  # internal too
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_in_process(json.loads(args.measure))))
        return
    if args.partials:
        print(json.dumps(partials_in_process(json.loads(args.partials))))
        return
    if args.scheduler_pass:
        print(json.dumps(scheduler_pass_in_process()))
        return
    if args.count_ahead:
        from opkoers import create_app, jobs

        jobs.report_figures(create_app("production"))
        print(json.dumps(None))  # (the answer _internal reads)
        return
    if not shutil.which("wrk"):
        raise SystemExit("The benchmark needs wrk: apt-get install wrk")
    backends = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    for backend in backends:
        text = bench(backend, args.clients, args.seconds, args.connections, args.fresh, args.results)
        print(text, flush=True)


if __name__ == "__main__":
    main()
