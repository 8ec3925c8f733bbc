"""Beheer: organisations, user accounts, neighbourhoods and life domains (services and pages)."""

import pytest
from sqlalchemy import func, select, text

from opkoers.domain import RuleViolation
from opkoers.extensions import db
from opkoers.messages import rule_message
from opkoers.models import AuditEntry, LifeDomain, Neighbourhood, Organisation, User, UserSession
from opkoers.passwords import verify_password
from opkoers.services import admin

from .helpers import count_queries

NEW_PASSWORD = "een-nieuw-lang-wachtwoord"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def _open_sessions(user) -> int:
    return db.session.scalar(
        select(func.count()).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    )


def _refused(expected: str, call, /, *args, **kwargs) -> None:
    with pytest.raises(RuleViolation) as info:
        call(*args, **kwargs)
    assert info.value.code == expected


@pytest.fixture
def beheerder(factory):
    user = factory.user("beheerder", name="Bea Beheer")
    db.session.commit()
    return user


@pytest.fixture
def admin_client(beheerder, login):
    return login(beheerder)


def _user_values(user: User, **changes) -> dict:
    values = {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "organisation_id": user.organisation_id,
        "active": user.active,
    }
    return {**values, **changes}


def _new_user(organisation_id: int, /, **changes) -> dict:
    """The fields of a new user account, with some changed."""
    values = {
        "name": "Nieuw Iemand",
        "email": "nieuw@example.test",
        "role": "professional",
        "organisation_id": organisation_id,
        "password": NEW_PASSWORD,
    }
    return {**values, **changes}


def _post_user(client, user: User, **changes):
    """Submit the change form of a user account as it stands, with some fields changed."""
    data = {**_user_values(user), "active": "y" if user.active else "", "version": user.version}
    return client.post(f"/beheer/gebruikers/{user.id}", data={**data, **changes})


# ---------------------------------------------------------------- services: organisations


def test_create_organisation_writes_audit_entry(app, beheerder):
    org = admin.create_organisation(beheerder, name="Buurtteam Noord", kind="buurtteam")

    assert org.id and org.active
    (entry,) = _entries("organisation_created")
    assert entry.entity_id == org.id and entry.user_id == beheerder.id
    assert entry.changes == {
        "name": [None, "Buurtteam Noord"],
        "kind": [None, "buurtteam"],
        "active": [None, True],
    }


def test_create_organisation_without_actor_is_the_system(app):
    org = admin.create_organisation(None, name="Gemeente Houten", kind="gemeente")
    (entry,) = _entries("organisation_created")
    assert entry.entity_id == org.id and entry.user_id is None and entry.user_name == "systeem"


def test_update_organisation_records_old_and_new(app, beheerder, factory):
    org = factory.organisation("Stichting Oud", kind="welzijn")

    admin.update_organisation(
        beheerder, org, org.version, name="Stichting Nieuw", kind="welzijn", active=False
    )

    assert org.name == "Stichting Nieuw" and not org.active
    (entry,) = _entries("organisation_updated")
    assert entry.changes == {"name": ["Stichting Oud", "Stichting Nieuw"], "active": [True, False]}


def test_saving_an_unchanged_organisation_writes_no_entry(app, beheerder, factory):
    org = factory.organisation("Zelfde", kind="zorg")
    admin.update_organisation(beheerder, org, org.version, name="Zelfde", kind="zorg", active=True)
    assert _entries("organisation_updated") == []


def test_duplicate_organisation_name_is_refused_whatever_the_capitals(app, beheerder, factory):
    factory.organisation("Gemeente Houten")
    other = factory.organisation("Woonstede", kind="woningcorporatie")

    _refused("duplicate_name", admin.create_organisation, beheerder, name="gemeente houten", kind="gemeente")
    _refused(
        "duplicate_name",
        admin.update_organisation,
        beheerder,
        other,
        other.version,
        name="GEMEENTE HOUTEN",
        kind="woningcorporatie",
        active=True,
    )
    assert other.name == "Woonstede"
    # Keeping its own name is not a duplicate.
    admin.update_organisation(
        beheerder, other, other.version, name="woonstede", kind="woningcorporatie", active=True
    )


def test_stale_organisation_edit_is_refused(app, beheerder, factory):
    org = factory.organisation("Eerste naam")
    seen = org.version
    admin.update_organisation(beheerder, org, seen, name="Tweede naam", kind="gemeente", active=True)
    db.session.flush()

    _refused(
        "stale",
        admin.update_organisation,
        beheerder,
        org,
        seen,
        name="Derde naam",
        kind="gemeente",
        active=True,
    )
    assert org.name == "Tweede naam"


