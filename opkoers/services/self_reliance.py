"""Self-reliance: the instrument (themes scored 1–5, with an anchor text per score; the beheerder
changes it, see services/admin.py) and the measurements per client at the start, the end, and half a
year and a year after the end."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import audit
from ..domain import follow_up as rules
from ..extensions import db
from ..labels import label
from ..models import Case, SelfRelianceMeasurement, SelfRelianceScore, SelfRelianceTheme
from ..timeutil import local_today
from . import check_version

# ---------------------------------------------------------------- the instrument


def themes(include_inactive: bool = False) -> list[SelfRelianceTheme]:
    """The themes of the instrument, in their order (only those in use, unless asked)."""
    query = select(SelfRelianceTheme).order_by(SelfRelianceTheme.position, SelfRelianceTheme.id)
    if not include_inactive:
        query = query.where(SelfRelianceTheme.active)
    return db.session.scalars(query).all()


# ---------------------------------------------------------------- planning the measurements


def _plan(case: Case, moment: str, due_on: date, assignee_id: int) -> SelfRelianceMeasurement | None:
    """Plan one measurement, unless the case has it already."""
    exists = db.session.scalar(
        select(SelfRelianceMeasurement.id).where(
            SelfRelianceMeasurement.case_id == case.id, SelfRelianceMeasurement.moment == moment
        )
    )
    if exists is not None:
        return None
    measurement = SelfRelianceMeasurement(
        case_id=case.id, moment=moment, due_on=due_on, assignee_id=assignee_id
    )
    db.session.add(measurement)
    return measurement


def plan_start(actor, case: Case, assignee_id: int, due_on: date) -> None:
    """At admission: the first measurement, for the person handling the case."""
    measurement = _plan(case, rules.START, due_on, assignee_id)
    if measurement is not None:
        audit.record(actor, "measurement_planned", measurement, _planned(measurement), case.id)


def plan_after_end(actor, case: Case, assignee_id: int, dates: dict[str, date]) -> None:
    """At closing: the measurements at the end, half a year and a year later."""
    for moment, due_on in dates.items():
        measurement = _plan(case, moment, due_on, assignee_id)
        if measurement is not None:
            audit.record(actor, "measurement_planned", measurement, _planned(measurement), case.id)


def _planned(measurement: SelfRelianceMeasurement) -> dict:
    return {
        "moment": [None, label("moment", measurement.moment)],
        "planned_on": [None, measurement.due_on.isoformat()],
        "assignee_id": [None, measurement.assignee_id],
    }


# ---------------------------------------------------------------- taking a measurement


def record(
    actor,
    measurement: SelfRelianceMeasurement,
    version: int | None,
    taken_on: date,
    scores: dict[int, int | None],
    note: str,
) -> None:
    """Record the client's scores on every theme of the instrument, once, within the measurement's
    window."""
    check_version(measurement, version)
    rules.check_measurable(measurement.due_on, measurement.taken_on, local_today(), taken_on)
    active = themes()
    rules.check_scores([t.id for t in active], scores)
    measurement.taken_on, measurement.taken_by_id, measurement.note = taken_on, actor.id, note
    measurement.scores = [SelfRelianceScore(theme_id=t.id, score=scores[t.id]) for t in active]
    changes = {f"score:{t.id}": [None, scores[t.id]] for t in active}
    changes.update(taken_on=[None, taken_on.isoformat()], moment=[None, label("moment", measurement.moment)])
    if note:
        changes["note"] = [None, note]
    audit.record(actor, "measurement_taken", measurement, changes, measurement.case_id)


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class Row:
    """One measurement as the case page shows it."""

    measurement: SelfRelianceMeasurement
    state: str
    last_day: date


def case_measurements(case: Case) -> list[Row]:
    """The case's measurements in the order of the moments, with their state today."""
    today = local_today()
    found = db.session.scalars(
        select(SelfRelianceMeasurement)
        .where(SelfRelianceMeasurement.case_id == case.id)
        .options(
            selectinload(SelfRelianceMeasurement.scores),
            joinedload(SelfRelianceMeasurement.assignee),
        )
    ).all()
    order = {m: i for i, m in enumerate(rules.MOMENTS)}
    return [
        Row(m, rules.measurement_state(m.due_on, m.taken_on, today), rules.last_day_to_measure(m.due_on))
        for m in sorted(found, key=lambda m: order[m.moment])
    ]


def chart(rows: list[Row], all_themes: list[SelfRelianceTheme]) -> dict:
    """Per theme its scores at the four moments (for the chart and the table beside it); a moment
    not measured (yet) has no score."""
    taken = [r.measurement for r in rows if r.state == rules.TAKEN]
    by_theme = {t.id: {} for t in all_themes}
    for measurement in taken:
        for score in measurement.scores:
            by_theme.setdefault(score.theme_id, {})[measurement.moment] = score.score
    names = {t.id: t.name for t in all_themes}
    series = [
        {"label": names.get(theme_id, ""), "scores": scores}
        for theme_id, scores in by_theme.items()
        if scores and theme_id in names
    ]
    return {"moments": list(rules.MOMENTS), "series": series}
