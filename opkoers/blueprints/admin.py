"""Beheer: the beheerder manages organisations, user accounts, neighbourhoods, life domains, the
list of rules and the settings."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from .. import access
from ..domain import RuleViolation
from ..domain import retention as retention_rules
from ..extensions import db
from ..forms.admin import (
    FixedContactForm,
    HandoverPointForm,
    LifeDomainForm,
    NeighbourhoodForm,
    NewUserForm,
    OrganisationForm,
    PilotLightSettingForm,
    RetentionForm,
    RuleForm,
    SecurityForm,
    ThemeForm,
    UserForm,
)
from ..forms.budget import DefaultBudgetForm
from ..labels import label
from ..messages import rule_message
from ..models import HandoverPoint, LifeDomain, Neighbourhood, Organisation, Rule, SelfRelianceTheme, User
from ..passwords import MIN_LENGTH
from ..services import accounts, admin, budget, closing, dashboard, deviations, retention, self_reliance
from ..services import settings as app_settings
from .requests import number_arg, safe_local_path

bp = Blueprint("admin", __name__, url_prefix="/beheer")

USERS_PER_PAGE = 25


def _save(form, save, done: str, next_url: str, **context):
    """Validate the form and save it with one service call; on bad input show it again (422)."""
    message = None
    if form.validate_on_submit():
        try:
            save(**form.values())
        except RuleViolation as error:
            message = rule_message(error)
        except StaleDataError:  # someone saved the same record between our check and our write
            db.session.rollback()
            message = rule_message(RuleViolation("stale"))
        else:
            flash(done, "success")
            return redirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/form.html", form=form, message=message, **context), status


@bp.get("")
@login_required
@access.require("admin")
def index():
    return render_template("admin/index.html", overview=dashboard.admin_overview())


# ---------------------------------------------------------------- organisations


def _editing(obj, new_title: str) -> str:
    return _("%(name)s wijzigen", name=obj.name) if obj else new_title


def _organisation_page(organisation=None):
    return {
        "title": _editing(organisation, _("Nieuwe organisatie")),
        "parent": (_("Organisaties"), url_for("admin.organisations")),
        "hints": {"active": _("Zet een organisatie uit als zij niet meer meedoet.")},
    }


@bp.get("/organisaties")
@login_required
@access.require("admin")
def organisations():
    return render_template("admin/organisations.html", organisations=admin.list_organisations())


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def organisation_new():
    form = OrganisationForm()
    return _save(
        form,
        lambda **values: admin.create_organisation(current_user, **values),
        _("De organisatie is toegevoegd."),
        url_for("admin.organisations"),
        **_organisation_page(),
    )


@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def organisation_edit(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    return _save(
        form,
        lambda **values: admin.update_organisation(current_user, organisation, form.version.data, **values),
        _("De organisatie is opgeslagen."),
        url_for("admin.organisations"),
        **_organisation_page(organisation),
    )


# ---------------------------------------------------------------- users


def _user_form(form_class, user=None):
    form = form_class(obj=user)
    organisations = admin.list_organisations()
    form.organisation_id.choices = [("", _("Kies een organisatie"))] + [
        (o.id, o.name if o.active else _("%(name)s (niet actief)", name=o.name)) for o in organisations
    ]
    return form


def _user_page(user=None):
    return {
        "title": _editing(user, _("Nieuwe gebruiker")),
        "parent": (_("Gebruikers"), url_for("admin.users")),
        "hints": {
            "password": _(
                "Minstens %(min)d tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.",
                min=MIN_LENGTH,
            )
            + (" " + _("Laat leeg om het wachtwoord niet te veranderen.") if user else ""),
            "active": _("Een account dat niet actief is, kan niet inloggen."),
        },
    }


@bp.get("/gebruikers")
@login_required
@access.require("admin")
def users():
    page = admin.list_users(number_arg("page", 1), USERS_PER_PAGE)
    return render_template("admin/users.html", page=page)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def user_new():
    form = _user_form(NewUserForm)
    return _save(
        form,
        lambda **values: admin.create_user(current_user, **values),
        _("De gebruiker is toegevoegd."),
        url_for("admin.users"),
        **_user_page(),
    )


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = _user_form(UserForm, user)

    def save(**values):
        # A new password ends the user's sessions; for one's own account, not this one.
        admin.update_user(current_user, user, form.version.data, keep_key=session.get("sid"), **values)

    return _save(form, save, _("De gebruiker is opgeslagen."), url_for("admin.users"), **_user_page(user))


# ---------------------------------------------------------------- neighbourhoods


def _neighbourhood_form(neighbourhood=None):
    form = NeighbourhoodForm(obj=neighbourhood)
    form.team_id.choices = [("", _("Geen buurtteam"))] + [(t.id, t.name) for t in admin.teams()]
    return form


def _neighbourhood_page(neighbourhood=None):
    return {
        "title": _editing(neighbourhood, _("Nieuwe wijk")),
        "parent": (_("Wijken"), url_for("admin.neighbourhoods")),
        "hints": {"team_id": _("Alleen organisaties van de soort 'Buurtteam' staan in deze lijst.")},
    }


@bp.get("/wijken")
@login_required
@access.require("admin")
def neighbourhoods():
    return render_template("admin/neighbourhoods.html", neighbourhoods=admin.list_neighbourhoods())


@bp.route("/wijken/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def neighbourhood_new():
    form = _neighbourhood_form()
    return _save(
        form,
        lambda **values: admin.create_neighbourhood(current_user, **values),
        _("De wijk is toegevoegd."),
        url_for("admin.neighbourhoods"),
        **_neighbourhood_page(),
    )


@bp.route("/wijken/<int:neighbourhood_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def neighbourhood_edit(neighbourhood_id: int):
    neighbourhood = db.get_or_404(Neighbourhood, neighbourhood_id)
    form = _neighbourhood_form(neighbourhood)
    return _save(
        form,
        lambda **values: admin.update_neighbourhood(current_user, neighbourhood, form.version.data, **values),
        _("De wijk is opgeslagen."),
        url_for("admin.neighbourhoods"),
        **_neighbourhood_page(neighbourhood),
    )


# ---------------------------------------------------------------- life domains


def _life_domain_page(domain=None):
    return {
        "title": _editing(domain, _("Nieuw leefgebied")),
        "parent": (_("Leefgebieden"), url_for("admin.life_domains")),
        "hints": {
            "code": _("Een korte naam voor exports, bijvoorbeeld 'inkomen'. Alleen kleine letters en _."),
            "position": _("Een lager getal staat hoger in de lijst."),
            "active": _("Zet een leefgebied uit als u het niet meer gebruikt. Oude intakes houden het."),
        },
    }


@bp.get("/leefgebieden")
@login_required
@access.require("admin")
def life_domains():
    return render_template("admin/life_domains.html", life_domains=admin.list_life_domains())


@bp.route("/leefgebieden/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def life_domain_new():
    form = LifeDomainForm()
    return _save(
        form,
        lambda **values: admin.create_life_domain(current_user, **values),
        _("Het leefgebied is toegevoegd."),
        url_for("admin.life_domains"),
        **_life_domain_page(),
    )


@bp.route("/leefgebieden/<int:life_domain_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def life_domain_edit(life_domain_id: int):
    domain = db.get_or_404(LifeDomain, life_domain_id)
    form = LifeDomainForm(obj=domain)
    return _save(
        form,
        lambda **values: admin.update_life_domain(current_user, domain, form.version.data, **values),
        _("Het leefgebied is opgeslagen."),
        url_for("admin.life_domains"),
        **_life_domain_page(domain),
    )


# ---------------------------------------------------------------- rules (for deviations)


@bp.get("/regels")
@login_required
@access.require("admin")
def rules():
    return render_template("admin/rules.html", rules=deviations.all_rules())


@bp.route("/regels/<int:rule_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def rule_edit(rule_id: int):
    rule = db.get_or_404(Rule, rule_id)
    form = RuleForm(obj=rule)
    form.organisation_id.choices = [("", _("Onbekend of geen"))] + [
        (o.id, o.name) for o in admin.list_organisations()
    ]
    return _save(
        form,
        lambda **values: deviations.update_rule(current_user, rule, form.version.data, **values),
        _("De regel is opgeslagen."),
        url_for("admin.rules"),
        title=rule.name,
        parent=(_("Regels"), url_for("admin.rules")),
        hints={"active": _("Uit: de regel staat niet meer in de keuzelijst. Eerdere afwijkingen blijven.")},
    )


# ---------------------------------------------------------------- fixed contact persons


@bp.get("/contactpersonen")
@login_required
@access.require("admin")
def fixed_contacts():
    return render_template("admin/fixed_contacts.html", rows=admin.fixed_contacts())


@bp.route("/contactpersonen/<int:organisation_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def fixed_contact_edit(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    current = dict(admin.fixed_contacts()).get(organisation)
    form = FixedContactForm(obj=current)
    people = [(u.id, u.name) for u in admin.people_of(organisation)]
    form.contact_id.choices = [("", _("Kies een contactpersoon"))] + people
    form.deputy_id.choices = [("", _("Geen vervanger"))] + people
    return _save(
        form,
        lambda **values: admin.set_fixed_contact(current_user, organisation, form.version.data, **values),
        _("De vaste contactpersoon is opgeslagen."),
        url_for("admin.fixed_contacts"),
        title=organisation.name,
        parent=(_("Vaste contactpersonen"), url_for("admin.fixed_contacts")),
        hints={"contact_id": _("Iemand van deze organisatie met een account in Op Koers.")},
    )


# ---------------------------------------------------------------- settings


@bp.route("/instellingen", methods=["GET", "POST"])
@login_required
@access.require("admin")
def settings():
    form = DefaultBudgetForm()
    if request.method == "GET":
        form.version.data, form.amount.data = budget.default_budget_setting()
    return _save(
        form,
        lambda amount_cents: budget.set_default_budget(current_user, amount_cents, form.version.data),
        _("Het standaardbudget is opgeslagen. Het geldt voor cliënten die vanaf nu worden toegelaten."),
        url_for("admin.index"),
        title=_("Instellingen"),
        parent=(_("Beheer"), url_for("admin.index")),
        hints={
            "amount": _("In euro, bijvoorbeeld 2.500. Een cliënt die al is toegelaten, houdt zijn budget.")
        },
    )


# ---------------------------------------------------------------- the self-reliance instrument


def _theme_page(theme=None):
    return {
        "title": _editing(theme, _("Nieuw onderwerp")),
        "parent": (_("Meting van de zelfredzaamheid"), url_for("admin.themes")),
        "hints": {
            "code": _("Een korte naam voor exports, bijvoorbeeld 'financien'. Alleen kleine letters en _."),
            "position": _("Een lager getal staat hoger in de meting."),
            "active": _("Uit: het onderwerp staat niet meer in nieuwe metingen. Oude scores blijven."),
            "anchor_1": _("Wat score 1 betekent, in een korte zin. 1 is een acuut probleem."),
            "anchor_5": _("Wat score 5 betekent. 5 is helemaal zelfredzaam."),
        },
    }


@bp.get("/zelfredzaamheid")
@login_required
@access.require("admin")
def themes():
    return render_template("admin/themes.html", themes=self_reliance.themes(include_inactive=True))


@bp.route("/zelfredzaamheid/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def theme_new():
    form = ThemeForm()
    return _save(
        form,
        lambda **values: admin.create_theme(current_user, **values),
        _("Het onderwerp is toegevoegd."),
        url_for("admin.themes"),
        **_theme_page(),
    )


@bp.route("/zelfredzaamheid/<int:theme_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def theme_edit(theme_id: int):
    theme = db.get_or_404(SelfRelianceTheme, theme_id)
    form = ThemeForm(obj=theme)
    return _save(
        form,
        lambda **values: admin.update_theme(current_user, theme, form.version.data, **values),
        _("Het onderwerp is opgeslagen."),
        url_for("admin.themes"),
        **_theme_page(theme),
    )


def _point_page(point=None):
    return {
        "title": _("Punt wijzigen") if point else _("Nieuw punt"),
        "parent": (_("Overdrachtsdocument"), url_for("admin.handover_points")),
        "hints": {
            "code": _("Een korte naam voor exports, bijvoorbeeld 'schulden'. Alleen kleine letters en _."),
            "position": _("Een lager getal staat hoger in het document."),
            "active": _("Uit: het punt staat niet meer in nieuwe documenten. Oude antwoorden blijven."),
        },
    }


@bp.get("/overdrachtsdocument")
@login_required
@access.require("admin")
def handover_points():
    return render_template("admin/handover_points.html", points=admin.list_handover_points())


@bp.route("/overdrachtsdocument/nieuw", methods=["GET", "POST"])
@login_required
@access.require("admin")
def handover_point_new():
    form = HandoverPointForm()
    return _save(
        form,
        lambda **values: admin.create_handover_point(current_user, **values),
        _("Het punt is toegevoegd."),
        url_for("admin.handover_points"),
        **_point_page(),
    )


@bp.route("/overdrachtsdocument/<int:point_id>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def handover_point_edit(point_id: int):
    point = db.get_or_404(HandoverPoint, point_id)
    form = HandoverPointForm(obj=point)
    return _save(
        form,
        lambda **values: admin.update_handover_point(current_user, point, form.version.data, **values),
        _("Het punt is opgeslagen."),
        url_for("admin.handover_points"),
        **_point_page(point),
    )


@bp.route("/waakvlamcontacten", methods=["GET", "POST"])
@login_required
@access.require("admin")
def pilot_light_setting():
    form = PilotLightSettingForm()
    if request.method == "GET":
        form.version.data, form.months.data = closing.pilot_light_setting()
    return _save(
        form,
        lambda months: closing.set_pilot_light_months(current_user, months, form.version.data),
        _("De momenten zijn opgeslagen. Ze gelden voor trajecten die vanaf nu worden afgesloten."),
        url_for("admin.index"),
        title=_("Waakvlamcontacten"),
        parent=(_("Beheer"), url_for("admin.index")),
        hints={
            "months": _(
                "Hele maanden na het afsluiten, gescheiden door komma's, binnen het eerste jaar. "
                "Bijvoorbeeld: 3, 6, 12."
            )
        },
    )


# ---------------------------------------------------------------- access review and security


@bp.get("/toegang")
@login_required
@access.require("admin")
def access_review():
    """Per account: organisation, role, last login, what it can reach now; and the buttons to end its
    sessions, reset its two-factor authentication or switch it off."""
    organisation_id = number_arg("organisatie")
    users, reach = admin.access_review(number_arg("page", 1), USERS_PER_PAGE, organisation_id)
    return render_template(
        "admin/access_review.html",
        page=users,
        reach=reach,
        organisations=admin.list_organisations(),
        organisation_id=organisation_id,
        required_roles=current_app.config["TWO_FACTOR_ROLES"],
    )


def _back_to_review():
    return redirect(safe_local_path(request.form.get("next"), url_for("admin.access_review")))


def _account_step(user_id: int, change, done: str):
    user = db.get_or_404(User, user_id)
    try:
        change(user)
    except RuleViolation as refusal:
        db.session.rollback()
        flash(rule_message(refusal), "error")
    else:
        flash(done % {"name": user.name}, "success")
    return _back_to_review()


@bp.post("/gebruikers/<int:user_id>/sessies-beeindigen")
@login_required
@access.require("admin")
def user_end_sessions(user_id: int):
    return _account_step(
        user_id,
        lambda user: accounts.end_sessions(current_user, user, "admin", keep_key=session.get("sid")),
        _("%(name)s is overal uitgelogd."),
    )


@bp.post("/gebruikers/<int:user_id>/tweestapsverificatie-opnieuw")
@login_required
@access.require("admin")
def user_reset_two_factor(user_id: int):
    return _account_step(
        user_id,
        lambda user: accounts.reset_two_factor(current_user, user),
        _("%(name)s stelt tweestapsverificatie opnieuw in bij de volgende keer inloggen."),
    )


@bp.post("/gebruikers/<int:user_id>/uitzetten")
@login_required
@access.require("admin")
def user_deactivate(user_id: int):
    return _account_step(
        user_id,
        lambda user: admin.deactivate_user(current_user, user),
        _("Het account van %(name)s staat uit. Alle sessies zijn beëindigd."),
    )


@bp.route("/beveiliging", methods=["GET", "POST"])
@login_required
@access.require("admin")
def security():
    form = SecurityForm()
    if request.method == "GET":
        form.version.data = app_settings.version(accounts.TWO_FACTOR_EVERYONE)
        form.two_factor_everyone.data = app_settings.value(accounts.TWO_FACTOR_EVERYONE, "0") == "1"
    return _save(
        form,
        lambda two_factor_everyone: accounts.require_two_factor_for_everyone(
            current_user, two_factor_everyone, form.version.data
        ),
        _("De instelling is opgeslagen."),
        url_for("admin.access_review"),
        title=_("Beveiliging"),
        parent=(_("Toegang"), url_for("admin.access_review")),
        hints={
            "two_factor_everyone": _(
                "Voor de projectgroep en de beheerder is tweestapsverificatie altijd verplicht. "
                "Zet dit aan om het ook te vragen van professionals en buurtteams."
            )
        },
    )


# ---------------------------------------------------------------- retention


@bp.get("/bewaartermijnen")
@login_required
@access.require("admin")
def retention_periods():
    return render_template("admin/retention.html", periods=retention.periods())


@bp.route("/bewaartermijnen/<code>", methods=["GET", "POST"])
@login_required
@access.require("admin")
def retention_edit(code: str):
    if code not in retention_rules.BY_CODE:
        abort(404)
    form = RetentionForm()
    if request.method == "GET":
        form.months_version.data, form.basis_version.data = retention.period_versions(code)
        form.months.data, form.basis.data = retention.months(code), retention.basis(code)
    return _save(
        form,
        lambda period, legal_basis: retention.set_period(
            current_user, code, period, legal_basis, (form.months_version.data, form.basis_version.data)
        ),
        _("De bewaartermijn is opgeslagen. Een traject dat vanaf nu eindigt, krijgt deze termijn."),
        url_for("admin.retention_periods"),
        title=label("retention_kind", code),
        parent=(_("Bewaartermijnen"), url_for("admin.retention_periods")),
        hints={
            "months": _(
                "Hoeveel maanden na het einde. Het minimum is %(months)s.",
                months=retention_rules.BY_CODE[code].minimum_months,
            ),
            "basis": _("De wet of regel waarop de termijn rust, en wie hem heeft vastgesteld."),
        },
    )
