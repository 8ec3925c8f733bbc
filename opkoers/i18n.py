"""Translating and formatting the many messages, dates and amounts of one page quickly. Flask-Babel
finds the request's catalogue, language and time zone anew for every message and every date
(several context look-ups each, hundreds of times on a case page); these look them up once per
request (or per job, outside a request) and keep them on `g`. Times are shown in Dutch time."""

from datetime import datetime

from babel import Locale, dates, numbers
from babel.support import NullTranslations
from flask import g, has_app_context
from flask_babel import get_locale, get_translations

from .timeutil import LOCAL_TZ

KEY, LOCALE_KEY = "_opkoers_translations", "_opkoers_locale"
DUTCH = "nl"


def translations():
    """The catalogue of the current request's language (outside the app: the Dutch texts)."""
    if not has_app_context():
        return NullTranslations()
    found = g.get(KEY)
    if found is None:
        found = get_translations()
        setattr(g, KEY, found)
    return found


def locale():
    """The current request's language, as a babel Locale (outside the app: Dutch)."""
    if not has_app_context():
        return Locale.parse(DUTCH)
    found = g.get(LOCALE_KEY)
    if found is None:
        found = get_locale()
        setattr(g, LOCALE_KEY, found)
    return found


def forget() -> None:
    """A new request (tests keep one app context, and so one `g`, across requests)."""
    g.pop(KEY, None)
    g.pop(LOCALE_KEY, None)


def format_date(value, fmt: str = "medium") -> str:
    """A day (a moment: its day in Dutch time) as the language writes it."""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ)
    return dates.format_date(value, fmt, locale=locale())


def format_time(value: datetime, fmt: str = "medium") -> str:
    """A moment's time of day in Dutch time."""
    return dates.format_time(value, fmt, tzinfo=LOCAL_TZ, locale=locale())


def format_decimal(value, fmt: str) -> str:
    return numbers.format_decimal(value, format=fmt, locale=locale())


def format_currency(amount, currency: str) -> str:
    return numbers.format_currency(amount, currency, locale=locale())


def gettext(message: str, **variables) -> str:
    text = translations().ugettext(message)
    return text % variables if variables else text


def install(jinja_env) -> None:
    """The templates' _(), ngettext() and friends, through the request's catalogue."""
    jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
