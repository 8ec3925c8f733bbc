"""The case pages through the test client: list, new referral, case page, in-place editing with and
without htmx, bad input, double submits, stale edits, refused transitions and query counts."""

import json
import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from opkoers.extensions import db
from opkoers.models import (
    AccessLogEntry,
    AuditEntry,
    Case,
    CaseInvolvement,
    Client,
    Consent,
    FormSubmission,
    Intake,
    IntakeProblem,
    LifeDomain,
    Organisation,
    PlanGoal,
    PlanOfAction,
    SelectionStep,
    User,
)
from opkoers.models.base import utcnow
from opkoers.timeutil import local_today

from .helpers import count_queries

TODAY = local_today()
HX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
STALE = "Iemand anders heeft dit intussen gewijzigd"
COUNTED = (
    Case,
    Client,
    AuditEntry,
    Intake,
    IntakeProblem,
    SelectionStep,
    Consent,
    PlanOfAction,
    PlanGoal,
    CaseInvolvement,
    FormSubmission,
)


# ---------------------------------------------------------------- helpers


def rows() -> dict[str, int]:
    """How many rows each case table holds: a refused request must leave these as they were."""
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


@contextmanager
def unchanged():
    """Assert that the block writes nothing (row counts are the same afterwards)."""
    db.session.commit()
    before = rows()
    yield
    db.session.rollback()
    assert rows() == before


def html(response) -> str:
    return response.get_data(as_text=True)


def hidden_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden field {name}"
    return match.group(1)


def referral_form(**overrides) -> dict:
    """A valid referral as the browser posts it."""
    data = {
        "form_token": "token-1",
        "client_name": "Jan Jansen",
        "client_date_of_birth": "1975-03-02",
        "client_address": "Dorpsstraat 12",
        "client_postcode": "3991 ab",
        "client_city": "Houten",
        "client_neighbourhood_id": "",
        "client_phone": "030-1234567",
        "client_email": "jan@example.test",
        "referrer_kind": "coach",
        "referrer_name": "Carla Coach",
        "referrer_role": "Cliëntcoach",
        "referrer_organisation": "Buurtteam Oost",
        "channel": "phone",
        "referred_on": TODAY.isoformat(),
        "reason": "Loopt vast met huur en uitkering.",
        "urgency": "normal",
        "crisis_kind": "",
        "handler_id": "",
    }
    data.update(overrides)
    return data


def case_url(case, tail: str = "") -> str:
    return f"/trajecten/{case.id}{tail}"


@pytest.fixture
def pg(factory):
    factory.life_domains()  # an installation always has them; a consent names some
    return factory.user("projectgroep", name="Petra Projectgroep")


@pytest.fixture
def as_pg(login, pg):
    db.session.commit()
    return login(pg)


def stored(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


# ---------------------------------------------------------------- list


def test_list_shows_crisis_first(as_pg, factory):
    factory.case(client_name="Anna Nieuw", referred_on=TODAY)
    factory.case(client_name="Bert Crisis", crisis=True, referred_on=TODAY - timedelta(days=90))
    db.session.commit()
    page = html(as_pg.get("/trajecten"))
    assert page.index("Bert Crisis") < page.index("Anna Nieuw")
    assert "2 trajecten gevonden." in page


def test_list_search_filters_and_pages(as_pg, factory, app):
    oost = factory.neighbourhood("Oost")
    for n in range(3):
        factory.case(client_name=f"Jansen {n}", neighbourhood=oost, referred_on=TODAY - timedelta(days=n))
    factory.case(client_name="Pietersen", status="intake", neighbourhood=oost)
    factory.case(client_name="Jansen Crisis", crisis=True)
    db.session.commit()
    app.config["CASES_PER_PAGE"] = 2

    first = html(as_pg.get("/trajecten?q=jansen"))
    assert "4 trajecten gevonden." in first and "Pagina 1 van 2" in first
    assert "Jansen Crisis" in first and "Jansen 0" in first and "Jansen 2" not in first
    assert 'href="/trajecten?page=2&amp;q=jansen"' in first
    second = html(as_pg.get("/trajecten?q=jansen&page=2"))
    assert "Jansen 1" in second and "Jansen 2" in second and "Jansen Crisis" not in second

    assert "1 traject gevonden." in html(as_pg.get(f"/trajecten?status=intake&wijk={oost.id}"))
    crisis = html(as_pg.get("/trajecten?crisis=1"))
    assert "Jansen Crisis" in crisis and "Pietersen" not in crisis


def test_list_htmx_search_answers_only_the_results(as_pg, factory):
    factory.case(client_name="Jan Jansen")
    db.session.commit()
    response = as_pg.get("/trajecten?q=jan", headers={**HX, "HX-Target": "case-results"})
    assert response.status_code == 200
    assert "<html" not in html(response) and 'id="case-results"' in html(response)
    assert "Jan Jansen" in html(response)
    boosted = as_pg.get("/trajecten?q=jan", headers={**BOOSTED, "HX-Target": "case-results"})
    assert "<html" in html(boosted)
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-3",
        "page=abc",
        "page=99999999999999999999",
        "wijk=abc",
        "wijk=99999999999999999999",
        "status=onzin",
        "crisis=ja",
        "q=" + "x" * 2000,
        "q=%25%27%22%3B--",
    ],
)
def test_list_survives_odd_parameters(as_pg, factory, query):
    factory.case(client_name="Jan Jansen")
    db.session.commit()
    assert as_pg.get(f"/trajecten?{query}").status_code == 200


