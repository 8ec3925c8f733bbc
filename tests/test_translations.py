"""The English catalogue is complete and correct, and the app shows it after the language switch.

No database needed. When a test here fails because a message has no translation, run

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o opkoers/translations/messages.pot .
    .venv/bin/pybabel update -i opkoers/translations/messages.pot -d opkoers/translations -l en

then translate the new entries in opkoers/translations/en/LC_MESSAGES/messages.po
(remove any "#, fuzzy" flag after checking) and run `make translations`.
"""

import os
import re
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel import numbers
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

try:
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # Babel < 2.14
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

from flask import session

from opkoers import create_app, templating
from opkoers.messages import money

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "opkoers" / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same keywords as the extract command: Babel's defaults plus -k _l -k lazy_gettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

HOW_TO_FIX = (
    "Run:\n"
    "  .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o opkoers/translations/messages.pot . "
    "&& .venv/bin/pybabel update -i opkoers/translations/messages.pot -d opkoers/translations -l en\n"
    "then translate these entries in opkoers/translations/en/LC_MESSAGES/messages.po "
    "(and remove '#, fuzzy' after checking)."
)

# A named placeholder as used with gettext(..., name=value): %(name)s, %(count)d, ...
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _extract_source() -> Catalog:
    """The messages in the current source code, extracted as `pybabel extract -F babel.cfg` does."""
    with open(BABEL_CFG, encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read_english() -> Catalog:
    with open(PO_FILE, "rb") as f:
        return read_po(f, locale="en")


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _is_translated(message) -> bool:
    return bool(message.string) and all(_forms(message.string)) and not message.fuzzy


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text or ""))


def test_source_extraction_finds_messages():
    """Guards the completeness test below: an empty extraction would make it pass vacuously."""
    source = _extract_source()
    ids = {_forms(m.id)[0] for m in source if m.id}
    assert len(ids) > 100
    assert "Inloggen bij Op Koers" in ids  # a template
    assert "Log in om verder te gaan." in ids  # Python, lazy_gettext


def test_every_message_in_the_source_has_an_english_translation():
    source = _extract_source()
    english = _read_english()
    missing = []
    for message in source:
        if not message.id:
            continue
        translated = english.get(message.id, context=message.context)
        if translated is None or not _is_translated(translated):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"  {_forms(message.id)[0]!r}  ({where})")
    assert not missing, (
        f"{len(missing)} message(s) have no (or only a fuzzy) English translation:\n"
        + "\n".join(sorted(missing))
        + "\n"
        + HOW_TO_FIX
    )


def test_no_fuzzy_entries_left():
    fuzzy = [_forms(m.id)[0] for m in _read_english() if m.id and m.fuzzy]
    assert not fuzzy, (
        "Fuzzy entries in the English catalogue (check them, then remove '#, fuzzy'):\n"
        + "\n".join(f"  {m!r}" for m in fuzzy)
    )


def test_translations_keep_the_placeholders_of_their_msgid():
    english = _read_english()
    wrong = []
    for message in english:
        if not message.id or not message.string:
            continue
        ids = _forms(message.id)
        strings = _forms(message.string)
        for i, text in enumerate(strings):
            # plural forms: form 0 is the singular, every further form follows msgid_plural
            expected = _placeholders(ids[min(i, len(ids) - 1)])
            if text and _placeholders(text) != expected:
                got = sorted(_placeholders(text))
                wrong.append(f"  {ids[0]!r} -> {text!r}: expected {sorted(expected)}, got {got}")
        # Babel's own checks (python-format conversions, number of plural forms)
        for error in message.check(english):
            wrong.append(f"  {ids[0]!r}: {error}")
    assert not wrong, "Translations whose placeholders do not match the msgid:\n" + "\n".join(wrong)


def _compile_if_stale() -> None:
    """The .mo is git-ignored (built by `make translations`); build it here when missing or older."""
    if MO_FILE.exists() and MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime:
        return
    catalog = _read_english()
    fd, tmp = tempfile.mkstemp(dir=MO_FILE.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the .mo is an ordinary build file
        os.replace(tmp, MO_FILE)  # atomic, so parallel test workers never read half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@pytest.fixture
def client():
    _compile_if_stale()
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client()


def test_login_page_is_dutch_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen bij Op Koers" in html
    assert ">English</button>" in html


def test_english_button_switches_the_pages_to_english(client):
    response = client.post("/taal", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Log in to Op Koers</h1>" in html
    assert "Email address" in html and "Password" in html  # form labels (lazy_gettext)
    assert "Inloggen bij Op Koers" not in html
    assert ">Nederlands</button>" in html

    # and back to Dutch
    client.post("/taal", data={"lang": "nl", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen bij Op Koers" in html


def test_every_audit_action_in_the_code_has_a_readable_name():
    """The history and the privacy pages show actions by name, never as a code."""
    from opkoers.labels import LABELS

    written = set()
    for path in Path(__file__).parent.parent.joinpath("opkoers").rglob("*.py"):
        written |= set(re.findall(r'audit\.record\(\s*[^,()]+,\s*"([a-z_]+)"', path.read_text()))
    assert len(written) > 40
    assert sorted(written - LABELS["audit_action"].keys()) == []


@pytest.mark.parametrize(
    "lang, amount, day, moment",
    [
        ("nl", "€\xa02.500,00", "17 mei 1980", "3 december 2026, 14:05"),
        ("en", "€2,500.00", "May 17, 1980", "December 3, 2026, 2:05 PM"),
    ],
)
def test_amounts_dates_and_times_follow_the_language(client, lang, amount, day, moment):
    """Money, days and moments as the chosen language writes them (moments in Dutch time)."""
    with client.application.test_request_context():
        session["lang"] = lang
        assert money(250000) == amount
        assert templating._date(date(1980, 5, 17)) == day
        shown = templating._datetime(datetime(2026, 12, 3, 13, 5, tzinfo=UTC))
        assert shown.replace("\u202f", " ") == moment  # (newer CLDR data puts a narrow space before PM)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_amounts_are_written_as_babel_writes_them(client, lang):
    """The quick way of writing euros gives the same text as Babel's number formatting, for small,
    large, round and negative amounts."""
    cents = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 99999, 100000, 123456789, 250000, 10**12 + 7]
    with client.application.test_request_context():
        session["lang"] = lang
        for amount in [*cents, *(-c for c in cents if c)]:
            expected = numbers.format_currency(Decimal(amount) / 100, "EUR", locale=lang)
            assert money(amount) == expected, amount


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_numbers_are_written_as_babel_writes_them(client, lang):
    """The quick way of writing a number (at most two decimals) gives the same text as Babel's, for
    whole numbers, fractions that round either way, large and negative numbers."""
    values = [0, 1, 7, 1000, 1234567, 0.5, 2.25, 2.675, 0.005, 0.015, 0.001, 1234.5678, 10 / 3, 999.999]
    values += [Decimal("12.345"), Decimal("1E+3"), Decimal("0.10")]
    with client.application.test_request_context():
        session["lang"] = lang
        for value in [*values, *(-v for v in values)]:
            expected = numbers.format_decimal(value, format="#,##0.##", locale=lang)
            assert templating._number(value) == expected, value
