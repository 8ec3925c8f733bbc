"""Forms for the budget: commit, pay, reverse, a different amount for one client, the default."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired

from ..domain import RuleViolation
from ..domain.money import parse_amount
from ..labels import choices
from ..messages import rule_message
from .common import date_field, long_text, optional_id, required, text, version_field, within_years


class AmountField(StringField):
    """An amount in euros as a Dutch user types it ('1.234,56', '€ 10'); .data is in cents."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if valuelist:
            try:
                self.data = parse_amount(valuelist[0])
            except RuleViolation as error:
                raise ValueError(rule_message(error)) from error

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return f"{self.data // 100},{self.data % 100:02d}" if isinstance(self.data, int) else ""


def amount_field(label):
    # InputRequired (not DataRequired): it keeps the field's own message for a wrong amount.
    return AmountField(label, validators=[InputRequired(_l("Vul een bedrag in."))])


class CommitmentForm(FlaskForm):
    form_token = HiddenField()
    category = SelectField(_l("Waarvoor?"), choices=choices("budget_category"), validators=[required()])
    description = long_text(_l("Omschrijving"), 1000)
    payee = text(_l("Aan wie wordt betaald?"))
    amount = amount_field(_l("Bedrag"))
    decided_by_id = SelectField(_l("Besloten door"), coerce=optional_id, validators=[required()])
    meeting_id = SelectField(_l("In welke bijeenkomst?"), coerce=optional_id)
    entry_date = date_field(_l("Datum van het besluit"))

    def validate_entry_date(self, field):
        within_years(5)(self, field)


class PaymentForm(FlaskForm):
    form_token = HiddenField()
    amount = amount_field(_l("Bedrag van de betaling"))
    decided_by_id = SelectField(_l("Besloten door"), coerce=optional_id, validators=[required()])
    entry_date = date_field(_l("Datum van de betaling"))

    def validate_entry_date(self, field):
        within_years(5)(self, field)


class ReverseForm(FlaskForm):
    form_token = HiddenField()
    reason = long_text(_l("Waarom wordt dit teruggedraaid?"), 1000)


class BudgetAmountForm(FlaskForm):
    form_token = HiddenField()
    amount = amount_field(_l("Nieuw budget voor deze cliënt"))
    motivation = long_text(_l("Motivering"), 5000)
    meeting_id = SelectField(_l("In welke bijeenkomst?"), coerce=optional_id)
    decided_on = date_field(_l("Datum van het besluit"))

    def validate_decided_on(self, field):
        within_years(5)(self, field)


class DefaultBudgetForm(FlaskForm):
    version = version_field()
    amount = amount_field(_l("Standaardbudget per cliënt"))

    def values(self) -> dict:
        return {"amount_cents": self.amount.data}
