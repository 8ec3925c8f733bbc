"""The impact report for the project group and the council: cases by status and by outcome, how long
the steps took, how self-reliance changed (and held a year later), the budget used and the deviations
decided. For the cases referred in a year (or all years) and in a neighbourhood (or all). A fixed
number of queries, whatever the number of cases."""

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select, true
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from ..domain import budget as budget_rules
from ..domain import case_status as lifecycle
from ..domain import follow_up as follow_up_rules
from ..domain import handover as handover_rules
from ..domain import impact as rules
from ..extensions import db
from ..models import (
    BudgetEntry,
    Case,
    CaseClosing,
    Client,
    Deviation,
    Handover,
    Meeting,
    SelfRelianceMeasurement,
    SelfRelianceScore,
)
from ..models.base import utcnow
from ..timeutil import LOCAL_TZ
from . import figures
from .deviations import in_force
from .self_reliance import themes

LATER_MOMENTS = (follow_up_rules.END, follow_up_rules.HALF_YEAR, follow_up_rules.YEAR)


@dataclass(frozen=True)
class ThemeShown:
    """A theme of the instrument as the report names it (plain values: the figures are kept)."""

    id: int
    name: str


@dataclass(frozen=True)
class ImpactFilter:
    year: int | None = None
    neighbourhood_id: int | None = None


