"""Forms for rule deviations: propose (or correct), withdraw, decide, carried out, outcome."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField

from ..domain.deviations import RULE_KINDS
from ..labels import choices
from .common import date_field, long_text, optional_id, required, text, version_field, within_years


class DeviationForm(FlaskForm):
    form_token = HiddenField()
    rule_id = SelectField(_l("Van welke regel wijkt u af?"), coerce=optional_id)
    # Checked in validate(): it is needed only for a new rule.
    new_rule_kind = RadioField(_l("Soort regel"), choices=choices("rule_kind"), validate_choice=False)
    new_rule_name = text(_l("Naam van de nieuwe regel"), optional=True)
    new_rule_reference = text(_l("Artikel of vindplaats"), optional=True)
    new_rule_organisation_id = SelectField(_l("Welke organisatie past de regel toe?"), coerce=optional_id)
    what_differently = long_text(_l("Wat gebeurt er anders?"), 5000)
    motivation = long_text(_l("Motivering"), 10_000)
    expected_effect = long_text(_l("Wat is het verwachte effect?"), 5000, optional=True)
    valid_until = date_field(_l("Geldig tot"), optional=True)

    def validate(self, extra_validators=None) -> bool:
        """A rule from the list, or a new one with its kind and name (checked together, at once)."""
        valid = super().validate(extra_validators)
        if self.rule_id.data is None:
            if not self.new_rule_name.data:
                self.rule_id.errors = [
                    *self.rule_id.errors,
                    _l("Kies een regel uit de lijst of vul een nieuwe regel in."),
                ]
                valid = False
            if self.new_rule_kind.data not in RULE_KINDS:
                self.new_rule_kind.errors = [*self.new_rule_kind.errors, _l("Kies de soort regel.")]
                valid = False
        return valid

    def validate_valid_until(self, field):
        within_years(5)(self, field)


class WithdrawDeviationForm(FlaskForm):
    form_token = HiddenField()
    motivation = long_text(_l("Waarom wordt de afwijking ingetrokken?"), 10_000)


class DecideDeviationForm(FlaskForm):
    version = version_field()
    outcome = RadioField(
        _l("Besluit"), choices=choices("deviation_decision"), validators=[required(_l("Kies een antwoord."))]
    )
    meeting_id = SelectField(_l("In welke bijeenkomst?"), coerce=optional_id)
    decided_on = date_field(_l("Datum van het besluit"))
    reasoning = long_text(_l("Waarom is zo besloten?"), 10_000)

    def validate_decided_on(self, field):
        within_years(5)(self, field)


class ExecutionForm(FlaskForm):
    organisation_id = SelectField(
        _l("Welke organisatie voerde het uit?"),
        coerce=optional_id,
        validators=[required(_l("Kies een organisatie."))],
    )
    executed_on = date_field(_l("Uitgevoerd op"))

    def validate_executed_on(self, field):
        within_years(5)(self, field)


class OutcomeForm(FlaskForm):
    outcome = long_text(_l("Wat is het resultaat?"), 5000)
    in_register = BooleanField(
        _l("Deze tekst mag in het register (hij noemt de cliënt niet en wijst niet naar de cliënt)")
    )
