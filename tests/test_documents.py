"""The printable documents: intake report, contract, consent (machtiging) and plan of action."""

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from opkoers.extensions import db
from opkoers.models import AccessLogEntry, IntakeProblem, PlanGoal, SelectionStep
from opkoers.models.base import utcnow
from opkoers.models.cases import Intake, PlanOfAction
from opkoers.timeutil import local_today

from .helpers import count_queries

DOCUMENTS = ("intakeverslag", "contract", "plan")


def _url(case, document: str) -> str:
    return f"/trajecten/{case.id}/afdrukken/{document}"


def _consent_url(case, consent) -> str:
    return f"/trajecten/{case.id}/afdrukken/machtiging/{consent.id}"


def _all_urls(case, consent) -> list[str]:
    return [_url(case, d) for d in DOCUMENTS] + [_consent_url(case, consent)]


def _nl(day: date) -> str:
    return format_date(day, "long", locale="nl")


@pytest.fixture
def pg_user(factory):
    return factory.user("projectgroep", name="Petra Projectgroep")


@pytest.fixture
def full_case(factory, pg_user):
    """A case in progress with an intake, an intake talk with a report, problems, consent and a plan."""
    org = factory.organisation("Woonstichting Houten", kind="woningcorporatie")
    case = factory.case(
        status="in_progress", client_name="Jan Jansen", handler=pg_user, consent_organisations=[org]
    )
    domains = factory.life_domains()
    intake = db.session.scalar(select(Intake).where(Intake.case_id == case.id))
    intake.who_asks = "Jan zelf."
    intake.goal = "Weer rust in mijn hoofd."
    intake.tree_b_note = "Inkomen en wonen\nallebei in de knel."
    intake.problems.append(IntakeProblem(life_domain=domains[0], description="Geen uitkering."))
    talk = db.session.scalar(
        select(SelectionStep).where(SelectionStep.case_id == case.id, SelectionStep.kind == "intake_talk")
    )
    talk.report = "Jan vertelde open over zijn situatie.\nHij wil snel een woning."
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    plan.activities = "Samen naar de woonstichting."
    db.session.commit()
    return case


def _consent_of(case):
    from opkoers.models import Consent

    return db.session.scalar(select(Consent).where(Consent.case_id == case.id))


# ---------------------------------------------------------------- content


