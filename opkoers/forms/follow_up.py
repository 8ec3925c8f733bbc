"""Forms for after the handover: aftercare contacts, the safety net, closing, pilot-light contacts
and the self-reliance measurement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField

from ..domain.follow_up import PILOT_HELD, PILOT_IMPOSSIBLE, SCORES
from ..labels import choices
from .common import (
    MultiCheckboxField,
    date_field,
    long_text,
    not_in_future,
    optional_id,
    required,
    version_field,
)


class AftercareContactForm(FlaskForm):
    form_token = HiddenField()
    contact_on = date_field(_l("Datum van het contact"))
    kind = SelectField(_l("Soort contact"), choices=choices("contact_kind"), validators=[required()])
    note = long_text(_l("Hoe gaat het met de cliënt?"), 5000)


class SafetyNetForm(FlaskForm):
    version = version_field()
    reason = long_text(_l("Waarom moet de cliënt terug naar de projectgroep?"), 5000)


class CloseCaseForm(FlaskForm):
    version = version_field()
    outcome = RadioField(
        _l("Waarom stopt het traject?"),
        choices=choices("closing_outcome"),
        validators=[required(_l("Kies waarom het traject stopt."))],
    )
    goal_ids = MultiCheckboxField(_l("Welke doelen zijn niet te bereiken?"), coerce=int)
    explanation = long_text(_l("Toelichting"), 5000, optional=True)
    meeting_id = SelectField(
        _l("Welk afsluitend gesprek?"),
        coerce=optional_id,
        validators=[required(_l("Kies het afsluitend gesprek."))],
    )
    closed_on = date_field(_l("Datum van afsluiten"))


class PilotLightForm(FlaskForm):
    version = version_field()
    outcome = RadioField(
        _l("Was er contact?"),
        choices=choices("pilot_light_outcome"),
        validators=[required(_l("Kies of er contact was."))],
    )
    held_on = date_field(_l("Datum van het contact"), optional=True)
    balanced = RadioField(
        _l("Zijn inkomsten en uitgaven in evenwicht?"),
        choices=[("yes", _l("Ja")), ("no", _l("Nee"))],
        validate_choice=False,
    )
    note = long_text(_l("Wat is er besproken of afgesproken?"), 5000, optional=True)
    reason = long_text(_l("Waarom lukte het contact niet?"), 5000, optional=True)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.outcome.data == PILOT_HELD:
            if self.held_on.data is None and not self.held_on.errors:
                self.held_on.errors = [_l("Vul de datum van het contact in.")]
                valid = False
            elif self.held_on.data:
                try:
                    not_in_future(self, self.held_on)
                except ValueError as error:
                    self.held_on.errors = [str(error)]
                    valid = False
            if self.balanced.data not in ("yes", "no"):
                self.balanced.errors = [_l("Kies ja of nee.")]
                valid = False
        if self.outcome.data == PILOT_IMPOSSIBLE and not self.reason.data:
            self.reason.errors = [_l("Schrijf op waarom het contact niet lukte.")]
            valid = False
        return valid

    def balance(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.balanced.data)


def measurement_form_class(themes):
    """The measurement: per theme of the instrument a score 1–5, each choice with its anchor text."""

    class MeasurementForm(FlaskForm):
        version = version_field()
        taken_on = date_field(_l("Datum van de meting"))
        note = long_text(_l("Notitie"), 5000, optional=True)

        def scores(self) -> dict[int, int | None]:
            return {t.id: _score(self[f"score_{t.id}"].data) for t in themes}

    for theme in themes:
        setattr(
            MeasurementForm,
            f"score_{theme.id}",
            RadioField(
                theme.name,
                choices=[(str(s), f"{s} — {theme.anchor(s)}") for s in SCORES],
                validators=[required(_l("Kies een score."))],
            ),
        )
    return MeasurementForm


def _score(value) -> int | None:
    return int(value) if value in {str(s) for s in SCORES} else None
