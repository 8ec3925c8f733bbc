"""The demo accounts (one per role) and their published password: usable in demo mode only."""

DEMO_PASSWORD = "OpKoers-demo-2026"
DEMO_ACCOUNTS = (
    # role, e-mail, name, organisation
    ("projectgroep", "projectgroep@opkoers.test", "Fatima El Amrani", "Gemeente Houten"),
    ("professional", "professional@opkoers.test", "Joost de Vries", "Schuldhulp Houten"),
    ("buurtteam", "buurtteam@opkoers.test", "Sanne Bakker", "Buurtteam Houten Noord"),
    ("beheerder", "beheerder@opkoers.test", "Peter Jansen", "Gemeente Houten"),
)

DEMO_EMAILS = frozenset(email for _, email, _, _ in DEMO_ACCOUNTS)
