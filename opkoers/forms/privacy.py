"""The client's file: keeping it past its retention date."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length


class LegalHoldForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom moeten de gegevens langer bewaard blijven?"),
        validators=[Length(max=2000, message=_l("Gebruik hoogstens %(max)d tekens."))],
    )
