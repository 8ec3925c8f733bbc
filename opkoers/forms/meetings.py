"""Forms for meetings: plan or change one, cancel it, and what happens at the table."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TimeField
from wtforms.validators import InputRequired, Optional, Regexp, ValidationError

from ..domain.contact import is_email
from ..labels import choices
from .common import (
    MultiCheckboxField,
    date_field,
    email_checks,
    long_text,
    optional_id,
    required,
    text,
    version_field,
    within_years,
)


class DutchTimeField(TimeField):
    """A time such as 14:30, with a plain message when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Vul een tijd in als uu:mm, bijvoorbeeld 14:30.")) from error


def time_field(label):
    return DutchTimeField(
        label, validators=[InputRequired(_l("Vul een tijd in."))], format=["%H:%M", "%H.%M"]
    )


def parse_guests(value: str) -> list[tuple[str, str]]:
    """Guests, one per line: 'name, e-mail address' (the address may be left out)."""
    guests = []
    for number, line in enumerate((value or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, email = (part.strip() for part in line.partition(","))
        if not name or len(name) > 200 or (email and not is_email(email)):
            raise ValueError(number)
        guests.append((name, email))
    return guests


class MeetingForm(FlaskForm):
    version = version_field()
    kind = SelectField(_l("Soort bijeenkomst"), choices=choices("meeting_kind"), validators=[required()])
    day = date_field(_l("Datum"))
    start = time_field(_l("Begintijd"))
    end = time_field(_l("Eindtijd"))
    location = text(_l("Plaats"), optional=True)
    video_link = text(
        _l("Videolink"),
        500,
        optional=True,
        checks=[Regexp(r"^https://\S+$", message=_l("Een videolink begint met https://"))],
    )
    chair_id = SelectField(
        _l("Voorzitter"), coerce=optional_id, validators=[required(_l("Kies een voorzitter."))]
    )
    agenda = long_text(_l("Agenda"), 5000, optional=True)
    user_ids = MultiCheckboxField(_l("Professionals en projectgroepleden"), coerce=int)
    with_client = BooleanField(_l("De cliënt doet mee"))
    coach_name = text(_l("Naam van de coach"), optional=True)
    coach_email = text(_l("E-mailadres van de coach"), 254, optional=True, checks=email_checks(True)[-1:])
    network_name = text(_l("Naam van de persoon uit het netwerk"), optional=True)
    network_relation = text(_l("Wie is dit voor de cliënt?"), optional=True)
    network_email = text(
        _l("E-mailadres van de persoon uit het netwerk"), 254, optional=True, checks=email_checks(True)[-1:]
    )
    guests = long_text(_l("Gasten"), 5000, optional=True)
    accept_clashes = BooleanField(_l("Toch opslaan: ik weet dat er al een afspraak is"))

    def validate_day(self, field):
        within_years(5)(self, field)

    def validate(self, extra_validators=None) -> bool:
        """Also the checks that span fields, so every mistake shows at once, at its field.
        (An empty optional field skips its own checks, so these are here.)"""
        valid = super().validate(extra_validators)
        problems = []
        if self.network_name.data and not self.network_relation.data:
            problems.append(
                (
                    self.network_relation,
                    _l("Schrijf op wie dit is voor de cliënt, bijvoorbeeld 'zus' of 'buurman'."),
                )
            )
        if self.start.data and self.end.data and self.end.data <= self.start.data:
            problems.append((self.end, _l("De eindtijd moet na de begintijd liggen.")))
        if not self.location.data and not self.video_link.data and not self.location.errors:
            problems.append((self.location, _l("Vul een plaats of een videolink in.")))
        for field, message in problems:
            field.errors = [*field.errors, message]
        return valid and not problems

    def validate_guests(self, field):
        try:
            parse_guests(field.data)
        except ValueError as error:
            raise ValidationError(
                _l("Regel %(line)s klopt niet. Schrijf per regel: naam, e-mailadres.", line=error.args[0])
            ) from error


class CancelMeetingForm(FlaskForm):
    version = version_field()
    reason = long_text(_l("Waarom gaat de bijeenkomst niet door?"), 2000)


class AttendanceForm(FlaskForm):
    present = MultiCheckboxField(_l("Wie was er?"), coerce=int, validators=[Optional()])


class MinutesForm(FlaskForm):
    version = version_field()
    minutes = long_text(_l("Verslag"), 50_000, optional=True)


class SignMinutesForm(FlaskForm):
    version = version_field()


class AddendumForm(FlaskForm):
    text = long_text(_l("Aanvulling of correctie"), 10_000)


class PriorityForm(FlaskForm):
    version = version_field()
    prioritised_problem = long_text(_l("Welk probleem komt voor de cliënt op de eerste plaats?"), 2000)
    life_domain_id = SelectField(
        _l("Leefgebied"), coerce=optional_id, validators=[required(_l("Kies een leefgebied."))]
    )
    client_solution = long_text(_l("Hoe zou de cliënt het zelf oplossen?"), 2000, optional=True)