def test_list_shows_a_professional_only_the_cases_they_may_see(login, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente)
    factory.case(client_name="Zichtbaar", involved=[pro], consent_organisations=[gemeente])
    factory.case(client_name="Niet betrokken", consent_organisations=[gemeente])
    factory.case(client_name="Geen machtiging", involved=[pro])
    db.session.commit()
    page = html(login(pro).get("/trajecten"))
    assert "Zichtbaar" in page and "Niet betrokken" not in page and "Geen machtiging" not in page
    assert "Nieuwe aanmelding" not in page


# ---------------------------------------------------------------- new referral


def test_register_a_referral(as_pg, pg):
    form = html(as_pg.get("/trajecten/nieuw"))
    token = hidden_value(form, "form_token")
    assert len(token) > 20
    response = as_pg.post("/trajecten/nieuw", data=referral_form(form_token=token, crisis_kind="energy"))
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert response.location == case_url(case)
    assert case.client.postcode == "3991 AB" and case.crisis_kind == "energy" and case.crisis
    page = html(as_pg.get(response.location))
    assert "De aanmelding is opgeslagen." in page
    assert "Start de intake." in page
    assert "Aanmelding geregistreerd" in page  # the history on the case page


def test_double_submit_of_a_referral_creates_one_case(as_pg):
    first = as_pg.post("/trajecten/nieuw", data=referral_form())
    with unchanged():
        second = as_pg.post("/trajecten/nieuw", data=referral_form())
    assert second.status_code == 302 and second.location == first.location
    assert "Deze aanmelding was al opgeslagen." in html(as_pg.get(second.location))


LONG_EMAIL = "a" * 250 + "@example.test"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("client_name", "", "Vul dit veld in."),
        ("client_name", "   ", "Vul dit veld in."),
        ("client_name", "x" * 201, "Maximaal 200 tekens."),
        ("client_address", "", "Vul dit veld in."),
        ("client_date_of_birth", "", "Vul een datum in."),
        ("client_date_of_birth", "2026-02-30", "Vul een bestaande datum in"),
        ("client_date_of_birth", "gisteren", "Vul een bestaande datum in"),
        ("client_date_of_birth", "1800-01-01", "te ver in het verleden"),
        ("client_date_of_birth", (TODAY + timedelta(days=1)).isoformat(), "in de toekomst"),
        ("client_postcode", "ABCD 12", "Vul een postcode in zoals 3991 AB."),
        ("client_phone", "bel maar", "Vul een telefoonnummer in"),
        ("client_email", "geen-adres", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        ("client_email", LONG_EMAIL, "Maximaal 254 tekens."),
        ("client_city", "x" * 101, "Maximaal 100 tekens."),
        ("client_neighbourhood_id", "999999", "client_neighbourhood_id"),
        ("client_neighbourhood_id", "abc", "client_neighbourhood_id"),
        ("referrer_kind", "", "Kies een antwoord."),
        ("referrer_kind", "baas", "referrer_kind"),
        ("referrer_name", "", "Vul de naam in van wie de cliënt aanmeldt."),
        ("referrer_name", "x" * 201, "Maximaal 200 tekens."),
        ("channel", "fax", "channel"),
        ("referred_on", (TODAY + timedelta(days=3)).isoformat(), "in de toekomst"),
        ("referred_on", "1800-01-01", "te ver in het verleden"),
        ("reason", "", "Vul dit veld in."),
        ("reason", "x" * 5001, "Maximaal 5000 tekens."),
        ("urgency", "extreem", "urgency"),
        ("crisis_kind", "overstroming", "crisis_kind"),
        ("handler_id", "abc", "handler_id"),
    ],
)
def test_bad_referral_is_refused_and_kept(as_pg, field, value, message):
    with unchanged():
        response = as_pg.post("/trajecten/nieuw", data=referral_form(**{field: value}))
    assert response.status_code == 422
    page = html(response)
    assert "Controleer deze velden:" in page
    assert message in page
    assert 'value="Houten"' in page if field != "client_city" else 'value="Dorpsstraat 12"' in page


def test_self_referral_needs_no_referrer_name(as_pg):
    response = as_pg.post("/trajecten/nieuw", data=referral_form(referrer_kind="self", referrer_name=""))
    assert response.status_code == 302


def test_script_in_free_text_is_shown_as_text(as_pg):
    data = referral_form(client_name=f"Jan {SCRIPT}", reason=f"Reden {SCRIPT}", referrer_name=SCRIPT)
    detail = as_pg.post("/trajecten/nieuw", data=data).location
    case = db.session.scalar(select(Case))
    for url in ("/trajecten", detail, case_url(case, "/geschiedenis"), case_url(case, "/aanmelding")):
        page = html(as_pg.get(url))
        assert SCRIPT not in page, url
        assert ESCAPED in page, url
    refused = html(
        as_pg.post("/trajecten/nieuw", data=data | {"client_date_of_birth": "", "form_token": "2"})
    )
    assert SCRIPT not in refused and ESCAPED in refused


