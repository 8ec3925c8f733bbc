"""Report figures over all the years are counted at most once a minute per process: the page says
from when they are, a minute later they are counted again, and the download always counts afresh."""

import re
from datetime import timedelta

import pytest
from flask_babel import refresh

from opkoers import jobs, recent, timeutil
from opkoers.extensions import db
from opkoers.services import budget, impact

from .test_budget import _commit
from .test_scale import add_closed_cases, impact_world


@pytest.fixture
def kept_a_minute(app):
    app.config["REPORT_CACHE_SECONDS"] = 60
    yield
    app.config["REPORT_CACHE_SECONDS"] = 0
    with app.app_context():
        recent.forget("figures")


def test_the_overview_is_counted_once_a_minute_and_says_when(login, factory, kept_a_minute):
    case = factory.case("in_progress")
    pg = factory.user("projectgroep")
    budget.open_budget(pg, case)
    _commit(pg, case, 45000)
    db.session.commit()
    client = login(pg)
    page = client.get("/budget").get_data(as_text=True)
    assert "€\xa0450,00" in page and "Deze cijfers zijn van" in page

    _commit(pg, case, 10000)
    db.session.commit()
    assert "€\xa0550,00" not in client.get("/budget").get_data(as_text=True)  # the same minute
    assert "550,00" in client.get("/budget.csv").get_data(as_text=True)  # the download counts afresh
    with timeutil.travel(timedelta(seconds=61)):
        assert "€\xa0550,00" in client.get("/budget").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/impact", "/register", "/impact?jaar=2025"])
def test_the_other_reports_keep_their_figures_too(login, factory, kept_a_minute, path):
    client = login(factory.user("projectgroep"))
    db.session.commit()
    first = client.get(path)
    assert first.status_code == 200 and "Deze cijfers zijn van" in first.get_data(as_text=True)
    db.session.rollback()
    again = client.get(path)  # from the kept figures: no database objects that outlived a request
    assert again.status_code == 200


def test_the_kept_impact_report_follows_the_language_and_the_filter(login, factory, kept_a_minute):
    """The report is rendered once per set of figures, language and filter, and shown again."""
    client = login(factory.user("projectgroep"))
    year = factory.case("in_progress").referred_on.year
    db.session.commit()
    dutch = client.get("/impact").get_data(as_text=True)
    assert client.get("/impact").get_data(as_text=True) == dutch
    assert f'value="{year}" selected' not in dutch
    assert f'value="{year}" selected' in client.get(f"/impact?jaar={year}").get_data(as_text=True)
    client.post("/taal", data={"lang": "en"})
    refresh()  # (the tests keep one app context, where Flask-Babel remembers the language)
    english = client.get("/impact").get_data(as_text=True)
    assert "Impact of Op Koers" in english and "Impact of Op Koers" not in dutch


def test_the_impact_report_over_all_years_is_counted_ahead_by_the_scheduler(app, login, factory):
    team, hoods, pg = impact_world(factory, 2)
    add_closed_cases(20, [h.id for h in hoods], pg.id, team.id)
    client = login(pg)
    counted_now = client.get("/impact").get_data(as_text=True)
    assert "Trajecten: 20" in counted_now

    jobs.report_figures(app)
    # the stored figures make the same page (every number, every chart) as counting them now
    assert _without_time(client.get("/impact").get_data(as_text=True)) == _without_time(counted_now)

    add_closed_cases(5, [hoods[0].id], pg.id, team.id)
    assert "Trajecten: 20" in client.get("/impact").get_data(as_text=True)  # the scheduler's count
    assert "Trajecten;Totaal;;25" in client.get("/impact.csv").get_data(as_text=True)  # counted now
    in_first = impact.report(impact.ImpactFilter(neighbourhood_id=hoods[0].id))["total"]
    chosen = client.get(f"/impact?wijk={hoods[0].id}").get_data(as_text=True)
    assert f"Trajecten: {in_first}<" in chosen  # a chosen neighbourhood is counted now, new cases too
    late = timedelta(minutes=2 * app.config["REPORT_FIGURES_MINUTES"] + 1)
    with timeutil.travel(late):  # the scheduler stopped counting: the page counts itself
        assert "Trajecten: 25" in client.get("/impact").get_data(as_text=True)


def _without_time(page: str) -> str:
    return re.sub(r"Deze cijfers zijn van [0-9:]+ uur", "", page)