def test_intake_report(full_case, pg_user, login):
    response = login(pg_user).get(_url(full_case, "intakeverslag"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "Intakeverslag" in html
    assert "Jan Jansen" in html
    assert _nl(date(1980, 5, 17)) in html
    assert "Loopt vast met huur en uitkering." in html  # the referrer's words
    assert (
        "Jan zelf." in html and "Geen inkomen en geen woning." in html and "Weer rust in mijn hoofd." in html
    )
    assert "Inkomen" in html and "Geen uitkering." in html
    assert "A. De hulpvraag komt van de cliënt zelf." in html
    assert "Inkomen en wonen\nallebei in de knel." in html
    assert "Ja" in html and "U kunt meedoen." in html
    assert "Jan vertelde open over zijn situatie.\nHij wil snel een woning." in html
    assert 'class="pre"' in html
    assert "Petra Projectgroep" in html  # who held the intake talk
    assert f'href="/trajecten/{full_case.id}"' in html  # breadcrumb back to the case
    assert 'href="/trajecten"' in html
    assert "Ctrl+P" in html and "no-print" in html
    assert "signature" in html


def test_contract(full_case, pg_user, login):
    html = login(pg_user).get(_url(full_case, "contract")).get_data(as_text=True)
    assert "Cliëntcontract" in html
    for word in (
        "Openheid",
        "Eerlijkheid",
        "Medewerking",
        "één tafel",
        "één plan",
        "besluiten uit",
        "gegevens",
    ):
        assert word in html
    assert "het plan van aanpak klaar is" in html
    assert "niet te halen" in html
    assert "niet meewerkt" in html
    assert "afsluitend gesprek" in html and "brief" in html
    assert _nl(full_case.contract_signed_on) in html
    assert "Petra Projectgroep" in html
    assert html.count('class="signature"') == 1


def test_consent(full_case, pg_user, login):
    consent = _consent_of(full_case)
    html = login(pg_user).get(_consent_url(full_case, consent)).get_data(as_text=True)
    assert "Machtiging" in html
    assert "Woonstichting Houten" in html
    assert "Informatie delen over inkomen, schulden en wonen." in html
    assert _nl(consent.signed_on) in html and _nl(consent.valid_until) in html
    assert "altijd intrekken" in html
    assert "Geldig" in html
    assert "is ingetrokken" not in html


def test_withdrawn_consent_is_shown_clearly(full_case, pg_user, login):
    consent = _consent_of(full_case)
    consent.withdrawn_at = utcnow()
    consent.withdrawal_reason = "Wil het zelf regelen."
    db.session.commit()
    html = login(pg_user).get(_consent_url(full_case, consent)).get_data(as_text=True)
    assert "Deze machtiging is ingetrokken op" in html
    assert "Wil het zelf regelen." in html


def test_plan(full_case, pg_user, login):
    html = login(pg_user).get(_url(full_case, "plan")).get_data(as_text=True)
    assert "Plan van aanpak" in html
    assert "Een woning" in html  # prioritised problem
    assert "Wonen" in html and "Een eigen woning" in html and "Huurcontract" in html
    assert "Samen naar de woonstichting." in html
    assert _nl(full_case.contract_signed_on) in html  # the plan's signed_on (factory: today)


def test_missing_data_is_said_plainly(factory, pg_user, login):
    case = factory.case(status="referred")
    db.session.commit()
    c = login(pg_user)
    expected = {
        "intakeverslag": "Er is nog geen intake.",
        "contract": "Er is nog geen contract.",
        "plan": "Er is nog geen plan van aanpak.",
    }
    for document, message in expected.items():
        response = c.get(_url(case, document))
        assert response.status_code == 200, document
        html = response.get_data(as_text=True)
        assert message in html
        assert "Ctrl+P" not in html
        assert 'class="signature"' not in html


def test_declined_case_has_no_contract(factory, pg_user, login):
    case = factory.case(status="declined")
    db.session.commit()
    html = login(pg_user).get(_url(case, "contract")).get_data(as_text=True)
    assert "niet toegelaten" in html
    assert "Openheid" not in html


def test_intake_without_talk_or_answers(factory, pg_user, login):
    case = factory.case(status="intake")
    intake = db.session.scalar(select(Intake).where(Intake.case_id == case.id))
    intake.tree_c = None
    db.session.commit()
    html = login(pg_user).get(_url(case, "intakeverslag")).get_data(as_text=True)
    assert "Dit weten wij nog niet." in html
    assert "Nog geen antwoord" in html
    assert "Het intakegesprek is nog niet gehouden." in html


# ---------------------------------------------------------------- access


def test_professional_involved_and_covered_by_consent(factory, login):
    org = factory.organisation()
    pro = factory.user("professional", organisation=org)
    case = factory.case(status="in_progress", involved=[pro], consent_organisations=[org])
    db.session.commit()
    c = login(pro)
    for url in _all_urls(case, _consent_of(case)):
        assert c.get(url).status_code == 200, url


def test_buurtteam_involved_and_covered_by_consent(factory, login):
    org = factory.organisation(kind="buurtteam")
    contact = factory.user("buurtteam", organisation=org)
    case = factory.case(status="in_progress", involved=[contact], consent_organisations=[org])
    db.session.commit()
    assert login(contact).get(_url(case, "plan")).status_code == 200


def test_professional_not_involved_gets_404(factory, login):
    org = factory.organisation()
    pro = factory.user("professional", organisation=org)
    case = factory.case(status="in_progress", consent_organisations=[org])
    db.session.commit()
    c = login(pro)
    for url in _all_urls(case, _consent_of(case)):
        assert c.get(url).status_code == 404, url


def test_professional_outside_consent_gets_404(factory, login):
    pro = factory.user("professional")
    case = factory.case(status="in_progress", involved=[pro], consent_organisations=[factory.organisation()])
    db.session.commit()
    c = login(pro)
    for url in _all_urls(case, _consent_of(case)):
        assert c.get(url).status_code == 404, url


def test_professional_after_consent_withdrawal_gets_404(factory, login):
    org = factory.organisation()
    pro = factory.user("professional", organisation=org)
    case = factory.case(status="in_progress", involved=[pro], consent_organisations=[org])
    db.session.commit()
    c = login(pro)
    consent = _consent_of(case)
    assert c.get(_url(case, "plan")).status_code == 200
    consent.withdrawn_at = utcnow()
    db.session.commit()
    for url in _all_urls(case, consent):
        assert c.get(url).status_code == 404, url


def test_professional_after_consent_expired_gets_404(factory, login):
    org = factory.organisation()
    pro = factory.user("professional", organisation=org)
    case = factory.case(status="in_progress", involved=[pro])
    factory.consent(
        case,
        [org],
        signed_on=local_today() - timedelta(days=400),
        valid_until=local_today() - timedelta(days=2),
    )
    db.session.commit()
    c = login(pro)
    for url in _all_urls(case, _consent_of(case)):
        assert c.get(url).status_code == 404, url


def test_beheerder_gets_403(factory, login):
    admin = factory.user("beheerder")
    case = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    db.session.commit()
    c = login(admin)
    for url in _all_urls(case, _consent_of(case)):
        assert c.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(factory, client):
    case = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    db.session.commit()
    for url in _all_urls(case, _consent_of(case)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_consent_of_another_case_is_404(factory, pg_user, login):
    case = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    other = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    db.session.commit()
    c = login(pg_user)
    assert c.get(_consent_url(case, _consent_of(other))).status_code == 404
    assert c.get(f"/trajecten/{case.id}/afdrukken/machtiging/999999").status_code == 404
    assert c.get("/trajecten/999999/afdrukken/plan").status_code == 404


def test_every_print_writes_an_access_log_row(full_case, pg_user, login):
    c = login(pg_user)
    urls = dict(
        zip(
            ("intake_report", "contract", "plan", "consent"),
            _all_urls(full_case, _consent_of(full_case)),
            strict=True,
        )
    )
    for url in urls.values():
        assert c.get(url).status_code == 200
    rows = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.case_id == full_case.id, AccessLogEntry.action == "print")
    ).all()
    assert sorted(r.what for r in rows) == sorted(f"documents.{w}" for w in urls)
    assert {r.user_id for r in rows} == {pg_user.id}
    assert {r.client_id for r in rows} == {full_case.client_id}


def test_a_refused_print_is_logged_as_denied(factory, login):
    pro = factory.user("professional")
    case = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    db.session.commit()
    assert login(pro).get(_url(case, "plan")).status_code == 404
    rows = db.session.execute(
        select(AccessLogEntry.action, AccessLogEntry.outcome).where(AccessLogEntry.case_id == case.id)
    ).all()
    assert rows == [("print", "denied")]


# ---------------------------------------------------------------- safety and efficiency


def test_client_text_is_escaped(factory, pg_user, login):
    evil = "<script>alert(1)</script>"
    case = factory.case(
        status="in_progress", client_name=f"Kees {evil}", consent_organisations=[factory.organisation()]
    )
    case.reason = evil
    intake = db.session.scalar(select(Intake).where(Intake.case_id == case.id))
    intake.problem = evil
    consent = _consent_of(case)
    consent.purposes = evil
    plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == case.id))
    plan.prioritised_problem = evil
    plan.activities = evil
    db.session.commit()
    c = login(pg_user)
    for url in _all_urls(case, consent):
        html = c.get(url).get_data(as_text=True)
        assert evil not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "style=" not in html, url