# ---------------------------------------------------------------- case page


def test_case_page_writes_the_access_log(login, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente, name="Paul Professional")
    case = factory.case(status="intake", involved=[pro], consent_organisations=[gemeente])
    db.session.commit()
    client = login(pro)
    assert client.get(case_url(case)).status_code == 200
    assert client.get(case_url(case, "/geschiedenis")).status_code == 200
    entries = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()
    assert [(e.what, e.action) for e in entries] == [("cases.detail", "view"), ("cases.history", "view")]
    first = entries[0]
    assert (first.user_id, first.user_name, first.role) == (pro.id, "Paul Professional", "professional")
    assert (first.organisation_name, first.client_id, first.case_id) == ("Gemeente", case.client_id, case.id)
    assert (first.organisation_id, first.outcome, first.basis) == (gemeente.id, "allowed", "consent")
    assert first.consent_id == db.session.scalar(select(Consent.id).where(Consent.case_id == case.id))
    assert first.remote_addr == "127.0.0.1" and first.at.tzinfo is not None


def test_a_refused_view_is_logged_as_denied(login, factory):
    pro = factory.user("professional")
    case = factory.case()
    db.session.commit()
    assert login(pro).get(case_url(case)).status_code == 404
    (entry,) = db.session.scalars(select(AccessLogEntry)).all()
    assert (entry.outcome, entry.user_id, entry.client_id, entry.consent_id) == (
        "denied",
        pro.id,
        case.client_id,
        None,
    )


def test_professional_sees_the_case_but_no_edit_buttons(login, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente)
    case = factory.case(status="admitted", involved=[pro], consent_organisations=[gemeente])
    db.session.commit()
    page = html(login(pro).get(case_url(case)))
    assert "Volgende stap" not in page  # the next step is the project group's to take
    assert "/aanmelding" not in page and '/machtiging"' not in page and "Intrekken" not in page


# ---------------------------------------------------------------- editing in place


def test_edit_form_partial_for_htmx_and_a_page_without_javascript(as_pg, factory):
    case = factory.case(client_name="Jan Jansen")
    db.session.commit()
    url = case_url(case, "/aanmelding")
    partial = html(as_pg.get(url, headers=HX))
    assert "<html" not in partial
    assert partial.lstrip().startswith('<section id="section-referral"')
    assert f'hx-post="{url}"' in partial and 'value="Jan Jansen"' in partial
    for headers in ({}, BOOSTED):
        page = html(as_pg.get(url, headers=headers))
        assert "<html" in page and 'value="Jan Jansen"' in page


EDIT_PAGES = {
    "/aanmelding": "referral",
    "/intake": "intake",
    "/stappen/intake_talk": "selection",
    "/besluit": "decision",
    "/contract": "agreements",
    "/machtiging": "agreements",
    "/plan": "plan",
    "/plan/doelen": "plan",
    "/betrokkenen": "involvement",
}


def test_every_section_opens_in_place_and_as_a_page(as_pg, factory):
    case = factory.case(status="intake")
    db.session.commit()
    for tail, section in EDIT_PAGES.items():
        url = case_url(case, tail)
        partial = html(as_pg.get(url, headers=HX))
        assert partial.lstrip().startswith(f'<section id="section-{section}"'), tail
        assert f'hx-target="#section-{section}"' in partial and "<html" not in partial, tail
        page = html(as_pg.get(url))
        assert "<html" in page and f'action="{url}"' in page and 'method="post"' in page, tail


def _edit_referral(case, **overrides):
    return referral_form(version=case.version, client_version=case.client.version, **overrides)


def test_save_in_place_with_htmx(as_pg, factory):
    case = factory.case(client_name="Jan Jansen")
    db.session.commit()
    response = as_pg.post(
        case_url(case, "/aanmelding"), data=_edit_referral(case, client_name="Jan de Vries"), headers=HX
    )
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="section-referral"')
    assert 'id="next-step" class="next-step" hx-swap-oob="true"' in page
    assert 'id="history" class="card" aria-labelledby="history-title" hx-swap-oob="true"' in page
    assert "Jan Jansen → Jan de Vries" in page and "Petra Projectgroep" in page  # who, old → new
    assert json.loads(response.headers["HX-Trigger"]) == {"announce": "Opgeslagen."}  # for screen readers
    assert stored(case).client.name == "Jan de Vries"


def test_save_without_javascript_redirects_back(as_pg, factory):
    case = factory.case(client_name="Jan Jansen")
    db.session.commit()
    response = as_pg.post(
        case_url(case, "/aanmelding"), data=_edit_referral(case, client_name="Jan de Vries")
    )
    assert response.status_code == 302
    assert response.location == case_url(case, "#section-referral")
    assert "Opgeslagen." in html(as_pg.get(case_url(case)))
    assert stored(case).client.name == "Jan de Vries"


