"""Reference data every installation starts with (the beheerder can change it afterwards)."""

DEFAULT_LIFE_DOMAINS = (
    ("inkomen", "Inkomen"),
    ("werk", "Werk en dagbesteding"),
    ("wonen", "Wonen"),
    ("gezondheid", "Gezondheid"),
    ("veiligheid", "Veiligheid"),
    ("schulden", "Schulden"),
    ("juridisch", "Juridische zaken"),
    ("hulpverleners", "Contact met hulpverleners"),
)

# The ten-point plan of the handover document (seed 003); a municipality can change the list.
DEFAULT_HANDOVER_POINTS = (
    ("income", "Inkomen en financiële basis zijn op orde"),
    ("debts", "Schulden zijn stabiel of geregeld"),
    ("housing", "Wonen is zeker"),
    ("daytime", "Dagbesteding en activering"),
    ("health", "Gezondheid en zorg zijn geregeld"),
    ("network", "Het sociale netwerk is betrokken"),
    ("administration", "De administratie is op orde"),
    ("care_providers", "Betrokken hulpverleners en hun afspraken"),
    ("safety", "Veiligheid en signalen van terugval"),
    ("own_goals", "De eigen doelen en afspraken van de cliënt"),
)

# The self-reliance instrument (seed 000): the four themes of the Sores approach — legal
# entanglements, (relations with) care providers, finances, housing — plus the Op Koers life
# domains (housing once). Each score 1–5 has a short anchor text; a municipality can use its own.
DEFAULT_SELF_RELIANCE_THEMES = (
    (
        "juridisch",
        "Juridische zaken",
        (
            "Er lopen zaken zoals boetes, een rechtszaak of een ontruiming, en niemand doet er iets aan.",
            "Er spelen juridische problemen. De cliënt weet niet wat te doen.",
            "Er spelen juridische zaken, maar er is hulp en er is een plan.",
            "De juridische zaken zijn geregeld of bijna klaar. De cliënt vraagt zelf hulp als dat nodig is.",
            "Er spelen geen juridische problemen. De cliënt weet waar hulp te vinden is.",
        ),
    ),
    (
        "hulpverleners",
        "Contact met hulpverleners",
        (
            "De cliënt heeft ruzie met instanties of gaat ze helemaal uit de weg.",
            "Het contact gaat vaak mis. Afspraken worden niet nagekomen.",
            "Het contact gaat redelijk, met hulp van een begeleider.",
            "De cliënt houdt zelf contact en komt afspraken meestal na.",
            "De cliënt regelt zelf wat nodig is en weet wie te bellen.",
        ),
    ),
    (
        "financien",
        "Financiën",
        (
            "Er is geen geld voor eten of huur. De problemen worden groter.",
            "Het geld is elke maand te vroeg op. Rekeningen blijven liggen.",
            "Het is krap. De cliënt heeft soms hulp nodig bij rekeningen.",
            "Inkomsten en uitgaven zijn in evenwicht. De cliënt betaalt zelf op tijd.",
            "De cliënt regelt zijn geld zelf en kan wat opzij zetten.",
        ),
    ),
    (
        "wonen",
        "Huisvesting en wonen",
        (
            "Geen woning, of de cliënt moet er binnenkort uit.",
            "Een tijdelijke of onveilige plek om te wonen.",
            "Een woning, maar met risico, bijvoorbeeld door een huurachterstand.",
            "Een vaste woning. De huur wordt op tijd betaald.",
            "Een vaste woning die past. De cliënt regelt zelf wat erbij hoort.",
        ),
    ),
    (
        "inkomen",
        "Inkomen",
        (
            "Geen inkomen.",
            "Een inkomen dat onzeker is, of te weinig om van te leven.",
            "Een vast inkomen, maar de cliënt heeft hulp nodig om het te houden.",
            "Een vast inkomen dat genoeg is. De cliënt regelt het zelf.",
            "Een vast inkomen zonder hulp, met ruimte voor onverwachte kosten.",
        ),
    ),
    (
        "werk",
        "Werk en dagbesteding",
        (
            "Geen werk en niets te doen. De cliënt zit veel alleen thuis.",
            "Af en toe iets te doen, zonder vast ritme.",
            "Een paar dagen per week iets vasts, zoals vrijwilligerswerk.",
            "Werk, een opleiding of dagbesteding met een vast ritme.",
            "Werk of een opleiding die past. De cliënt houdt het zelf vol.",
        ),
    ),
    (
        "gezondheid",
        "Gezondheid",
        (
            "Ernstige klachten zonder zorg. Het dagelijks leven lukt niet.",
            "Klachten die het dagelijks leven zwaar maken. Er is geen zorg, of die helpt niet.",
            "Klachten, maar er is zorg en die helpt.",
            "De gezondheid is stabiel. De cliënt gaat zelf naar de dokter als dat nodig is.",
            "Geen klachten die het dagelijks leven in de weg zitten.",
        ),
    ),
    (
        "veiligheid",
        "Veiligheid",
        (
            "De cliënt of iemand in huis is niet veilig, bijvoorbeeld door geweld of bedreiging.",
            "Er zijn vaak onveilige situaties of ruzies.",
            "Soms onrustig, maar er is hulp en een plan als het misgaat.",
            "Meestal veilig. De cliënt weet wat te doen als het misgaat.",
            "Veilig, thuis en in de buurt.",
        ),
    ),
    (
        "schulden",
        "Schulden",
        (
            "Veel schulden zonder overzicht. Er dreigt beslag of afsluiting.",
            "Er is overzicht van de schulden, maar nog geen regeling.",
            "Er is een regeling of schuldhulp, maar het is nog wankel.",
            "De regeling loopt goed. Er komen geen nieuwe schulden bij.",
            "Geen schulden meer, of een regeling die bijna klaar is.",
        ),
    ),
)
