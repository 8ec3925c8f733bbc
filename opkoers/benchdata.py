"""A realistic city for the benchmark: clients over ten years in every step of the lifecycle, with
their meetings, actions, deviations, budget, measurements, handovers and a year of access log.

Deterministic: the same seed and scale give the same rows. Rows go in with bulk inserts in batches;
`progress(what, done, total)` is told after each batch. Only for an empty database (no clients)."""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from . import passwords
from .domain import actions as action_rules
from .domain import budget as budget_rules
from .domain import case_status
from .domain import follow_up as follow_up_rules
from .extensions import db
from .models import (
    AccessLogEntry,
    Action,
    AftercareContact,
    AuditEntry,
    BudgetEntry,
    Case,
    CaseBudget,
    CaseClosing,
    CaseInvolvement,
    Client,
    Consent,
    ConsentDomain,
    Deviation,
    FixedContact,
    Handover,
    HandoverAnswer,
    HandoverPoint,
    Intake,
    IntakeProblem,
    LifeDomain,
    Meeting,
    MeetingParticipant,
    Neighbourhood,
    Notification,
    Organisation,
    PilotLightContact,
    PlanGoal,
    PlanOfAction,
    Rule,
    SelectionStep,
    SelfRelianceMeasurement,
    SelfRelianceScore,
    SelfRelianceTheme,
    User,
)
from .models.cases import consent_organisation
from .reference import DEFAULT_HANDOVER_POINTS, DEFAULT_LIFE_DOMAINS, DEFAULT_SELF_RELIANCE_THEMES
from .timeutil import LOCAL_TZ, local_today

BATCH = 5000
Progress = Callable[[str, int, int], None]

# How the cases of a city are spread over the lifecycle (the rest is closed).
STATUS_SHARES = (
    (case_status.REFERRED, 0.02),
    (case_status.INTAKE, 0.03),
    (case_status.ADMITTED, 0.02),
    (case_status.IN_PROGRESS, 0.12),
    (case_status.AFTERCARE, 0.08),
    (case_status.DECLINED, 0.08),
)
ORGANISATION_KINDS = ("schuldhulp", "woningcorporatie", "ggz", "reclassering", "zorg", "welzijn", "overig")
FIRST_NAMES = ("Anna", "Bram", "Chantal", "Dirk", "Esra", "Fatima", "Gerrit", "Hanna", "Ibrahim", "Joke")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Yilmaz", "Visser", "Smit", "El Amrani", "Mulder", "Bos")
STREETS = ("Dorpsstraat", "Beukenlaan", "Molenweg", "Kerkplein", "Stationsstraat", "Lindenhof")


