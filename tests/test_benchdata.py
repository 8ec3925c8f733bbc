"""The benchmark's generated city: every kind of record, every step of the lifecycle, the same city
from the same seed, only into an empty database, and an app that works on it afterwards."""

from datetime import date

import pytest
from sqlalchemy import func, select

from opkoers import benchdata
from opkoers.extensions import db
from opkoers.models import Action, Case, Client

from .conftest import _empty_all_tables

PASSWORD = "een-wachtwoord-voor-de-benchmark"


def _city(app, clients=100, seed=7):
    result = app.test_cli_runner().invoke(
        args=["generate-city", "--clients", str(clients), "--seed", str(seed), "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_small_city_has_every_kind_of_record_and_says_how_far_it_is(app):
    output = _city(app)
    assert "access_log: 20,000 of 20,000" in output and "Done in" in output
    scale = benchdata.Scale(100)
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    assert counts["client"] == 100 and counts["client_case"] == scale.cases
    assert counts["meeting"] == scale.meetings and counts["action"] == scale.actions
    assert counts["deviation"] == scale.deviations and counts["budget_entry"] == scale.budget_entries
    assert counts["access_log"] == scale.access_log_rows and counts["user_account"] == scale.users
    assert counts["organisation"] == scale.organisations
    for table in ("self_reliance_measurement", "handover", "case_closing", "consent_domain", "notification"):
        assert counts[table] > 0, table
    statuses = set(db.session.scalars(select(Case.status).distinct()))
    assert statuses == {"referred", "intake", "admitted", "declined", "in_progress", "aftercare", "closed"}
    overdue = select(func.count()).where(Action.status == "open", Action.due_on < func.current_date())
    assert db.session.scalar(overdue) > 0


def test_the_app_works_on_the_city(app):
    _city(app)
    client = app.test_client()
    response = client.post("/login", data={"email": "professional1@bench.opkoers.test", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/acties")
    assert page.status_code == 200 and "Bel de woningcorporatie" in page.get_data(as_text=True)
    db.session.add(Client(name="Nieuw", date_of_birth=date(1990, 1, 1), address="Straat 1"))
    db.session.flush()  # on PostgreSQL the id sequences moved past the generated rows


def test_the_same_seed_gives_the_same_city_and_only_into_an_empty_database(app):
    def fingerprint():
        return (
            db.session.execute(select(Client.name, Client.date_of_birth).order_by(Client.id)).all(),
            db.session.execute(select(Case.status, Case.referred_on).order_by(Case.id)).all(),
            db.session.execute(select(Action.due_on, Action.status).order_by(Action.id)).all(),
        )

    _city(app, clients=40)
    first = fingerprint()
    refused = app.test_cli_runner().invoke(args=["generate-city", "--clients", "40", "--password", PASSWORD])
    assert refused.exit_code == 1 and "empty one" in refused.output
    db.session.commit()
    _empty_all_tables()
    _city(app, clients=40)
    assert fingerprint() == first
    db.session.commit()
    _empty_all_tables()
    _city(app, clients=40, seed=8)
    assert fingerprint() != first


@pytest.mark.parametrize("clients", [100, 10_000])
def test_the_city_grows_with_the_number_of_clients(clients):
    scale = benchdata.Scale(clients)
    if clients == 10_000:  # the city of the issue
        assert (scale.meetings, scale.actions, scale.deviations) == (50_000, 250_000, 20_000)
        assert (scale.budget_entries, scale.users, scale.organisations) == (60_000, 1_000, 40)
        assert scale.access_log_rows == 2_000_000
    assert scale.cases > scale.clients