# ---------------------------------------------------------------- services: users


def test_create_user_stores_lowercase_email_and_a_hash_but_no_secret_in_the_trail(app, beheerder, factory):
    org = factory.organisation()

    user = admin.create_user(
        beheerder,
        name="Piet Pro",
        email="  Piet.Pro@Example.TEST ",
        role="professional",
        organisation_id=org.id,
        password=NEW_PASSWORD,
    )

    assert user.email == "piet.pro@example.test"
    assert verify_password(user.password_hash, NEW_PASSWORD)
    (entry,) = _entries("user_created")
    assert entry.changes["email"] == [None, "piet.pro@example.test"]
    assert entry.changes["password"] == [None, "***"]
    assert user.password_hash not in str(entry.changes)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"email": "ANNA@Example.test"}, "duplicate_email"),
        ({"email": "geen-adres"}, "invalid_email"),
        ({"password": ""}, "password_length"),
        ({"password": "x" * 11}, "password_length"),
        ({"password": "x" * 129}, "password_length"),
    ],
)
def test_create_user_refusals(app, beheerder, factory, changes, code):
    factory.user("professional", email="anna@example.test")
    _refused(code, admin.create_user, None, **_new_user(beheerder.organisation_id, **changes))
    assert _count(User) == 2 and _count(AuditEntry) == 0


def test_update_user_records_changes(app, beheerder, factory):
    user = factory.user("professional", name="Oude Naam")
    new_org = factory.organisation()

    admin.update_user(
        beheerder, user, user.version, **_user_values(user, name="Nieuwe Naam", organisation_id=new_org.id)
    )

    (entry,) = _entries("user_updated")
    assert entry.changes["name"] == ["Oude Naam", "Nieuwe Naam"]
    assert entry.changes["organisation_id"][1] == new_org.id
    assert "password" not in entry.changes


def test_new_password_ends_sessions_and_stays_out_of_the_trail(app, beheerder, factory, login):
    user = factory.user("professional")
    db.session.commit()
    their_client = login(user)
    old_hash = user.password_hash
    assert _open_sessions(user) == 1

    admin.update_user(beheerder, user, user.version, **_user_values(user), password=NEW_PASSWORD)
    db.session.commit()

    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert _open_sessions(user) == 0
    (entry,) = _entries("user_updated")
    assert entry.changes == {"password": ["***", "***"]}
    for secret in (old_hash, user.password_hash):
        assert secret not in str(entry.changes)
    assert _entries("sessions_ended")[0].changes["reason"] == [None, "password"]
    response = their_client.get("/start")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_deactivating_a_user_ends_their_sessions(app, beheerder, factory, login):
    user = factory.user("buurtteam")
    db.session.commit()
    their_client = login(user)
    assert their_client.get("/start").status_code == 200

    admin.update_user(beheerder, user, user.version, **_user_values(user, active=False))
    db.session.commit()

    response = their_client.get("/start")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert _entries("user_updated")[0].changes == {"active": [True, False]}


def test_other_changes_keep_the_session(app, beheerder, factory, login):
    user = factory.user("professional")
    db.session.commit()
    their_client = login(user)
    admin.update_user(beheerder, user, user.version, **_user_values(user, name="Andere Naam"))
    db.session.commit()
    assert _open_sessions(user) == 1 and their_client.get("/start").status_code == 200


def test_a_beheerder_cannot_deactivate_themselves(app, beheerder):
    _refused(
        "cannot_deactivate_self",
        admin.update_user,
        beheerder,
        beheerder,
        beheerder.version,
        **_user_values(beheerder, active=False),
    )
    assert beheerder.active


def test_a_beheerder_cannot_change_their_own_role(app, beheerder):
    _refused(
        "cannot_change_own_role",
        admin.update_user,
        beheerder,
        beheerder,
        beheerder.version,
        **_user_values(beheerder, role="professional"),
    )
    assert beheerder.role == "beheerder"


def test_update_user_refuses_duplicate_email_and_stale_version(app, beheerder, factory):
    user = factory.user("professional", email="een@example.test")
    factory.user("professional", email="twee@example.test")

    _refused(
        "duplicate_email",
        admin.update_user,
        beheerder,
        user,
        user.version,
        **_user_values(user, email="Twee@example.test"),
    )
    _refused(
        "stale", admin.update_user, beheerder, user, user.version - 1, **_user_values(user, name="Nieuw")
    )
    _refused(
        "password_length",
        admin.update_user,
        beheerder,
        user,
        user.version,
        **_user_values(user),
        password="kort",
    )
    assert user.email == "een@example.test" and user.name != "Nieuw"
    assert _entries("user_updated") == []


