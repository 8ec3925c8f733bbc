"""Who may see and do what: role, organisation, involvement in the case and a valid consent.

Every view asks here; nothing else decides. A case the user may not see answers 404, exactly like
a case that does not exist.
"""

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import exists, false, select, true
from sqlalchemy.orm import joinedload

from . import audit
from .extensions import db
from .models import Case, CaseInvolvement, Client, Consent, ConsentDomain, LifeDomain, Meeting, PlanGoal, User
from .models.cases import consent_organisation
from .timeutil import local_today

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"beheerder"}),
    "cases.list": frozenset({"projectgroep", "professional", "buurtteam"}),
    "cases.create": frozenset({"projectgroep"}),
    "cases.edit": frozenset({"projectgroep"}),
    "actions.mine": frozenset({"projectgroep", "professional", "buurtteam"}),
    "meetings.view": frozenset({"projectgroep", "professional", "buurtteam"}),
    "meetings.manage": frozenset({"projectgroep"}),
    "meetings.agenda": frozenset({"projectgroep"}),
    "budget.manage": frozenset({"projectgroep"}),
    "deviations.manage": frozenset({"projectgroep"}),
    "handover.manage": frozenset({"projectgroep"}),
    "deviations.register": frozenset({"projectgroep"}),
    "budget.overview": frozenset({"projectgroep"}),
    "cases.close": frozenset({"projectgroep"}),
    "follow_up.list": frozenset({"projectgroep", "professional", "buurtteam"}),
    "impact.report": frozenset({"projectgroep"}),
    # The client asks the project group: who looked at my file, what do you keep about me.
    "privacy": frozenset({"projectgroep"}),
}


def can(user, permission: str) -> bool:
    """Whether the user's role grants a permission (object rules are in visible_cases)."""
    return bool(user and user.is_authenticated and user.role in PERMISSIONS[permission])