def _count_queries(c, url) -> int:
    with count_queries() as statements:
        assert c.get(url).status_code == 200
    return len(statements)


def test_queries_do_not_grow_with_goals_and_problems(factory, pg_user, login):
    domains = factory.life_domains()
    small = factory.case(status="in_progress", consent_organisations=[factory.organisation()])
    big = factory.case(status="in_progress", consent_organisations=[factory.organisation() for _ in range(4)])
    intakes = {
        i.case_id: i for i in db.session.scalars(select(Intake).where(Intake.case_id.in_([small.id, big.id])))
    }
    intakes[small.id].problems.append(IntakeProblem(life_domain=domains[0], description="Een."))
    for domain in domains[:5]:
        intakes[big.id].problems.append(IntakeProblem(life_domain=domain, description=domain.name))
    big_plan = db.session.scalar(select(PlanOfAction).where(PlanOfAction.case_id == big.id))
    for i, domain in enumerate(domains[:5]):
        big_plan.goals.append(
            PlanGoal(life_domain=domain, goal=f"Doel {i}", expected_result="Resultaat", position=i + 1)
        )
    db.session.commit()
    c = login(pg_user)
    c.get(_url(small, "plan"))  # warm up
    for document in DOCUMENTS:
        assert _count_queries(c, _url(small, document)) == _count_queries(c, _url(big, document)), document
    assert _count_queries(c, _consent_url(small, _consent_of(small))) == _count_queries(
        c, _consent_url(big, _consent_of(big))
    )


def test_a_blank_consent_form_to_sign_before_it_is_recorded(login, factory):
    factory.organisation("Woningcorporatie Viveste", kind="woningcorporatie")
    case = factory.case("admitted", client_name="Tekent Straks")
    client = login(factory.user("projectgroep"))
    html = client.get(f"/trajecten/{case.id}/afdrukken/machtiging").get_data(as_text=True)
    assert "Tekent Straks" in html and "☐ Woningcorporatie Viveste" in html
    assert "Zet een kruisje bij elke organisatie" in html
    logged = db.session.scalars(select(AccessLogEntry.what).where(AccessLogEntry.case_id == case.id)).all()
    assert logged == ["documents.consent_form"]
