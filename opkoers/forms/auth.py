from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=MAX_LENGTH)]
    )