@dataclass(frozen=True)
class Scale:
    """How big the city is; everything follows from the number of clients (10,000: the target city)."""

    clients: int = 10_000

    @property
    def cases(self) -> int:
        return self.clients * 6 // 5  # one client in five came back once

    @property
    def organisations(self) -> int:
        return min(40, max(10, self.clients // 250))

    @property
    def users(self) -> int:
        return max(40, self.clients // 10)

    @property
    def meetings(self) -> int:
        return self.clients * 5

    @property
    def actions(self) -> int:
        return self.clients * 25

    @property
    def deviations(self) -> int:
        return self.clients * 2

    @property
    def budget_entries(self) -> int:
        return self.clients * 6

    @property
    def access_log_rows(self) -> int:
        return self.clients * 200


@dataclass
class _CaseInfo:
    id: int
    client_id: int
    status: str
    referred_on: date
    ends_on: date  # closed or declined on; for a running case: today
    handler_id: int
    people: list[int] = field(default_factory=list)  # involved professionals and team contact
    organisations: list[int] = field(default_factory=list)
    team_id: int | None = None
    contact_id: int | None = None
    round_tables: list[tuple[int, date]] = field(default_factory=list)
    closing_meeting_id: int | None = None


class CityGenerator:
    def __init__(self, scale: Scale, seed: int, password: str, progress: Progress, today: date | None = None):
        self.scale, self.rng, self.password = scale, random.Random(seed), password
        self.progress, self.today = progress, today or local_today()
        self.counts: dict[str, int] = {}
        self.ids: dict[str, int] = {}

    # ------------------------------------------------------------------ plumbing

    def _next_id(self, model) -> int:
        """The first free id of a table (rows go in with explicit ids, so later rows can refer to them)."""
        key = model.__tablename__
        if key not in self.ids:
            self.ids[key] = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self.ids[key]
        self.ids[key] += 1
        return value

    def _bulk(self, model, rows: Iterable[dict], total: int | None = None) -> int:
        """Insert the rows in batches, telling progress after each; returns how many."""
        table = getattr(model, "__table__", model)  # a model, or a plain table (consent_organisation)
        done, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                done = self._insert(table, batch, done, total)
                batch = []
        if batch:
            done = self._insert(table, batch, done, total)
        self.counts[table.name] = self.counts.get(table.name, 0) + done
        return done

    def _insert(self, table, batch: list[dict], done: int, total: int | None) -> int:
        db.session.execute(insert(table), batch)
        done += len(batch)
        self.progress(table.name, done, total or done)
        return done

    def _day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _moment(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)

    # ------------------------------------------------------------------ the city

    def run(self) -> dict[str, int]:
        if db.session.scalar(select(func.count()).select_from(Client)):
            raise ValueError("The database already holds clients: generate a city only into an empty one.")
        self._reference_data()
        self._organisations_and_people()
        self._clients_and_cases()
        self._selection_and_intake()
        self._consents_plans_budgets()
        self._meetings()
        self._actions()
        self._deviations()
        self._budget_entries()
        self._handovers_and_follow_up()
        self._measurements()
        self._trail_and_notifications()
        self._access_log()
        self._fix_sequences()
        db.session.commit()
        # The planner's statistics, as a database that filled up over ten years would have them.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return self.counts

    def _reference_data(self) -> None:
        if not db.session.scalar(select(func.count()).select_from(LifeDomain)):
            db.session.add_all(
                LifeDomain(code=c, name=n, position=i) for i, (c, n) in enumerate(DEFAULT_LIFE_DOMAINS)
            )
        if not db.session.scalar(select(func.count()).select_from(HandoverPoint)):
            db.session.add_all(
                HandoverPoint(code=c, text=t, position=i) for i, (c, t) in enumerate(DEFAULT_HANDOVER_POINTS)
            )
        if not db.session.scalar(select(func.count()).select_from(SelfRelianceTheme)):
            db.session.add_all(
                SelfRelianceTheme(
                    code=c, name=n, position=i, **{f"anchor_{k + 1}": a for k, a in enumerate(anchors)}
                )
                for i, (c, n, anchors) in enumerate(DEFAULT_SELF_RELIANCE_THEMES)
            )
        db.session.flush()
        self.domains = list(db.session.scalars(select(LifeDomain.id).where(LifeDomain.active)))
        self.points = list(db.session.scalars(select(HandoverPoint.id).where(HandoverPoint.active)))
        self.themes = list(db.session.scalars(select(SelfRelianceTheme.id).where(SelfRelianceTheme.active)))

    def _organisations_and_people(self) -> None:
        s, rng = self.scale, self.rng
        teams = max(3, s.organisations // 4)
        orgs = [("gemeente", "Gemeente Stad")] + [
            ("buurtteam", f"Buurtteam Wijk {n + 1}") for n in range(teams)
        ]
        kinds = [ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)] for n in range(s.organisations - len(orgs))]
        orgs += [(kind, f"{kind.title()} {n + 1}") for n, kind in enumerate(kinds)]
        rows = [{"id": self._next_id(Organisation), "kind": k, "name": n, "active": True} for k, n in orgs]
        self._bulk(Organisation, rows)
        self.municipality = rows[0]["id"]
        self.teams = [r["id"] for r in rows if r["kind"] == "buurtteam"]
        self.partners = [r["id"] for r in rows if r["kind"] not in ("buurtteam", "gemeente")]
        hoods = [
            {
                "id": self._next_id(Neighbourhood),
                "name": f"Wijk {n + 1}",
                "team_id": self.teams[n % len(self.teams)],
            }
            for n in range(teams * 3)
        ]
        self._bulk(Neighbourhood, hoods)
        self.hoods = [(h["id"], h["team_id"]) for h in hoods]

        password_hash = passwords.hash_password(self.password)
        group, admins = max(4, s.users // 50), 2
        team_people = s.users // 5
        roles = ["projectgroep"] * group + ["beheerder"] * admins + ["buurtteam"] * team_people
        roles += ["professional"] * (s.users - len(roles))
        self.users: dict[str, list[tuple[int, int]]] = {r: [] for r in set(roles)}
        rows, counters = [], {}
        for role in roles:
            counters[role] = counters.get(role, 0) + 1
            if role == "buurtteam":
                organisation = self.teams[counters[role] % len(self.teams)]
            elif role == "professional":
                organisation = self.partners[counters[role] % len(self.partners)]
            else:
                organisation = self.municipality
            user_id = self._next_id(User)
            rows.append(
                {
                    "id": user_id,
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} ({role} {counters[role]})",
                    "email": f"{role}{counters[role]}@bench.opkoers.test",
                    "password_hash": password_hash,
                    "role": role,
                    "organisation_id": organisation,
                    "active": True,
                }
            )
            self.users[role].append((user_id, organisation))
        self._bulk(User, rows)
        self.team_contact = {}
        for organisation in self.teams:
            members = [u for u, o in self.users["buurtteam"] if o == organisation]
            self.team_contact[organisation] = members[0]
        self._bulk(
            FixedContact,
            (
                {"id": self._next_id(FixedContact), "organisation_id": o, "contact_id": c, "deputy_id": None}
                for o, c in self.team_contact.items()
            ),
        )
        rules = [
            {
                "id": self._next_id(Rule),
                "kind": ("law", "regulation", "policy_rule", "procedure")[n % 4],
                "name": f"Regel {n + 1}",
                "reference": f"art. {n + 1}",
                "organisation_id": self.partners[n % len(self.partners)] if n % 3 else None,
                "active": True,
            }
            for n in range(60)
        ]
        self._bulk(Rule, rules)
        self.rules = [(r["id"], r["organisation_id"]) for r in rules]

    def _status_and_dates(self) -> tuple[str, date, date]:
        roll, today, status = self.rng.random(), self.today, case_status.CLOSED
        for candidate, share in STATUS_SHARES:
            if roll < share:
                status = candidate
                break
            roll -= share
        ages = {
            case_status.REFERRED: (0, 14),
            case_status.INTAKE: (7, 30),
            case_status.ADMITTED: (25, 40),
            case_status.IN_PROGRESS: (40, 300),
            case_status.AFTERCARE: (230, 320),
        }
        if status in ages:
            low, high = ages[status]
            return status, today - timedelta(days=self.rng.randint(low, high)), today
        referred = today - timedelta(
            days=self.rng.randint(200 if status == case_status.DECLINED else 400, 3650)
        )
        length = self.rng.randint(14, 40) if status == case_status.DECLINED else self.rng.randint(200, 380)
        return status, referred, min(today - timedelta(days=1), referred + timedelta(days=length))

    def _clients_and_cases(self) -> None:
        s, rng = self.scale, self.rng
        clients = []
        for n in range(s.clients):
            hood, _team = rng.choice(self.hoods)
            clients.append(
                {
                    "id": self._next_id(Client),
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n + 1}",
                    "date_of_birth": date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                    "address": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
                    "postcode": f"{rng.randint(1000, 9999)} AB",
                    "city": "Stad",
                    "neighbourhood_id": hood,
                    "phone": "",
                    "email": "",
                }
            )
        self._bulk(Client, clients, s.clients)
        hood_team = dict(self.hoods)
        client_team = {c["id"]: hood_team[c["neighbourhood_id"]] for c in clients}
        owners = [c["id"] for c in clients] + [rng.choice(clients)["id"] for _ in range(s.cases - s.clients)]
        self.cases: list[_CaseInfo] = []
        group = self.users["projectgroep"]
        for client_id in owners:
            status, referred, ends = self._status_and_dates()
            info = _CaseInfo(self._next_id(Case), client_id, status, referred, ends, rng.choice(group)[0])
            info.team_id = client_team[client_id]
            info.contact_id = self.team_contact[info.team_id]
            self.cases.append(info)
        self.cases.sort(key=lambda c: c.id)
        self._busy_case = next(c for c in self.cases if c.status == case_status.IN_PROGRESS)
        self.busy_professional = self.users["professional"][0]
        self._bulk(Case, (self._case_row(c) for c in self.cases), len(self.cases))
        self._involvements()

    def _case_row(self, c: _CaseInfo) -> dict:
        decided = c.status not in (case_status.REFERRED, case_status.INTAKE)
        closed = c.status in case_status.ENDED
        crisis = self.rng.random() < 0.1
        return {
            "id": c.id,
            "client_id": c.client_id,
            "status": c.status,
            "crisis": crisis,
            "crisis_kind": self.rng.choice(("eviction", "energy", "water")) if crisis else None,
            "urgency": "high" if crisis else "normal",
            "referrer_kind": self.rng.choice(("self", "coach", "agency")),
            "referrer_name": "",
            "referrer_role": "",
            "referrer_organisation": "",
            "channel": self.rng.choice(("phone", "email", "in_person")),
            "referred_on": c.referred_on,
            "reason": "Meerdere problemen tegelijk: huur, schulden en werk.",
            "handler_id": c.handler_id,
            "decision": None
            if not decided
            else ("declined" if c.status == case_status.DECLINED else "admitted"),
            "decision_motivation": "Besproken in de projectgroep." if decided else "",
            "decision_told_client": "",
            "decided_on": c.referred_on + timedelta(days=21) if decided else None,
            "decided_by_id": c.handler_id if decided else None,
            "contract_signed_on": c.referred_on + timedelta(days=28)
            if decided and c.status != case_status.DECLINED
            else None,
            "closed_on": c.ends_on if closed else None,
            "closed_reason": "",
            "legal_hold": False,
            "created_at": self._moment(c.referred_on),
            "updated_at": self._moment(c.ends_on),
            "version": 1,
        }

    def _involvements(self) -> None:
        rng, professionals = self.rng, self.users["professional"]
        busy_user, busy_org = self.busy_professional
        running = [c for c in self.cases if c.status in (case_status.IN_PROGRESS, case_status.AFTERCARE)]
        busy_cases = {c.id for c in rng.sample(running, min(len(running), 300))} | {self._busy_case.id}
        rows = []
        for c in self.cases:
            if c.status == case_status.REFERRED:
                continue
            chosen = rng.sample(professionals, 2)
            if c.id in busy_cases:
                chosen[0] = (busy_user, busy_org)
            if c.status in (case_status.AFTERCARE, case_status.CLOSED):
                chosen.append((c.contact_id, c.team_id))
            for user_id, organisation in dict(chosen).items():
                c.people.append(user_id)
                c.organisations.append(organisation)
                rows.append(
                    {
                        "id": self._next_id(CaseInvolvement),
                        "case_id": c.id,
                        "user_id": user_id,
                        "role_note": "",
                    }
                )
        self._bulk(CaseInvolvement, rows)

    def _selection_and_intake(self) -> None:
        steps, intakes, problems = [], [], []
        kinds = ("introduction", "intake_talk", "file_review", "decision_meeting")
        for c in self.cases:
            reached = {case_status.REFERRED: 1, case_status.INTAKE: 2}.get(c.status, 4)
            for n, kind in enumerate(kinds[:reached]):
                steps.append(
                    {
                        "id": self._next_id(SelectionStep),
                        "case_id": c.id,
                        "kind": kind,
                        "held_on": c.referred_on + timedelta(days=3 + 6 * n),
                        "performed_by_id": c.handler_id,
                        "note": "",
                        "report": "",
                    }
                )
            intake_id = self._next_id(Intake)
            intakes.append(
                {
                    "id": intake_id,
                    "case_id": c.id,
                    "who_asks": "De cliënt zelf.",
                    "problem": "Achterstand in de huur en geen werk.",
                    "concerns_whom": "De cliënt en de kinderen.",
                    "tried": "Schuldhulp, maar dat liep vast.",
                    "goal": "Rust in huis.",
                }
            )
            for position, domain in enumerate(self.rng.sample(self.domains, 3), start=1):
                problems.append(
                    {
                        "id": self._next_id(IntakeProblem),
                        "intake_id": intake_id,
                        "life_domain_id": domain,
                        "description": "Het loopt vast.",
                        "position": position,
                    }
                )
        self._bulk(SelectionStep, steps)
        self._bulk(Intake, intakes)
        self._bulk(IntakeProblem, problems)

    def _admitted(self) -> list[_CaseInfo]:
        return [
            c
            for c in self.cases
            if c.status not in (case_status.REFERRED, case_status.INTAKE, case_status.DECLINED)
        ]

    def _consents_plans_budgets(self) -> None:
        consents, orgs, domains, plans, goals, budgets = [], [], [], [], [], []
        for c in self._admitted():
            signed = c.referred_on + timedelta(days=28)
            consent_id = self._next_id(Consent)
            consents.append(
                {
                    "id": consent_id,
                    "case_id": c.id,
                    "purposes": "Informatie over inkomen, schulden en wonen delen.",
                    "signed_on": signed,
                    "valid_until": signed + timedelta(days=730),
                    "recorded_by_id": c.handler_id,
                }
            )
            for organisation in sorted(set(c.organisations) | {self.municipality}):
                orgs.append({"consent_id": consent_id, "organisation_id": organisation})
                domains.extend(
                    {"consent_id": consent_id, "organisation_id": organisation, "life_domain_id": d}
                    for d in self.domains
                )
            plan_id = self._next_id(PlanOfAction)
            plans.append(
                {
                    "id": plan_id,
                    "case_id": c.id,
                    "prioritised_problem": "Dat de huur betaald wordt.",
                    "activities": "Een betalingsregeling en een baan zoeken.",
                    "signed_on": signed if c.status != case_status.ADMITTED else None,
                }
            )
            for position, domain in enumerate(self.rng.sample(self.domains, 2)):
                goals.append(
                    {
                        "id": self._next_id(PlanGoal),
                        "plan_id": plan_id,
                        "life_domain_id": domain,
                        "goal": "Rust op dit gebied.",
                        "expected_result": "Binnen drie maanden een regeling.",
                        "position": position,
                    }
                )
            budgets.append({"id": self._next_id(CaseBudget), "case_id": c.id, "amount_cents": 250_000})
        self._bulk(Consent, consents)
        self._bulk(consent_organisation, orgs)
        self._bulk(ConsentDomain, domains)
        self._bulk(PlanOfAction, plans)
        self._bulk(PlanGoal, goals)
        self._bulk(CaseBudget, budgets)

    def _meeting(self, c: _CaseInfo, kind: str, day: date) -> dict:
        meeting_id = self._next_id(Meeting)
        held = day < self.today
        starts = self._moment(day, 9 + meeting_id % 8)
        return {
            "id": meeting_id,
            "case_id": c.id,
            "kind": kind,
            "status": "held" if held else "planned",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=1),
            "location": "Stadskantoor",
            "video_link": "",
            "chair_id": c.handler_id,
            "agenda": "",
            "uid": f"bench-{meeting_id}@opkoers",
            "minutes": "Afspraken gemaakt aan tafel." if held else "",
            "minutes_signed_at": starts + timedelta(days=1) if held else None,
            "minutes_signed_by_id": c.handler_id if held else None,
            "prioritised_problem": "",
            "client_solution": "",
            "created_by_id": c.handler_id,
        }

    def _meetings(self) -> None:
        rows = []
        plan_cases = [c for c in self._admitted() if c.status != case_status.ADMITTED]
        for c in self.cases:
            if c.status != case_status.REFERRED:
                rows.append(self._meeting(c, "intake_talk", c.referred_on + timedelta(days=9)))
            if c.status not in (case_status.REFERRED, case_status.INTAKE):
                rows.append(self._meeting(c, "decision", c.referred_on + timedelta(days=21)))
            if c.status == case_status.CLOSED:
                closing = self._meeting(c, "closing", c.ends_on)
                c.closing_meeting_id = closing["id"]
                rows.append(closing)
        left = max(len(plan_cases), self.scale.meetings - len(rows))
        weights = [40 if c is self._busy_case else 1 for c in plan_cases]
        for c in self.rng.choices(plan_cases, weights=weights, k=left):
            start = c.referred_on + timedelta(days=35)
            day = self._day(
                start, max(start, c.ends_on + timedelta(days=30 if c.ends_on >= self.today else 0))
            )
            row = self._meeting(c, "round_table", day)
            c.round_tables.append((row["id"], day))
            rows.append(row)
        self._bulk(Meeting, rows, len(rows))
        by_id = {c.id: c for c in self.cases}
        participants = []
        for row in rows:
            for user_id in dict.fromkeys([row["chair_id"], *by_id[row["case_id"]].people[:2]]):
                participants.append(
                    {
                        "id": self._next_id(MeetingParticipant),
                        "meeting_id": row["id"],
                        "kind": "user",
                        "user_id": user_id,
                        "name": "",
                        "email": "",
                        "relation": "",
                        "attended": row["status"] == "held",
                    }
                )
        self._bulk(MeetingParticipant, participants, len(participants))

    def _actions(self) -> None:
        tables = [(c, m, d) for c in self.cases for m, d in c.round_tables]
        total = self.scale.actions

        def rows() -> Iterator[dict]:
            for n in range(total):
                c, meeting_id, day = tables[n % len(tables)]
                yield self._action(c, meeting_id, day)

        self._bulk(Action, rows(), total)

    def _action(self, c: _CaseInfo, meeting_id: int, day: date) -> dict:
        rng = self.rng
        due = day + timedelta(days=rng.randint(7, 42))
        if c.status in case_status.ENDED:
            status = action_rules.DONE if rng.random() < 0.9 else action_rules.CANCELLED
        elif due < self.today:
            status = rng.choices(action_rules.STATUSES, weights=(15, 15, 65, 5))[0]
        else:
            status = rng.choice((action_rules.OPEN, action_rules.IN_PROGRESS))
        kind = rng.choices(action_rules.ASSIGNEE_KINDS, weights=(20, 5, 60, 15))[0]
        user = rng.choice(c.people) if kind == "user" and c.people else None
        kind = "client" if kind == "user" and user is None else kind
        organisation = rng.choice(c.organisations) if kind == "organisation" and c.organisations else None
        kind = "client" if kind == "organisation" and organisation is None else kind
        return {
            "case_id": c.id,
            "meeting_id": meeting_id,
            "description": "Bel de woningcorporatie over een betalingsregeling.",
            "assignee_kind": kind,
            "assignee_user_id": user,
            "assignee_organisation_id": organisation,
            "assignee_name": "",
            "due_on": due,
            "status": status,
            "status_changed_at": self._moment(min(due, self.today)),
            "status_changed_by_id": c.handler_id,
            "created_by_id": c.handler_id,
            "created_at": self._moment(day),
            "version": 1,
        }

    def _deviations(self) -> None:
        cases = [c for c in self._admitted() if c.round_tables]
        rng = self.rng

        def rows() -> Iterator[dict]:
            for n in range(self.scale.deviations):
                c = cases[n % len(cases)]
                meeting_id, day = rng.choice(c.round_tables)
                rule_id, rule_org = rng.choice(self.rules)
                running = c.status not in case_status.ENDED
                status = rng.choices(
                    ("proposed", "decided", "rejected"), weights=(10 if running else 0, 80, 10)
                )[0]
                decided = status != "proposed"
                executed = status == "decided" and day < self.today
                yield {
                    "case_id": c.id,
                    "rule_id": rule_id,
                    "what_differently": "De huurachterstand wordt tijdelijk niet geïnd.",
                    "motivation": "Anders raakt de cliënt de woning kwijt en stapelen de problemen zich op.",
                    "expected_effect": "Rust, zodat de cliënt aan werk kan werken.",
                    "valid_until": day + timedelta(days=180),
                    "status": status,
                    "proposed_by_id": c.handler_id,
                    "proposed_at": self._moment(day),
                    "decided_by_id": c.handler_id if decided else None,
                    "meeting_id": meeting_id if decided else None,
                    "decided_on": day if decided else None,
                    "decision_reasoning": "Het besluit past bij het mandaat." if decided else "",
                    "executed_by_organisation_id": (rule_org or self.municipality) if executed else None,
                    "executed_on": day + timedelta(days=3) if executed else None,
                    "outcome": "De cliënt kon in de woning blijven."
                    if executed and rng.random() < 0.6
                    else "",
                    "outcome_in_register": executed,
                    "version": 1,
                }

        self._bulk(Deviation, rows(), self.scale.deviations)

    def _budget_entries(self) -> None:
        cases = [c for c in self._admitted() if c.round_tables]
        total, rows, rng = self.scale.budget_entries, [], self.rng
        commitments = total * 3 // 5
        opened: list[tuple[int, _CaseInfo, int, date]] = []
        for n in range(commitments):
            c = cases[n % len(cases)]
            meeting_id, day = rng.choice(c.round_tables)
            entry_id, amount = self._next_id(BudgetEntry), rng.randint(20, 60) * 1000
            rows.append(self._entry(entry_id, c, "commitment", None, amount, meeting_id, day))
            opened.append((entry_id, c, amount, day))
        for n in range(total - commitments):
            commitment_id, c, amount, day = opened[n % len(opened)]
            paid_on = min(self.today, day + timedelta(days=14))
            rows.append(
                self._entry(
                    self._next_id(BudgetEntry), c, "payment", commitment_id, amount // 2, None, paid_on
                )
            )
        self._bulk(BudgetEntry, rows, total)

    def _entry(self, entry_id, c, kind, commitment_id, amount, meeting_id, day) -> dict:
        return {
            "id": entry_id,
            "case_id": c.id,
            "kind": kind,
            "category": budget_rules.CATEGORIES[entry_id % len(budget_rules.CATEGORIES)],
            "description": "Borg voor de huurwoning" if kind == "commitment" else "Betaald",
            "payee": "Woningcorporatie",
            "amount_cents": amount,
            "commitment_id": commitment_id,
            "reverses_id": None,
            "decided_by_id": c.handler_id,
            "meeting_id": meeting_id,
            "entry_date": day,
            "created_by_id": c.handler_id,
        }

    def _handovers_and_follow_up(self) -> None:
        handovers, answers, contacts, closings, pilots = [], [], [], [], []
        for c in self.cases:
            if c.status not in (case_status.AFTERCARE, case_status.CLOSED):
                continue
            sent = c.referred_on + timedelta(days=190)
            accepted = sent + timedelta(days=5)
            handover_id = self._next_id(Handover)
            handovers.append(
                {
                    "id": handover_id,
                    "case_id": c.id,
                    "team_id": c.team_id,
                    "contact_id": c.contact_id,
                    "team_reason": "",
                    "status": "accepted",
                    "question": "Wilt u de cliënt een jaar volgen?",
                    "created_by_id": c.handler_id,
                    "sent_at": self._moment(sent),
                    "accepted_at": self._moment(accepted),
                    "accepted_by_id": c.contact_id,
                    "aftercare_ends_on": accepted + timedelta(days=91),
                    "safety_net_reason": "",
                    "version": 1,
                }
            )
            answers.extend(
                {
                    "id": self._next_id(HandoverAnswer),
                    "handover_id": handover_id,
                    "point_id": p,
                    "state": "ready",
                    "note": "",
                }
                for p in self.points
            )
            for n in range(2):
                contacts.append(
                    {
                        "id": self._next_id(AftercareContact),
                        "handover_id": handover_id,
                        "case_id": c.id,
                        "contact_on": min(self.today, accepted + timedelta(days=20 + 30 * n)),
                        "kind": "visit",
                        "note": "Het gaat goed.",
                        "logged_by_id": c.contact_id,
                    }
                )
            if c.status != case_status.CLOSED:
                continue
            closings.append(
                {
                    "id": self._next_id(CaseClosing),
                    "case_id": c.id,
                    "outcome": self.rng.choice(follow_up_rules.OUTCOMES),
                    "unreachable_goals": [],
                    "explanation": "",
                    "meeting_id": c.closing_meeting_id,
                    "closed_by_id": c.handler_id,
                    "follow_up_by_id": c.contact_id,
                    "closed_at": self._moment(c.ends_on),
                }
            )
            for months in follow_up_rules.DEFAULT_PILOT_LIGHT_MONTHS:
                due = c.ends_on + timedelta(days=30 * months)
                held = due < self.today
                pilots.append(
                    {
                        "id": self._next_id(PilotLightContact),
                        "case_id": c.id,
                        "months": months,
                        "due_on": due,
                        "assignee_id": c.contact_id,
                        "status": "held" if held else "open",
                        "held_on": due if held else None,
                        "balanced": True if held else None,
                        "note": "",
                        "impossible_reason": "",
                        "recorded_by_id": c.contact_id if held else None,
                        "version": 1,
                    }
                )
        self._bulk(Handover, handovers)
        self._bulk(HandoverAnswer, answers)
        self._bulk(AftercareContact, contacts)
        self._bulk(CaseClosing, closings)
        self._bulk(PilotLightContact, pilots)

    def _measurements(self) -> None:
        measurements, scores = [], []
        started = [c for c in self._admitted() if c.status != case_status.ADMITTED]
        for c in started:
            plan_start = c.referred_on + timedelta(days=35)
            end = c.ends_on if c.status == case_status.CLOSED else plan_start + timedelta(days=300)
            for moment in follow_up_rules.MOMENTS:
                due = (
                    plan_start
                    if moment == "start"
                    else end + timedelta(days=30 * follow_up_rules.AFTER_END_MONTHS[moment])
                )
                taken = due <= self.today
                measurement_id = self._next_id(SelfRelianceMeasurement)
                assignee = c.contact_id if moment != "start" else c.handler_id
                measurements.append(
                    {
                        "id": measurement_id,
                        "case_id": c.id,
                        "moment": moment,
                        "due_on": due,
                        "assignee_id": assignee,
                        "taken_on": due if taken else None,
                        "taken_by_id": assignee if taken else None,
                        "note": "",
                        "version": 1,
                    }
                )
                if taken:
                    lift = follow_up_rules.MOMENTS.index(moment)
                    scores.extend(
                        {
                            "id": self._next_id(SelfRelianceScore),
                            "measurement_id": measurement_id,
                            "theme_id": t,
                            "score": min(5, self.rng.randint(1, 3) + lift // 2),
                        }
                        for t in self.themes
                    )
        self._bulk(SelfRelianceMeasurement, measurements)
        self._bulk(SelfRelianceScore, scores, len(scores))

    def _trail_and_notifications(self) -> None:
        def trail() -> Iterator[dict]:
            for c in self.cases:
                for action, day in (("case_created", c.referred_on), ("status_changed", c.ends_on)):
                    yield {
                        "at": self._moment(day),
                        "user_id": c.handler_id,
                        "user_name": "Projectgroep",
                        "action": action,
                        "entity_type": "Case",
                        "entity_id": c.id,
                        "case_id": c.id,
                        "changes": {"status": [None, c.status]},
                        "remote_addr": "10.0.0.1",
                    }

        self._bulk(AuditEntry, trail(), 2 * len(self.cases))
        busy_user, _ = self.busy_professional
        running = [c for c in self.cases if busy_user in c.people and c.status not in case_status.ENDED]
        self._bulk(
            Notification,
            (
                {
                    "key": f"bench-{n}",
                    "user_id": busy_user,
                    "kind": "action_overdue",
                    "case_id": c.id,
                    "subject": "Bel de woningcorporatie over een betalingsregeling.",
                    "url": f"/trajecten/{c.id}",
                    "created_at": self._moment(self.today - timedelta(days=n % 60)),
                    "read_at": None,
                }
                for n, c in enumerate(running[:200])
            ),
        )

    def _access_log(self) -> None:
        """A year of reading: every row a user who may see the case, opening it (or a list or print)."""
        recent = [c for c in self.cases if c.ends_on > self.today - timedelta(days=365) and c.people]
        names = {i: n for i, n in db.session.execute(select(User.id, User.name))}
        organisations = {i: n for i, n in db.session.execute(select(Organisation.id, Organisation.name))}
        user_org = {u: o for members in self.users.values() for u, o in members}
        total, rng, start = (
            self.scale.access_log_rows,
            self.rng,
            self._moment(self.today - timedelta(days=365)),
        )
        actions = ("view", "view", "view", "list", "change", "print")

        def rows() -> Iterator[dict]:
            for n in range(total):
                c = recent[n % len(recent)]
                user = rng.choice(c.people + [c.handler_id])
                organisation = user_org[user]
                role = "projectgroep" if user == c.handler_id else "professional"
                yield {
                    "at": start + timedelta(seconds=n * 365 * 86400 // total),
                    "user_id": user,
                    "user_name": names[user],
                    "organisation_id": organisation,
                    "organisation_name": organisations[organisation],
                    "role": role,
                    "client_id": c.client_id,
                    "case_id": c.id,
                    "action": rng.choice(actions),
                    "what": "cases.detail",
                    "outcome": "allowed",
                    "basis": "mandate" if role == "projectgroep" else "consent",
                    "consent_id": None,
                    "remote_addr": "10.0.0.2",
                }

        self._bulk(AccessLogEntry, rows(), total)

    def _fix_sequences(self) -> None:
        """PostgreSQL hands out ids from sequences: move them past the ids written here."""
        if db.engine.dialect.name != "postgresql":
            return
        for name in self.ids:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
            )


def generate_city(scale: Scale, seed: int, password: str, progress: Progress) -> dict[str, int]:
    """Fill an empty database with a city of scale.clients clients; returns the rows per table."""
    return CityGenerator(scale, seed, password, progress).run()
