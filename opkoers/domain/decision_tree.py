"""The intake decision tree A–D: all four must be answered 'yes' for a client to be admitted."""

CRITERIA = ("A", "B", "C", "D")
ANSWERS = ("yes", "no")

MET = "met"
NOT_MET = "not_met"
INCOMPLETE = "incomplete"


def evaluate(answers: dict[str, str | None]) -> str:
    """'met' when every criterion is yes, 'not_met' when any is no, else 'incomplete'."""
    values = [answers.get(c) for c in CRITERIA]
    if any(v == "no" for v in values):
        return NOT_MET
    if all(v == "yes" for v in values):
        return MET
    return INCOMPLETE


def answered_no(answers: dict[str, str | None]) -> list[str]:
    """The criteria answered 'no': the reasons the client cannot be admitted (yet)."""
    return [c for c in CRITERIA if answers.get(c) == "no"]
