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
