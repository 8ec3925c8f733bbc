"""What the start page shows each role."""

from sqlalchemy import func, select, true

from .. import access
from ..domain import case_status as lifecycle
from ..extensions import db
from ..models import Case, LifeDomain, Neighbourhood, Organisation, User
from .cases import case_rows


def case_overview(user, limit: int = 10) -> dict:
    """Counts per status, the crisis cases and the user's own (as `case_rows`), within what the
    user may see."""
    visible = access.visible_cases(user)
    counts = dict(
        db.session.execute(select(Case.status, func.count()).where(visible).group_by(Case.status)).all()
    )
    crisis = db.session.execute(
        case_rows()
        .where(visible, Case.crisis, Case.status.in_(lifecycle.NOT_ENDED))
        .order_by(Case.referred_on, Case.id)
        .limit(limit)
    ).all()
    # The project group sees the cases it handles; others see the cases they are involved in.
    mine_filter = Case.handler_id == user.id if user.role == "projectgroep" else true()
    mine = db.session.execute(
        case_rows()
        .where(visible, mine_filter, Case.status.not_in(lifecycle.ENDED))
        .order_by(Case.crisis.desc(), Case.referred_on.desc(), Case.id.desc())
        .limit(limit)
    ).all()
    return {"counts": counts, "total": sum(counts.values()), "crisis": crisis, "mine": mine}


def admin_overview() -> dict:
    """How many organisations, users, neighbourhoods and life domains there are."""
    return {
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "neighbourhoods": db.session.scalar(select(func.count()).select_from(Neighbourhood)),
        "life_domains": db.session.scalar(select(func.count()).select_from(LifeDomain)),
    }
