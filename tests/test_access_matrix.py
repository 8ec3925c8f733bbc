"""The access matrix: for every endpoint of the app, the status each role gets.

Roles: anonymous, a projectgroep member, professionals (involved and covered by the consent; not
involved; involved but from an organisation outside the consent), a buurtteam contact (involved and
covered) and the beheerder. A case the user may not see answers 404, exactly like a missing one;
case pages answer the beheerder 403, as does every edit page for anyone but the projectgroep.
POSTs are sent empty: a refusal comes before the form is even looked at; the projectgroep gets its
form back (422), a clear refusal (409), or, where a button is the whole form, the change (302)."""

import hashlib
import re

import pytest
from flask import current_app, url_for
from sqlalchemy import select

from opkoers import create_app
from opkoers.extensions import db
from opkoers.models import (
    AccessLogEntry,
    Action,
    BudgetEntry,
    CaseClosing,
    CaseInvolvement,
    Consent,
    Deviation,
    Handover,
    OutboxMessage,
    PilotLightContact,
    PlanGoal,
    PlanOfAction,
    Rule,
    SelfRelianceMeasurement,
)
from opkoers.services import agreements
from opkoers.timeutil import local_today

ROLES = ("anonymous", "projectgroep", "involved", "not_involved", "outside_consent", "buurtteam", "beheerder")


def expect(*statuses: int) -> dict:
    """The status per role, in the order of ROLES."""
    return dict(zip(ROLES, statuses, strict=True))


