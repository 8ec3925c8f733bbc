"""Forms for the beheerder: organisations, user accounts, neighbourhoods and life domains."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from ..labels import choices
from .auth import new_password_rules
from .common import email_checks, optional_id, required, text, version_field

CODE_PATTERN = r"^[a-z][a-z_]*$"


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """An integer field with a plain Dutch message for text that is not a whole number."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Vul een heel getal in, bijvoorbeeld 3.")) from error


class _AdminForm(FlaskForm):
    """Shared: the stale-edit version and the submitted values by model field name."""

    version = version_field()

    def values(self) -> dict:
        return {name: f.data for name, f in self._fields.items() if name not in ("version", "csrf_token")}


class OrganisationForm(_AdminForm):
    name = text(_l("Naam"), 200)
    kind = SelectField(
        _l("Soort organisatie"),
        choices=[("", _l("Kies een soort"))] + choices("organisation_kind"),
        validators=[required(_l("Kies een soort."))],
    )
    active = BooleanField(_l("Actief"), default=True)


class UserForm(_AdminForm):
    """Changing an account: a new password is optional."""

    name = text(_l("Naam"), 200)
    email = EmailField(
        _l("E-mailadres"),
        validators=email_checks(),
        filters=[_lower],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    organisation_id = SelectField(
        _l("Organisatie"), coerce=optional_id, validators=[required(_l("Kies een organisatie."))]
    )
    role = SelectField(
        _l("Rol"),
        choices=[("", _l("Kies een rol"))] + choices("role"),
        validators=[required(_l("Kies een rol."))],
    )
    active = BooleanField(_l("Actief"), default=True)
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[Optional(), new_password_rules],
        render_kw={"autocomplete": "new-password"},
    )


class NewUserForm(UserForm):
    """A new account: it needs a first password."""

    password = PasswordField(
        _l("Wachtwoord"),
        validators=[required(), new_password_rules],
        render_kw={"autocomplete": "new-password"},
    )


class NeighbourhoodForm(_AdminForm):
    name = text(_l("Naam van de wijk"), 120)
    team_id = SelectField(_l("Buurtteam"), coerce=optional_id, validators=[Optional()])


def _code_field():
    return StringField(
        _l("Code"),
        validators=[
            required(),
            Length(max=40, message=_l("Maximaal %(max)d tekens.")),
            Regexp(
                CODE_PATTERN,
                message=_l("Gebruik alleen kleine letters a tot en met z en het liggend streepje _."),
            ),
        ],
        filters=[_lower],
    )


def _position_field():
    return WholeNumberField(
        _l("Plaats in de lijst"),
        validators=[
            InputRequired(_l("Vul een getal in.")),
            NumberRange(min=0, max=999, message=_l("Vul een getal in van %(min)s tot en met %(max)s.")),
        ],
    )


class LifeDomainForm(_AdminForm):
    code = _code_field()
    name = text(_l("Naam"), 120)
    position = _position_field()
    active = BooleanField(_l("Actief"), default=True)


class HandoverPointForm(_AdminForm):
    code = _code_field()
    text = text(_l("Wat moet er geregeld zijn?"), 300)
    position = _position_field()
    active = BooleanField(_l("Actief"), default=True)


class RuleForm(_AdminForm):
    kind = SelectField(_l("Soort regel"), choices=choices("rule_kind"), validators=[required()])
    name = text(_l("Naam"), 200)
    reference = text(_l("Artikel of vindplaats"), 200, optional=True)
    organisation_id = SelectField(_l("Welke organisatie past de regel toe?"), coerce=optional_id)
    active = BooleanField(_l("In gebruik"))


class FixedContactForm(_AdminForm):
    contact_id = SelectField(
        _l("Vaste contactpersoon"), coerce=optional_id, validators=[required(_l("Kies een contactpersoon."))]
    )
    deputy_id = SelectField(_l("Vervanger"), coerce=optional_id)


class ThemeForm(LifeDomainForm):
    """A theme of the self-reliance instrument: like a life domain, with what each score means."""

    anchor_1 = text(_l("Score 1 betekent"), 300)
    anchor_2 = text(_l("Score 2 betekent"), 300)
    anchor_3 = text(_l("Score 3 betekent"), 300)
    anchor_4 = text(_l("Score 4 betekent"), 300)
    anchor_5 = text(_l("Score 5 betekent"), 300)


class PilotLightSettingForm(_AdminForm):
    months = text(_l("Waakvlamcontacten: hoeveel maanden na het afsluiten?"), 60)


class SecurityForm(_AdminForm):
    two_factor_everyone = BooleanField(_l("Tweestapsverificatie verplicht voor iedereen"))


class RetentionForm(FlaskForm):
    months_version = version_field()
    basis_version = version_field()
    months = WholeNumberField(
        _l("Bewaartermijn in maanden"),
        validators=[InputRequired(_l("Vul een aantal maanden in.")), NumberRange(min=1, max=1200)],
    )
    basis = TextAreaField(
        _l("Wettelijke grondslag"),
        validators=[InputRequired(_l("Schrijf de grondslag op.")), Length(max=2000)],
    )

    def values(self) -> dict:
        return {"period": self.months.data, "legal_basis": self.basis.data}
