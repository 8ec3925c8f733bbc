"""Test data, built straight into the database (fast) in the state a test needs."""

import itertools
from datetime import date, time, timedelta

from opkoers.extensions import db
from opkoers.models import (
    Action,
    Case,
    CaseInvolvement,
    Client,
    Consent,
    ConsentDomain,
    HandoverPoint,
    Intake,
    IntakeProblem,
    LifeDomain,
    Meeting,
    Neighbourhood,
    Organisation,
    PlanGoal,
    PlanOfAction,
    SelectionStep,
    SelfRelianceTheme,
    User,
)
from opkoers.passwords import hash_password
from opkoers.reference import DEFAULT_HANDOVER_POINTS, DEFAULT_LIFE_DOMAINS, DEFAULT_SELF_RELIANCE_THEMES
from opkoers.services import meetings
from opkoers.services.meetings import Participant
from opkoers.timeutil import local_today

_counter = itertools.count(1)
_PASSWORD_HASH = None


class Factory:
    PASSWORD = "correct-horse-battery-staple"

    @staticmethod
    def _n() -> int:
        return next(_counter)

    def organisation(self, name=None, kind="gemeente", **kw) -> Organisation:
        org = Organisation(name=name or f"Organisatie {self._n()}", kind=kind, **kw)
        db.session.add(org)
        db.session.flush()
        return org

    def user(self, role="projectgroep", organisation=None, name=None, email=None, **kw) -> User:
        global _PASSWORD_HASH
        if _PASSWORD_HASH is None:
            _PASSWORD_HASH = hash_password(self.PASSWORD)
        n = self._n()
        user = User(
            name=name or f"{role.capitalize()} {n}",
            email=email or f"{role}{n}@example.test",
            role=role,
            organisation=organisation or self.organisation(),
            password_hash=_PASSWORD_HASH,
            **kw,
        )
        db.session.add(user)
        db.session.flush()
        return user

    def life_domains(self) -> list[LifeDomain]:
        existing = db.session.query(LifeDomain).order_by(LifeDomain.position).all()
        if existing:
            return existing
        domains = [LifeDomain(code=c, name=n, position=i) for i, (c, n) in enumerate(DEFAULT_LIFE_DOMAINS)]
        db.session.add_all(domains)
        db.session.flush()
        return domains

    def neighbourhood(self, name=None, team=None) -> Neighbourhood:
        hood = Neighbourhood(name=name or f"Wijk {self._n()}", team=team)
        db.session.add(hood)
        db.session.flush()
        return hood

    def case(
        self,
        status="referred",
        client_name=None,
        crisis=False,
        involved=(),
        consent_organisations=(),
        consent_valid_until=None,
        neighbourhood=None,
        referred_on=None,
        handler=None,
    ) -> Case:
        """A case in the given status, with the records that status implies."""
        today = local_today()
        client = Client(
            name=client_name or f"Cliënt {self._n()}",
            date_of_birth=date(1980, 5, 17),
            address="Dorpsstraat 1",
            postcode="3991 AA",
            city="Houten",
            neighbourhood=neighbourhood,
        )
        case = Case(
            client=client,
            status=status,
            crisis=crisis,
            crisis_kind="eviction" if crisis else None,
            referrer_kind="self",
            channel="phone",
            referred_on=referred_on or today - timedelta(days=30),
            reason="Loopt vast met huur en uitkering.",
            handler=handler,
        )
        db.session.add(case)
        db.session.flush()
        if status != "referred":
            yes = {f"tree_{c}": "yes" for c in "abcd"}
            db.session.add(Intake(case_id=case.id, problem="Geen inkomen en geen woning.", **yes))
        if status in ("admitted", "declined", "in_progress"):
            performer = handler or self.user("projectgroep")
            for kind in ("introduction", "intake_talk", "file_review", "decision_meeting"):
                db.session.add(
                    SelectionStep(case_id=case.id, kind=kind, held_on=today, performed_by_id=performer.id)
                )
            case.decision = "declined" if status == "declined" else "admitted"
            case.decision_motivation = "Besproken in het besluitvormingsoverleg."
            case.decided_on = today
            case.decided_by_id = performer.id
        if status == "in_progress":
            case.contract_signed_on = today
            plan = PlanOfAction(case_id=case.id, prioritised_problem="Een woning", signed_on=today)
            plan.goals.append(
                PlanGoal(
                    life_domain=self.life_domains()[2],
                    goal="Een eigen woning",
                    expected_result="Huurcontract",
                )
            )
            db.session.add(plan)
        for user in involved:
            db.session.add(CaseInvolvement(case_id=case.id, user_id=user.id))
        if consent_organisations:
            self.consent(case, consent_organisations, valid_until=consent_valid_until)
        db.session.flush()
        return case

    def consent(self, case, organisations, valid_until=None, signed_on=None, not_about=()) -> Consent:
        """A consent for these organisations about every life domain but those coded in not_about."""
        today = local_today()
        domains = [d for d in self.life_domains() if d.code not in not_about]
        consent = Consent(
            case_id=case.id,
            purposes="Informatie delen over inkomen, schulden en wonen.",
            signed_on=signed_on or today - timedelta(days=1),
            valid_until=valid_until or today + timedelta(days=365),
            recorded_by_id=self.user("projectgroep").id,
            organisations=list(organisations),
            domains=[
                ConsentDomain(organisation_id=o.id, life_domain_id=d.id)
                for o in organisations
                for d in domains
            ],
        )
        db.session.add(consent)
        db.session.flush()
        return consent

    def case_with_people(self, status="referred") -> tuple[Case, dict[str, User]]:
        """A case with a consent for 'Gemeente' and the buurtteam, and people in every position
        that decides access: involved or not, inside or outside the consent, and the other roles."""
        gemeente = self.organisation("Gemeente")
        other = self.organisation("Schuldhulp", kind="schuldhulp")
        team = self.organisation("Buurtteam Oost", kind="buurtteam")
        people = {
            "projectgroep": self.user("projectgroep"),
            "involved": self.user("professional", gemeente),
            "not_involved": self.user("professional", gemeente),
            "outside_consent": self.user("professional", other),
            "buurtteam": self.user("buurtteam", team),
            "beheerder": self.user("beheerder"),
        }
        involved = [people[r] for r in ("involved", "outside_consent", "buurtteam")]
        case = self.case(status=status, involved=involved, consent_organisations=[gemeente, team])
        return case, people

    def action(self, case, user=None, organisation=None, due=None, status="open", description=None) -> Action:
        """An action for a user, an organisation, or (with neither) the client."""
        kind = "user" if user else "organisation" if organisation else "client"
        action = Action(
            case_id=case.id,
            description=description or f"Actie {self._n()}",
            assignee_kind=kind,
            assignee_user_id=user.id if user else None,
            assignee_organisation_id=organisation.id if organisation else None,
            due_on=due or local_today(),
            status=status,
        )
        db.session.add(action)
        db.session.flush()
        return action

    def problems(self, case, texts: list[str]) -> list[IntakeProblem]:
        """The client's problems, one per life domain, in this order (the case needs an intake)."""
        intake = db.session.query(Intake).filter_by(case_id=case.id).one()
        domains = self.life_domains()
        problems = [
            IntakeProblem(intake_id=intake.id, life_domain_id=domains[i].id, description=t, position=i + 1)
            for i, t in enumerate(texts)
        ]
        db.session.add_all(problems)
        db.session.flush()
        return problems

    def meeting(self, case, chair, users=(), day=None, start=time(14), end=time(15), **extra) -> Meeting:
        """A meeting planned through the service (so invitations are queued), clashes accepted."""
        return meetings.plan_meeting(
            chair,
            case,
            day=day or local_today() + timedelta(days=7),
            start=start,
            end=end,
            participants=[Participant("user", u.id) for u in users] + extra.pop("participants", []),
            kind=extra.pop("kind", "round_table"),
            location=extra.pop("location", "Stadhuis, kamer 2"),
            video_link=extra.pop("video_link", ""),
            chair_id=chair.id,
            agenda=extra.pop("agenda", ""),
            accept_clashes=True,
        )

    def handover_points(self) -> list[HandoverPoint]:
        """The ten points of the handover document (a migration puts them in a real database)."""
        existing = db.session.query(HandoverPoint).order_by(HandoverPoint.position).all()
        if existing:
            return existing
        points = [
            HandoverPoint(code=c, text=t, position=i) for i, (c, t) in enumerate(DEFAULT_HANDOVER_POINTS)
        ]
        db.session.add_all(points)
        db.session.flush()
        return points

    def themes(self) -> list[SelfRelianceTheme]:
        """The themes of the self-reliance instrument (a migration puts them in a real database)."""
        existing = db.session.query(SelfRelianceTheme).order_by(SelfRelianceTheme.position).all()
        if existing:
            return existing
        themes = [
            SelfRelianceTheme(
                code=code,
                name=name,
                position=i,
                **{f"anchor_{score}": text for score, text in enumerate(anchors, start=1)},
            )
            for i, (code, name, anchors) in enumerate(DEFAULT_SELF_RELIANCE_THEMES)
        ]
        db.session.add_all(themes)
        db.session.flush()
        return themes
