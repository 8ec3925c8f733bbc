"""Reading what comes in with a request, the same way in every blueprint."""

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from .. import i18n
from ..domain import RuleViolation
from ..extensions import db
from ..messages import rule_message
from ..recent import recent
from ..services import cases
from ..timeutil import local_today

REFUSED = (RuleViolation, StaleDataError)  # a save a rule or a newer copy said no to
MAX_ID = 2**31 - 1  # ids and page numbers beyond this do not exist (the database could not hold them)


def number_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string; a missing, malformed or impossible one gives the default."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else default


def shown_again(kind: str, case, render: Callable[[], str]) -> Markup:
    """A page's own part about one case (the case page, a meeting's page), as rendered a moment ago
    for the same person in the same session: until the case's trail holds a new change, the day
    turns, the language changes or CASE_PAGE_CACHE_SECONDS pass (what the trail does not record,
    such as a colleague's new name, shows by then). The request's own checks and its access-log row
    come first, as for any page."""
    seen_as = (
        current_user.id,
        current_user.role,
        current_user.organisation_id,
        session.get("sid"),  # this login session,
        session.get("csrf_token"),  # whose form token the page's forms carry
        str(i18n.locale()),
        local_today(),
        request.full_path,
    )
    changes = cases.change_count(case)

    def rendered() -> Markup:
        # What the page shows is read after the count, so never older than the count it is kept
        # under (on PostgreSQL each statement sees the latest commits: the case loaded before the
        # count may be older).
        db.session.expire_all()
        return Markup(render())

    return recent(kind, (case.id, changes, *seen_as), current_app.config["CASE_PAGE_CACHE_SECONDS"], rendered)


def safe_local_path(target: str | None, fallback: str) -> str:
    """Follow only a path on this site: no scheme, no host, no backslashes or control characters."""
    if not target or not target.startswith("/") or "\\" in target:
        return fallback
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


def keep_trail_on_refusal() -> None:
    """Commit this request even though it answers with an error: a refused login still counts
    towards the lock and stays in the audit trail (the view changed nothing else)."""
    g.keep_trail_on_refusal = True


def as_rule_violation(refusal: Exception) -> RuleViolation:
    """A refused save as the rule it stands for: a domain rule, or the database saying that someone
    saved first (stale) or at the same moment (conflict)."""
    if isinstance(refusal, RuleViolation):
        return refusal
    return RuleViolation("stale" if isinstance(refusal, StaleDataError) else "conflict")


def submit(form, change, done: str, next_url: str, page):
    """The shape of a form page's POST: valid input goes through the one service call (`change`),
    then a flash and a redirect; bad input shows the page again with the input kept (422), a
    refused change with the reason (409) and nothing saved. `page(status, message)` renders it."""
    if not form.validate_on_submit():
        return page(422 if request.method == "POST" else 200, None)
    try:
        change()
        db.session.flush()
    except REFUSED as refusal:
        db.session.rollback()
        return page(409, rule_message(as_rule_violation(refusal)))
    flash(done, "success")
    return redirect(next_url)