# ---------------------------------------------------------------- services: neighbourhoods and life domains


def test_neighbourhood_with_team(app, beheerder, factory):
    team = factory.organisation("Buurtteam Zuid", kind="buurtteam")

    hood = admin.create_neighbourhood(beheerder, name="Houten-Zuid", team_id=team.id)
    assert hood.team is team
    admin.update_neighbourhood(beheerder, hood, hood.version, name="Houten Zuid", team_id=None)

    assert hood.name == "Houten Zuid" and hood.team_id is None
    assert _entries("neighbourhood_created")[0].changes == {
        "name": [None, "Houten-Zuid"],
        "team_id": [None, team.id],
    }
    assert _entries("neighbourhood_updated")[0].changes == {
        "name": ["Houten-Zuid", "Houten Zuid"],
        "team_id": [team.id, None],
    }


def test_neighbourhood_rules(app, beheerder, factory):
    factory.neighbourhood("Centrum")
    gemeente = factory.organisation(kind="gemeente")
    hood = factory.neighbourhood("Oost")

    _refused("duplicate_name", admin.create_neighbourhood, beheerder, name="centrum")
    _refused("not_a_team", admin.create_neighbourhood, beheerder, name="West", team_id=gemeente.id)
    _refused(
        "not_a_team", admin.update_neighbourhood, beheerder, hood, hood.version, name="Oost", team_id=999_999
    )
    _refused(
        "stale", admin.update_neighbourhood, beheerder, hood, hood.version + 1, name="Oost 2", team_id=None
    )
    assert _count(Neighbourhood) == 2


def test_life_domain_create_update_and_rules(app, beheerder):
    domain = admin.create_life_domain(beheerder, code="vervoer", name="Vervoer", position=9)
    assert _entries("life_domain_created")[0].changes["code"] == [None, "vervoer"]

    admin.update_life_domain(
        beheerder, domain, domain.version, code="vervoer", name="Vervoer", position=9, active=False
    )
    assert _entries("life_domain_updated")[0].changes == {"active": [True, False]}

    _refused("duplicate_code", admin.create_life_domain, beheerder, code="vervoer", name="Nog eens")
    _refused(
        "stale",
        admin.update_life_domain,
        beheerder,
        domain,
        domain.version - 1,
        code="vervoer",
        name="X",
        position=1,
        active=True,
    )


# ---------------------------------------------------------------- pages: who may open them


def _urls(factory) -> list[str]:
    org = factory.organisation()
    user = factory.user("professional", organisation=org)
    hood = factory.neighbourhood()
    domain = factory.life_domains()[0]
    db.session.commit()
    return [
        "/beheer",
        "/beheer/organisaties",
        "/beheer/organisaties/nieuw",
        f"/beheer/organisaties/{org.id}",
        "/beheer/gebruikers",
        "/beheer/gebruikers/nieuw",
        f"/beheer/gebruikers/{user.id}",
        "/beheer/wijken",
        "/beheer/wijken/nieuw",
        f"/beheer/wijken/{hood.id}",
        "/beheer/leefgebieden",
        "/beheer/leefgebieden/nieuw",
        f"/beheer/leefgebieden/{domain.id}",
    ]


def _is_form(url: str) -> bool:
    return url.endswith("/nieuw") or url[-1].isdigit()


def test_a_beheerder_opens_every_page(app, factory, admin_client):
    for url in _urls(factory):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1, url
        assert 'style="' not in html, url


@pytest.mark.parametrize("role", ["projectgroep", "professional", "buurtteam"])
def test_other_roles_are_refused(app, factory, login, role):
    urls = _urls(factory)
    other = login(factory.user(role))
    audit_before, orgs_before = _count(AuditEntry), _count(Organisation)
    for url in urls:
        assert other.get(url).status_code == 403, url
        if _is_form(url):
            assert other.post(url, data={"name": "Inbreker", "kind": "gemeente"}).status_code == 403, url
    assert _count(AuditEntry) == audit_before and _count(Organisation) == orgs_before