def _conditions(filters: ImpactFilter) -> list:
    condition = []
    if filters.year:
        condition.append(Case.referred_on.between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    if filters.neighbourhood_id:
        condition.append(Client.neighbourhood_id == filters.neighbourhood_id)
    return condition


def _cohort(filters: ImpactFilter):
    """SQL condition on Case and Client: the cases the report is about."""
    return and_(Client.id == Case.client_id, *_conditions(filters))


def _in_cohort(case_id_column, filters: ImpactFilter):
    """SQL condition: the record's case is in the report (every case when nothing is chosen)."""
    conditions = _conditions(filters)
    if not conditions:
        return true()
    return case_id_column.in_(select(Case.id).join(Client, Client.id == Case.client_id).where(*conditions))


def years() -> list[int]:
    """The years with referrals, newest first (for the filter)."""
    first, last = db.session.execute(select(func.min(Case.referred_on), func.max(Case.referred_on))).one()
    return list(range(last.year, first.year - 1, -1)) if first else []


def _counts(column, *where) -> dict:
    return dict(db.session.execute(select(column, func.count()).where(*where).group_by(column)).all())


def _durations(filters: ImpactFilter) -> dict[str, rules.Duration]:
    """From referral to admission, to the first round table and to the accepted handover."""
    first_table = (
        select(Meeting.case_id, func.min(Meeting.starts_at).label("at"))
        .where(Meeting.kind == "round_table", Meeting.status != "cancelled", Meeting.starts_at <= utcnow())
        .group_by(Meeting.case_id)
        .subquery()
    )
    first_handover = (
        select(Handover.case_id, func.min(Handover.accepted_at).label("at"))
        .where(Handover.accepted_at.is_not(None))
        .group_by(Handover.case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Case.referred_on, Case.decision, Case.decided_on, first_table.c.at, first_handover.c.at)
        .join(Client, Client.id == Case.client_id)
        .outerjoin(first_table, first_table.c.case_id == Case.id)
        .outerjoin(first_handover, first_handover.c.case_id == Case.id)
        .where(_cohort(filters))
    ).all()

    def local(moment):
        return moment.astimezone(LOCAL_TZ).date() if moment else None

    return {
        "admission": rules.duration(
            [rules.days_between(r[0], r[2] if r[1] == "admitted" else None) for r in rows]
        ),
        "round_table": rules.duration([rules.days_between(r[0], local(r[3])) for r in rows]),
        "handover": rules.duration([rules.days_between(r[0], local(r[4])) for r in rows]),
    }


def _per_client_and_theme(filters: ImpactFilter, moments=follow_up_rules.MOMENTS):
    """Subquery: per client and theme, the score at each moment (NULL where not measured). One pass
    over the scores, however many there are."""
    score_at = {
        m: func.max(sql_case((SelfRelianceMeasurement.moment == m, SelfRelianceScore.score))).label(m)
        for m in moments
    }
    return (
        select(SelfRelianceMeasurement.case_id, SelfRelianceScore.theme_id, *score_at.values())
        .join(SelfRelianceScore, SelfRelianceScore.measurement_id == SelfRelianceMeasurement.id)
        .where(
            SelfRelianceMeasurement.moment.in_(moments), _in_cohort(SelfRelianceMeasurement.case_id, filters)
        )
        .group_by(SelfRelianceMeasurement.case_id, SelfRelianceScore.theme_id)
        .subquery()
    )


def _self_reliance(filters: ImpactFilter) -> tuple[dict, dict]:
    """Per theme: (theme, moment) → (average score, clients measured), and (theme, later moment) →
    (average change since the start, clients measured at both)."""
    per = _per_client_and_theme(filters)
    start = per.c[follow_up_rules.START]
    columns = [per.c.theme_id]
    for m in follow_up_rules.MOMENTS:
        columns += [func.avg(per.c[m]), func.count(per.c[m])]
    for m in LATER_MOMENTS:
        columns += [func.avg(per.c[m] - start), func.count(per.c[m] - start)]
    averages, changes = {}, {}
    for row in db.session.execute(select(*columns).group_by(per.c.theme_id)):
        theme, values = row[0], row[1:]
        for i, m in enumerate(follow_up_rules.MOMENTS):
            if values[2 * i + 1]:
                averages[(theme, m)] = (float(values[2 * i]), values[2 * i + 1])
        offset = 2 * len(follow_up_rules.MOMENTS)
        for i, m in enumerate(LATER_MOMENTS):
            if values[offset + 2 * i + 1]:
                changes[(theme, m)] = (round(float(values[offset + 2 * i]), 2), values[offset + 2 * i + 1])
    return averages, changes


def _durable(filters: ImpactFilter) -> dict:
    """Per client measured at the end and a year later: improved, kept or relapsed (the average over
    the themes); plus how many came back through the safety net or with a new referral."""
    per = _per_client_and_theme(filters)
    at_end, at_year = per.c[follow_up_rules.END], per.c[follow_up_rules.YEAR]
    pairs = db.session.execute(  # only the themes measured at both moments count
        select(func.avg(at_end), func.avg(at_year))
        .where(at_end.is_not(None), at_year.is_not(None))
        .group_by(per.c.case_id)
    ).all()
    classes = [rules.durable_class(float(e), float(y)) for e, y in pairs if e is not None and y is not None]
    safety_nets = db.session.scalar(
        select(func.count(func.distinct(Handover.case_id))).where(
            Handover.status == handover_rules.SAFETY_NET, _in_cohort(Handover.case_id, filters)
        )
    )
    later = aliased(Case)
    new_referrals = db.session.scalar(
        select(func.count(func.distinct(Case.id)))
        .join(Client, Client.id == Case.client_id)
        .join(later, and_(later.client_id == Case.client_id, later.referred_on > Case.closed_on))
        .where(Case.status == lifecycle.CLOSED, _cohort(filters))
    )
    return {
        "measured": len(classes),
        rules.IMPROVED: classes.count(rules.IMPROVED),
        rules.KEPT: classes.count(rules.KEPT),
        rules.RELAPSED: classes.count(rules.RELAPSED),
        "safety_net": safety_nets,
        "new_referral": new_referrals,
    }


def _budget(filters: ImpactFilter) -> dict:
    """Committed and paid (reversals net out), and for how many clients something is committed."""
    committed = func.sum(
        sql_case((BudgetEntry.kind == budget_rules.COMMITMENT, BudgetEntry.amount_cents), else_=0)
    )
    paid = func.sum(sql_case((BudgetEntry.kind == budget_rules.PAYMENT, BudgetEntry.amount_cents), else_=0))
    per_case = (
        select(committed.label("committed"), paid.label("paid"))
        .where(_in_cohort(BudgetEntry.case_id, filters))
        .group_by(BudgetEntry.case_id)
        .subquery()
    )
    row = db.session.execute(
        select(
            func.coalesce(func.sum(per_case.c.committed), 0),
            func.coalesce(func.sum(per_case.c.paid), 0),
            func.count().filter(per_case.c.committed > 0),
        )
    ).one()
    return {"committed": int(row[0]), "paid": int(row[1]), "cases": int(row[2])}


def _deviations(filters: ImpactFilter) -> dict:
    """Deviations decided (each chain once, as it stands) and for how many clients."""
    count, cases = db.session.execute(
        select(func.count(Deviation.id), func.count(func.distinct(Deviation.case_id))).where(
            in_force(), _in_cohort(Deviation.case_id, filters)
        )
    ).one()
    return {"decided": int(count), "cases": int(cases)}


def report(filters: ImpactFilter) -> dict:
    """Everything the impact report shows, for the chosen year and neighbourhood."""
    by_status = _counts(Case.status, _cohort(filters))
    by_outcome = _counts(CaseClosing.outcome, _in_cohort(CaseClosing.case_id, filters))
    instrument = themes(include_inactive=True)
    averages, changes = _self_reliance(filters)
    self_reliance = [
        {
            "theme": ThemeShown(theme.id, theme.name),
            "averages": {m: averages.get((theme.id, m)) for m in follow_up_rules.MOMENTS},
            "changes": {m: changes.get((theme.id, m)) for m in LATER_MOMENTS},
        }
        for theme in instrument
        if any((theme.id, m) in averages for m in follow_up_rules.MOMENTS)
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": [(s, by_status.get(s, 0)) for s in lifecycle.STATUSES],
        "by_outcome": [(o, by_outcome.get(o, 0)) for o in follow_up_rules.OUTCOMES],
        "durations": _durations(filters),
        "self_reliance": self_reliance,
        "durable": _durable(filters),
        "budget": _budget(filters),
        "deviations": _deviations(filters),
    }


# ---------------------------------------------------------------- counted ahead by the scheduler

ALL = ImpactFilter()


def count_ahead() -> None:
    """The scheduler counts the report over all years and neighbourhoods and stores it."""
    figures.keep("impact", _as_json(report(ALL)))


def for_page(filters: ImpactFilter) -> tuple[dict, datetime]:
    """The report a page shows and when it was counted: for all years and neighbourhoods the
    scheduler's figures when they are recent, otherwise (and for a chosen year or neighbourhood,
    a smaller count) counted now."""
    if filters == ALL and (stored := figures.kept("impact")) is not None:
        payload, computed_at = stored
        return _from_json(payload), computed_at
    return figures.now(report(filters))


def _as_json(data: dict) -> str:
    plain = data | {
        "durations": {step: asdict(d) for step, d in data["durations"].items()},
        "self_reliance": [row | {"theme": asdict(row["theme"])} for row in data["self_reliance"]],
    }
    return json.dumps(plain)


def _from_json(payload: str) -> dict:
    data = json.loads(payload)
    return data | {
        "durations": {step: rules.Duration(**d) for step, d in data["durations"].items()},
        "self_reliance": [row | {"theme": ThemeShown(**row["theme"])} for row in data["self_reliance"]],
    }
