"""Settings the beheerder changes in the app: stored as text per key, with a default from config.py
or the domain until someone changes it; every change is in the trail."""

from .. import audit
from ..extensions import db
from ..models import Setting
from . import check_version


def stored(key: str) -> Setting | None:
    """The stored setting, or None while it still has its default."""
    return db.session.get(Setting, key)


def value(key: str, default: str) -> str:
    """The setting's value as text: the stored one, else the default."""
    setting = stored(key)
    return setting.value if setting else default


def version(key: str) -> int | None:
    """The stored setting's version (None before it was ever changed), for the edit form."""
    setting = stored(key)
    return setting.version if setting else None


def save(
    actor, key: str, new_value: str, submitted_version: int | None, *, default: str, action: str, field: str
) -> None:
    """Change a setting (refused when someone else changed it since the form was opened); the trail
    names it as `field` under `action`."""
    setting = stored(key)
    if setting is None:
        setting = Setting(key=key, value=new_value)
        db.session.add(setting)
        changes = {"value": [default, new_value]} if new_value != default else {}
    else:
        check_version(setting, submitted_version)
        changes = audit.apply_changes(setting, {"value": new_value})
    if changes:
        audit.record(actor, action, setting, {field: changes["value"]})