@pytest.mark.parametrize("headers", [{}, HX], ids=["no-js", "htmx"])
def test_bad_input_in_place_keeps_the_input(as_pg, factory, headers):
    case = factory.case(client_name="Jan Jansen")
    with unchanged():
        response = as_pg.post(
            case_url(case, "/aanmelding"),
            data=_edit_referral(case, client_name="Jan de Vries", client_date_of_birth="2026-02-30"),
            headers=headers,
        )
    assert response.status_code == 422
    page = html(response)
    assert ("<html" in page) is (headers == {})
    assert "Vul een bestaande datum in" in page and 'value="Jan de Vries"' in page


# ---------------------------------------------------------------- two people, one record


@pytest.mark.parametrize("headers", [{}, HX], ids=["no-js", "htmx"])
def test_stale_referral_edit_is_refused_and_the_input_kept(login, factory, headers):
    case = factory.case(client_name="Jan Jansen")
    anna, bert = login(factory.user("projectgroep")), login(factory.user("projectgroep"))
    url = case_url(case, "/aanmelding")
    anna_form, bert_form = html(anna.get(url)), html(bert.get(url))
    versions = {n: hidden_value(bert_form, n) for n in ("version", "client_version")}
    assert hidden_value(anna_form, "version") == versions["version"]

    assert anna.post(url, data=referral_form(**versions, client_name="Anna's naam")).status_code == 302
    with unchanged():
        response = bert.post(
            url, data=referral_form(**versions, client_name="Bert zijn naam"), headers=headers
        )
    assert response.status_code == 422
    page = html(response)
    assert STALE in page and 'value="Bert zijn naam"' in page
    assert stored(case).client.name == "Anna's naam"

    # Bert has been told; saving the same form again is now a deliberate choice and works.
    again = {n: hidden_value(page, n) for n in ("version", "client_version")}
    assert again != versions
    assert bert.post(url, data=referral_form(**again, client_name="Bert zijn naam")).status_code == 302
    assert stored(case).client.name == "Bert zijn naam"


def _intake_form(version, **answers):
    data = {"version": version, "tree_a": "yes", "tree_b": "yes", "tree_c": "yes", "tree_d": "yes"}
    data.update(answers)
    return data


def _step_form(user, version="", **fields):
    data = {
        "version": version,
        "held_on": TODAY.isoformat(),
        "performed_by_id": user.id,
        "note": "",
        "report": "",
    }
    data.update(fields)
    return data


EARLIER = (TODAY - timedelta(days=10)).isoformat()


@pytest.mark.parametrize("section", ["intake", "step", "contract", "plan"])
def test_stale_edits_of_other_sections(login, factory, section):
    status = "intake" if section in ("intake", "step") else "admitted"
    case = factory.case(status=status)
    anna_user, bert_user = factory.user("projectgroep"), factory.user("projectgroep")
    if section == "plan":
        db.session.add(PlanOfAction(case_id=case.id))
    anna, bert = login(anna_user), login(bert_user)
    url, first, second = {
        "intake": ("/intake", {"who_asks": "Anna"}, {"who_asks": "Bert"}),
        "step": ("/stappen/introduction", {"note": "Anna"}, {"note": "Bert"}),
        "contract": ("/contract", {"signed_on": TODAY.isoformat()}, {"signed_on": EARLIER}),
        "plan": ("/plan", {"prioritised_problem": "Anna"}, {"prioritised_problem": "Bert"}),
    }[section]
    url = case_url(case, url)
    version = hidden_value(html(bert.get(url)), "version")

    def form(user, values, version):
        if section == "intake":
            return _intake_form(version, **values)
        if section == "step":
            return _step_form(user, version, **values)
        return {"version": version, **values}

    assert anna.post(url, data=form(anna_user, first, version)).status_code == 302
    with unchanged():
        response = bert.post(url, data=form(bert_user, second, version), headers=HX)
    assert response.status_code == 422
    page = html(response)
    assert STALE in page
    assert f'value="{EARLIER}"' in page if section == "contract" else "Bert" in page
    # Told about it, Bert saves the same form again: now on top of Anna's version, so it goes through.
    resubmit = bert.post(url, data=form(bert_user, second, hidden_value(page, "version")), headers=HX)
    assert resubmit.status_code == 200 and STALE not in html(resubmit)


# ---------------------------------------------------------------- refused actions