def test_anonymous_visitors_are_sent_to_login(app, factory, client):
    for url in _urls(factory):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/login"), url
        if _is_form(url):
            assert client.post(url, data={"name": "Inbreker"}).status_code == 302, url
    assert _count(AuditEntry) == 0


@pytest.mark.parametrize("kind", ["organisaties", "gebruikers", "wijken", "leefgebieden"])
def test_unknown_id_is_not_found(app, admin_client, kind):
    assert admin_client.get(f"/beheer/{kind}/999999").status_code == 404
    assert admin_client.post(f"/beheer/{kind}/999999", data={"name": "x"}).status_code == 404


# ---------------------------------------------------------------- pages: saving


def test_add_an_organisation(app, admin_client, beheerder):
    response = admin_client.post(
        "/beheer/organisaties/nieuw", data={"name": "  Buurtteam West ", "kind": "buurtteam", "active": "y"}
    )
    assert response.status_code == 302 and response.location == "/beheer/organisaties"

    org = db.session.scalar(select(Organisation).where(Organisation.name == "Buurtteam West"))
    assert org.kind == "buurtteam" and org.active
    assert _entries("organisation_created")[0].user_id == beheerder.id
    page = admin_client.get("/beheer/organisaties").get_data(as_text=True)
    assert "De organisatie is toegevoegd." in page and "Buurtteam West" in page


