"""Field helpers shared by the forms."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from ..domain.contact import EMAIL_MAX_LENGTH, EMAIL_PATTERN
from ..timeutil import local_today


def required(message=None):
    return DataRequired(message or _l("Vul dit veld in."))


def text(label, max_length: int = 200, optional: bool = False, checks=(), **kw):
    """A one-line text field, stripped, with a length limit and a Dutch message (and more checks)."""
    validators = [
        Optional() if optional else required(),
        Length(max=max_length, message=_l("Maximaal %(max)d tekens.")),
        *checks,
    ]
    return StringField(label, validators=validators, filters=[_strip], **kw)


def long_text(label, max_length: int = 10_000, optional: bool = False, **kw):
    validators = [
        Optional() if optional else required(),
        Length(max=max_length, message=_l("Maximaal %(max)d tekens.")),
    ]
    return TextAreaField(label, validators=validators, filters=[_strip], **kw)


def optional_id(value):
    """A select's value as an id, None for the empty choice; anything else is refused as a choice."""
    return int(value) if value not in (None, "", "None") else None


def email_checks(optional: bool = False) -> list:
    """The validators of an e-mail address field: filled in (or not), not too long, one address."""
    return [
        Optional() if optional else required(),
        Length(max=EMAIL_MAX_LENGTH, message=_l("Maximaal %(max)d tekens.")),
        Regexp(EMAIL_PATTERN, message=_l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")),
    ]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DutchDateField(DateField):
    """A date field with a plain message for impossible dates."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Vul een bestaande datum in (dag-maand-jaar).")) from error


def date_field(label, optional: bool = False, **kw):
    """A date; the browser's date picker sends 2026-11-23, a person may type 23-11-2026."""
    validators = [Optional() if optional else InputRequired(_l("Vul een datum in."))]
    return DutchDateField(label, validators=validators, format=["%Y-%m-%d", "%d-%m-%Y"], **kw)


def not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("Deze datum ligt in de toekomst."))


def within_years(years: int = 120):
    def check(form, field):
        if field.data and field.data.year < local_today().year - years:
            raise ValidationError(_l("Deze datum ligt te ver in het verleden."))

    return check


def version_field():
    """The record version the user started editing from (stale-edit check)."""
    return IntegerField(widget=widgets.HiddenInput(), validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