@pytest.mark.parametrize(
    "status, method, tail, data, message",
    [
        ("intake", "post", "/intake/start", {}, "kan niet naar"),
        ("declined", "post", "/intake/start", {}, "kan niet naar"),
        ("referred", "get", "/intake", None, "Start eerst de intake"),
        ("admitted", "get", "/intake", None, "al besloten"),
        ("admitted", "post", "/intake", {"who_asks": "Te laat"}, "al besloten"),
        ("referred", "post", "/stappen/introduction", "step", "Start eerst de intake"),
        ("intake", "post", "/besluit", "admit", "Leg eerst het besluitvormingsoverleg vast."),
        ("admitted", "post", "/besluit", "admit", "kan niet naar"),
        ("intake", "post", "/contract", {"signed_on": TODAY.isoformat()}, "toegelaten cliënt"),
        ("referred", "post", "/plan/doelen", "goal", "toegelaten cliënt"),
        (
            "admitted",
            "post",
            "/starten",
            {},
            "Starten kan nog niet. Dit ontbreekt nog: het getekende contract",
        ),
        ("in_progress", "post", "/starten", {}, "kan niet naar"),
    ],
)
def test_refused_actions_say_why_and_change_nothing(as_pg, pg, factory, status, method, tail, data, message):
    case = factory.case(status=status)
    domain = factory.life_domains()[0]
    data = (
        {
            "step": _step_form(pg),
            "admit": {"outcome": "admitted", "motivation": "Past.", "decided_on": TODAY.isoformat()},
            "goal": {"life_domain_id": domain.id, "goal": "Doel", "expected_result": "Resultaat"},
        }.get(data)
        if isinstance(data, str)
        else data
    )
    for headers in ({}, HX):
        with unchanged():
            response = getattr(as_pg, method)(case_url(case, tail), data=data, headers=headers)
        assert response.status_code == 409, html(response)[:300]
        assert message in html(response)
        assert ("<html" in html(response)) is (headers == {})
    assert stored(case).status == status


def test_admission_needs_every_criterion(as_pg, pg, factory):
    case = factory.case(status="intake")
    db.session.scalar(select(Intake).where(Intake.case_id == case.id)).tree_d = "no"
    for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
        db.session.add(SelectionStep(case_id=case.id, kind=kind, held_on=TODAY, performed_by_id=pg.id))
    data = {"outcome": "admitted", "motivation": "Past.", "decided_on": TODAY.isoformat()}
    with unchanged():
        response = as_pg.post(case_url(case, "/besluit"), data=data)
    assert response.status_code == 409
    assert "alle vier met" in html(response) and "Past." in html(response)
    response = as_pg.post(
        case_url(case, "/besluit"), data=data | {"outcome": "declined", "motivation": "Niet."}
    )
    assert response.status_code == 302
    case = stored(case)
    assert (case.status, case.closed_reason, case.closed_on) == ("declined", "Niet.", TODAY)
    assert "Dit traject is afgesloten." in html(as_pg.get(case_url(case)))


@pytest.mark.parametrize(
    "tail, data, message",
    [
        (
            "/besluit",
            {"outcome": "", "motivation": "x", "decided_on": TODAY.isoformat()},
            "Kies een antwoord.",
        ),
        ("/besluit", {"outcome": "misschien", "motivation": "x", "decided_on": TODAY.isoformat()}, "outcome"),
        (
            "/besluit",
            {"outcome": "declined", "motivation": "", "decided_on": TODAY.isoformat()},
            "Vul dit veld in.",
        ),
        ("/besluit", {"outcome": "declined", "motivation": "x", "decided_on": "1800-01-01"}, "te ver in het"),
        (
            "/besluit",
            {"outcome": "declined", "motivation": "x", "decided_on": "2026-02-30"},
            "bestaande datum",
        ),
        ("/stappen/intake_talk", "no-report", "Schrijf het verslag van het intakegesprek."),
        ("/stappen/introduction", "future", "in de toekomst"),
        ("/stappen/introduction", "nobody", "performed_by_id"),
        ("/stappen/introduction", "long-note", "Maximaal 5000 tekens."),
        ("/stappen/onzin", "no-report", None),
        ("/intake", {"tree_a": "misschien"}, "tree_a"),
        ("/intake", {"who_asks": "x" * 10_001}, "Maximaal 10000 tekens."),
        ("/intake", {"version": "abc"}, "version"),
    ],
)
def test_bad_input_in_the_intake(as_pg, pg, factory, tail, data, message):
    case = factory.case(status="intake")
    data = (
        {
            "no-report": _step_form(pg, report="   "),
            "future": _step_form(pg, held_on=(TODAY + timedelta(days=1)).isoformat()),
            "nobody": _step_form(pg, performed_by_id="abc"),
            "long-note": _step_form(pg, note="x" * 5001),
        }.get(data)
        if isinstance(data, str)
        else data
    )
    with unchanged():
        response = as_pg.post(case_url(case, tail), data=data, headers=HX)
    if message is None:
        assert response.status_code == 404
        return
    assert response.status_code == 422
    assert message in html(response)


