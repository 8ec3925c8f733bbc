"""Where one page spends its time: `python bench/page_profile.py sqlite /trajecten` (after `make bench`
made the cities). Logs in as the page's role in the city of 10,000 clients, asks for the page a few
times in this process with the production configuration, and prints each SQL statement with its
time, then the functions that took the most time."""

import argparse
import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402 - the benchmark's own helpers, found next to this file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", choices=("sqlite", "postgresql"))
    parser.add_argument("path", help="the page, e.g. /trajecten or /trajecten/{case}")
    parser.add_argument("--role", choices=tuple(run.ACCOUNTS), default="projectgroep")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--explain", type=float, metavar="MS", help="plans of statements slower than MS")
    args = parser.parse_args()
    url = run.database_url(args.database, args.clients)
    os.environ.update(run.app_env(url))

    from sqlalchemy import event

    from opkoers import create_app
    from opkoers.extensions import db

    app = create_app("production")
    path = args.path.format(**run.city_paths(url))
    client = app.test_client()
    token = run.csrf_token(client.get("/login").get_data(as_text=True))
    email = run.ACCOUNTS[args.role]
    client.post("/login", data={"csrf_token": token, "email": email, "password": run.PASSWORD})
    assert client.get(path).status_code == 200, path  # warm up: templates compiled, caches filled
    with app.app_context():
        engine = db.engine
    timings: list[tuple[float, str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        timings.append((time.perf_counter() - conn.info.pop("started"), statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    started = time.perf_counter()
    client.get(path)
    wall = time.perf_counter() - started
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    for seconds, statement, parameters in timings:
        print(f"{seconds * 1000:8.2f} ms  {' '.join(statement.split())[:160]}")
        if args.explain is not None and seconds * 1000 > args.explain:
            explain(engine, statement, parameters)
    sql = sum(s for s, _, _ in timings)
    print(f"\none request: {wall * 1000:.1f} ms, SQL {sql * 1000:.1f} ms in {len(timings)} statements\n")
    started = time.perf_counter()
    for _ in range(args.repeat):
        client.get(path)
    average = (time.perf_counter() - started) / args.repeat
    print(f"average of {args.repeat} requests: {average * 1000:.1f} ms\n")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


def explain(engine, statement: str, parameters) -> None:
    """The database's plan for one statement, as it ran (PostgreSQL: with actual times)."""
    prefix = "EXPLAIN ANALYZE " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        for row in conn.exec_driver_sql(prefix + statement, parameters):
            print("            " + " | ".join(str(v) for v in row))


if __name__ == "__main__":
    main()
