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
