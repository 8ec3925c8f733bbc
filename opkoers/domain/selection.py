"""The four selection steps, in their order (seed 000)."""

STEP_KINDS = ("introduction", "intake_talk", "file_review", "decision_meeting")


def next_selection_step(done: frozenset[str] | set[str]) -> str | None:
    """The first step in the order that has not been done, or None when all are done."""
    for kind in STEP_KINDS:
        if kind not in done:
            return kind
    return None
