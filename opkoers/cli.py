"""Flask commands: demo data, the first administrator, the scheduler."""

import contextlib

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from .extensions import db
from .models import Organisation


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(run_scheduler)


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
    """Run the scheduler in this process (run exactly one per installation)."""
    from . import jobs
    from .scheduler import build_scheduler

    app = current_app._get_current_object()
    jobs.heartbeat(app)
    # Catch up at once after the scheduler was down (each reminder and e-mail still goes out once).
    jobs.action_reminders(app)
    jobs.meeting_reminders(app)
    jobs.follow_up_reminders(app)
    jobs.weekly_digest(app)
    jobs.deliver_mail(app)
    click.echo("Scheduler running. Stop with Ctrl+C.")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        build_scheduler(app).start()
