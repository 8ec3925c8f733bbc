"""Forms for the warm handover: start it, fill in the document, send it, answer it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField

from ..domain.handover import POINT_STATES
from ..labels import choices
from .common import long_text, optional_id, required, version_field


class StartHandoverForm(FlaskForm):
    team_id = SelectField(
        _l("Welk buurtteam?"), coerce=optional_id, validators=[required(_l("Kies een buurtteam."))]
    )
    contact_id = SelectField(
        _l("Wie ontvangt de overdracht?"),
        coerce=optional_id,
        validators=[required(_l("Kies een contactpersoon."))],
    )
    reason = long_text(_l("Waarom een ander buurtteam dan dat van de wijk?"), 2000, optional=True)


def document_form_class(points):
    """The document: per point its state and a note (a point left open is allowed until sending)."""

    class DocumentForm(FlaskForm):
        version = version_field()

        def validate(self, extra_validators=None) -> bool:
            valid = super().validate(extra_validators)
            for point in points:
                field = self[f"state_{point.id}"]
                if field.data and field.data not in POINT_STATES:
                    field.errors = [*field.errors, _l("Kies een antwoord.")]
                    valid = False
            return valid

    for point in points:
        setattr(
            DocumentForm,
            f"state_{point.id}",
            RadioField(point.text, choices=choices("point_state"), validate_choice=False),
        )
        setattr(DocumentForm, f"note_{point.id}", long_text(_l("Toelichting"), 2000, optional=True))
    return DocumentForm


class SendForm(FlaskForm):
    version = version_field()


class AnswerHandoverForm(FlaskForm):
    version = version_field()
    decision = RadioField(
        _l("Neemt u de overdracht aan?"),
        choices=choices("handover_answer"),
        validators=[required(_l("Kies een antwoord."))],
    )
    question = long_text(_l("Wat wilt u nog weten?"), 2000, optional=True)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "more" and not self.question.data:
            self.question.errors = [*self.question.errors, _l("Schrijf op wat u nog wilt weten.")]
            return False
        return valid
