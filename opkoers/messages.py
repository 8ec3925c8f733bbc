"""Clear messages for refused actions (domain rule codes → plain Dutch)."""

from flask import current_app
from flask_babel import gettext as _

from .domain import RuleViolation
from .i18n import format_date, format_euro_cents
from .labels import label
from .passwords import MAX_LENGTH, MIN_LENGTH


def money(cents: int) -> str:
    """An amount in cents as the user's language writes euros: '€ 1.234,56'."""
    return format_euro_cents(cents)


def password_problem_message(code: str) -> str:
    """Why a new password cannot be used."""
    if code == "password_common":
        return _(
            "Dit wachtwoord wordt veel gebruikt en is daardoor makkelijk te raden. "
            "Kies een ander wachtwoord, bijvoorbeeld een zin van een paar woorden."
        )
    return _("Kies een wachtwoord van %(min)s tot %(max)s tekens.", min=MIN_LENGTH, max=MAX_LENGTH)


def rule_message(error: RuleViolation) -> str:
    """One sentence that tells the user why the action was refused and what to do."""
    d = error.details
    match error.code:
        case "transition_not_allowed":
            return _(
                "Dit kan niet: een traject met status '%(current)s' kan niet naar '%(target)s'.",
                current=label("status", d["current"]),
                target=label("status", d["target"]),
            )
        case "decision_needs_meeting":
            return _("Leg eerst het besluitvormingsoverleg vast. Daarna kunt u een besluit nemen.")
        case "admission_needs_criteria":
            return _("Toelaten kan alleen als de vragen A tot en met D alle vier met 'ja' zijn beantwoord.")
        case "start_incomplete":
            return _(
                "Starten kan nog niet. Dit ontbreekt nog: %(missing)s.",
                missing=", ".join(label("missing", m) for m in d["missing"]),
            )
        case "stale":
            return _(
                "Iemand anders heeft dit intussen gewijzigd. Uw invoer staat er nog. "
                "Bekijk de nieuwe gegevens en sla opnieuw op."
            )
        case "intake_not_started":
            return _("Start eerst de intake. Dat doet u op de pagina van het traject.")
        case "intake_closed":
            return _("Over deze intake is al besloten. De antwoorden blijven zoals ze waren.")
        case "needs_admission":
            return _("Contract, machtiging en plan van aanpak horen bij een toegelaten cliënt.")
        case "before_referral":
            return _(
                "Deze datum ligt vóór de aanmelding (%(date)s). Kies een datum vanaf de aanmelding.",
                date=format_date(d["referred_on"], "long"),
            )
        case "plan_needs_goals":
            return _("Schrijf eerst minstens één doel in het plan. Daarna kan de cliënt het plan tekenen.")
        case "case_closed":
            return _("Dit traject is afgesloten. Er kunnen geen acties meer bij.")
        case "action_status_unchanged":
            return _("Deze actie heeft die status al. Laad de pagina opnieuw.")
        case "action_needs_user":
            return _("Kies de persoon die de actie doet.")
        case "action_needs_organisation":
            return _("Kies de organisatie die de actie doet.")
        case "action_needs_name":
            return _("Schrijf de naam op van de persoon uit het netwerk die de actie doet.")
        case "plan_locked":
            return _("Het plan van aanpak is getekend en wordt uitgevoerd. Het blijft zoals het getekend is.")
        case "plan_signed":
            return _(
                "Het plan van aanpak is al getekend. Wilt u de doelen veranderen? "
                "Haal dan eerst de datum van ondertekening weg."
            )
        case "consent_needs_domains":
            return _("Kies voor elke organisatie minstens één leefgebied waarover zij informatie mag delen.")
        case "unknown_life_domain":
            return _("Dit leefgebied bestaat niet (meer). Laad de pagina opnieuw.")
        case "retention_too_short":
            return _("Kies een termijn van minstens %(months)s maanden.", months=d["minimum"])
        case "already_anonymised":
            return _("De gegevens van dit traject zijn al geanonimiseerd.")
        case "already_withdrawn":
            return _("Deze machtiging is al ingetrokken.")
        case "duplicate_email":
            return _("Er is al een account met dit e-mailadres.")
        case "duplicate_name":
            return _("Deze naam bestaat al.")
        case "duplicate_code":
            return _("Deze code bestaat al. Kies een andere code.")
        case "password_length" | "password_common":
            return password_problem_message(error.code)
        case "password_current_wrong":
            return _("Uw huidige wachtwoord klopt niet. Er is niets veranderd.")
        case "password_locked":
            return _(
                "Er is te vaak een verkeerd wachtwoord gebruikt. Wacht %(minutes)s minuten. "
                "Er is niets veranderd.",
                minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        case "two_factor_already_on":
            return _("Tweestapsverificatie staat al aan.")
        case "two_factor_off":
            return _("Tweestapsverificatie staat uit.")
        case "two_factor_secret":
            return _("Deze sleutel klopt niet. Begin opnieuw met het instellen.")
        case "two_factor_code_wrong":
            return _(
                "Deze code klopt niet. Typ de code die de app nu laat zien. "
                "Staat de klok van uw telefoon goed?"
            )
        case "two_factor_required":
            return _("Voor uw rol is tweestapsverificatie verplicht. U kunt het niet uitzetten.")
        case "invalid_email":
            return _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")
        case "not_a_team":
            return _("Kies als buurtteam een organisatie van de soort 'Buurtteam'.")
        case "conflict":
            return _(
                "Iemand anders sloeg op hetzelfde moment iets op dat hiermee botst. Probeer het opnieuw."
            )
        case "cannot_deactivate_self":
            return _("U kunt uw eigen account niet uitzetten.")
        case "cannot_change_own_role":
            return _("U kunt uw eigen rol niet veranderen. Vraag dit aan een andere beheerder.")
        case "not_involved_role":
            return _("Alleen professionals en contactpersonen van een buurtteam kunnen betrokken worden.")
        case "already_involved":
            return _("Deze persoon is al betrokken bij dit traject.")
        case "meeting_end_before_start":
            return _("De eindtijd moet na de begintijd liggen.")
        case "meeting_time_does_not_exist":
            return _(
                "Om %(time)s bestaat die dag niet: de klok gaat dan een uur vooruit. Kies een andere tijd.",
                time=d["time"].strftime("%H:%M"),
            )
        case "meeting_needs_place":
            return _("Vul een plaats of een videolink in. Dan weten de deelnemers waar ze moeten zijn.")
        case "meeting_clash":
            return _("Een of meer deelnemers hebben op dat moment al een andere bijeenkomst.")
        case "meeting_cancelled":
            return _("Deze bijeenkomst gaat niet door. Er kan niets meer bij.")
        case "minutes_locked":
            return _("Het verslag is vastgesteld. Schrijf een verbetering als aanvulling.")
        case "meeting_not_started":
            return _("De bijeenkomst is nog niet begonnen. Stel het verslag vast na de bijeenkomst.")
        case "minutes_empty":
            return _("Schrijf eerst het verslag. Daarna kunt u het vaststellen.")
        case "minutes_not_signed":
            return _("Het verslag is nog niet vastgesteld. U kunt het verslag zelf nog aanpassen.")
        case "amount_empty":
            return _("Vul een bedrag in.")
        case "amount_negative":
            return _(
                "Een bedrag kan niet negatief zijn. Wilt u iets terugdraaien? Gebruik dan 'Terugdraaien'."
            )
        case "amount_zero":
            return _("Het bedrag is nul. Vul een bedrag in dat groter is dan nul.")
        case "amount_too_precise":
            return _("Gebruik hoogstens twee cijfers na de komma, bijvoorbeeld 12,50.")
        case "amount_decimal_point":
            return _("Gebruik een komma voor de centen, bijvoorbeeld 12,50.")
        case "amount_too_large":
            return _("Dit bedrag is te groot. Controleer het bedrag.")
        case "amount_invalid":
            return _("Dit is geen bedrag. Schrijf het zo: 1.234,56 of 12,50 of € 10.")
        case "over_budget":
            return _(
                "Dit past niet in het budget. Er is nog %(left)s over; u vroeg %(amount)s.",
                left=money(d["left"]),
                amount=money(d["amount"]),
            )
        case "over_commitment":
            return _(
                "De betalingen worden dan hoger dan de toezegging. Er kan nog %(left)s betaald worden.",
                left=money(d["left"]),
            )
        case "budget_below_committed":
            return _(
                "Het budget kan niet lager zijn dan wat al is toegezegd (%(committed)s).",
                committed=money(d["committed"]),
            )
        case "budget_needs_admission":
            return _("Het budget is er pas als de cliënt is toegelaten.")
        case "decider_not_projectgroep":
            return _("Alleen een projectgroeplid kan over het budget besluiten. Kies een projectgroeplid.")
        case "not_an_open_commitment":
            return _(
                "Op deze boeking kan niet betaald worden. Betaal op een toezegging die niet is teruggedraaid."
            )
        case "already_reversed":
            return _("Deze boeking is al teruggedraaid.")
        case "reversal_of_reversal":
            return _("Een terugdraaiing draait u niet terug. Maak zo nodig een nieuwe toezegging.")
        case "commitment_has_payments":
            return _("Op deze toezegging is al betaald. Draai eerst de betalingen terug.")
        case "motivation_too_short":
            return _(
                "Schrijf de motivering uit in hele zinnen (minstens %(minimum)s tekens): "
                "waarom helpt deze afwijking deze cliënt, en waarom mag het hier?",
                minimum=d["minimum"],
            )
        case "deviation_needs_admission":
            return _("Afwijken van regels kan pas als de cliënt is toegelaten.")
        case "deviation_already_decided":
            return _("Over deze afwijking is al besloten. Een correctie of intrekking is een nieuw voorstel.")
        case "deviation_not_decided":
            return _("Dit kan alleen bij een afwijking waartoe is besloten.")
        case "deviation_not_in_force":
            return _(
                "Deze afwijking geldt niet (meer). Er is niet toe besloten, "
                "of ze is ingetrokken of vervangen."
            )
        case "deviation_already_executed":
            return _("Er is al vastgelegd wie de afwijking uitvoerde.")
        case "outcome_already_recorded":
            return _("Het resultaat is al vastgelegd.")
        case "successor_pending":
            return _(
                "Er ligt al een correctie of intrekking van deze afwijking klaar. Besluit daar eerst over."
            )
        case "meeting_of_other_case":
            return _("Kies een bijeenkomst van dit traject.")
        case "contact_not_in_organisation":
            return _("Kies iemand van deze organisatie met een account dat aan staat.")
        case "deputy_same_as_contact":
            return _("De vervanger is iemand anders dan de vaste contactpersoon.")
        case "handover_needs_running_case":
            return _("Een warme overdracht kan als de uitvoering van het plan loopt.")
        case "handover_already_started":
            return _("Er loopt al een overdracht voor deze cliënt. Maak die eerst af.")
        case "handover_team_needs_reason":
            return _("U kiest een ander buurtteam dan dat van de wijk van de cliënt. Schrijf op waarom.")
        case "handover_not_editable":
            return _("Het document is verstuurd. Het kan weer veranderen als de ontvanger meer vraagt.")
        case "handover_incomplete":
            return _("Beantwoord eerst alle punten. Er staan er nog %(missing)s open.", missing=d["missing"])
        case "handover_not_sent":
            return _("Deze overdracht wacht niet op uw antwoord.")
        case "handover_not_yours":
            return _("Alleen de contactpersoon die de overdracht ontvangt, kan haar aannemen.")
        case "handover_needs_consent":
            return _(
                "De machtiging noemt dit buurtteam niet. "
                "Leg eerst een machtiging vast waarin het buurtteam staat."
            )
        case "aftercare_not_your_team":
            return _("Dit kan alleen het buurtteam dat de overdracht heeft aangenomen, of de projectgroep.")
        case "aftercare_not_running":
            return _(
                "De nazorg loopt niet (meer): de overdracht is niet aangenomen, of het traject is afgesloten."
            )
        case "contact_before_aftercare":
            return _(
                "Dit contact is van voor de nazorg. De nazorg begon op %(date)s.",
                date=format_date(d["accepted_on"], "long"),
            )
        case "date_in_future":
            return _("Deze datum ligt in de toekomst. Vul de datum in waarop het gebeurde.")
        case "safety_net_needs_aftercare":
            return _("Het vangnet kan alleen tijdens de nazorg, na een aangenomen overdracht.")
        case "safety_net_needs_reason":
            return _("Schrijf op waarom de cliënt terug moet naar de projectgroep.")
        case "close_needs_running_case":
            return _("Afsluiten kan als de uitvoering van het plan loopt of in de nazorg.")
        case "closing_needs_outcome":
            return _("Kies waarom het traject stopt.")
        case "closing_needs_goals":
            return _("Kies welke doelen niet te bereiken zijn.")
        case "closing_needs_explanation":
            return _("Schrijf op welke afspraken de cliënt niet is nagekomen.")
        case "closing_needs_talk":
            return _("Er is altijd een afsluitend gesprek. Plan dat eerst en kies het hier.")
        case "closing_in_future":
            return _("Een traject sluit u niet af in de toekomst. Kies vandaag of een eerdere dag.")
        case "closing_talk_not_held":
            return _(
                "Het afsluitend gesprek is op %(date)s. Sluit het traject af als het gesprek is geweest.",
                date=format_date(d["talk_day"], "long"),
            )
        case "measurement_date_too_early":
            return _(
                "Deze datum is te vroeg voor deze meting. Kies %(date)s of later.",
                date=format_date(d["opens_on"], "long"),
            )
        case "contact_before_closing":
            return _(
                "Een waakvlamcontact is na het afsluiten, op of na %(date)s.",
                date=format_date(d["closed_on"], "long"),
            )
        case "closing_before_talk":
            return _(
                "Het afsluitend gesprek is op %(date)s. Sluit het traject af op of na die dag.",
                date=format_date(d["talk_day"], "long"),
            )
        case "goal_of_other_case":
            return _("Kies doelen uit het plan van aanpak van deze cliënt.")
        case "measurement_already_taken":
            return _("Deze meting is al gedaan. Een meting verandert niet meer.")
        case "measurement_not_yet":
            return _(
                "Deze meting kan nog niet. Dat kan vanaf %(date)s.", date=format_date(d["opens_on"], "long")
            )
        case "measurement_missed":
            return _(
                "Deze meting is gemist: dat kon tot en met %(date)s.", date=format_date(d["until"], "long")
            )
        case "scores_incomplete":
            return _(
                "Geef elk onderwerp een score van 1 tot en met 5. Er staan er nog %(missing)s open.",
                missing=d["missing"],
            )
        case "pilot_light_already_registered":
            return _("Dit waakvlamcontact is al vastgelegd.")
        case "pilot_light_needs_outcome":
            return _("Kies of er contact was.")
        case "pilot_light_needs_balance":
            return _("Kies of inkomsten en uitgaven in evenwicht zijn.")
        case "pilot_light_needs_reason":
            return _("Schrijf op waarom het contact niet lukte.")
        case "pilot_light_needs_date":
            return _("Vul de datum van het contact in.")
        case "pilot_light_months_invalid":
            return _(
                "Schrijf hele maanden van 1 tot en met 12, gescheiden door komma's, bijvoorbeeld 3, 6, 12."
            )
        case "not_in_order":
            return _("Dit probleem staat niet (meer) in de lijst. Laad de pagina opnieuw.")
    return _("Dit kan niet.")