EVERYONE = expect(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = expect(302, 200, 200, 200, 200, 200, 200)
REDIRECT = expect(302, 302, 302, 302, 302, 302, 302)
NO_GET = expect(405, 405, 405, 405, 405, 405, 405)
CASE_LIST = expect(302, 200, 200, 200, 200, 200, 403)
CASE_PAGE = expect(302, 200, 200, 404, 404, 200, 403)
EDIT_PAGE = expect(302, 200, 403, 403, 403, 403, 403)
ADMIN_PAGE = expect(302, 403, 403, 403, 403, 403, 200)


def edit(projectgroep: int) -> dict:
    """An edit URL: only the projectgroep gets past the door; the status it gets is given."""
    return EDIT_PAGE | {"projectgroep": projectgroep}


# The world's case is in intake, with a consent for the professionals' organisation and the
# buurtteam. Empty POSTs: a form with required fields answers 422, a refused step 409.
MATRIX: dict[str, dict[str, dict]] = {
    "auth.login": {"GET": expect(200, 302, 302, 302, 302, 302, 302), "POST": expect(422, *[302] * 6)},
    "auth.logout": {"GET": NO_GET, "POST": REDIRECT | {"anonymous": 302}},
    # The second login step exists only between a right password and the code: else to the login page.
    "auth.code": {"GET": REDIRECT, "POST": REDIRECT},
    "account.index": {"GET": LOGGED_IN},
    "account.password": {"GET": NO_GET, "POST": expect(302, *[422] * 6)},
    "account.end_other_sessions": {"GET": NO_GET, "POST": REDIRECT},
    "account.two_factor": {"GET": LOGGED_IN, "POST": expect(302, *[422] * 6)},
    "account.recovery_codes": {"GET": NO_GET, "POST": expect(302, *[422] * 6)},
    "account.two_factor_off": {"GET": NO_GET, "POST": expect(302, *[422] * 6)},
    "main.home": {"GET": REDIRECT},
    "main.dashboard": {"GET": LOGGED_IN},
    "main.healthz": {"GET": EVERYONE},
    "main.set_language": {"GET": NO_GET, "POST": REDIRECT},
    "cases.index": {"GET": CASE_LIST},
    "cases.action_new": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.action_edit": {"GET": EDIT_PAGE, "POST": edit(422)},
    "actions.mine": {"GET": CASE_LIST},
    "notifications.index": {"GET": LOGGED_IN},
    "notifications.mark_read": {"GET": NO_GET, "POST": expect(302, 302, 302, 302, 302, 302, 302)},
    # The world's action is for the involved professional: others who see the case may not change it.
    "actions.status": {"GET": NO_GET, "POST": expect(302, 400, 400, 404, 404, 403, 403)},
    "actions.note": {"GET": NO_GET, "POST": expect(302, 302, 302, 404, 404, 403, 403)},
    "cases.new": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.detail": {"GET": CASE_PAGE},
    "cases.history": {"GET": CASE_PAGE},
    "cases.action_list": {"GET": CASE_PAGE},
    "cases.referral": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.start_intake": {"GET": NO_GET, "POST": edit(409)},
    "cases.intake_edit": {"GET": EDIT_PAGE, "POST": edit(422)},  # without the version: refused as stale
    "cases.step": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.decision": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.contract": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.consent": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.withdraw_consent": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.plan": {"GET": EDIT_PAGE, "POST": edit(409)},  # no plan before admission
    "cases.goal_add": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.goal_remove": {"GET": NO_GET, "POST": edit(409)},
    "cases.start": {"GET": NO_GET, "POST": edit(409)},
    "cases.involvement_add": {"GET": EDIT_PAGE, "POST": edit(422)},
    "cases.involvement_remove": {"GET": NO_GET, "POST": edit(302)},
    "documents.intake_report": {"GET": CASE_PAGE},
    "documents.contract": {"GET": CASE_PAGE},
    "documents.consent": {"GET": CASE_PAGE},
    "documents.consent_form": {"GET": CASE_PAGE},
    "documents.plan": {"GET": CASE_PAGE},
    "meetings.new": {"GET": EDIT_PAGE, "POST": edit(422)},
    "meetings.detail": {"GET": CASE_PAGE},
    "meetings.edit": {"GET": EDIT_PAGE, "POST": edit(422)},
    "meetings.cancel": {"GET": EDIT_PAGE, "POST": edit(422)},
    "meetings.attendance": {"GET": NO_GET, "POST": edit(302)},
    "meetings.priority": {"GET": NO_GET, "POST": edit(422)},
    "meetings.move_problem": {"GET": NO_GET, "POST": edit(302)},
    "meetings.add_action": {"GET": NO_GET, "POST": edit(422)},
    "meetings.minutes": {"GET": NO_GET, "POST": edit(422)},  # without the version: refused as stale
    "meetings.sign": {"GET": NO_GET, "POST": edit(422)},
    "meetings.addendum": {"GET": NO_GET, "POST": edit(422)},
    "meetings.preparation": {"GET": CASE_PAGE},
    "meetings.ics": {"GET": CASE_PAGE},
    # The calendar feed needs no login: its secret address is the key (here the involved user's).
    "feed.calendar": {"GET": EVERYONE},
    "meetings.mine": {"GET": CASE_LIST},
    "meetings.everything": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "meetings.renew_feed": {"GET": NO_GET, "POST": expect(302, 302, 302, 302, 302, 302, 403)},
    "meetings.revoke_feed": {"GET": NO_GET, "POST": expect(302, 302, 302, 302, 302, 302, 403)},
    # The local outbox: everyone reads only their own e-mail (the world's message is the involved
    # professional's invitation).
    "mail.index": {"GET": LOGGED_IN},
    "mail.show": {"GET": expect(302, 404, 200, 404, 404, 404, 404)},
    "mail.attachment": {"GET": expect(302, 404, 200, 404, 404, 404, 404)},
    "budget.commitment": {"GET": EDIT_PAGE, "POST": edit(422)},
    "budget.payment": {"GET": EDIT_PAGE, "POST": edit(422)},
    "budget.reverse": {"GET": EDIT_PAGE, "POST": edit(422)},
    "budget.amount": {"GET": EDIT_PAGE, "POST": edit(422)},
    "budget.overview": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "budget.overview_csv": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "deviations.new": {"GET": EDIT_PAGE, "POST": edit(422)},
    "deviations.detail": {"GET": CASE_PAGE},
    "deviations.decide": {"GET": NO_GET, "POST": edit(422)},
    "deviations.executed": {"GET": NO_GET, "POST": edit(422)},
    "deviations.outcome": {"GET": NO_GET, "POST": edit(422)},
    "deviations.correct": {"GET": EDIT_PAGE, "POST": edit(422)},
    "deviations.withdraw": {"GET": EDIT_PAGE, "POST": edit(422)},
    "deviations.decision_document": {"GET": CASE_PAGE},
    "deviations.register": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "deviations.register_csv": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "handover.start": {"GET": EDIT_PAGE, "POST": edit(422)},
    "handover.detail": {"GET": CASE_PAGE},
    "handover.document": {"GET": NO_GET, "POST": edit(409)},  # without the version: refused as stale
    "handover.send": {"GET": NO_GET, "POST": edit(409)},
    # Answering is for whoever sees the case (the service then checks it is the receiver).
    "handover.answer": {"GET": NO_GET, "POST": expect(302, 422, 422, 404, 404, 422, 403)},
    "handover.printable": {"GET": CASE_PAGE},
    # Aftercare is for the receiving team; the service refuses others who see the case (409) once
    # the form is filled in.
    "handover.aftercare_contact": {"GET": NO_GET, "POST": expect(302, 422, 422, 404, 404, 422, 403)},
    "handover.safety_net": {"GET": NO_GET, "POST": expect(302, 422, 422, 404, 404, 422, 403)},
    "follow_up.index": {"GET": CASE_LIST},
    "follow_up.close": {"GET": EDIT_PAGE, "POST": edit(422)},
    "follow_up.closing_letter": {"GET": CASE_PAGE},
    # The world's pilot-light contact and measurement are planned for the involved professional.
    "follow_up.pilot_light": {
        "GET": expect(302, 200, 200, 404, 404, 403, 403),
        "POST": expect(302, 422, 422, 404, 404, 403, 403),
    },
    "follow_up.measurement": {
        "GET": expect(302, 200, 200, 404, 404, 403, 403),
        "POST": expect(302, 422, 422, 404, 404, 403, 403),
    },
    "impact.report": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "impact.report_csv": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "handover.inbox": {"GET": CASE_LIST},
    "admin.index": {"GET": ADMIN_PAGE},
    "admin.settings": {"GET": ADMIN_PAGE},
    "admin.fixed_contacts": {"GET": ADMIN_PAGE},
    "admin.fixed_contact_edit": {"GET": ADMIN_PAGE},
    "main.directory": {"GET": LOGGED_IN},
    "admin.rules": {"GET": ADMIN_PAGE},
    "admin.rule_edit": {"GET": ADMIN_PAGE},
    "admin.organisations": {"GET": ADMIN_PAGE},
    "admin.organisation_new": {"GET": ADMIN_PAGE},
    "admin.organisation_edit": {"GET": ADMIN_PAGE},
    "admin.users": {"GET": ADMIN_PAGE},
    "admin.user_new": {"GET": ADMIN_PAGE},
    "admin.user_edit": {"GET": ADMIN_PAGE},
    "admin.neighbourhoods": {"GET": ADMIN_PAGE},
    "admin.neighbourhood_new": {"GET": ADMIN_PAGE},
    "admin.neighbourhood_edit": {"GET": ADMIN_PAGE},
    "admin.life_domains": {"GET": ADMIN_PAGE},
    "admin.life_domain_new": {"GET": ADMIN_PAGE},
    "admin.life_domain_edit": {"GET": ADMIN_PAGE},
    "admin.themes": {"GET": ADMIN_PAGE},
    "admin.theme_new": {"GET": ADMIN_PAGE},
    "admin.theme_edit": {"GET": ADMIN_PAGE},
    "admin.pilot_light_setting": {"GET": ADMIN_PAGE},
    "admin.handover_points": {"GET": ADMIN_PAGE},
    "admin.handover_point_new": {"GET": ADMIN_PAGE},
    "admin.handover_point_edit": {"GET": ADMIN_PAGE},
    "admin.access_review": {"GET": ADMIN_PAGE},
    "privacy.access_report": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "privacy.export_document": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "privacy.export_json": {"GET": expect(302, 200, 403, 403, 403, 403, 403)},
    "privacy.legal_hold": {
        "GET": expect(302, 200, 403, 403, 403, 403, 403),
        "POST": expect(302, 302, 403, 403, 403, 403, 403),
    },
    "admin.security": {"GET": ADMIN_PAGE},
    "admin.retention_periods": {"GET": ADMIN_PAGE},
    "admin.retention_edit": {"GET": ADMIN_PAGE},
    # The beheerder ends the involved professional's sessions, resets two-factor authentication (not
    # on: refused, back to the review), switches the account off.
    "admin.user_end_sessions": {"GET": NO_GET, "POST": ADMIN_PAGE | {"anonymous": 302, "beheerder": 302}},
    "admin.user_reset_two_factor": {"GET": NO_GET, "POST": ADMIN_PAGE | {"anonymous": 302, "beheerder": 302}},
    "admin.user_deactivate": {"GET": NO_GET, "POST": ADMIN_PAGE | {"anonymous": 302, "beheerder": 302}},
}
LAST = ("auth.logout",)  # ends the session, so it goes after everything else
NOT_TO_LOGIN = ("main.set_language",)  # anonymous may choose a language; it is sent on to the start page
CASE_OBJECT_PAGES = [e for e, m in MATRIX.items() if m["GET"] is CASE_PAGE]


class World:
    """A case in intake and the people around it, with the ids every URL needs."""

    def __init__(self, factory):
        self.case, self.users = factory.case_with_people(status="intake")
        self.consent = db.session.scalar(select(Consent).where(Consent.case_id == self.case.id))
        self.action = Action(
            case_id=self.case.id,
            description="Bellen met de woningcorporatie",
            assignee_kind="user",
            assignee_user_id=self.users["involved"].id,
            due_on=local_today(),
        )
        db.session.add(self.action)
        db.session.flush()
        domain = factory.life_domains()[0]
        plan = PlanOfAction(
            case_id=self.case.id, goals=[PlanGoal(life_domain=domain, goal="D", expected_result="R")]
        )
        db.session.add(plan)
        db.session.flush()
        problem = factory.problems(self.case, ["Schulden", "Geen woning"])[1]
        involved = self.users["involved"]
        self.meeting = factory.meeting(self.case, self.users["projectgroep"], users=[involved])
        involved.calendar_token = hashlib.sha256(b"matrix-feed-secret").hexdigest()  # stored hashed
        entry = BudgetEntry(
            case_id=self.case.id,
            kind="commitment",
            category="housing",
            description="Borg",
            payee="Woningcorporatie",
            amount_cents=45000,
            decided_by_id=self.users["projectgroep"].id,
            entry_date=local_today(),
            created_by_id=self.users["projectgroep"].id,
        )
        db.session.add(entry)
        rule = Rule(kind="law", name="Participatiewet", reference="artikel 40")
        deviation = Deviation(
            case=self.case,
            rule=rule,
            what_differently="Postadres bij de gemeente",
            motivation="Zonder adres geen uitkering, zonder uitkering geen woning.",
            proposed_by_id=self.users["projectgroep"].id,
        )
        db.session.add(deviation)
        contact = self.users["buurtteam"]
        handover = Handover(
            case=self.case,
            team_id=contact.organisation_id,
            contact_id=contact.id,
            created_by_id=self.users["projectgroep"].id,
        )
        db.session.add(handover)
        closing_talk = factory.meeting(self.case, self.users["projectgroep"], kind="closing")
        db.session.add(
            CaseClosing(
                case=self.case,
                outcome="plan_done",
                meeting_id=closing_talk.id,
                closed_by_id=self.users["projectgroep"].id,
                follow_up_by_id=self.users["buurtteam"].id,
            )
        )
        pilot_light = PilotLightContact(
            case_id=self.case.id, months=3, due_on=local_today(), assignee_id=involved.id
        )
        measurement = SelfRelianceMeasurement(
            case_id=self.case.id, moment="start", due_on=local_today(), assignee_id=involved.id
        )
        db.session.add_all([pilot_light, measurement])
        theme = factory.themes()[0]
        db.session.flush()
        message_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.to_address == involved.email)
        )
        self.args = {
            "case_id": self.case.id,
            "consent_id": self.consent.id,
            "goal_id": plan.goals[0].id,
            "involvement_id": db.session.scalar(
                select(CaseInvolvement.id).where(CaseInvolvement.user_id == self.users["involved"].id)
            ),
            "kind": "introduction",
            "action_id": self.action.id,
            "organisation_id": self.users["involved"].organisation_id,
            "user_id": self.users["involved"].id,
            "neighbourhood_id": factory.neighbourhood().id,
            "life_domain_id": domain.id,
            "meeting_id": self.meeting.id,
            "problem_id": problem.id,
            "direction": "omhoog",
            "token": "matrix-feed-secret",
            "message_id": message_id,
            "entry_id": entry.id,
            "deviation_id": deviation.id,
            "rule_id": rule.id,
            "handover_id": handover.id,
            "contact_id": pilot_light.id,
            "measurement_id": measurement.id,
            "theme_id": theme.id,
            "point_id": factory.handover_points()[0].id,
            "code": "closed_case",
        }
        db.session.commit()

    def url(self, endpoint: str, **overrides) -> str:
        rule = next(current_app.url_map.iter_rules(endpoint))
        args = {name: self.args[name] for name in rule.arguments} | overrides
        with current_app.test_request_context():
            return url_for(endpoint, **args)