@pytest.mark.parametrize(
    "tail, data, message",
    [
        ("/contract", {"signed_on": ""}, "Vul een datum in."),
        ("/contract", {"signed_on": "2026-13-01"}, "bestaande datum"),
        ("/contract", {"signed_on": (TODAY + timedelta(days=1)).isoformat()}, "in de toekomst"),
        ("/machtiging", "no-orgs", "Kies minstens één organisatie."),
        ("/machtiging", "unknown-org", "organisation_ids"),
        ("/machtiging", "until-before-signed", "vóór de datum van ondertekening"),
        ("/machtiging", "too-long", "hoogstens vijf jaar"),
        ("/machtiging", "no-purpose", "Vul dit veld in."),
        ("/plan", {"signed_on": "1800-01-01"}, "te ver in het verleden"),
        ("/plan/doelen", "no-goal", "Vul dit veld in."),
        ("/plan/doelen", "unknown-domain", "life_domain_id"),
    ],
)
def test_bad_input_in_the_agreements(as_pg, factory, tail, data, message):
    case = factory.case(status="admitted")
    org = factory.organisation()
    domain = factory.life_domains()[0]
    consent = {
        "form_token": "t",
        "organisation_ids": [org.id],
        "purposes": "Delen",
        "signed_on": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=365)).isoformat(),
        f"domain-{org.id}": [domain.id],
    }
    goal = {"life_domain_id": domain.id, "goal": "Doel", "expected_result": "Resultaat"}
    data = (
        {
            "no-orgs": consent | {"organisation_ids": []},
            "unknown-org": consent | {"organisation_ids": [999_999]},
            "until-before-signed": consent | {"valid_until": (TODAY - timedelta(days=1)).isoformat()},
            "too-long": consent | {"valid_until": "9999-12-31"},
            "no-purpose": consent | {"purposes": " "},
            "no-goal": goal | {"goal": ""},
            "unknown-domain": goal | {"life_domain_id": 999_999},
        }.get(data)
        if isinstance(data, str)
        else data
    )
    with unchanged():
        response = as_pg.post(case_url(case, tail), data=data)
    assert response.status_code == 422
    assert message in html(response)


# ---------------------------------------------------------------- consent


def _consent_form(org, token="consent-1"):
    return {
        "form_token": token,
        "organisation_ids": [org.id],
        "purposes": f"Inkomen {SCRIPT}",
        "signed_on": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=365)).isoformat(),
        f"domain-{org.id}": db.session.scalars(select(LifeDomain.id)).all(),
    }


def test_consent_double_submit_records_one(as_pg, factory):
    case = factory.case(status="admitted")
    org = factory.organisation("Gemeente")
    form = html(as_pg.get(case_url(case, "/machtiging"), headers=HX))
    token = hidden_value(form, "form_token")
    assert (
        as_pg.post(case_url(case, "/machtiging"), data=_consent_form(org, token), headers=HX).status_code
        == 200
    )
    with unchanged():
        again = as_pg.post(case_url(case, "/machtiging"), data=_consent_form(org, token), headers=HX)
    assert again.status_code == 200 and ESCAPED in html(again) and SCRIPT not in html(again)
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 1


def test_withdrawing_consent_ends_access_at_once(as_pg, login, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente)
    case = factory.case(status="admitted", involved=[pro], consent_organisations=[gemeente])
    consent = db.session.scalar(select(Consent))
    db.session.commit()
    professional = login(pro)
    assert professional.get(case_url(case)).status_code == 200

    url = case_url(case, f"/machtiging/{consent.id}/intrekken")
    assert as_pg.post(url, data={"reason": "Cliënt wil het niet meer."}).status_code == 302
    assert professional.get(case_url(case)).status_code == 404
    assert professional.get(case_url(case, "/afdrukken/contract")).status_code == 404
    assert case.client.name not in html(professional.get("/trajecten"))
    page = html(as_pg.get(case_url(case)))
    assert "Ingetrokken" in page and "Cliënt wil het niet meer." in page  # the history is kept
    with unchanged():
        assert as_pg.post(url, data={"reason": "Nog eens"}).status_code == 409


def test_consent_of_another_case_is_not_found(as_pg, factory):
    case, other = factory.case(status="admitted"), factory.case(status="admitted")
    consent = factory.consent(other, [factory.organisation()])
    db.session.commit()
    with unchanged():
        assert (
            as_pg.post(
                case_url(case, f"/machtiging/{consent.id}/intrekken"), data={"reason": "x"}
            ).status_code
            == 404
        )
    assert as_pg.get(case_url(case, "/machtiging/999999/intrekken")).status_code == 404


def test_goal_and_involvement_of_another_case_are_not_found(as_pg, factory):
    case, other = factory.case(status="admitted"), factory.case(status="in_progress")
    goal = db.session.scalar(select(PlanGoal))
    involvement = CaseInvolvement(case_id=other.id, user_id=factory.user("professional").id)
    db.session.add(involvement)
    db.session.commit()
    with unchanged():
        assert as_pg.post(case_url(case, f"/plan/doelen/{goal.id}/verwijderen")).status_code == 404
        assert as_pg.post(case_url(case, f"/betrokkenen/{involvement.id}/verwijderen")).status_code == 404


# ---------------------------------------------------------------- the whole way, without JavaScript


