"""All models, importable from one place."""

from .actions import Action, ActionNote
from .audit import AccessLogEntry, AuditEntry, FormSubmission, SchedulerHeartbeat
from .cases import (
    Case,
    CaseInvolvement,
    Client,
    Consent,
    Intake,
    IntakeProblem,
    PlanGoal,
    PlanOfAction,
    SelectionStep,
)
from .notifications import Notification
from .organisations import LifeDomain, Neighbourhood, Organisation, User

__all__ = [
    "Action",
    "ActionNote",
    "AccessLogEntry",
    "AuditEntry",
    "Case",
    "CaseInvolvement",
    "Client",
    "Consent",
    "FormSubmission",
    "Intake",
    "IntakeProblem",
    "LifeDomain",
    "Neighbourhood",
    "Notification",
    "Organisation",
    "PlanGoal",
    "PlanOfAction",
    "SchedulerHeartbeat",
    "SelectionStep",
    "User",
]