@pytest.fixture
def world(factory) -> World:
    return World(factory)


@pytest.fixture
def as_role(app, login, world):
    def _client(role: str):
        return app.test_client() if role == "anonymous" else login(world.users[role])

    return _client


def _to_login_expected(role: str, endpoint: str, response) -> bool:
    return role == "anonymous" and response.status_code == 302 and endpoint not in NOT_TO_LOGIN


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(as_role, world, role):
    client = as_role(role)
    problems: list[str] = []
    for endpoint in sorted(MATRIX, key=lambda e: e in LAST):
        url = world.url(endpoint)
        for method, expected in MATRIX[endpoint].items():
            response = client.open(url, method=method, data={})
            if response.status_code != expected[role]:
                problems.append(f"{method} {url}: {response.status_code}, expected {expected[role]}")
            elif _to_login_expected(role, endpoint, response) and not response.location.startswith("/login"):
                problems.append(f"{method} {url}: to {response.location}, expected /login")
    assert problems == []


def test_every_endpoint_is_in_the_matrix():
    app = create_app("testing")
    missing, unlisted_methods = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if rule.endpoint not in MATRIX:
            missing.append(rule.endpoint)
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        # Case endpoints list every method; elsewhere GET is enough, unless there is no GET.
        needed = methods if rule.endpoint.startswith("cases.") or "GET" not in methods else {"GET"}
        if not needed <= MATRIX[rule.endpoint].keys():
            unlisted_methods.append(rule.endpoint)
    assert missing == [], "add these endpoints to MATRIX in tests/test_access_matrix.py"
    assert unlisted_methods == []
    assert set(MATRIX) <= {r.endpoint for r in app.url_map.iter_rules()}, (
        "MATRIX lists endpoints that are gone"
    )


