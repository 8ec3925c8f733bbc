"""Accounts and sessions: password rules, login throttling and lockout, two-factor authentication,
sessions that end (idle, absolute, logout, password change) and the login trail."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from flask import current_app
from sqlalchemy import func, select

from opkoers import timeutil
from opkoers.domain import throttle, totp
from opkoers.extensions import db
from opkoers.models import AuditEntry, RecoveryCode, UserSession
from opkoers.passwords import MAX_LENGTH, needs_rehash, problem, verify_password
from opkoers.services import accounts

from .factories import Factory
from .helpers import count_queries

NEW_PASSWORD = "een zin die niemand raadt"

# ---------------------------------------------------------------- the pure rules


def test_totp_matches_the_rfc_6238_reference_code():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # the RFC's key "12345678901234567890"
    assert totp.code_at(secret, totp.step_of(datetime.fromtimestamp(59, UTC))) == "287082"
    assert totp.code_at(secret, totp.step_of(datetime.fromtimestamp(1111111109, UTC))) == "081804"


def test_a_code_is_good_for_one_step_either_side_and_only_once():
    secret, now = totp.new_secret(), datetime(2026, 12, 3, 10, 0, 15, tzinfo=UTC)
    step = totp.step_of(now)
    assert totp.matching_step(secret, totp.code_at(secret, step - 1), now, None) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, step + 1), now, None) == step + 1
    assert totp.matching_step(secret, totp.code_at(secret, step - 2), now, None) is None
    code = totp.code_at(secret, step)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", now, None) == step
    assert totp.matching_step(secret, code, now, last_used_step=step) is None  # used: never again
    assert totp.matching_step(secret, "12345", now, None) is None
    assert totp.matching_step(secret, "abcdef", now, None) is None


def test_secrets_and_recovery_codes():
    assert totp.is_valid_secret(totp.new_secret())
    assert not totp.is_valid_secret("ABC") and not totp.is_valid_secret("not base32!")
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 11 and c[5] == "-" for c in codes)
    assert totp.recovery_code_digest(codes[0].upper().replace("-", "")) == totp.recovery_code_digest(codes[0])
    uri = totp.provisioning_uri("ABCD", "a@b.nl", "Op Koers")
    assert uri.startswith("otpauth://totp/Op%20Koers%3Aa%40b.nl?secret=ABCD&issuer=Op+Koers")


def test_throttle_locks_after_the_limit_and_starts_over_after_the_lock():
    limit = throttle.Limit(3, timedelta(minutes=15), timedelta(minutes=15))
    t0 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    state = throttle.Attempts()
    for minute in range(3):
        state = throttle.after_failure(state, t0 + timedelta(minutes=minute), limit)
    assert throttle.is_locked(state, t0 + timedelta(minutes=3))
    assert throttle.after_failure(state, t0 + timedelta(minutes=4), limit) == state  # no longer lock
    assert not throttle.is_locked(state, t0 + timedelta(minutes=17, seconds=1))
    again = throttle.after_failure(state, t0 + timedelta(minutes=18), limit)
    assert again.failures == 1 and again.locked_until is None
    spread = throttle.Attempts()
    for minute in (0, 10, 20, 30):  # never three within 15 minutes
        spread = throttle.after_failure(spread, t0 + timedelta(minutes=minute), limit)
    assert spread.locked_until is None


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("", "password_length"),
        ("elf tekens!", "password_length"),
        ("x" * (MAX_LENGTH + 1), "password_length"),
        ("qwertyuiopasdf", "password_common"),
        ("welkom123456", "password_common"),
        ("1234567890123", "password_common"),
        ("een zin die niemand raadt", None),
        ("aaaaaaaaaaab", None),  # no composition rules: length and commonness only
        ("x" * 64, None),
    ],
)
def test_password_rules(password, expected):
    assert problem(password) == expected


# ---------------------------------------------------------------- logging in


def _log_in(client, user, password=Factory.PASSWORD, **kw):
    return client.post("/login", data={"email": user.email, "password": password}, **kw)


def _failures() -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "login_failed").order_by(AuditEntry.id)
    ).all()


def test_five_wrong_passwords_lock_the_account_for_15_minutes(client, factory):
    user = factory.user("professional")
    for _ in range(5):
        assert _log_in(client, user, "niet-het-wachtwoord").status_code == 422
    locked = _log_in(client, user)
    assert locked.status_code == 422 and "Inloggen is niet gelukt" in locked.get_data(as_text=True)
    assert client.get("/start").status_code == 302
    reasons = [e.changes["reason"][1] for e in _failures()]
    assert reasons == ["wrong_password"] * 5 + ["account_locked"]
    with timeutil.travel(timedelta(minutes=14)):
        assert _log_in(client, user).status_code == 422
    with timeutil.travel(timedelta(minutes=16)):
        assert _log_in(client, user).status_code == 302


def test_an_address_that_tries_many_accounts_is_slowed_down(app, client, factory):
    app.config["LOGIN_MAX_FAILURES_ADDRESS"] = 4
    user = factory.user("professional")
    for n in range(4):
        client.post("/login", data={"email": f"gok{n}@example.test", "password": "raden-maar-1234"})
    response = _log_in(client, user)
    assert response.status_code == 429 and "Inloggen is niet gelukt" in response.get_data(as_text=True)
    other_address = app.test_client()
    assert _log_in(other_address, user, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 302


def test_a_good_login_clears_the_account_count(client, factory):
    user = factory.user("professional")
    for _ in range(4):
        _log_in(client, user, "niet-het-wachtwoord")
    assert _log_in(client, user).status_code == 302
    client.post("/logout")
    for _ in range(4):
        _log_in(client, user, "niet-het-wachtwoord")
    assert _log_in(client, user).status_code == 302  # 4 + 4 failures, but never 5 in a row


def test_unknown_and_known_accounts_get_the_same_answer_in_similar_time(client, factory):
    user = factory.user("professional")

    def timed(email):
        start = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "niet-het-wachtwoord"})
        return time.perf_counter() - start, response.status_code, _message(response)

    known = [timed(user.email) for _ in range(3)]
    unknown = [timed(f"niemand{n}@example.test") for n in range(3)]
    assert {k[1:] for k in known} == {u[1:] for u in unknown} == {(422, _message_text())}
    known_time, unknown_time = sorted(k[0] for k in known)[1], sorted(u[0] for u in unknown)[1]
    assert 0.4 < known_time / unknown_time < 2.5  # both check a password hash


def _message(response) -> str:
    return _message_text() if _message_text() in response.get_data(as_text=True) else "other"


def _message_text() -> str:
    return "Inloggen is niet gelukt. Controleer uw e-mailadres en wachtwoord."


def test_every_login_and_failure_is_in_the_trail_with_the_address(client, factory):
    user = factory.user("professional")
    _log_in(client, user, "niet-het-wachtwoord", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    client.post("/login", data={"email": "niemand@example.test", "password": "x" * 12})
    _log_in(client, user, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    client.post("/logout", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    trail = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.entity_id) for e in trail] == [
        ("login_failed", user.id),
        ("login_failed", None),
        ("login", user.id),
        ("logout", user.id),
    ]
    assert trail[0].changes["reason"] == [None, "wrong_password"] and trail[0].user_id is None
    assert trail[1].changes == {"reason": [None, "unknown_account"]}  # what was typed is not kept
    assert trail[2].remote_addr == "192.0.2.10" and trail[2].user_id == user.id
    assert user.password_hash not in str([e.changes for e in trail])


# ---------------------------------------------------------------- sessions


def test_a_session_cookie_from_before_the_login_is_not_logged_in(app, factory):
    """Session fixation: whoever planted or copied the cookie before the login has nothing."""
    user = factory.user("professional")
    victim = app.test_client()
    victim.post("/taal", data={"lang": "nl"})  # a session cookie exists before the login
    planted = victim.get_cookie("session").value
    assert _log_in(victim, user).status_code == 302
    assert victim.get_cookie("session").value != planted
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/start").status_code == 302
    assert victim.get("/start").status_code == 200


def test_idle_sessions_end_after_30_minutes(client, factory):
    user = factory.user("professional")
    _log_in(client, user)
    with timeutil.travel(timedelta(minutes=29)):
        assert client.get("/start").status_code == 200
    with timeutil.travel(timedelta(minutes=29 + 31)):
        response = client.get("/acties")
        assert response.status_code == 302 and response.location.startswith("/login?next=/acties")
        page = client.get(response.location).get_data(as_text=True)
        assert "U bent uitgelogd omdat u een tijd niets heeft gedaan" in page
    assert client.get("/start").status_code == 302  # ended for good, not only while the clock was ahead
    ended = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert ended.end_reason == "idle"


def test_a_static_file_leaves_the_session_to_the_pages(client, factory):
    """The browser fetches the icon beside a page: that neither reads the session nor ends it, so
    the next page still says why the session ended."""
    user = factory.user("professional")
    _log_in(client, user)
    with timeutil.travel(timedelta(minutes=31)):
        with count_queries() as queries:
            assert client.get("/static/favicon.svg").status_code == 200
        assert queries == []
        response = client.get("/acties")
        page = client.get(response.location).get_data(as_text=True)
        assert "U bent uitgelogd omdat u een tijd niets heeft gedaan" in page


def test_sessions_end_12_hours_after_login_however_busy(client, factory):
    user = factory.user("professional")
    _log_in(client, user)
    for quarter in range(1, 48):  # every 15 minutes, for 11 hours and 45 minutes
        with timeutil.travel(timedelta(minutes=15 * quarter)):
            assert client.get("/start").status_code == 200
    with timeutil.travel(timedelta(hours=12, minutes=1)):
        assert client.get("/start").status_code == 302


def test_an_htmx_request_with_an_ended_session_sends_the_whole_page_to_login(client, factory):
    user = factory.user("projectgroep")
    _log_in(client, user)
    with timeutil.travel(timedelta(hours=1)):
        response = client.get(
            "/trajecten?q=jan",
            headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/trajecten?status=intake"},
        )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/trajecten?status%3Dintake"
    assert response.get_data() == b""  # no login form inside a fragment


def test_logging_out_ends_only_this_browser(app, factory):
    user = factory.user("professional")
    laptop, phone = app.test_client(), app.test_client()
    _log_in(laptop, user)
    _log_in(phone, user)
    laptop.post("/logout")
    assert laptop.get("/start").status_code == 302
    assert phone.get("/start").status_code == 200


def test_changing_ones_password_ends_the_other_sessions(app, factory):
    user = factory.user("professional")
    laptop, phone = app.test_client(), app.test_client()
    _log_in(laptop, user)
    _log_in(phone, user)
    data = {"pw-current": Factory.PASSWORD, "pw-new": NEW_PASSWORD, "pw-repeat": NEW_PASSWORD}
    response = laptop.post("/account/wachtwoord", data=data)
    assert response.status_code == 302
    assert laptop.get("/start").status_code == 200
    assert phone.get("/start").status_code == 302
    db.session.expire_all()
    assert verify_password(user.password_hash, NEW_PASSWORD) and user.password_changed_at


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"pw-current": "fout-wachtwoord-1", "pw-new": NEW_PASSWORD, "pw-repeat": NEW_PASSWORD}, 409,
         "Uw huidige wachtwoord klopt niet."),
        ({"pw-current": Factory.PASSWORD, "pw-new": "welkom123456", "pw-repeat": "welkom123456"}, 422,
         "Dit wachtwoord wordt veel gebruikt"),
        ({"pw-current": Factory.PASSWORD, "pw-new": "kort", "pw-repeat": "kort"}, 422,
         "Kies een wachtwoord van 12 tot 128 tekens."),
        ({"pw-current": Factory.PASSWORD, "pw-new": NEW_PASSWORD, "pw-repeat": "iets anders dan dat"}, 422,
         "Dit is niet hetzelfde als het nieuwe wachtwoord."),
    ],
)  # fmt: skip
def test_a_refused_password_change_changes_nothing(login, factory, data, status, message):
    user = factory.user("professional")
    client = login(user)
    old_hash = user.password_hash
    response = client.post("/account/wachtwoord", data=data)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert data["pw-new"] not in response.get_data(as_text=True)  # a password is never sent back
    db.session.expire_all()
    assert user.password_hash == old_hash
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "password_changed")) == 0


def test_the_account_page_lists_where_one_is_logged_in(app, factory):
    user = factory.user("professional")
    laptop, phone = app.test_client(), app.test_client()
    laptop.environ_base["HTTP_USER_AGENT"] = "Laptop-browser"
    phone.environ_base["HTTP_USER_AGENT"] = "Telefoon-browser"
    _log_in(laptop, user)
    _log_in(phone, user)
    page = laptop.get("/account").get_data(as_text=True)
    assert "Laptop-browser" in page and "Telefoon-browser" in page and "Deze browser" in page
    assert laptop.post("/account/sessies").status_code == 302
    assert phone.get("/start").status_code == 302 and laptop.get("/start").status_code == 200


# ---------------------------------------------------------------- two-factor authentication


def _now_code(secret: str, offset: int = 0) -> str:
    return totp.code_at(secret, totp.step_of(timeutil.utc_now()) + offset)


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    secret = page.split('name="secret" type="hidden" value="')[1].split('"')[0]
    assert 'src="data:image/svg+xml' in page  # the QR code, as an image the CSP allows
    response = client.post(
        "/account/tweestapsverificatie", data={"secret": secret, "code": _now_code(secret)}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    html = response.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)
    assert len(codes) == 10
    return secret, codes


def test_switching_on_two_factor_needs_a_working_code(login, factory):
    user = factory.user("professional")
    client = login(user)
    page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    secret = page.split('name="secret" type="hidden" value="')[1].split('"')[0]
    wrong = client.post("/account/tweestapsverificatie", data={"secret": secret, "code": "000000"})
    assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    assert secret in wrong.get_data(as_text=True)  # the same key stays on the page
    db.session.expire_all()
    assert user.totp_secret is None
    _enrol(client)
    db.session.expire_all()
    assert user.has_two_factor
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10


def test_with_two_factor_the_password_alone_opens_nothing(app, login, factory):
    user = factory.user("professional")
    secret, codes = _enrol(login(user))
    browser = app.test_client()
    response = _log_in(browser, user)
    assert response.status_code == 302 and response.location == "/login/code"
    assert browser.get("/start").status_code == 302  # not logged in yet
    wrong = browser.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 422
    assert browser.post("/login/code", data={"code": _now_code(secret, 1)}).status_code == 302
    assert browser.get("/start").status_code == 200


def test_a_used_code_cannot_be_used_again(app, login, factory):
    user = factory.user("professional")
    secret, _ = _enrol(login(user))
    first, second = app.test_client(), app.test_client()
    code = _now_code(secret, 1)  # the enrolment used this step's code already
    _log_in(first, user)
    assert first.post("/login/code", data={"code": code}).status_code == 302
    _log_in(second, user)
    reused = second.post("/login/code", data={"code": code})
    assert reused.status_code == 422 and "al gebruikt" in reused.get_data(as_text=True)
    assert second.get("/start").status_code == 302
    assert db.session.scalar(select(AuditEntry.changes).where(AuditEntry.action == "login_failed"))[
        "reason"
    ] == [None, "wrong_code"]


def test_a_recovery_code_works_once(app, login, factory):
    user = factory.user("professional")
    _, codes = _enrol(login(user))
    first, second = app.test_client(), app.test_client()
    _log_in(first, user)
    assert first.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    _log_in(second, user)
    assert second.post("/login/code", data={"code": codes[3]}).status_code == 422
    assert accounts.unused_recovery_codes(user) == 9


def test_wrong_codes_count_towards_the_lock(app, login, factory):
    user = factory.user("professional")
    secret, _ = _enrol(login(user))
    browser = app.test_client()
    _log_in(browser, user)
    for _ in range(5):
        browser.post("/login/code", data={"code": "000000"})
    assert browser.post("/login/code", data={"code": _now_code(secret, 1)}).status_code == 422


def test_logging_in_again_does_not_reset_the_count_of_wrong_codes(app, login, factory):
    """The right password alone does not buy new guesses at the code."""
    user = factory.user("professional")
    secret, _ = _enrol(login(user))
    browser = app.test_client()
    for _ in range(3):
        assert _log_in(browser, user).location == "/login/code"
        for _ in range(2):
            browser.post("/login/code", data={"code": "000000"})
    assert browser.post("/login/code", data={"code": _now_code(secret, 1)}).status_code == 422
    assert [e.changes["reason"][1] for e in _failures()][-1] == "locked"


def test_a_reset_between_password_and_code_leaves_nothing_to_log_in_with(app, login, factory):
    user = factory.user("professional")
    secret, _ = _enrol(login(user))
    browser = app.test_client()
    _log_in(browser, user)
    accounts.reset_two_factor(factory.user("beheerder"), user)
    db.session.commit()
    assert browser.post("/login/code", data={"code": _now_code(secret, 1)}).status_code == 422
    assert browser.get("/start").status_code == 302


def test_the_code_step_expires(app, login, factory):
    user = factory.user("professional")
    secret, _ = _enrol(login(user))
    browser = app.test_client()
    _log_in(browser, user)
    with timeutil.travel(timedelta(minutes=6)):
        response = browser.post("/login/code", data={"code": _now_code(secret)})
    assert response.status_code == 302 and response.location == "/login"


@pytest.fixture
def two_factor_for_project_group(app):
    app.config["TWO_FACTOR_ROLES"] = ("projectgroep", "beheerder")


def test_the_project_group_sets_up_two_factor_before_anything_else(
    two_factor_for_project_group, app, factory
):
    user = factory.user("projectgroep")
    browser = app.test_client()
    response = _log_in(browser, user)
    assert response.location == "/account/tweestapsverificatie"
    for url in ("/start", "/trajecten", "/account"):
        assert browser.get(url).location == "/account/tweestapsverificatie", url
    htmx = browser.get("/trajecten", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/account/tweestapsverificatie"
    _enrol(browser)
    assert browser.get("/start").status_code == 200
    off = browser.post("/account/tweestapsverificatie/uit", data={"confirm-password": Factory.PASSWORD})
    assert off.status_code == 409 and "verplicht" in off.get_data(as_text=True)


def test_demo_accounts_may_skip_two_factor_in_demo_mode_only(two_factor_for_project_group, app, factory):
    demo = factory.user("projectgroep", email="projectgroep@opkoers.test")
    assert not accounts.two_factor_required(demo)
    app.config["DEMO_MODE"] = False
    assert accounts.two_factor_required(demo)


def test_the_beheerder_can_require_two_factor_of_everyone(app, factory):
    beheerder, professional = factory.user("beheerder"), factory.user("professional")
    assert not accounts.two_factor_required(professional)
    accounts.require_two_factor_for_everyone(beheerder, True, None)
    assert accounts.two_factor_required(professional)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting_changed"))
    assert entry.changes == {"two_factor_everyone": ["0", "1"]}


def test_switching_two_factor_off_needs_the_password_and_ends_other_sessions(app, login, factory):
    user = factory.user("professional")
    client = login(user)
    _enrol(client)
    wrong = client.post("/account/tweestapsverificatie/uit", data={"confirm-password": "fout-wachtwoord-1"})
    assert wrong.status_code == 409
    db.session.expire_all()
    assert user.has_two_factor
    ok = client.post("/account/tweestapsverificatie/uit", data={"confirm-password": Factory.PASSWORD})
    assert ok.status_code == 302
    db.session.expire_all()
    assert not user.has_two_factor and accounts.unused_recovery_codes(user) == 0


def test_switching_two_factor_on_ends_the_other_sessions(app, login, factory):
    user = factory.user("professional")
    elsewhere, here = login(user), login(user)
    _enrol(here)
    assert elsewhere.get("/start").status_code == 302
    assert here.get("/start").status_code == 200


def test_asking_the_password_again_counts_towards_the_lock(app, login, factory):
    user = factory.user("professional")
    client = login(user)
    _enrol(client)
    for _ in range(5):
        wrong = client.post("/account/herstelcodes", data={"confirm-password": "fout-wachtwoord-1"})
        assert wrong.status_code == 409 and "klopt niet" in wrong.get_data(as_text=True)
    locked = client.post("/account/herstelcodes", data={"confirm-password": Factory.PASSWORD})
    assert locked.status_code == 409 and "te vaak" in locked.get_data(as_text=True)
    reasons = db.session.scalars(
        select(AuditEntry.changes).where(AuditEntry.action == "password_confirm_failed")
    ).all()
    assert [r["reason"][1] for r in reasons] == ["wrong_password"] * 5 + ["locked"]
    assert accounts.unused_recovery_codes(user) == 10
    assert _log_in(app.test_client(), user).status_code == 422  # the login is locked as well


def test_new_recovery_codes_replace_the_old_ones(app, login, factory):
    user = factory.user("professional")
    client = login(user)
    _, old = _enrol(client)
    response = client.post("/account/herstelcodes", data={"confirm-password": Factory.PASSWORD})
    assert response.status_code == 200
    assert old[0] not in response.get_data(as_text=True)
    assert accounts.unused_recovery_codes(user) == 10
    browser = app.test_client()
    _log_in(browser, user)
    assert browser.post("/login/code", data={"code": old[0]}).status_code == 422


def test_the_login_limits_are_settings(app):
    assert current_app.config["SESSION_IDLE_MINUTES"] == 30
    assert current_app.config["SESSION_ABSOLUTE_HOURS"] == 12
    assert current_app.config["LOGIN_MAX_FAILURES_ACCOUNT"] == 5


def test_an_old_hash_is_replaced_at_the_next_login(client, factory):
    user = factory.user("professional")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024).hash(Factory.PASSWORD)
    old = user.password_hash
    assert needs_rehash(old)
    assert _log_in(client, user).status_code == 302
    db.session.expire_all()
    assert user.password_hash != old and not needs_rehash(user.password_hash)
    assert verify_password(user.password_hash, Factory.PASSWORD) and "m=19456" in user.password_hash
