"""Translating and formatting the many messages, dates and amounts of one page quickly. Flask-Babel
finds the request's catalogue, language and time zone anew for every message and every date
(several context look-ups each, hundreds of times on a case page); these look them up once per
request (or per job, outside a request) and keep them on `g`. Times are shown in Dutch time."""

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache, lru_cache

from babel import Locale, dates, numbers
from babel.support import NullTranslations
from flask import g, has_app_context
from flask_babel import get_locale, get_translations

from .timeutil import LOCAL_TZ

KEY, LOCALE_KEY = "_opkoers_translations", "_opkoers_locale"
HUNDREDTH = Decimal("0.01")
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
        value = value.astimezone(LOCAL_TZ).date()
    return _written_day(value, fmt, str(locale()))


def format_time(value: datetime, fmt: str = "medium") -> str:
    """A moment's time of day in Dutch time."""
    return _written_time(value, fmt, str(locale()))


# A page shows the same days and moments many times (and the next page again): each is written
# once by Babel and then remembered, per language.
@lru_cache(maxsize=4096)
def _written_day(day: date, fmt: str, language: str) -> str:
    return dates.format_date(day, fmt, locale=language)


@lru_cache(maxsize=4096)
def _written_time(moment: datetime, fmt: str, language: str) -> str:
    return dates.format_time(moment, fmt, tzinfo=LOCAL_TZ, locale=language)


NUMBER_PATTERN = "#,##0.##"  # grouped by thousands, at most two decimals


def _grouped(whole: int, group: str) -> str:
    """A whole number with the language's sign between each group of three digits."""
    return f"{whole:,}".replace(",", group)


@cache
def _number_shape(language: str) -> tuple[str, str, str] | None:
    """The minus, group and decimal signs of the language, taken once from Babel; None when it
    writes numbers some other way (then Babel formats each number)."""
    found = Locale.parse(language)
    group, point = numbers.get_group_symbol(found), numbers.get_decimal_symbol(found)
    minus = numbers.format_decimal(-1, format=NUMBER_PATTERN, locale=found).removesuffix("1")
    if numbers.format_decimal(-1234.5, format=NUMBER_PATTERN, locale=found) != f"{minus}1{group}234{point}5":
        return None
    return minus, group, point


def format_number(value) -> str:
    """A number as the request's language writes it, at most two decimals ('2,5' in Dutch), as
    Babel would write it, without Babel's general number formatting for each (a report shows many)."""
    current = locale()
    shape = _number_shape(str(current))
    if shape is None:
        return numbers.format_decimal(value, format=NUMBER_PATTERN, locale=current)
    minus, group, point = shape
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(HUNDREDTH, rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = _grouped(int(whole), group) + (f"{point}{fraction}" if fraction else "")
    return f"{minus}{text}" if number.is_signed() else text


@cache
def _euro_shape(language: str) -> tuple[str, str, str, str, str, str] | None:
    """How the language writes an amount in euros, taken once from Babel: the text before and after
    the digits of a positive and of a negative amount, and the group and decimal signs. None when
    the language does not group by thousands with two decimals (then Babel formats each amount)."""
    found = Locale.parse(language)
    pattern = found.currency_formats["standard"]
    if pattern.grouping != (3, 3) or pattern.frac_prec != (2, 2):
        return None
    group, point = numbers.get_group_symbol(found), numbers.get_decimal_symbol(found)
    digits = f"1{point}00"
    positive = numbers.format_currency(Decimal(1), "EUR", locale=found).split(digits)
    negative = numbers.format_currency(Decimal(-1), "EUR", locale=found).split(digits)
    if len(positive) != 2 or len(negative) != 2:
        return None
    return (*positive, *negative, group, point)


def format_euro_cents(cents: int) -> str:
    """An amount in cents as the request's language writes euros, as Babel would write it, without
    Babel's general number formatting for each amount (a budget overview shows hundreds)."""
    current = locale()
    shape = _euro_shape(str(current))
    if shape is None:
        return numbers.format_currency(Decimal(cents) / 100, "EUR", locale=current)
    before, after, before_negative, after_negative, group, point = shape
    whole, rest = divmod(abs(cents), 100)
    digits = f"{_grouped(whole, group)}{point}{rest:02d}"
    if cents < 0:
        return f"{before_negative}{digits}{after_negative}"
    return f"{before}{digits}{after}"


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
