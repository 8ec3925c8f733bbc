"""Jinja filters and globals: Dutch dates, labels, access checks."""

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from . import access
from .labels import label
from .timeutil import local_today


def _date(value, fmt: str = "long") -> str:
    return format_date(value, fmt) if value else ""


def _datetime(value, fmt: str = "d MMMM yyyy, HH:mm") -> str:
    return format_datetime(value, fmt) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = _date
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.globals.update(
        label=label,
        can=access.can,
        current_locale=lambda: str(get_locale()),
        today=local_today,
    )
