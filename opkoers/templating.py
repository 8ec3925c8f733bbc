"""Jinja filters and globals: Dutch dates, labels, access checks."""

from datetime import date, datetime

from flask import Flask
from flask_login import current_user
from markupsafe import Markup

from . import access, charts, i18n
from .domain.actions import is_overdue
from .domain.consent import domain_shown, visible_changes
from .i18n import format_date, format_number, format_time, gettext
from .labels import access_what, label
from .messages import money
from .services import notifications
from .services.names import REFERENCE_FIELDS
from .timeutil import local_today


def _date(value, fmt: str = "long") -> str:
    return format_date(value, fmt) if value else ""


def _time(value) -> str:
    """A moment's time of day in the user's time zone: '14:30'."""
    return format_time(value, "HH:mm") if value else ""


def _datetime(value) -> str:
    """A moment in the user's time zone: '23 november 2026, 13:44'."""
    return f"{format_date(value, 'long')}, {format_time(value, 'short')}" if value else ""


# Audit fields whose stored codes have a display name (field → label kind).
_CODED_FIELDS = {
    "status": "status",
    "action_status": "action_status",
    "assignee_kind": "assignee_kind",
    "decision": "decision",
    "kind": "step",
    "meeting_kind": "meeting_kind",
    "category": "budget_category",
    "entry_kind": "entry_kind",
    "deviation_status": "deviation_status",
    "handover_status": "handover_status",
    "closing_outcome": "closing_outcome",
    "contact_kind": "contact_kind",
    "pilot_light_status": "pilot_light_status",
    "meeting_status": "meeting_status",
    "crisis_kind": "crisis_kind",
    "referrer_kind": "referrer_kind",
    "channel": "channel",
    "urgency": "urgency",
    "tree_a": "answer",
    "tree_b": "answer",
    "tree_c": "answer",
    "tree_d": "answer",
}


_MONEY_FIELDS = {"amount_cents", "default_budget"}


def _audit_value(value, field: str, names: dict | None = None) -> str:
    """A value from the change history, as a person reads it (names instead of ids)."""
    if value is None or value == "":
        return "—"
    if field in REFERENCE_FIELDS and names is not None:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get((REFERENCE_FIELDS[field], v), f"#{v}") for v in ids) or "—"
    if field in _MONEY_FIELDS and str(value).lstrip("-").isdigit():
        return money(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if field in _CODED_FIELDS:
        return label(_CODED_FIELDS[field], value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    if isinstance(value, str) and len(value) > 19 and value[10] == "T":
        try:
            return _datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _audit_field(field: str, names: dict | None = None) -> str:
    """The name of a changed field; a problem per life domain names its life domain."""
    kind, _, domain_id = field.partition(":")
    if kind == "point" and domain_id.isdigit():
        return gettext("Punt %(number)s van het overdrachtsdocument", number=domain_id)
    if kind == "problem" and domain_id.isdigit():
        domain = (names or {}).get(("life_domain", int(domain_id)), f"#{domain_id}")
        return gettext("Probleem bij %(domain)s", domain=domain)
    if kind == "score" and domain_id.isdigit():
        theme = (names or {}).get(("theme", int(domain_id)), f"#{domain_id}")
        return gettext("Score %(theme)s", theme=theme)
    return label("field", field)


def _shared(items, case_id: int) -> list:
    """The records (with a life domain) of a case that the consent lets the current user read about."""
    hidden = access.hidden_domains(case_id)
    return [item for item in items if item.life_domain_id not in hidden]


def _consent_note(case_id: int) -> Markup:
    """A line saying some life domains are left out, for those the consent does not cover them all."""
    if not access.hidden_domains(case_id):
        return Markup("")
    return Markup('<p class="muted consent-note">{}</p>').format(
        gettext("Niet alles staat hier: de machtiging deelt niet elk leefgebied met uw organisatie.")
    )


def _number(value) -> str:
    """A number as the user's language writes it: '2,5' in Dutch, at most two decimals."""
    return format_number(value)


def init_app(app: Flask) -> None:
    i18n.install(app.jinja_env)
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["time"] = _time
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = _number
    app.jinja_env.filters["shared"] = _shared
    app.jinja_env.filters["audit_value"] = _audit_value
    app.jinja_env.filters["audit_field"] = _audit_field
    app.jinja_env.globals.update(
        label=label,
        access_what=access_what,
        can=access.can,
        hidden_domains=access.hidden_domains,
        consent_note=_consent_note,
        domain_shown=lambda life_domain_id, case_id: domain_shown(
            life_domain_id, access.hidden_domains(case_id), access.shares_everything(case_id)
        ),
        visible_changes=lambda entry, case_id: visible_changes(
            entry.changes, access.hidden_domains(case_id), entry.action, access.shares_everything(case_id)
        ),
        can_update_action=access.can_update_action,
        can_follow_up=access.can_follow_up,
        can_act_for_team=access.can_act_for_team,
        unread_notifications=lambda: notifications.unread_count(current_user),
        action_overdue=lambda action: is_overdue(action.due_on, action.status, local_today()),
        current_locale=lambda: str(i18n.locale()),
        today=local_today,
        chart_bars=charts.bars,
        chart_lines=charts.lines,
    )
