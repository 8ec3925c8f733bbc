"""Forms for actions: agree one, change its status, add a progress note."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import AnyOf, ValidationError

from ..domain.actions import STATUSES
from ..labels import choices
from ..timeutil import local_today
from .common import date_field, long_text, optional_id, required, text, version_field, within_years


class ActionForm(FlaskForm):
    version = version_field()
    description = long_text(_l("Wat wordt er gedaan?"), 2000)
    assignee_kind = RadioField(
        _l("Wie doet het?"), choices=choices("assignee_kind"), validators=[required(_l("Kies een antwoord."))]
    )
    assignee_user_id = SelectField(_l("Welke persoon?"), coerce=optional_id)
    assignee_organisation_id = SelectField(_l("Welke organisatie?"), coerce=optional_id)
    assignee_name = text(_l("Naam van de persoon uit het netwerk"), optional=True)
    due_on = date_field(_l("Uiterlijk klaar op"))

    def validate_due_on(self, field):
        within_years(5)(self, field)


class NewActionForm(ActionForm):
    """A new action: its due date is today or later."""

    def validate_due_on(self, field):
        super().validate_due_on(field)
        if field.data and field.data < local_today():
            raise ValidationError(_l("Deze datum is al voorbij. Kies vandaag of een datum later."))


class ActionStatusForm(FlaskForm):
    version = version_field()
    status = HiddenField(validators=[AnyOf(STATUSES)])  # set by the button that was pressed
    next = HiddenField()


class ActionNoteForm(FlaskForm):
    text = long_text(_l("Wat is er gebeurd?"), 5000)
    next = HiddenField()