def require(permission: str):
    """View decorator: 403 unless the logged-in user's role grants the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def guard(blueprint, permission: str) -> None:
    """Every view of a blueprint: logged in (else to the login page), and a role that grants the
    permission (else 403)."""

    @blueprint.before_request
    @login_required
    def _guard():
        if not can(current_user, permission):
            abort(403)


def consent_covers(organisation_id: int, today=None, case_id=Case.id):
    """SQL condition: the case (case_id: Case.id, or a column holding a case id) has a valid,
    unwithdrawn consent naming this organisation."""
    today = today or local_today()
    return exists().where(
        Consent.case_id == case_id,
        Consent.withdrawn_at.is_(None),
        Consent.signed_on <= today,
        Consent.valid_until >= today,
        consent_organisation.c.consent_id == Consent.id,
        consent_organisation.c.organisation_id == organisation_id,
    )


def visible_cases(user, case_id=Case.id):
    """SQL condition on Case: the cases this user may see. With case_id, the condition is on that
    column instead (a record's case, without joining the case itself)."""
    if not user.is_authenticated:
        return false()
    if user.role == "projectgroep":
        return true()
    if user.role in ("professional", "buurtteam"):
        involved = exists().where(CaseInvolvement.case_id == case_id, CaseInvolvement.user_id == user.id)
        return involved & consent_covers(user.organisation_id, case_id=case_id)
    return false()


def case_visible_to_user_column():
    """SQL condition on Case and User (both in the query): that user may see that case. For
    queries over many people at once, such as the scheduler's reminders."""
    involved = (
        select(CaseInvolvement.id)
        .where(CaseInvolvement.case_id == Case.id, CaseInvolvement.user_id == User.id)
        .correlate(Case, User)  # only these two: the outer query may join case_involvement itself
        .exists()
    )
    outside_group = (
        User.role.in_(("professional", "buurtteam")) & involved & consent_covers(User.organisation_id)
    )
    return (User.role == "projectgroep") | outside_group


def covering_consent_id(case_id: int, organisation_id: int) -> int | None:
    """The valid consent that lets this organisation see this case (the most recently signed)."""
    today = local_today()
    return db.session.scalar(
        select(Consent.id)
        .join(consent_organisation, consent_organisation.c.consent_id == Consent.id)
        .where(
            Consent.case_id == case_id,
            Consent.withdrawn_at.is_(None),
            Consent.signed_on <= today,
            Consent.valid_until >= today,
            consent_organisation.c.organisation_id == organisation_id,
        )
        .order_by(Consent.signed_on.desc(), Consent.id.desc())
        .limit(1)
    )


def hidden_domains(case_id: int, user=None) -> frozenset[int]:
    """The life domains of this case the user may not read about: those no valid consent covering the
    user's organisation names for it (the project group reads everything). Asked once per request."""
    user = user or current_user
    if user.role == "projectgroep":
        return frozenset()
    known = g.setdefault("hidden_domains", {})
    if case_id not in known:
        today = local_today()
        covered = (
            select(ConsentDomain.life_domain_id)
            .join(Consent, Consent.id == ConsentDomain.consent_id)
            .where(
                Consent.case_id == case_id,
                Consent.withdrawn_at.is_(None),
                Consent.signed_on <= today,
                Consent.valid_until >= today,
                ConsentDomain.organisation_id == user.organisation_id,
            )
        )
        known[case_id] = frozenset(
            db.session.scalars(select(LifeDomain.id).where(LifeDomain.id.not_in(covered)))
        )
    return known[case_id]


def shares_everything(case_id: int, user=None) -> bool:
    """Whether the consent lets the user read about every life domain in use (inactive ones aside):
    then text that names no life domain, and so may be about any, may be shown too."""
    hidden = hidden_domains(case_id, user)
    if not hidden:
        return True
    if "active_domains" not in g:
        g.active_domains = frozenset(db.session.scalars(select(LifeDomain.id).where(LifeDomain.active)))
    return not hidden & g.active_domains


def case_or_404(case_id: int, user=None) -> Case:
    """Load a case the user may see, or answer 404 as if it did not exist. Either way the access log
    gets a row: what the user opened, changed or printed, on what basis; or that they were refused."""
    user = user or current_user
    case = db.session.scalar(
        select(Case)
        .where(Case.id == case_id, visible_cases(user))
        .options(joinedload(Case.client).joinedload(Client.neighbourhood))
    )
    if case is None:
        client_id = db.session.scalar(select(Case.client_id).where(Case.id == case_id))
        if client_id is not None and user.is_authenticated:
            audit.log_refused(user, case_id, client_id)
        abort(404)
    if user.role == "projectgroep":
        audit.log_access(user, case, "mandate", None)
    else:
        audit.log_access(user, case, "consent", covering_consent_id(case.id, user.organisation_id))
    return case


def meeting_or_404(meeting_id: int, user=None) -> Meeting:
    """A meeting of a case the user may see; otherwise 404, as if it did not exist."""
    return case_record_or_404(Meeting, meeting_id, user)


def case_record_or_404(model, record_id: int, user=None):
    """A record with its own page (a deviation, a handover) of a case the user may see; otherwise
    404, as if it did not exist."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    case_or_404(record.case_id, user)
    return record


def record_of_case_or_404(case: Case, model, record_id: int):
    """A record (consent, plan goal, involvement…) that belongs to this case, or 404: an id from
    another case answers exactly like a missing one."""
    record = db.session.get(model, record_id)
    owner = record.plan.case_id if isinstance(record, PlanGoal) else getattr(record, "case_id", None)
    if record is None or owner != case.id:
        abort(404)
    return record


def can_update_action(user, action) -> bool:
    """The project group updates any action; others the actions for them or their organisation.
    (The case itself must be visible: load it with case_or_404 first.)"""
    if user.role == "projectgroep":
        return True
    return action.assignee_user_id == user.id or action.assignee_organisation_id == user.organisation_id


def can_act_for_team(user, handover) -> bool:
    """Aftercare (contacts, the safety net) is for the receiving neighbourhood team and the project
    group. (The case itself must be visible: load the handover with case_record_or_404 first.)"""
    return user.role == "projectgroep" or (
        user.role == "buurtteam" and user.organisation_id == handover.team_id
    )


def can_follow_up(user, item) -> bool:
    """A pilot-light contact or a measurement is done by the person it is planned for, a colleague
    in the same neighbourhood team, or the project group. (Load its case with case_record_or_404
    first.)"""
    return (
        user.role == "projectgroep"
        or item.assignee_id == user.id
        or (user.role == "buurtteam" and item.assignee.organisation_id == user.organisation_id)
    )
