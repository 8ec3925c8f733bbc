"""The beheerder's use cases: organisations, user accounts, neighbourhoods, life domains, the points of
the handover document and the themes of the self-reliance instrument."""

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import joinedload

from .. import access, audit
from ..domain import RuleViolation
from ..domain.contact import is_email
from ..extensions import db
from ..models import (
    Case,
    CaseInvolvement,
    FixedContact,
    HandoverPoint,
    LifeDomain,
    Neighbourhood,
    Organisation,
    SelfRelianceTheme,
    User,
    UserSession,
)
from . import accounts, check_version

ORGANISATION_FIELDS = ("name", "kind", "active")
USER_FIELDS = ("name", "email", "role", "organisation_id", "active")
NEIGHBOURHOOD_FIELDS = ("name", "team_id")
LIFE_DOMAIN_FIELDS = ("code", "name", "position", "active")
THEME_FIELDS = (
    "code",
    "name",
    "position",
    "active",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
)
HANDOVER_POINT_FIELDS = ("code", "text", "position", "active")

# Shown in the trail instead of a password hash: the trail says *that* it changed, never what to.
HIDDEN = "***"


def _refuse_duplicate(column, value: str, code: str, own_id: int | None = None) -> None:
    """Refuse a value another record already has (compared without regard to capitals)."""
    query = select(column.class_.id).where(func.lower(column) == value.lower())
    if own_id is not None:
        query = query.where(column.class_.id != own_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise RuleViolation(code)


def _normal_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not is_email(email):
        raise RuleViolation("invalid_email")
    return email


def _check_team(team_id: int | None) -> None:
    if team_id is not None:
        team = db.session.get(Organisation, team_id)
        if team is None or team.kind != "buurtteam":
            raise RuleViolation("not_a_team")


def _create(actor, action: str, obj, fields, extra: dict | None = None):
    db.session.add(obj)
    audit.record(actor, action, obj, {**audit.snapshot(obj, fields), **(extra or {})})
    return obj


def _update(actor, action: str, obj, values: dict, extra: dict | None = None):
    changes = {**audit.apply_changes(obj, values), **(extra or {})}
    if changes:
        audit.record(actor, action, obj, changes)
    return obj


# ---------------------------------------------------------------- organisations


def create_organisation(actor, *, name: str, kind: str, active: bool = True) -> Organisation:
    """Add an organisation that takes part in Op Koers."""
    _refuse_duplicate(Organisation.name, name, "duplicate_name")
    return _create(
        actor, "organisation_created", Organisation(name=name, kind=kind, active=active), ORGANISATION_FIELDS
    )


def update_organisation(
    actor, organisation: Organisation, version: int | None, *, name: str, kind: str, active: bool
) -> Organisation:
    """Change an organisation's name, kind or whether it is active."""
    check_version(organisation, version)
    _refuse_duplicate(Organisation.name, name, "duplicate_name", organisation.id)
    return _update(
        actor, "organisation_updated", organisation, {"name": name, "kind": kind, "active": active}
    )


# ---------------------------------------------------------------- users


def create_user(
    actor, *, name: str, email: str, role: str, organisation_id: int, active: bool = True, password: str
) -> User:
    """Create a user account with a first password."""
    email = _normal_email(email)
    _refuse_duplicate(User.email, email, "duplicate_email")
    user = User(name=name, email=email, role=role, organisation_id=organisation_id, active=active)
    accounts.set_password(actor, user, password)
    return _create(actor, "user_created", user, USER_FIELDS, {"password": [None, HIDDEN]})


def update_user(
    actor,
    user: User,
    version: int | None,
    *,
    name: str,
    email: str,
    role: str,
    organisation_id: int,
    active: bool,
    password: str | None = None,
    keep_key: str | None = None,
) -> User:
    """Change a user account; deactivating it or setting a new password ends its sessions (but the
    session with keep_key: one's own, when changing one's own password)."""
    check_version(user, version)
    if actor is not None and actor.id == user.id and not active:
        raise RuleViolation("cannot_deactivate_self")
    if actor is not None and actor.id == user.id and role != user.role:
        raise RuleViolation("cannot_change_own_role")
    email = _normal_email(email)
    _refuse_duplicate(User.email, email, "duplicate_email", user.id)
    extra = {}
    if password:
        accounts.set_password(actor, user, password)
        extra["password"] = [HIDDEN, HIDDEN]
    deactivated = user.active and not active
    values = {
        "name": name,
        "email": email,
        "role": role,
        "organisation_id": organisation_id,
        "active": active,
    }
    _update(actor, "user_updated", user, values, extra)
    if password or deactivated:
        accounts.end_sessions(actor, user, "password" if password else "deactivated", keep_key)
    return user


# ---------------------------------------------------------------- neighbourhoods


def create_neighbourhood(actor, *, name: str, team_id: int | None = None) -> Neighbourhood:
    """Add a neighbourhood (wijk), optionally with its neighbourhood team."""
    _refuse_duplicate(Neighbourhood.name, name, "duplicate_name")
    _check_team(team_id)
    return _create(
        actor, "neighbourhood_created", Neighbourhood(name=name, team_id=team_id), NEIGHBOURHOOD_FIELDS
    )


def update_neighbourhood(
    actor, neighbourhood: Neighbourhood, version: int | None, *, name: str, team_id: int | None
) -> Neighbourhood:
    """Rename a neighbourhood or change its neighbourhood team."""
    check_version(neighbourhood, version)
    _refuse_duplicate(Neighbourhood.name, name, "duplicate_name", neighbourhood.id)
    _check_team(team_id)
    return _update(actor, "neighbourhood_updated", neighbourhood, {"name": name, "team_id": team_id})


# ---------------------------------------------------------------- life domains


def create_life_domain(actor, *, code: str, name: str, position: int = 0, active: bool = True) -> LifeDomain:
    """Add a life domain (leefgebied) to the list used in intakes and plans."""
    _refuse_duplicate(LifeDomain.code, code, "duplicate_code")
    domain = LifeDomain(code=code, name=name, position=position, active=active)
    return _create(actor, "life_domain_created", domain, LIFE_DOMAIN_FIELDS)


def update_life_domain(
    actor, domain: LifeDomain, version: int | None, *, code: str, name: str, position: int, active: bool
) -> LifeDomain:
    """Change a life domain; switch it off instead of deleting it (intakes refer to it)."""
    check_version(domain, version)
    _refuse_duplicate(LifeDomain.code, code, "duplicate_code", domain.id)
    values = {"code": code, "name": name, "position": position, "active": active}
    return _update(actor, "life_domain_updated", domain, values)


# ---------------------------------------------------------------- lists kept as data


def create_theme(actor, **values) -> SelfRelianceTheme:
    """Add a theme to the self-reliance instrument, with what each score 1–5 means."""
    _refuse_duplicate(SelfRelianceTheme.code, values["code"], "duplicate_code")
    return _create(actor, "theme_added", SelfRelianceTheme(**values), THEME_FIELDS)


def update_theme(actor, theme: SelfRelianceTheme, version: int | None, **values) -> SelfRelianceTheme:
    """Change a theme (its name, order, anchor texts, or whether it is used); scores taken stay."""
    check_version(theme, version)
    _refuse_duplicate(SelfRelianceTheme.code, values["code"], "duplicate_code", theme.id)
    return _update(actor, "theme_updated", theme, values)


def create_handover_point(actor, **values) -> HandoverPoint:
    """Add a point to the handover document."""
    _refuse_duplicate(HandoverPoint.code, values["code"], "duplicate_code")
    return _create(actor, "handover_point_added", HandoverPoint(**values), HANDOVER_POINT_FIELDS)


def update_handover_point(actor, point: HandoverPoint, version: int | None, **values) -> HandoverPoint:
    """Change a point of the handover document; documents already answered keep their answers."""
    check_version(point, version)
    _refuse_duplicate(HandoverPoint.code, values["code"], "duplicate_code", point.id)
    return _update(actor, "handover_point_updated", point, values)


def list_handover_points() -> list[HandoverPoint]:
    """Every point of the handover document, in use or not, in their order."""
    return db.session.scalars(select(HandoverPoint).order_by(HandoverPoint.position, HandoverPoint.id)).all()


# ---------------------------------------------------------------- lists


def list_organisations() -> list[Organisation]:
    """All organisations, by name."""
    return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()


def list_users(page: int, per_page: int):
    """One page of user accounts, by name, each with its organisation (one query)."""
    return db.paginate(
        select(User).order_by(User.name, User.id), page=page, per_page=per_page, error_out=False
    )


@dataclass(frozen=True)
class Reach:
    """What one account can reach now: client cases it may open, and live sessions."""

    cases: int
    sessions: int


def access_review(page: int, per_page: int, organisation_id: int | None = None):
    """One page of accounts (by organisation, then name) and for each what it can reach: the cases
    its role, organisation, involvement and the consents open to it, and its live sessions. A fixed
    number of queries, whatever the number of users or cases."""
    query = select(User).join(User.organisation).order_by(Organisation.name, User.name, User.id)
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    users = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [u.id for u in users.items]
    all_cases = db.session.scalar(select(func.count()).select_from(Case))
    involved = dict(
        db.session.execute(
            select(User.id, func.count(distinct(Case.id)))
            .select_from(User)
            .join(CaseInvolvement, CaseInvolvement.user_id == User.id)
            .join(Case, Case.id == CaseInvolvement.case_id)
            .where(User.id.in_(ids), access.case_visible_to_user_column())
            .group_by(User.id)
        ).all()
    )
    sessions = dict(
        db.session.execute(
            select(UserSession.user_id, func.count())
            .where(UserSession.user_id.in_(ids), accounts.live_session())
            .group_by(UserSession.user_id)
        ).all()
    )
    reach = {}
    for user in users.items:
        cases = all_cases if user.role == "projectgroep" else involved.get(user.id, 0)
        reach[user.id] = Reach(cases=cases if user.active else 0, sessions=sessions.get(user.id, 0))
    return users, reach


def deactivate_user(actor, user: User) -> None:
    """Switch an account off at once: it cannot log in, and its sessions end."""
    if actor.id == user.id:
        raise RuleViolation("cannot_deactivate_self")
    if user.active:
        _update(actor, "user_updated", user, {"active": False})
    accounts.end_sessions(actor, user, "deactivated")


def list_neighbourhoods() -> list[Neighbourhood]:
    """All neighbourhoods, by name, with their team."""
    return db.session.scalars(
        select(Neighbourhood).options(joinedload(Neighbourhood.team)).order_by(Neighbourhood.name)
    ).all()


def list_life_domains() -> list[LifeDomain]:
    """All life domains in their set order."""
    return db.session.scalars(select(LifeDomain).order_by(LifeDomain.position, LifeDomain.name)).all()


def teams() -> list[Organisation]:
    """The organisations that can be a neighbourhood team."""
    return db.session.scalars(
        select(Organisation).where(Organisation.kind == "buurtteam").order_by(Organisation.name)
    ).all()


# ---------------------------------------------------------------- fixed contact persons


def fixed_contacts() -> list[tuple[Organisation, FixedContact | None]]:
    """Every active organisation with its fixed contact person and deputy (if set), by name."""
    rows = db.session.execute(
        select(Organisation, FixedContact)
        .outerjoin(FixedContact, FixedContact.organisation_id == Organisation.id)
        .where(Organisation.active)
        .options(joinedload(FixedContact.contact), joinedload(FixedContact.deputy))
        .order_by(Organisation.name)
    ).all()
    return [(organisation, contact) for organisation, contact in rows]


def set_fixed_contact(
    actor, organisation: Organisation, version: int | None, *, contact_id: int, deputy_id: int | None
) -> FixedContact:
    """Name an organisation's fixed contact person for Op Koers, and a deputy (both from that
    organisation, active, and not the same person)."""
    for user_id in (contact_id, deputy_id):
        user = db.session.get(User, user_id) if user_id else None
        if user_id and (user is None or user.organisation_id != organisation.id or not user.active):
            raise RuleViolation("contact_not_in_organisation")
    if deputy_id is not None and deputy_id == contact_id:
        raise RuleViolation("deputy_same_as_contact")
    current = db.session.scalar(select(FixedContact).where(FixedContact.organisation_id == organisation.id))
    values = {"contact_id": contact_id, "deputy_id": deputy_id}
    if current is None:
        current = FixedContact(organisation_id=organisation.id, **values)
        return _create(actor, "fixed_contact_set", current, ("contact_id", "deputy_id"))
    check_version(current, version)
    return _update(actor, "fixed_contact_set", current, values)


def people_of(organisation: Organisation) -> list[User]:
    """The active users of one organisation, by name."""
    return db.session.scalars(
        select(User).where(User.organisation_id == organisation.id, User.active).order_by(User.name)
    ).all()


def directory(neighbourhood_id: int | None) -> dict:
    """Whom to call: for a neighbourhood its team's fixed contact person and deputy, and the fixed
    contact persons of every other organisation."""
    contacts = {organisation.id: contact for organisation, contact in fixed_contacts() if contact}
    hood = db.session.get(Neighbourhood, neighbourhood_id) if neighbourhood_id else None
    team_contact = contacts.get(hood.team_id) if hood and hood.team_id else None
    partners = [c for org_id, c in contacts.items() if not hood or org_id != hood.team_id]
    partners.sort(key=lambda c: c.organisation.name)
    return {"neighbourhood": hood, "team_contact": team_contact, "partners": partners}