@pytest.mark.parametrize("role", ["involved", "buurtteam"])
def test_withdrawn_consent_closes_every_case_page_at_once(as_role, world, role):
    client = as_role(role)
    assert client.get(world.url("cases.detail")).status_code == 200
    agreements.withdraw_consent(world.users["projectgroep"], world.case, world.consent, "Ingetrokken")
    db.session.commit()
    statuses = {e: client.get(world.url(e)).status_code for e in CASE_OBJECT_PAGES}
    assert statuses == dict.fromkeys(CASE_OBJECT_PAGES, 404)
    assert world.case.client.name not in client.get(world.url("cases.index")).get_data(as_text=True)


@pytest.mark.parametrize("role", ["projectgroep", "not_involved", "outside_consent"])
def test_a_foreign_case_answers_like_a_missing_one(as_role, world, factory, role):
    other = factory.case(status="admitted")
    foreign_consent = factory.consent(other, [factory.organisation()])
    db.session.commit()
    client = as_role(role)
    for endpoint in CASE_OBJECT_PAGES:
        if role == "projectgroep" and endpoint != "documents.consent":
            continue  # the projectgroep sees every case; only another case's consent is foreign to it
        foreign = {"consent_id": foreign_consent.id} if role == "projectgroep" else {"case_id": other.id}
        missing = {"consent_id": 999_999} if role == "projectgroep" else {"case_id": 999_999}
        urls = world.url(endpoint, **foreign), world.url(endpoint, **missing)
        for headers in ({}, {"HX-Request": "true"}):  # a page, and the same asked for as a partial
            a, b = (_page(client.get(url, headers=headers), url) for url in urls)
            assert a == b and a[0] == 404, (endpoint, headers)
    # Attempts on a client the user may not see are in the log, as refused (pages of a meeting or a
    # deviation of the world's case are refused too); a missing id leaves nothing.
    logged = db.session.execute(select(AccessLogEntry.client_id, AccessLogEntry.outcome)).all()
    if role == "projectgroep":
        assert logged == []
    else:
        assert {outcome for _, outcome in logged} == {"denied"}
        assert {c for c, _ in logged} == {other.client_id, world.case.client_id}


def _page(response, url: str) -> tuple[int, str]:
    """Status and body, without what always differs: the URL asked for and the CSRF token."""
    body = response.get_data(as_text=True).replace(url.rstrip("?"), "URL")
    return response.status_code, re.sub(r'(csrf_token" value=|"X-CSRFToken": )"[^"]*"', "TOKEN", body)


def test_impossible_ids_are_not_found(as_role, world):
    client = as_role("projectgroep")
    for endpoint in ("cases.detail", "cases.history", "cases.referral", "cases.withdraw_consent"):
        for args in ({"case_id": 2**63}, {"case_id": 10**20}, {"case_id": 2**31}):
            assert client.get(world.url(endpoint, **args)).status_code == 404, (endpoint, args)
    assert client.get(world.url("cases.withdraw_consent", consent_id=2**40)).status_code == 404