def test_the_whole_workflow_through_the_pages(as_pg, pg, factory):
    gemeente = factory.organisation("Gemeente")
    pro = factory.user("professional", gemeente, name="Paul Professional")
    domains = factory.life_domains()
    db.session.commit()

    def post(tail, data=None, expected=302):
        response = as_pg.post(case_url(case, tail), data=data or {})
        assert response.status_code == expected, html(response)[:2000]
        return html(as_pg.get(case_url(case)))

    as_pg.post("/trajecten/nieuw", data=referral_form())
    case = db.session.scalar(select(Case))
    assert "Vul de intake in" in post("/intake/start")
    problems = {f"problem_{domains[0].id}": "Schulden", f"problem_{domains[2].id}": "Dakloos"}
    version = db.session.scalar(select(Intake.version).where(Intake.case_id == case.id))
    page = post("/intake", _intake_form(version, **problems, tree_b_note=SCRIPT))
    assert "Voldoet aan de criteria" in page and "Dakloos" in page and ESCAPED in page
    assert "Leg het kennismakingsgesprek vast." in page
    post("/stappen/introduction", _step_form(pg))
    assert "Schrijf het verslag" in html(
        as_pg.post(case_url(case, "/stappen/intake_talk"), data=_step_form(pg))
    )
    post("/stappen/intake_talk", _step_form(pg, report="Verslag van het gesprek."))
    post("/stappen/file_review", _step_form(pg))
    page = post("/stappen/decision_meeting", _step_form(pg))
    assert "Neem het besluit: toelaten of afwijzen." in page
    page = post(
        "/besluit", {"outcome": "admitted", "motivation": "Past goed.", "decided_on": TODAY.isoformat()}
    )
    assert "Leg het getekende contract vast." in page
    post("/contract", {"signed_on": TODAY.isoformat()})
    post("/machtiging", _consent_form(gemeente))
    post("/betrokkenen", {"user_id": pro.id, "role_note": "Schuldhulp"})
    post(
        "/plan/doelen",
        {"life_domain_id": domains[0].id, "goal": "Schuldenvrij", "expected_result": "Regeling"},
    )
    plan_version = db.session.scalar(select(PlanOfAction.version).where(PlanOfAction.case_id == case.id))
    plan_form = {"prioritised_problem": "Schulden", "activities": "Bellen", "signed_on": TODAY.isoformat()}
    page = post("/plan", {**plan_form, "version": plan_version})
    assert "Alles is rond. Start de uitvoering van het plan." in page
    page = post("/starten")
    assert "Plan een doorbraaktafel." in page
    assert stored(case).status == "in_progress"
    history = html(as_pg.get(case_url(case, "/geschiedenis")))
    assert history.count("Selectiestap vastgelegd") == 4
    assert "Aangemeld → Intake" in history and "Toegelaten → In uitvoering" in history


# ---------------------------------------------------------------- query counts


def _measure(client, url: str) -> int:
    """The queries of one GET, from an empty session as in a real request (after a warm-up)."""
    client.get(url)
    db.session.expunge_all()
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", ["projectgroep", "professional"])
def test_case_list_queries_do_not_grow_with_cases(login, factory, role):
    gemeente = factory.organisation("Gemeente")
    user = factory.user(role, gemeente)
    client = login(user)
    ids = user.id, gemeente.id

    def add_cases(n):
        user, gemeente = db.session.get(User, ids[0]), db.session.get(Organisation, ids[1])
        for i in range(n):
            factory.case(
                neighbourhood=factory.neighbourhood(),
                handler=factory.user("projectgroep"),
                crisis=i % 3 == 0,
                involved=[user] if role == "professional" else [],
                consent_organisations=[gemeente],
            )
        db.session.commit()

    add_cases(5)
    few = _measure(client, "/trajecten")
    add_cases(55)
    assert _measure(client, "/trajecten") == few


def _enrich(case, factory, n: int) -> None:
    """Give an in-progress case n goals, consents (half withdrawn), involvements, problems and changes."""
    domains = factory.life_domains()
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    plan.goals.extend(
        PlanGoal(life_domain=domains[i % len(domains)], goal=f"Doel {i}", expected_result="R")
        for i in range(n)
    )
    intake = db.session.scalar(select(Intake).where(Intake.case_id == case.id))
    intake.problems.extend(
        IntakeProblem(life_domain=d, description="P") for d in domains[: min(n, len(domains))]
    )
    for i in range(n):
        org = factory.organisation(kind="zorg")
        consent = factory.consent(case, [org, factory.organisation()])
        if i % 2:
            consent.withdrawn_at, consent.withdrawn_by_id = utcnow(), factory.user("projectgroep").id
        db.session.add(CaseInvolvement(case_id=case.id, user_id=factory.user("professional", org).id))
        db.session.add(
            AuditEntry(
                user_name="X",
                action="plan_saved",
                entity_type="PlanOfAction",
                case_id=case.id,
                changes={"goal": [None, "Doel"]},
            )
        )
    for step in db.session.scalars(select(SelectionStep).where(SelectionStep.case_id == case.id)):
        step.performed_by_id = factory.user("projectgroep").id  # four steps at most: each by someone else
        step.note = "Notitie"
    db.session.commit()


