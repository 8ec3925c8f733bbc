"""Forms for the case workflow: referral, intake, steps, decision, contract, consent, plan."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import Optional, Regexp, ValidationError

from ..domain.decision_tree import CRITERIA
from ..labels import choices
from .common import (
    MultiCheckboxField,
    date_field,
    email_checks,
    long_text,
    not_in_future,
    optional_id,
    required,
    text,
    version_field,
    within_years,
)

PHONE_PATTERN = r"^[0-9+()\- ]{6,40}$"


def _required_when(field, needed: bool, message) -> bool:
    """Check a field that is only sometimes required. It runs after validation, because Optional()
    stops every later check on an empty field. False when it added an error."""
    if needed and not field.data:
        field.errors.append(message)
        return False
    return True


class ReferralForm(FlaskForm):
    form_token = HiddenField()
    version = version_field()
    client_version = version_field()

    client_name = text(_l("Naam van de cliënt"))
    client_date_of_birth = date_field(_l("Geboortedatum"))
    client_address = text(_l("Adres (straat en huisnummer)"))
    client_postcode = StringField(
        _l("Postcode"),
        validators=[
            Optional(),
            Regexp(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", message=_l("Vul een postcode in zoals 3991 AB.")),
        ],
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    client_city = text(_l("Woonplaats"), 100, optional=True)
    client_neighbourhood_id = SelectField(_l("Wijk"), coerce=optional_id, validators=[Optional()])
    client_phone = StringField(
        _l("Telefoonnummer"),
        validators=[
            Optional(),
            Regexp(PHONE_PATTERN, message=_l("Vul een telefoonnummer in met alleen cijfers.")),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    client_email = StringField(
        _l("E-mailadres"),
        validators=email_checks(optional=True),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )

    referrer_kind = RadioField(
        _l("Wie meldt aan?"),
        choices=choices("referrer_kind"),
        validators=[required(_l("Kies een antwoord."))],
    )
    referrer_name = text(_l("Naam van de aanmelder"), optional=True)
    referrer_role = text(_l("Functie of rol van de aanmelder"), optional=True)
    referrer_organisation = text(_l("Organisatie van de aanmelder"), optional=True)
    channel = SelectField(
        _l("Hoe kwam de aanmelding binnen?"), choices=choices("channel"), validators=[required()]
    )
    referred_on = date_field(_l("Datum van aanmelding"))
    reason = long_text(_l("Reden van aanmelding, in de woorden van de aanmelder"), 5000)
    urgency = RadioField(
        _l("Urgentie"),
        choices=choices("urgency"),
        default="normal",
        validators=[required(_l("Kies een antwoord."))],
    )
    crisis_kind = SelectField(
        _l("Is er een crisis?"),
        choices=[("", _l("Nee, geen crisis"))] + choices("crisis_kind"),
        validators=[Optional()],
    )
    handler_id = SelectField(_l("Wie behandelt de aanmelding?"), coerce=optional_id, validators=[Optional()])

    def validate_client_date_of_birth(self, field):
        not_in_future(self, field)
        within_years(120)(self, field)

    def validate_referred_on(self, field):
        not_in_future(self, field)
        within_years(20)(self, field)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        named = _required_when(
            self.referrer_name,
            self.referrer_kind.data in ("coach", "agency"),
            _l("Vul de naam in van wie de cliënt aanmeldt."),
        )
        return valid and named

    def values(self) -> dict:
        """The submitted values, by model field name (client fields keep their client_ prefix)."""
        skip = {"form_token", "version", "client_version", "csrf_token"}
        data = {name: f.data for name, f in self._fields.items() if name not in skip}
        data["crisis_kind"] = data["crisis_kind"] or None
        for key in ("client_postcode", "client_city", "client_phone", "client_email"):
            data[key] = data[key] or ""
        for key in ("referrer_name", "referrer_role", "referrer_organisation"):
            data[key] = data[key] or ""
        return data


class _IntakeBase(FlaskForm):
    version = version_field()
    who_asks = long_text(_l("Wie stelt de hulpvraag?"), optional=True)
    problem = long_text(_l("Wat is het probleem?"), optional=True)
    concerns_whom = long_text(_l("Over wie gaat het?"), optional=True)
    tried = long_text(_l("Wat is al geprobeerd?"), optional=True)
    goal = long_text(_l("Wat wil de cliënt bereiken?"), optional=True)


def intake_form_class(life_domains):
    """The intake form with one problem field per active life domain and the criteria A–D."""
    attrs = {}
    for c in CRITERIA:
        attrs[f"tree_{c.lower()}"] = RadioField(
            c, choices=choices("answer"), validators=[Optional()], coerce=lambda v: v or None
        )
        attrs[f"tree_{c.lower()}_note"] = long_text(_l("Toelichting bij %(c)s", c=c), 2000, optional=True)
    for domain in life_domains:
        attrs[f"problem_{domain.id}"] = long_text(domain.name, 2000, optional=True)
    return type("IntakeForm", (_IntakeBase,), attrs)


class StepForm(FlaskForm):
    version = version_field()
    held_on = date_field(_l("Datum"))
    performed_by_id = SelectField(_l("Gedaan door"), coerce=int, validators=[required()])
    note = long_text(_l("Notitie"), 5000, optional=True)
    report = long_text(_l("Verslag van het intakegesprek"), 20_000, optional=True)
    require_report = False  # set for the intake talk, whose written report is required

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        reported = _required_when(
            self.report, self.require_report, _l("Schrijf het verslag van het intakegesprek.")
        )
        return valid and reported

    def validate_held_on(self, field):
        not_in_future(self, field)
        within_years(20)(self, field)


class DecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Besluit"),
        choices=[("admitted", _l("Toelaten")), ("declined", _l("Afwijzen"))],
        validators=[required(_l("Kies een antwoord."))],
    )
    motivation = long_text(_l("Motivering"), 5000)
    told_client = long_text(
        _l("Wat heeft de cliënt gehoord over de volgende stappen en de wachttijd?"), 5000, optional=True
    )
    decided_on = date_field(_l("Datum van het besluit"))

    def validate_decided_on(self, field):
        not_in_future(self, field)
        within_years(20)(self, field)


class ContractForm(FlaskForm):
    version = version_field()
    signed_on = date_field(_l("Datum waarop de cliënt het contract tekende"))

    def validate_signed_on(self, field):
        not_in_future(self, field)
        within_years(5)(self, field)


class ConsentForm(FlaskForm):
    """A signed consent: the organisations, per organisation the life domains it covers (a grid of
    checkboxes named domain-<organisation id>), what for, and from when until when."""

    form_token = HiddenField()
    organisation_ids = MultiCheckboxField(_l("Organisaties die het dossier mogen lezen"), coerce=int)
    purposes = long_text(_l("Waarvoor mag informatie worden gedeeld?"), 5000)
    signed_on = date_field(_l("Getekend op"))
    valid_until = date_field(_l("Geldig tot en met"))

    def __init__(self, *args, life_domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.life_domains = list(life_domains)

    def domains(self) -> dict[int, set[int]]:
        """Per organisation the life domains ticked (on a new form: none, the client chooses each)."""
        every = {d.id for d in self.life_domains}
        if not self.is_submitted():
            return {}
        ticked = {}
        for organisation_id, _name in self.organisation_ids.choices:
            values = request.form.getlist(f"domain-{organisation_id}")
            ticked[organisation_id] = {int(v) for v in values if v.isdigit()} & every
        return ticked

    def validate_organisation_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Kies minstens één organisatie."))
        ticked = self.domains()
        if any(not ticked.get(o) for o in field.data):
            raise ValidationError(_l("Kies voor elke gekozen organisatie minstens één leefgebied."))

    def validate_signed_on(self, field):
        not_in_future(self, field)
        within_years(5)(self, field)

    def validate_valid_until(self, field):
        if field.data and self.signed_on.data and field.data < self.signed_on.data:
            raise ValidationError(_l("Deze datum ligt vóór de datum van ondertekening."))
        if field.data and self.signed_on.data and (field.data - self.signed_on.data).days > 5 * 366:
            raise ValidationError(_l("Een machtiging geldt hoogstens vijf jaar."))


class WithdrawConsentForm(FlaskForm):
    reason = long_text(_l("Reden van intrekking"), 2000)


class PlanForm(FlaskForm):
    version = version_field()
    prioritised_problem = long_text(_l("Het probleem dat voor de cliënt voorop staat"), 5000, optional=True)
    activities = long_text(_l("Geplande activiteiten"), 10_000, optional=True)
    signed_on = date_field(_l("Getekend door de cliënt op"), optional=True)

    def validate_signed_on(self, field):
        not_in_future(self, field)
        within_years(5)(self, field)


class GoalForm(FlaskForm):
    life_domain_id = SelectField(_l("Leefgebied"), coerce=int, validators=[required()])
    goal = long_text(_l("Doel"), 2000)
    expected_result = long_text(_l("Verwacht resultaat"), 2000)


class InvolvementForm(FlaskForm):
    user_id = SelectField(_l("Persoon"), coerce=int, validators=[required()])
    role_note = text(_l("Rol bij deze cliënt (bijvoorbeeld: cliëntcoach)"), optional=True)
