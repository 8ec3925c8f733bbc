"""Report figures over all the years are counted at most once a minute per process: the page says
from when they are, a minute later they are counted again, and the download always counts afresh."""

from datetime import timedelta

import pytest

from opkoers import timeutil
from opkoers.extensions import db
from opkoers.services import budget

from .test_budget import _commit


@pytest.fixture
def kept_a_minute(app):
    app.config["REPORT_CACHE_SECONDS"] = 60
    yield
    app.config["REPORT_CACHE_SECONDS"] = 0
    app.extensions.pop("opkoers_figures", None)


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
