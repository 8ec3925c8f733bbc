"""Logging in, the second step, and what a user changes in their own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .. import passwords
from ..messages import password_problem_message


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=passwords.MAX_LENGTH)],
    )


def _code_field(label):
    return StringField(
        label,
        validators=[DataRequired(_l("Vul de code in.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class CodeForm(FlaskForm):
    """Step two: the code from the app, or a recovery code."""

    code = _code_field(_l("Code"))


def new_password_rules(form, field) -> None:
    """The rules for a new password (length, not a commonly used one), at the field."""
    refused = passwords.problem(field.data or "")
    if refused:
        raise ValidationError(password_problem_message(refused))


def _current_password():
    return PasswordField(
        _l("Uw huidige wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):
    current = _current_password()
    new = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Kies een nieuw wachtwoord.")), new_password_rules],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(_l("Typ het nieuwe wachtwoord nog een keer.")),
            EqualTo("new", _l("Dit is niet hetzelfde als het nieuwe wachtwoord.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class EnrolForm(FlaskForm):
    """Switching on two-factor authentication: the secret shown on the page, and a code from the app."""

    secret = HiddenField(validators=[DataRequired(), Length(max=64)])
    code = _code_field(_l("Code uit de app"))


class PasswordConfirmForm(FlaskForm):
    """A sensitive change to one's own account: the password once more."""

    password = _current_password()
