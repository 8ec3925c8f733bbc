"""Pure domain rules: no Flask, no SQLAlchemy. Each refusal carries a code the UI turns into a message."""


class RuleViolation(Exception):
    """A domain rule refused something; ``code`` names the rule, ``details`` fill in the message."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details
