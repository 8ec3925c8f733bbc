"""What is due after the breakthrough, per person: aftercare that is running, pilot-light contacts
and self-reliance measurements; and the scheduler's reminders of them, each sent once."""

from datetime import timedelta

from sqlalchemy import String, cast, exists, literal, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from .. import access
from ..domain import case_status as lifecycle
from ..domain import follow_up as rules
from ..domain import handover as handover_rules
from ..extensions import db
from ..labels import label
from ..models import Case, Handover, Notification, PilotLightContact, SelfRelianceMeasurement, User
from ..timeutil import local_today
from .notifications import in_batches

LOOK_AHEAD_DAYS = 14  # the list shows what falls due in the next two weeks
PILOT_LIGHT_LEAD_DAYS = 7  # the scheduler reminds a week before a pilot-light contact
LIST_LIMIT = 200


def _aftercare_running():
    return (Handover.status == handover_rules.ACCEPTED) & (Case.status == lifecycle.AFTERCARE)


def follow_ups(user, everyone: bool = False) -> dict:
    """The user's follow-ups (or, for the project group, everyone's): aftercare running, pilot-light
    contacts and measurements due soon or now, each list by date. A fixed number of queries."""
    today = local_today()
    visible = access.visible_cases(user)
    aftercare = (
        select(Handover)
        .join(Handover.case)
        .where(visible, _aftercare_running())
        .options(contains_eager(Handover.case), joinedload(Handover.team), joinedload(Handover.contact))
        .order_by(Handover.aftercare_ends_on, Handover.id)
        .limit(LIST_LIMIT)
    )
    pilot = (
        select(PilotLightContact)
        .join(PilotLightContact.case)
        .where(
            visible,
            PilotLightContact.status == rules.PILOT_OPEN,
            PilotLightContact.due_on <= today + timedelta(days=LOOK_AHEAD_DAYS),
        )
        .options(contains_eager(PilotLightContact.case), joinedload(PilotLightContact.assignee))
        .order_by(PilotLightContact.due_on, PilotLightContact.id)
        .limit(LIST_LIMIT)
    )
    measurements = (
        select(SelfRelianceMeasurement)
        .join(SelfRelianceMeasurement.case)
        .where(
            visible,
            SelfRelianceMeasurement.taken_on.is_(None),
            SelfRelianceMeasurement.due_on <= today + timedelta(days=max(LOOK_AHEAD_DAYS, rules.EARLY_DAYS)),
            SelfRelianceMeasurement.due_on >= today - timedelta(days=rules.LATE_DAYS),
        )
        .options(contains_eager(SelfRelianceMeasurement.case), joinedload(SelfRelianceMeasurement.assignee))
        .order_by(SelfRelianceMeasurement.due_on, SelfRelianceMeasurement.id)
        .limit(LIST_LIMIT)
    )
    if not everyone:
        aftercare = aftercare.where(
            (Handover.team_id == user.organisation_id) | (Handover.created_by_id == user.id)
        )
        pilot = pilot.where(PilotLightContact.assignee_id == user.id)
        measurements = measurements.where(SelfRelianceMeasurement.assignee_id == user.id)
    return {
        "aftercare": db.session.scalars(aftercare).all(),
        "pilot_lights": db.session.scalars(pilot).all(),
        "measurements": [
            (m, rules.measurement_state(m.due_on, m.taken_on, today), rules.last_day_to_measure(m.due_on))
            for m in db.session.scalars(measurements)
        ],
        "today": today,
        "limit": LIST_LIMIT,
    }


# ---------------------------------------------------------------- reminders


def _key(prefix: str, record_id, user_id):
    return literal(prefix).concat(cast(record_id, String)).concat(":").concat(cast(user_id, String))


def _not_sent(key):
    return ~exists().where(Notification.key == key)


def _aftercare_rows(today):
    """(handover, case, end date, user, e-mail, key): aftercare that ends within two weeks, for the
    receiving contact person and for the sender, once each."""
    rows = []
    for person in (Handover.contact_id, Handover.created_by_id):
        key = _key("aftercare_ending:", Handover.id, User.id)
        rows.append(
            select(Handover.id, Handover.case_id, Handover.aftercare_ends_on, User.id, User.email, key)
            .join(Case, Case.id == Handover.case_id)
            .join(User, User.id == person)
            .where(
                _aftercare_running(),
                Handover.aftercare_ends_on <= rules.aftercare_warning_horizon(today),
                User.active,
                access.case_visible_to_user_column(),
                _not_sent(key),
            )
        )
    return db.session.execute(union_all(*rows)).all()


def _measurement_rows(today):
    key = _key("measurement_due:", SelfRelianceMeasurement.id, User.id)
    return db.session.execute(
        select(
            SelfRelianceMeasurement.id,
            SelfRelianceMeasurement.case_id,
            SelfRelianceMeasurement.moment,
            SelfRelianceMeasurement.due_on,
            User.id,
            User.email,
            key,
        )
        .join(Case, Case.id == SelfRelianceMeasurement.case_id)
        .join(User, User.id == SelfRelianceMeasurement.assignee_id)
        .where(
            SelfRelianceMeasurement.taken_on.is_(None),
            SelfRelianceMeasurement.due_on <= today + timedelta(days=rules.EARLY_DAYS),
            SelfRelianceMeasurement.due_on >= today - timedelta(days=rules.LATE_DAYS),
            User.active,
            access.case_visible_to_user_column(),
            _not_sent(key),
        )
    ).all()


def _pilot_light_rows(today):
    key = _key("pilot_light_due:", PilotLightContact.id, User.id)
    return db.session.execute(
        select(PilotLightContact.id, PilotLightContact.case_id, PilotLightContact.due_on, User.id, User.email)
        .add_columns(key)
        .join(Case, Case.id == PilotLightContact.case_id)
        .join(User, User.id == PilotLightContact.assignee_id)
        .where(
            PilotLightContact.status == rules.PILOT_OPEN,
            PilotLightContact.due_on <= today + timedelta(days=PILOT_LIGHT_LEAD_DAYS),
            User.active,
            access.case_visible_to_user_column(),
            _not_sent(key),
        )
    ).all()


def send_follow_up_reminders(today=None) -> int:
    """Remind the right person, in the app and by e-mail: aftercare ends within two weeks, a
    measurement can be taken, a pilot-light contact is due. Keyed per record and person, so running
    it again (or after downtime, or in two schedulers at once) adds nothing twice."""
    today = today or local_today()
    items = [
        _item(key, user_id, email, "aftercare_ending", f"/overdrachten/{handover_id}", case_id, ends_on)
        for handover_id, case_id, ends_on, user_id, email, key in _aftercare_rows(today)
    ]
    items += [
        _item(key, user_id, email, "measurement_due", f"/metingen/{m_id}", case_id, due_on, moment)
        for m_id, case_id, moment, due_on, user_id, email, key in _measurement_rows(today)
    ]
    items += [
        _item(key, user_id, email, "pilot_light_due", f"/waakvlam/{p_id}", case_id, due_on)
        for p_id, case_id, due_on, user_id, email, key in _pilot_light_rows(today)
    ]
    return in_batches(items)


def _item(key, user_id, email, kind, url, case_id, day, moment=None) -> dict:
    what = f"{label('moment', moment)}, " if moment else ""
    return {
        "key": key,
        "user_id": user_id,
        "kind": kind,
        "subject": f"{what}{day:%d-%m-%Y}",
        "url": url,
        "case_id": case_id,
        "email": email,
    }
