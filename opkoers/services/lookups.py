"""The lists that forms offer to choose from: people, organisations, neighbourhoods, life domains."""

from sqlalchemy import or_, select

from ..extensions import db
from ..models import CaseInvolvement, LifeDomain, Neighbourhood, Organisation, User


def people(roles: tuple[str, ...], also_id: int | None = None) -> list[User]:
    """Active users in these roles, by name; also_id keeps someone already chosen on the list."""
    condition = User.active & User.role.in_(roles)
    if also_id is not None:
        condition = or_(condition, User.id == also_id)
    return db.session.scalars(select(User).where(condition).order_by(User.name)).all()


def _named(users) -> list[tuple[int, str]]:
    """(id, 'name (organisation)') for a select field."""
    return [(u.id, f"{u.name} ({u.organisation.name})") for u in users]


def person_choices(roles: tuple[str, ...], also_id: int | None = None) -> list[tuple[int, str]]:
    """(id, 'name (organisation)') of the active users in these roles."""
    return _named(people(roles, also_id))


def case_people_choices(case_id: int, also_id: int | None = None) -> list[tuple[int, str]]:
    """(id, 'name (organisation)') of whom a case's action can be given to: the project group and
    the people who take part in the case (only they can see it); also_id keeps the one it has now.
    The rest of the city is reached by giving the action to their organisation."""
    involved = select(CaseInvolvement.user_id).where(CaseInvolvement.case_id == case_id)
    condition = User.active & ((User.role == "projectgroep") | User.id.in_(involved))
    if also_id is not None:
        condition = or_(condition, User.id == also_id)
    return _named(db.session.scalars(select(User).where(condition).order_by(User.name)))


def neighbourhoods() -> list[Neighbourhood]:
    """All neighbourhoods, by name."""
    return db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)).all()


def active_organisations() -> list[Organisation]:
    """The active organisations, by name."""
    return db.session.scalars(
        select(Organisation).where(Organisation.active).order_by(Organisation.name)
    ).all()


def active_life_domains() -> list[LifeDomain]:
    """The life domains in use, in their order."""
    return db.session.scalars(
        select(LifeDomain).where(LifeDomain.active).order_by(LifeDomain.position, LifeDomain.id)
    ).all()
