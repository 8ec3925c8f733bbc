"""All models, importable from one place."""

from .actions import Action, ActionNote
from .audit import AccessLogEntry, AuditEntry, FormSubmission, ReportFigures, SchedulerHeartbeat
from .budget import BudgetDecision, BudgetEntry, CaseBudget
from .cases import (
    Case,
    CaseInvolvement,
    Client,
    Consent,
    ConsentDomain,
    Intake,
    IntakeProblem,
    PlanGoal,
    PlanOfAction,
    SelectionStep,
)
from .deviations import Deviation, Rule
from .follow_up import (
    AftercareContact,
    CaseClosing,
    PilotLightContact,
    SelfRelianceMeasurement,
    SelfRelianceScore,
    SelfRelianceTheme,
)
from .handover import Handover, HandoverAnswer, HandoverPoint
from .mail import OutboxMessage
from .meetings import Meeting, MeetingParticipant, MinutesAddendum
from .notifications import Notification
from .organisations import FixedContact, LifeDomain, Neighbourhood, Organisation, User
from .security import LoginThrottle, RecoveryCode, UserSession
from .settings import Setting

__all__ = [
    "Action",
    "ActionNote",
    "AccessLogEntry",
    "AftercareContact",
    "AuditEntry",
    "BudgetDecision",
    "BudgetEntry",
    "Case",
    "CaseBudget",
    "CaseClosing",
    "CaseInvolvement",
    "Client",
    "Consent",
    "ConsentDomain",
    "Deviation",
    "FixedContact",
    "FormSubmission",
    "Handover",
    "HandoverAnswer",
    "HandoverPoint",
    "Intake",
    "IntakeProblem",
    "LifeDomain",
    "LoginThrottle",
    "Meeting",
    "MeetingParticipant",
    "MinutesAddendum",
    "Neighbourhood",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "PilotLightContact",
    "PlanGoal",
    "PlanOfAction",
    "RecoveryCode",
    "Rule",
    "ReportFigures",
    "SchedulerHeartbeat",
    "SelectionStep",
    "SelfRelianceMeasurement",
    "SelfRelianceScore",
    "SelfRelianceTheme",
    "Setting",
    "User",
    "UserSession",
]