def test_edit_an_organisation(app, factory, admin_client):
    org = factory.organisation("Stichting Wijkwerk", kind="welzijn")
    db.session.commit()
    page = admin_client.get(f"/beheer/organisaties/{org.id}").get_data(as_text=True)
    assert (
        'value="Stichting Wijkwerk"' in page and f'name="version" type="hidden" value="{org.version}"' in page
    )

    response = admin_client.post(
        f"/beheer/organisaties/{org.id}",
        data={"name": "Stichting Wijkwerk", "kind": "welzijn", "version": org.version},
    )

    assert response.status_code == 302
    db.session.refresh(org)
    assert not org.active  # an unticked box switches it off
    assert _entries("organisation_updated")[0].changes == {"active": [True, False]}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "kind": "gemeente"}, "Vul dit veld in."),
        ({"name": "   ", "kind": "gemeente"}, "Vul dit veld in."),
        ({"name": "x" * 201, "kind": "gemeente"}, "Maximaal 200 tekens."),
        ({"name": "Goed", "kind": "geheim"}, 'id="kind-error"'),
        ({"name": "Goed"}, 'id="kind-error"'),
    ],
)
def test_bad_organisation_input_is_refused_and_kept(app, admin_client, data, error):
    audit_before = _count(AuditEntry)
    response = admin_client.post("/beheer/organisaties/nieuw", data=data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error in html and "Controleer deze velden" in html
    assert _count(Organisation) == 1 and _count(AuditEntry) == audit_before


def test_markup_in_a_name_is_shown_as_text(app, admin_client):
    name = '<script>alert("x")</script>'
    assert (
        admin_client.post("/beheer/organisaties/nieuw", data={"name": name, "kind": "overig"}).status_code
        == 302
    )

    page = admin_client.get("/beheer/organisaties").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    edit = admin_client.get(f"/beheer/organisaties/{org.id}").get_data(as_text=True)
    assert "<script>alert" not in edit


def test_a_stale_edit_keeps_the_input_and_says_why(app, factory, admin_client, beheerder):
    org = factory.organisation("Versie Een")
    db.session.commit()
    seen = org.version
    admin.update_organisation(beheerder, org, seen, name="Versie Twee", kind="gemeente", active=True)
    db.session.commit()

    response = admin_client.post(
        f"/beheer/organisaties/{org.id}", data={"name": "Mijn Versie", "kind": "gemeente", "version": seen}
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in html and 'value="Mijn Versie"' in html
    db.session.refresh(org)
    assert org.name == "Versie Twee"


def test_a_save_racing_another_save_keeps_the_input(app, factory, admin_client, monkeypatch):
    org = factory.organisation("Gelijktijdig")
    db.session.commit()

    def other_person_saves_first(obj, version):
        db.session.execute(
            text("UPDATE organisation SET version = version + 1 WHERE id = :id"), {"id": obj.id}
        )

    monkeypatch.setattr(admin, "check_version", other_person_saves_first)
    response = admin_client.post(
        f"/beheer/organisaties/{org.id}",
        data={"name": "Mijn Naam", "kind": "gemeente", "version": org.version},
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in html and 'value="Mijn Naam"' in html
    db.session.expire_all()
    assert org.name == "Gelijktijdig" and _entries("organisation_updated") == []


def test_add_a_user(app, factory, admin_client):
    org = factory.organisation("Schuldhulp Houten", kind="schuldhulp")
    db.session.commit()

    response = admin_client.post(
        "/beheer/gebruikers/nieuw",
        data=_new_user(org.id, name="Sam Schuld", email="Sam@Schuldhulp.TEST", active="y"),
    )

    assert response.status_code == 302 and response.location == "/beheer/gebruikers"
    user = db.session.scalar(select(User).where(User.email == "sam@schuldhulp.test"))
    assert user.organisation is org and user.active
    new_client = app.test_client()
    assert (
        new_client.post("/login", data={"email": "sam@schuldhulp.test", "password": NEW_PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password": "kort"}, "Kies een wachtwoord van 12 tot 128 tekens."),
        ({"password": ""}, "Vul dit veld in."),
        ({"password": "x" * 129}, "Kies een wachtwoord van 12 tot 128 tekens."),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"email": "a@b.nl" + "x" * 250}, "Maximaal 254 tekens."),
        ({"name": "x" * 201}, "Maximaal 200 tekens."),
        ({"organisation_id": ""}, "Kies een organisatie."),
        ({"organisation_id": "abc"}, "Kies een organisatie."),
        ({"organisation_id": "999999"}, 'id="organisation_id-error"'),
        ({"role": "superuser"}, 'id="role-error"'),
    ],
)
def test_bad_user_input_is_refused(app, admin_client, beheerder, changes, error):
    response = admin_client.post(
        "/beheer/gebruikers/nieuw", data=_new_user(beheerder.organisation_id, **changes)
    )

    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    assert _count(User) == 1


def test_duplicate_email_in_other_capitals_is_refused_with_a_message(app, factory, admin_client, beheerder):
    factory.user("professional", email="anna@example.test")
    db.session.commit()
    audit_before = _count(AuditEntry)

    response = admin_client.post(
        "/beheer/gebruikers/nieuw",
        data=_new_user(beheerder.organisation_id, name="Anna Ander", email="ANNA@Example.Test"),
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Er is al een account met dit e-mailadres." in html and 'value="Anna Ander"' in html
    assert NEW_PASSWORD not in html  # a password is never sent back
    assert _count(User) == 2 and _count(AuditEntry) == audit_before


def test_a_failed_user_edit_writes_nothing(app, factory, admin_client):
    user = factory.user("professional", name="Blijft Zo", email="blijft@example.test")
    factory.user("professional", email="bezet@example.test")
    db.session.commit()
    old_hash, audit_before = user.password_hash, _count(AuditEntry)

    response = _post_user(
        admin_client, user, name="Andere Naam", email="bezet@example.test", active="", password=NEW_PASSWORD
    )

    assert response.status_code == 422
    db.session.expire_all()
    assert user.name == "Blijft Zo" and user.active and user.password_hash == old_hash
    assert _count(AuditEntry) == audit_before


def test_new_password_from_the_page_logs_the_user_out(app, factory, admin_client, login):
    user = factory.user("projectgroep")
    db.session.commit()
    their_client = login(user)
    page = admin_client.get(f"/beheer/gebruikers/{user.id}").get_data(as_text=True)
    assert "Nieuw wachtwoord" in page and "password_hash" not in page

    response = _post_user(admin_client, user, password=NEW_PASSWORD)

    assert response.status_code == 302
    assert their_client.get("/start").location.startswith("/login")
    assert (
        app.test_client().post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_own_new_password_keeps_this_session(app, admin_client, beheerder):
    response = _post_user(admin_client, beheerder, password=NEW_PASSWORD)
    assert response.status_code == 302
    assert admin_client.get("/beheer/gebruikers").status_code == 200


def test_deactivating_yourself_is_refused_on_the_page(app, admin_client, beheerder):
    response = _post_user(admin_client, beheerder, active="")

    assert response.status_code == 422
    assert "U kunt uw eigen account niet uitzetten." in response.get_data(as_text=True)
    db.session.expire_all()
    assert beheerder.active
    assert admin_client.get("/beheer").status_code == 200


def test_users_list_is_paginated_with_a_fixed_number_of_queries(app, factory, admin_client):
    def queries_for(url: str) -> int:
        with count_queries() as statements:
            assert admin_client.get(url).status_code == 200
        return len(statements)

    for _ in range(3):
        factory.user("professional")
    db.session.commit()
    few = queries_for("/beheer/gebruikers")
    for _ in range(27):
        factory.user("professional")
    db.session.commit()
    many = queries_for("/beheer/gebruikers")

    assert many == few
    first = admin_client.get("/beheer/gebruikers").get_data(as_text=True)
    assert first.count("/beheer/gebruikers/") - first.count("/beheer/gebruikers/nieuw") == 25
    assert "Pagina 1 van 2" in first
    second = admin_client.get("/beheer/gebruikers?page=2").get_data(as_text=True)
    assert second.count("/beheer/gebruikers/") - second.count("/beheer/gebruikers/nieuw") == 6
    assert admin_client.get("/beheer/gebruikers?page=99").status_code == 200
    assert admin_client.get("/beheer/gebruikers?page=abc").status_code == 200


def test_add_and_edit_a_neighbourhood(app, factory, admin_client):
    team = factory.organisation("Buurtteam Oost", kind="buurtteam")
    factory.organisation("Gemeente Elders", kind="gemeente")
    db.session.commit()
    form = admin_client.get("/beheer/wijken/nieuw").get_data(as_text=True)
    assert "Buurtteam Oost" in form and "Gemeente Elders" not in form

    assert (
        admin_client.post("/beheer/wijken/nieuw", data={"name": "Oost", "team_id": team.id}).status_code
        == 302
    )
    hood = db.session.scalar(select(Neighbourhood).where(Neighbourhood.name == "Oost"))
    assert hood.team is team
    assert "Buurtteam Oost" in admin_client.get("/beheer/wijken").get_data(as_text=True)

    response = admin_client.post(
        f"/beheer/wijken/{hood.id}", data={"name": "Oost", "team_id": "", "version": hood.version}
    )
    assert response.status_code == 302
    db.session.refresh(hood)
    assert hood.team_id is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": ""}, "Vul dit veld in."),
        ({"name": "x" * 121}, "Maximaal 120 tekens."),
        ({"name": "Centrum"}, "Deze naam bestaat al."),
        ({"name": "Nieuw", "team_id": "999999"}, 'id="team_id-error"'),
    ],
)
def test_bad_neighbourhood_input(app, factory, admin_client, data, error):
    factory.neighbourhood("Centrum")
    db.session.commit()
    response = admin_client.post("/beheer/wijken/nieuw", data=data)
    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    assert _count(Neighbourhood) == 1


def test_add_and_switch_off_a_life_domain(app, admin_client):
    response = admin_client.post(
        "/beheer/leefgebieden/nieuw",
        data={"code": " Vervoer ", "name": "Vervoer", "position": "8", "active": "y"},
    )
    assert response.status_code == 302
    domain = db.session.scalar(select(LifeDomain).where(LifeDomain.code == "vervoer"))
    assert domain.position == 8 and domain.active

    response = admin_client.post(
        f"/beheer/leefgebieden/{domain.id}",
        data={"code": "vervoer", "name": "Vervoer", "position": "8", "version": domain.version},
    )
    assert response.status_code == 302
    db.session.refresh(domain)
    assert not domain.active
    assert "Niet actief" in admin_client.get("/beheer/leefgebieden").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"code": "", "name": "Iets", "position": "1"}, "Vul dit veld in."),
        ({"code": "geld zaken", "name": "Iets", "position": "1"}, "Gebruik alleen kleine letters"),
        ({"code": "café", "name": "Iets", "position": "1"}, "Gebruik alleen kleine letters"),
        ({"code": "x" * 41, "name": "Iets", "position": "1"}, "Maximaal 40 tekens."),
        ({"code": "iets", "name": "Iets", "position": "een"}, "Vul een heel getal in"),
        ({"code": "iets", "name": "Iets", "position": "1,5"}, "Vul een heel getal in"),
        ({"code": "iets", "name": "Iets", "position": "-1"}, "Vul een getal in van 0 tot en met 999."),
        ({"code": "iets", "name": "Iets", "position": ""}, "Vul een getal in."),
        ({"code": "inkomen", "name": "Iets", "position": "1"}, RuleViolation("duplicate_code")),
    ],
)
def test_bad_life_domain_input(app, factory, admin_client, data, error):
    factory.life_domains()
    db.session.commit()
    before = _count(LifeDomain)
    if isinstance(error, RuleViolation):
        with app.test_request_context():
            error = rule_message(error)
    response = admin_client.post("/beheer/leefgebieden/nieuw", data=data)
    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    assert _count(LifeDomain) == before