@pytest.mark.parametrize("tail", ["", "/geschiedenis"])
@pytest.mark.parametrize("kept", [0, 60], ids=["rendered", "shown-again"])
def test_case_page_queries_do_not_grow_with_its_records(as_pg, factory, tail, kept):
    """Rendered at every view, and shown again from the rendered page: the same queries for a case
    with few records as for one with many."""
    as_pg.application.config["CASE_PAGE_CACHE_SECONDS"] = kept
    small = factory.case(status="in_progress", neighbourhood=factory.neighbourhood(), handler=factory.user())
    large = factory.case(status="in_progress", neighbourhood=factory.neighbourhood(), handler=factory.user())
    _enrich(small, factory, 1)
    _enrich(large, factory, 10)
    as_pg.get("/trajecten")  # the session's form token exists before the measured pages, as after a login
    urls = case_url(small, tail), case_url(large, tail)
    assert _measure(as_pg, urls[1]) == _measure(as_pg, urls[0])


def test_dates_are_shown_in_dutch(as_pg):
    data = referral_form(client_date_of_birth="1930-02-28")
    page = html(as_pg.get(as_pg.post("/trajecten/nieuw", data=data).location))
    assert "28 februari 1930" in page
    assert date(1930, 2, 28) == db.session.scalar(select(Client.date_of_birth))


def test_history_shows_names_instead_of_ids(login, factory):
    domains = factory.life_domains()
    pg = factory.user("projectgroep", name="Hanna Historie")
    client = login(pg)
    case = factory.case("intake")
    response = client.post(
        f"/trajecten/{case.id}/stappen/introduction",
        data={"held_on": TODAY.isoformat(), "performed_by_id": pg.id, "note": ""},
    )
    assert response.status_code == 302
    version = db.session.scalar(select(Intake.version).where(Intake.case_id == case.id))
    intake_form = {f"problem_{domains[2].id}": "Geen woning.", "version": version}
    assert client.post(f"/trajecten/{case.id}/intake", data=intake_form).status_code == 302
    for url in (f"/trajecten/{case.id}", f"/trajecten/{case.id}/geschiedenis"):
        body = client.get(url).get_data(as_text=True)
        assert "Gedaan door:</strong> — → Hanna Historie" in body
        assert f"Probleem bij {domains[2].name}" in body


def test_a_save_racing_another_save_keeps_the_input(login, factory, monkeypatch):
    """The version check passed, but someone else's save landed just before ours hit the database."""
    from sqlalchemy import text

    from opkoers.services import cases as case_service

    case = factory.case("referred", client_name="Race Cliënt")
    client = login(factory.user("projectgroep"))

    def other_person_saves_first(obj, version):
        db.session.execute(
            text("UPDATE client_case SET version = version + 1 WHERE id = :id"), {"id": case.id}
        )

    monkeypatch.setattr(case_service, "check_version", other_person_saves_first)
    data = referral_form(
        reason="Mijn eigen nieuwe tekst", version=case.version, client_version=case.client.version
    )
    response = client.post(f"/trajecten/{case.id}/aanmelding", data=data)
    body = html(response)
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in body and "Mijn eigen nieuwe tekst" in body
    db.session.expire_all()
    assert stored(case).reason != "Mijn eigen nieuwe tekst"


def test_opening_an_edit_form_is_in_the_access_log(login, factory):
    case = factory.case("referred")
    client = login(factory.user("projectgroep"))
    assert client.get(f"/trajecten/{case.id}/aanmelding").status_code == 200
    rows = db.session.execute(
        select(AccessLogEntry.what, AccessLogEntry.action, AccessLogEntry.basis).where(
            AccessLogEntry.case_id == case.id
        )
    ).all()
    assert rows == [("cases.referral", "view", "mandate")]


def test_the_case_page_says_who_is_involved_but_cannot_see_it(login, factory):
    inside, outside = factory.organisation("Binnen"), factory.organisation("Buiten")
    seen = factory.user("professional", inside, name="Ziet Wel")
    unseen = factory.user("professional", outside, name="Ziet Niet")
    case = factory.case("in_progress", involved=[seen, unseen], consent_organisations=[inside])
    page = html(login(factory.user("projectgroep")).get(case_url(case)))
    section = page[page.index('id="section-involvement"') :]
    assert section.count("Ziet dit dossier niet") == 1
    assert section.index("Ziet Niet") < section.index("Ziet dit dossier niet")


def test_the_case_page_shows_the_latest_meetings_and_links_to_all(login, factory, app):
    chair = factory.user("projectgroep")
    case = factory.case("in_progress")
    for i in range(app.config["MEETINGS_ON_CASE_PAGE"] + 2):
        factory.meeting(case, chair, day=date(2026, 1, 5) + timedelta(days=7 * i))
    client = login(chair)

    def meetings_section(url):
        page = client.get(url).get_data(as_text=True)
        return page.split('id="section-meetings"', 1)[1].split("</section>", 1)[0]

    latest = meetings_section(f"/trajecten/{case.id}")
    assert latest.count('href="/bijeenkomsten/') == app.config["MEETINGS_ON_CASE_PAGE"]
    assert "Alle 12 bijeenkomsten tonen" in latest
    assert meetings_section(f"/trajecten/{case.id}?bijeenkomsten=alle").count('href="/bijeenkomsten/') == 12
