"""Translating the many messages of one page quickly. Flask-Babel finds the request's catalogue
anew for every message (several context look-ups each, hundreds of times on a case page); these
look it up once per request (or per job, outside a request) and keep it on `g`."""

from flask import g
from flask_babel import get_translations

KEY = "_opkoers_translations"


def translations():
    """The catalogue of the current request's language."""
    found = g.get(KEY)
    if found is None:
        found = get_translations()
        setattr(g, KEY, found)
    return found


def forget() -> None:
    """A new request (tests keep one app context, and so one `g`, across requests)."""
    g.pop(KEY, None)


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
