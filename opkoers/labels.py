"""Dutch (translatable) names for the codes stored in the database."""

from flask_babel import lazy_gettext as _l

LABELS = {
    "status": {
        "referred": _l("Aangemeld"),
        "intake": _l("Intake"),
        "admitted": _l("Toegelaten"),
        "declined": _l("Afgewezen"),
        "in_progress": _l("In uitvoering"),
    },
    "role": {
        "projectgroep": _l("Projectgroeplid"),
        "professional": _l("Professional"),
        "buurtteam": _l("Contactpersoon buurtteam"),
        "beheerder": _l("Beheerder"),
    },
    "organisation_kind": {
        "gemeente": _l("Gemeente"),
        "schuldhulp": _l("Schuldhulp"),
        "woningcorporatie": _l("Woningcorporatie"),
        "ggz": _l("GGZ"),
        "buurtteam": _l("Buurtteam"),
        "reclassering": _l("Reclassering"),
        "zorg": _l("Zorg"),
        "welzijn": _l("Welzijn"),
        "overig": _l("Overig"),
    },
    "referrer_kind": {
        "self": _l("De cliënt zelf"),
        "coach": _l("Coach of begeleider"),
        "agency": _l("Instantie"),
    },
    "channel": {
        "phone": _l("Telefoon"),
        "email": _l("E-mail"),
        "in_person": _l("Persoonlijk"),
        "letter": _l("Brief"),
        "website": _l("Website"),
        "other": _l("Anders"),
    },
    "urgency": {"normal": _l("Normaal"), "high": _l("Hoog")},
    "crisis_kind": {
        "eviction": _l("Dreigende huisuitzetting"),
        "energy": _l("Afsluiting gas of stroom"),
        "water": _l("Afsluiting water"),
        "other": _l("Andere crisis"),
    },
    "decision": {"admitted": _l("Toegelaten"), "declined": _l("Afgewezen")},
    "answer": {"yes": _l("Ja"), "no": _l("Nee")},
    "criterion": {
        "A": _l("A. De hulpvraag komt van de cliënt zelf."),
        "B": _l(
            "B. De cliënt heeft op meer gebieden tegelijk problemen die hij niet zelf kan oplossen "
            "(bijvoorbeeld geld, wonen, juridische zaken, contact met hulpverleners)."
        ),
        "C": _l(
            "C. De oorzaak is weg te nemen met juridische en sociale hulp, of een doorbraak in de regels."
        ),
        "D": _l("D. De aanpak is eerlijk voor anderen: niemand wordt er onredelijk door benadeeld."),
    },
    "tree_result": {
        "met": _l("Voldoet aan de criteria"),
        "not_met": _l("Voldoet niet aan de criteria"),
        "incomplete": _l("Nog niet alle criteria beantwoord"),
    },
    "step": {
        "introduction": _l("Kennismakingsgesprek"),
        "intake_talk": _l("Intakegesprek"),
        "file_review": _l("Beoordeling dossier door coach"),
        "decision_meeting": _l("Besluitvormingsoverleg"),
    },
    "consent_state": {
        "valid": _l("Geldig"),
        "not_yet": _l("Nog niet geldig"),
        "expired": _l("Verlopen"),
        "withdrawn": _l("Ingetrokken"),
    },
    "next_step": {
        "start_intake": _l("Start de intake."),
        "complete_intake": _l("Vul de intake in: beantwoord de vragen A tot en met D."),
        "step_introduction": _l("Leg het kennismakingsgesprek vast."),
        "step_intake_talk": _l("Leg het intakegesprek en het verslag vast."),
        "step_file_review": _l("Laat een coach het dossier beoordelen."),
        "step_decision_meeting": _l("Houd het besluitvormingsoverleg."),
        "decide": _l("Neem het besluit: toelaten of afwijzen."),
        "record_contract": _l("Leg het getekende contract vast."),
        "record_consent": _l("Leg de getekende machtiging vast."),
        "record_plan_goals": _l("Schrijf de doelen in het plan van aanpak."),
        "record_plan_signed": _l("Laat de cliënt het plan van aanpak tekenen."),
        "start": _l("Alles is rond. Start de uitvoering van het plan."),
        "round_table": _l("Plan een doorbraaktafel."),
        "renew_consent": _l(
            "Er is geen geldige machtiging meer. Leg een nieuwe machtiging vast, anders kunnen de "
            "professionals het dossier niet zien."
        ),
        "none": _l("Dit traject is afgesloten."),
    },
    "missing": {
        "contract": _l("het getekende contract"),
        "consent": _l("een geldige machtiging"),
        "plan_goals": _l("minstens één doel in het plan van aanpak"),
        "plan_signed": _l("de handtekening onder het plan van aanpak"),
    },
    "audit_action": {
        "referral_registered": _l("Aanmelding geregistreerd"),
        "client_registered": _l("Cliënt geregistreerd"),
        "client_updated": _l("Gegevens cliënt gewijzigd"),
        "referral_updated": _l("Aanmelding gewijzigd"),
        "status_changed": _l("Status gewijzigd"),
        "intake_started": _l("Intake gestart"),
        "intake_saved": _l("Intake opgeslagen"),
        "step_recorded": _l("Selectiestap vastgelegd"),
        "step_corrected": _l("Selectiestap verbeterd"),
        "decision_taken": _l("Besluit genomen"),
        "contract_recorded": _l("Contract vastgelegd"),
        "consent_recorded": _l("Machtiging vastgelegd"),
        "consent_withdrawn": _l("Machtiging ingetrokken"),
        "plan_saved": _l("Plan van aanpak opgeslagen"),
        "goal_added": _l("Doel toegevoegd"),
        "goal_removed": _l("Doel verwijderd"),
        "involvement_added": _l("Betrokkene toegevoegd"),
        "involvement_removed": _l("Betrokkene verwijderd"),
    },
    "field": {
        "name": _l("Naam"),
        "date_of_birth": _l("Geboortedatum"),
        "address": _l("Adres"),
        "postcode": _l("Postcode"),
        "city": _l("Woonplaats"),
        "neighbourhood_id": _l("Wijk"),
        "phone": _l("Telefoon"),
        "email": _l("E-mail"),
        "status": _l("Status"),
        "crisis": _l("Crisis"),
        "crisis_kind": _l("Soort crisis"),
        "urgency": _l("Urgentie"),
        "referrer_kind": _l("Aangemeld door"),
        "referrer_name": _l("Naam aanmelder"),
        "referrer_role": _l("Rol aanmelder"),
        "referrer_organisation": _l("Organisatie aanmelder"),
        "channel": _l("Kanaal"),
        "referred_on": _l("Datum aanmelding"),
        "reason": _l("Reden"),
        "handler_id": _l("Behandelaar"),
        "who_asks": _l("Wie vraagt"),
        "problem": _l("Probleem"),
        "concerns_whom": _l("Over wie"),
        "tried": _l("Al geprobeerd"),
        "goal": _l("Doel"),
        "tree_a": _l("Vraag A"),
        "tree_b": _l("Vraag B"),
        "tree_c": _l("Vraag C"),
        "tree_d": _l("Vraag D"),
        "tree_a_note": _l("Toelichting A"),
        "tree_b_note": _l("Toelichting B"),
        "tree_c_note": _l("Toelichting C"),
        "tree_d_note": _l("Toelichting D"),
        "kind": _l("Stap"),
        "held_on": _l("Datum"),
        "performed_by_id": _l("Gedaan door"),
        "note": _l("Notitie"),
        "report": _l("Verslag"),
        "decision": _l("Besluit"),
        "decision_motivation": _l("Motivering"),
        "decision_told_client": _l("Verteld aan de cliënt"),
        "decided_on": _l("Datum besluit"),
        "decided_by_id": _l("Besloten door"),
        "closed_on": _l("Afgesloten op"),
        "closed_reason": _l("Reden afsluiting"),
        "contract_signed_on": _l("Contract getekend op"),
        "purposes": _l("Doelen van de machtiging"),
        "organisations": _l("Organisaties"),
        "signed_on": _l("Getekend op"),
        "valid_until": _l("Geldig tot"),
        "withdrawn_at": _l("Ingetrokken op"),
        "withdrawn_by_id": _l("Ingetrokken door"),
        "withdrawal_reason": _l("Reden intrekking"),
        "prioritised_problem": _l("Probleem met voorrang"),
        "activities": _l("Activiteiten"),
        "life_domain_id": _l("Leefgebied"),
        "expected_result": _l("Verwacht resultaat"),
        "user": _l("Persoon"),
        "role_note": _l("Rol"),
    },
}


def label(kind: str, code) -> str:
    """The display name of a stored code; an unknown code is shown as it is."""
    if code is None:
        return ""
    return str(LABELS[kind].get(code, code))


def choices(kind: str) -> list[tuple[str, object]]:
    """(code, name) pairs for a select field, in the defined order; names stay lazy, so a form
    class defined at import still shows them in the language of each request."""
    return list(LABELS[kind].items())
