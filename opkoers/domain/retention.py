"""How long each kind of record is kept, and on what legal basis.

The periods and the text of the basis are settings the beheerder can change (to what the
municipality's archivist and data-protection officer agreed); these are the defaults. The access log
cannot go below the five years of NEN 7513: the database itself refuses to delete it sooner."""

from dataclasses import dataclass
from datetime import date

from . import RuleViolation


@dataclass(frozen=True)
class RetentionKind:
    code: str
    default_months: int
    minimum_months: int
    default_basis: str


KINDS = (
    RetentionKind(
        "closed_case",
        84,
        12,
        "Archiefwet 1995 en de Selectielijst gemeenten en intergemeentelijke organen: een traject in "
        "het sociaal domein wordt na afsluiten bewaard en daarna vernietigd. Stem de termijn af met "
        "de archivaris. Daarna worden de gegevens geanonimiseerd; de tellingen blijven.",
    ),
    RetentionKind(
        "declined_case",
        12,
        1,
        "AVG artikel 5 lid 1 onder e (opslagbeperking): een aanmelding die niet tot een traject leidt, "
        "is na het besluit niet lang meer nodig; een jaar laat ruimte voor bezwaar en vragen.",
    ),
    RetentionKind(
        "access_log",
        60,
        60,
        "NEN 7513 en de BIO (12.4): de logging van wie welk dossier inzag wordt ten minste vijf jaar "
        "bewaard, zodat een cliënt of de toezichthouder het kan nagaan.",
    ),
    RetentionKind(
        "notification",
        12,
        1,
        "AVG artikel 5 lid 1 onder e: meldingen en verstuurde e-mails zijn na een jaar niet meer nodig.",
    ),
    RetentionKind(
        "session",
        12,
        1,
        "BIO 12.4.1 (gebeurtenissen registreren): inlogsessies worden een jaar bewaard voor onderzoek "
        "naar misbruik; tellers van mislukte pogingen een maand.",
    ),
)
BY_CODE = {k.code: k for k in KINDS}
THROTTLE_MONTHS = 1  # counters of failed logins


def check_months(code: str, months: int) -> None:
    """A retention period is whole months, at least the kind's legal minimum, at most 100 years."""
    kind = BY_CODE[code]
    if not kind.minimum_months <= months <= 1200:
        raise RuleViolation("retention_too_short", minimum=kind.minimum_months)


def months_after(day: date, months: int) -> date:
    """The same calendar day the given number of months later (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
