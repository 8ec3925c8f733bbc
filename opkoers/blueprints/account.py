"""My account: the password, two-factor authentication and the places I am logged in."""

import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain import totp
from ..forms.auth import EnrolForm, PasswordChangeForm, PasswordConfirmForm
from ..messages import rule_message
from ..services import accounts
from .requests import REFUSED, as_rule_violation, keep_trail_on_refusal

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _logged_in():
    """Every page here is about the logged-in user's own account."""


def _me():
    return current_user._get_current_object()


def _page(status: int = 200, **forms):
    me = _me()
    context = {
        "password_form": PasswordChangeForm(prefix="pw"),
        "confirm_form": PasswordConfirmForm(prefix="confirm"),
        "sessions": accounts.open_sessions(me),
        "current_key_hash": accounts.key_hash(session.get("sid")),
        "required": accounts.two_factor_required(me),
        "unused_codes": accounts.unused_recovery_codes(me) if me.has_two_factor else 0,
        "message": None,
    } | forms
    return render_template("account/index.html", **context), status


@bp.get("")
def index():
    return _page()[0]


def _change(form, name: str, change):
    """A change on the account page: bad input shows the page again with the form (422), a refusal
    says why (409, nothing changed); otherwise the answer `change` gives."""
    if not form.validate_on_submit():
        return _page(422, **{name: form})
    try:
        return change()
    except REFUSED as refusal:
        if getattr(refusal, "code", None) in (accounts.PASSWORD_WRONG, accounts.PASSWORD_LOCKED):
            keep_trail_on_refusal()  # a wrong password counts towards the lock; nothing else changed
        return _page(409, message=rule_message(as_rule_violation(refusal)), **{name: form})


def _done(message: str):
    flash(message, "success")
    return redirect(url_for("account.index"))


@bp.post("/wachtwoord")
def password():
    form = PasswordChangeForm(prefix="pw")

    def change():
        accounts.change_password(_me(), form.current.data, form.new.data, session.get("sid"))
        return _done(_("Uw wachtwoord is veranderd. Op andere apparaten bent u uitgelogd."))

    return _change(form, "password_form", change)


@bp.post("/sessies")
def end_other_sessions():
    ended = accounts.end_sessions(_me(), _me(), "logout", keep_key=session.get("sid"))
    return _done(_("U bent op %(count)s andere plaatsen uitgelogd.", count=ended))


def _qr(secret: str) -> str:
    uri = totp.provisioning_uri(secret, _me().email, accounts.ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


@bp.route("/tweestapsverificatie", methods=["GET", "POST"])
def two_factor():
    """Switch on two-factor authentication: scan the code (or type the key), then prove it with a code."""
    me = _me()
    if me.has_two_factor:
        return redirect(url_for("account.index"))
    form = EnrolForm()
    if request.method == "GET" or not totp.is_valid_secret(form.secret.data or ""):
        form.secret.data = totp.new_secret()
    message, status = None, 200
    if form.validate_on_submit():
        try:
            codes = accounts.enable_two_factor(me, form.secret.data, form.code.data, session.get("sid"))
        except REFUSED as refusal:
            message, status = rule_message(as_rule_violation(refusal)), 422
        else:
            return render_template("account/recovery_codes.html", codes=codes, first_time=True)
    elif request.method == "POST":
        status = 422
    secret = form.secret.data
    return render_template(
        "account/two_factor.html",
        form=form,
        qr=_qr(secret),
        key_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        required=accounts.two_factor_required(me),
        message=message,
    ), status


@bp.post("/herstelcodes")
def recovery_codes():
    form = PasswordConfirmForm(prefix="confirm")

    def change():
        codes = accounts.renew_recovery_codes(_me(), form.password.data)
        return render_template("account/recovery_codes.html", codes=codes, first_time=False)

    return _change(form, "confirm_form", change)


@bp.post("/tweestapsverificatie/uit")
def two_factor_off():
    form = PasswordConfirmForm(prefix="confirm")

    def change():
        accounts.disable_two_factor(_me(), form.password.data, session.get("sid"))
        return _done(_("Tweestapsverificatie staat nu uit."))

    return _change(form, "confirm_form", change)
