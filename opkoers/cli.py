"""Flask commands: demo data, the first administrator, the scheduler, retention, backup and restore,
and a generated city for the benchmark."""

import contextlib
import secrets
import time
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from . import audit
from .extensions import db
from .models import Organisation


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(run_scheduler)
    app.cli.add_command(backup_database)
    app.cli.add_command(restore_database)
    app.cli.add_command(run_retention)
    app.cli.add_command(generate_city)


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo data and demo accounts (demo mode only; does nothing when already loaded)."""
    from .demo import load_demo_data

    if not current_app.config.get("DEMO_MODE"):
        raise click.ClickException(
            "Demo data can only be loaded in demo mode (OPKOERS_DEMO=1), never in production."
        )
    if load_demo_data():
        db.session.commit()
        click.echo("Demo data loaded. The demo accounts are listed in README.md.")
    else:
        click.echo("Demo data was already there; nothing changed.")


@click.command("create-admin")
@click.option("--email", prompt="E-mail address", help="E-mail address of the administrator.")
@click.option("--name", prompt="Full name", help="Full name of the administrator.")
@click.option("--organisation", prompt="Organisation", help="Organisation name (created when new).")
def create_admin(email: str, name: str, organisation: str) -> None:
    """Create a beheerder account; the password is asked for, never given on the command line."""
    from .domain import RuleViolation
    from .services import admin as admin_service

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    org = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == organisation.lower()))
    try:
        if org is None:
            org = admin_service.create_organisation(None, name=organisation, kind="gemeente", active=True)
        admin_service.create_user(
            None,
            name=name,
            email=email,
            role="beheerder",
            organisation_id=org.id,
            active=True,
            password=password,
        )
    except (RuleViolation, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(_cli_message(error)) from error
    db.session.commit()
    click.echo(f"Administrator {email} created.")


def _cli_message(error: Exception) -> str:
    from .domain import RuleViolation
    from .messages import rule_message

    return rule_message(error) if isinstance(error, RuleViolation) else str(error)


@click.command("scheduler")
def run_scheduler() -> None:
    """Run the scheduler in this process. Several may run (one per app server, say): one runs the
    jobs, the others stand by and take over when it stops."""
    from .scheduler import Leader, build_scheduler

    app = current_app._get_current_object()
    leader = Leader(app)
    leader.beat()  # takes the lease and catches up after downtime, or finds another one leading
    if leader.active:
        click.echo("Scheduler running. Stop with Ctrl+C.")
    else:
        click.echo("Another scheduler runs the jobs; this one stands by and takes over when it stops.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        build_scheduler(app, leader).start()


@click.command("retention")
def run_retention() -> None:
    """Run the nightly retention pass now: anonymise what ran out, delete old records, and say what."""
    from . import jobs

    report = jobs.retention(current_app._get_current_object())
    for what, count in report.items():
        click.echo(f"{what.replace('_', ' ')}: {count}")


def _database_url() -> str:
    # The engine's URL: Flask-SQLAlchemy has already made a relative SQLite path absolute.
    return db.engine.url.render_as_string(hide_password=False)


@click.command("generate-city")
@click.option(
    "--clients", default=10_000, show_default=True, help="How many clients; the rest scales with it."
)
@click.option("--seed", default=2026, show_default=True, help="The same seed gives the same city.")
@click.option(
    "--password",
    envvar="OPKOERS_BENCH_PASSWORD",
    default=None,
    help="The password of every generated account (default: a random one, printed).",
)
def generate_city(clients: int, seed: int, password: str | None) -> None:
    """Fill an EMPTY database with a generated city for the benchmark (10,000 clients: ten years of
    cases, 50,000 meetings, 250,000 actions, two million access-log rows)."""
    from . import benchdata

    password = password or secrets.token_urlsafe(12)
    started, shown = time.monotonic(), {}

    def progress(table: str, done: int, total: int) -> None:
        step = max(total // 10, benchdata.BATCH)
        if done == total or done // step != shown.get(table, 0):
            shown[table] = done // step
            click.echo(f"{table}: {done:,} of {total:,} ({time.monotonic() - started:.0f} s)")

    try:
        counts = benchdata.generate_city(benchdata.Scale(clients), seed, password, progress)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Done in {time.monotonic() - started:.0f} s: {sum(counts.values()):,} rows.")
    accounts = f"Every account ({counts['user_account']:,}, e.g. professional1@bench.opkoers.test)"
    click.echo(f"{accounts} has the password: {password}")


@click.command("backup")
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="File (or folder) to write; default <instance>/backups/opkoers-<UTC time>.sqlite|.dump.",
)
def backup_database(target: Path | None) -> None:
    """Make a consistent backup of the database, with a .sha256 checksum (it holds client data)."""
    from . import backup

    url = _database_url()
    if target is None:
        target = backup.default_backup_path(url, Path(current_app.instance_path) / "backups")
    try:
        path = backup.make_backup(url, target)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    audit.record(None, "backup_made", None, {"file": [None, path.name]}, entity_type="Database")
    db.session.commit()
    click.echo(f"Backup written: {path} ({backup.human_size(path.stat().st_size)})")
    click.echo(f"Checksum: {backup.checksum_path(path)}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace all data without confirmation.")
@click.option("--without-checksum", is_flag=True, help="Restore a backup that has no .sha256 file.")
def restore_database(source: Path, yes: bool, without_checksum: bool) -> None:
    """Replace ALL data in the database with a backup (stop the app and the scheduler first)."""
    from . import backup

    url = _database_url()
    shown = db.engine.url.render_as_string(hide_password=True)
    try:
        backup.check_backup(url, source, without_checksum)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    if backup.checksum_path(source).exists():
        click.echo(f"Checksum verified ({backup.checksum_path(source).name}).")
    else:
        click.echo("No .sha256 file next to the backup: its checksum was not verified.")
    if not yes:
        click.confirm(f"This replaces ALL data in {shown} with {source}. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection holds a lock or an old view of the data
    try:
        revision = backup.restore_backup(url, source, without_checksum)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {source} into {shown}.")
    click.echo(f"Database revision: {revision or '(none)'}")
    click.echo(backup.migration_advice(revision, current_app.extensions["migrate"].directory))
    # The restored trail says so: what happened between the backup and now is gone.
    changes = {"file": [None, source.name], "revision": [None, revision]}
    try:
        audit.record(None, "database_restored", None, changes, entity_type="Database")
        db.session.commit()
    except SQLAlchemyError:  # an older schema: its audit trail has other columns
        db.session.rollback()
        click.echo("The restore is not in the audit trail: the restored database is older than the code.")
