"""aftercare, safety net, closing, pilot-light contacts, self-reliance measurements

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:08:54.110025

"""
from alembic import op
import sqlalchemy as sa

OLD_CASE_STATUSES = ("referred", "intake", "admitted", "declined", "in_progress")
NEW_CASE_STATUSES = OLD_CASE_STATUSES + ("aftercare", "closed")
OLD_HANDOVER_STATUSES = ("draft", "sent", "more_asked", "accepted")
NEW_HANDOVER_STATUSES = OLD_HANDOVER_STATUSES + ("safety_net", "withdrawn")

# A copy, not an import: a migration stays as it was written. (code, name, anchors for 1 to 5)
THEMES = (
    ("juridisch", "Juridische zaken", (
        "Er lopen zaken zoals boetes, een rechtszaak of een ontruiming, en niemand doet er iets aan.",
        "Er spelen juridische problemen. De cliënt weet niet wat te doen.",
        "Er spelen juridische zaken, maar er is hulp en er is een plan.",
        "De juridische zaken zijn geregeld of bijna klaar. De cliënt vraagt zelf hulp als dat nodig is.",
        "Er spelen geen juridische problemen. De cliënt weet waar hulp te vinden is.",
    )),
    ("hulpverleners", "Contact met hulpverleners", (
        "De cliënt heeft ruzie met instanties of gaat ze helemaal uit de weg.",
        "Het contact gaat vaak mis. Afspraken worden niet nagekomen.",
        "Het contact gaat redelijk, met hulp van een begeleider.",
        "De cliënt houdt zelf contact en komt afspraken meestal na.",
        "De cliënt regelt zelf wat nodig is en weet wie te bellen.",
    )),
    ("financien", "Financiën", (
        "Er is geen geld voor eten of huur. De problemen worden groter.",
        "Het geld is elke maand te vroeg op. Rekeningen blijven liggen.",
        "Het is krap. De cliënt heeft soms hulp nodig bij rekeningen.",
        "Inkomsten en uitgaven zijn in evenwicht. De cliënt betaalt zelf op tijd.",
        "De cliënt regelt zijn geld zelf en kan wat opzij zetten.",
    )),
    ("wonen", "Huisvesting en wonen", (
        "Geen woning, of de cliënt moet er binnenkort uit.",
        "Een tijdelijke of onveilige plek om te wonen.",
        "Een woning, maar met risico, bijvoorbeeld door een huurachterstand.",
        "Een vaste woning. De huur wordt op tijd betaald.",
        "Een vaste woning die past. De cliënt regelt zelf wat erbij hoort.",
    )),
    ("inkomen", "Inkomen", (
        "Geen inkomen.",
        "Een inkomen dat onzeker is, of te weinig om van te leven.",
        "Een vast inkomen, maar de cliënt heeft hulp nodig om het te houden.",
        "Een vast inkomen dat genoeg is. De cliënt regelt het zelf.",
        "Een vast inkomen zonder hulp, met ruimte voor onverwachte kosten.",
    )),
    ("werk", "Werk en dagbesteding", (
        "Geen werk en niets te doen. De cliënt zit veel alleen thuis.",
        "Af en toe iets te doen, zonder vast ritme.",
        "Een paar dagen per week iets vasts, zoals vrijwilligerswerk.",
        "Werk, een opleiding of dagbesteding met een vast ritme.",
        "Werk of een opleiding die past. De cliënt houdt het zelf vol.",
    )),
    ("gezondheid", "Gezondheid", (
        "Ernstige klachten zonder zorg. Het dagelijks leven lukt niet.",
        "Klachten die het dagelijks leven zwaar maken. Er is geen zorg, of die helpt niet.",
        "Klachten, maar er is zorg en die helpt.",
        "De gezondheid is stabiel. De cliënt gaat zelf naar de dokter als dat nodig is.",
        "Geen klachten die het dagelijks leven in de weg zitten.",
    )),
    ("veiligheid", "Veiligheid", (
        "De cliënt of iemand in huis is niet veilig, bijvoorbeeld door geweld of bedreiging.",
        "Er zijn vaak onveilige situaties of ruzies.",
        "Soms onrustig, maar er is hulp en een plan als het misgaat.",
        "Meestal veilig. De cliënt weet wat te doen als het misgaat.",
        "Veilig, thuis en in de buurt.",
    )),
    ("schulden", "Schulden", (
        "Veel schulden zonder overzicht. Er dreigt beslag of afsluiting.",
        "Er is overzicht van de schulden, maar nog geen regeling.",
        "Er is een regeling of schuldhulp, maar het is nog wankel.",
        "De regeling loopt goed. Er komen geen nieuwe schulden bij.",
        "Geen schulden meer, of een regeling die bijna klaar is.",
    )),
)


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _statuses(case_statuses, handover_statuses):
    with op.batch_alter_table('client_case', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_client_case_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_client_case_status'), _in('status', case_statuses))
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_handover_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_handover_status'), _in('status', handover_statuses))


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('self_reliance_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('anchor_1', sa.String(length=300), nullable=False),
    sa.Column('anchor_2', sa.String(length=300), nullable=False),
    sa.Column('anchor_3', sa.String(length=300), nullable=False),
    sa.Column('anchor_4', sa.String(length=300), nullable=False),
    sa.Column('anchor_5', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reliance_theme')),
    sa.UniqueConstraint('code', name=op.f('uq_self_reliance_theme_code'))
    )
    op.create_table('pilot_light_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('balanced', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('impossible_reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status != 'held' OR (held_on IS NOT NULL AND balanced IS NOT NULL)", name=op.f('ck_pilot_light_contact_held')),
    sa.CheckConstraint("status != 'impossible' OR impossible_reason != ''", name=op.f('ck_pilot_light_contact_impossible_has_reason')),
    sa.CheckConstraint("status IN ('open', 'held', 'impossible')", name=op.f('ck_pilot_light_contact_status')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_pilot_light_contact_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['client_case.id'], name=op.f('fk_pilot_light_contact_case_id_client_case')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_pilot_light_contact_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilot_light_contact')),
    sa.UniqueConstraint('case_id', 'months', name=op.f('uq_pilot_light_contact_case_id'))
    )
    with op.batch_alter_table('pilot_light_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_light_contact_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pilot_light_contact_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_pilot_light_contact_due', ['status', 'due_on'], unique=False)

    op.create_table('self_reliance_measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=True),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("moment IN ('start', 'end', 'half_year', 'year')", name=op.f('ck_self_reliance_measurement_moment')),
    sa.CheckConstraint('(taken_on IS NULL) = (taken_by_id IS NULL)', name=op.f('ck_self_reliance_measurement_taken_by_someone')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_self_reliance_measurement_assignee_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['client_case.id'], name=op.f('fk_self_reliance_measurement_case_id_client_case')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['user_account.id'], name=op.f('fk_self_reliance_measurement_taken_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reliance_measurement')),
    sa.UniqueConstraint('case_id', 'moment', name=op.f('uq_self_reliance_measurement_case_id'))
    )
    with op.batch_alter_table('self_reliance_measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reliance_measurement_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_reliance_measurement_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_self_reliance_measurement_due', ['taken_on', 'due_on'], unique=False)

    op.create_table('aftercare_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=False),
    sa.Column('logged_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('visit', 'phone', 'office', 'message', 'other')", name=op.f('ck_aftercare_contact_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['client_case.id'], name=op.f('fk_aftercare_contact_case_id_client_case')),
    sa.ForeignKeyConstraint(['handover_id'], ['handover.id'], name=op.f('fk_aftercare_contact_handover_id_handover')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['user_account.id'], name=op.f('fk_aftercare_contact_logged_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_contact'))
    )
    with op.batch_alter_table('aftercare_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftercare_contact_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftercare_contact_handover_id'), ['handover_id'], unique=False)

    op.create_table('case_closing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('unreachable_goals', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=False),
    sa.Column('follow_up_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('plan_done', 'goals_unreachable', 'no_cooperation')", name=op.f('ck_case_closing_outcome')),
    sa.ForeignKeyConstraint(['case_id'], ['client_case.id'], name=op.f('fk_case_closing_case_id_client_case')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_case_closing_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['follow_up_by_id'], ['user_account.id'], name=op.f('fk_case_closing_follow_up_by_id_user_account')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_case_closing_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_closing')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_closing_case_id'))
    )
    with op.batch_alter_table('case_closing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_closing_outcome'), ['outcome'], unique=False)

    op.create_table('self_reliance_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measurement_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_self_reliance_score_score')),
    sa.ForeignKeyConstraint(['measurement_id'], ['self_reliance_measurement.id'], name=op.f('fk_self_reliance_score_measurement_id_self_reliance_measurement')),
    sa.ForeignKeyConstraint(['theme_id'], ['self_reliance_theme.id'], name=op.f('fk_self_reliance_score_theme_id_self_reliance_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reliance_score')),
    sa.UniqueConstraint('measurement_id', 'theme_id', name=op.f('uq_self_reliance_score_measurement_id'))
    )
    with op.batch_alter_table('self_reliance_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_reliance_score_measurement_id'), ['measurement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_self_reliance_score_theme_id'), ['theme_id'], unique=False)

    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aftercare_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('safety_net_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('safety_net_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('safety_net_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index('ix_handover_aftercare', ['status', 'aftercare_ends_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_handover_safety_net_by_id_user_account'), 'user_account', ['safety_net_by_id'], ['id'])
        batch_op.create_check_constraint(
            op.f('ck_handover_safety_net_has_reason'), "status != 'safety_net' OR safety_net_reason != ''"
        )

    # ### end Alembic commands ###
    _statuses(NEW_CASE_STATUSES, NEW_HANDOVER_STATUSES)
    theme = sa.table(
        "self_reliance_theme",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
        sa.column("version", sa.Integer),
        *(sa.column(f"anchor_{i}", sa.String) for i in range(1, 6)),
    )
    op.bulk_insert(
        theme,
        [
            {"code": code, "name": name, "position": i, "active": True, "version": 1}
            | {f"anchor_{score}": text for score, text in enumerate(anchors, start=1)}
            for i, (code, name, anchors) in enumerate(THEMES)
        ],
    )


def downgrade():
    # Cases after the handover go back to "in progress", a safety net to an accepted handover.
    op.execute("UPDATE client_case SET status = 'in_progress' WHERE status IN ('aftercare', 'closed')")
    op.execute("UPDATE handover SET status = 'accepted' WHERE status = 'safety_net'")
    op.execute("UPDATE handover SET status = 'draft' WHERE status = 'withdrawn'")
    _statuses(OLD_CASE_STATUSES, OLD_HANDOVER_STATUSES)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_handover_safety_net_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_handover_safety_net_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index('ix_handover_aftercare')
        batch_op.drop_column('safety_net_reason')
        batch_op.drop_column('safety_net_by_id')
        batch_op.drop_column('safety_net_at')
        batch_op.drop_column('aftercare_ends_on')

    with op.batch_alter_table('self_reliance_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_reliance_score_theme_id'))
        batch_op.drop_index(batch_op.f('ix_self_reliance_score_measurement_id'))

    op.drop_table('self_reliance_score')
    with op.batch_alter_table('case_closing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_closing_outcome'))

    op.drop_table('case_closing')
    with op.batch_alter_table('aftercare_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftercare_contact_handover_id'))
        batch_op.drop_index(batch_op.f('ix_aftercare_contact_case_id'))

    op.drop_table('aftercare_contact')
    with op.batch_alter_table('self_reliance_measurement', schema=None) as batch_op:
        batch_op.drop_index('ix_self_reliance_measurement_due')
        batch_op.drop_index(batch_op.f('ix_self_reliance_measurement_case_id'))
        batch_op.drop_index(batch_op.f('ix_self_reliance_measurement_assignee_id'))

    op.drop_table('self_reliance_measurement')
    with op.batch_alter_table('pilot_light_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_pilot_light_contact_due')
        batch_op.drop_index(batch_op.f('ix_pilot_light_contact_case_id'))
        batch_op.drop_index(batch_op.f('ix_pilot_light_contact_assignee_id'))

    op.drop_table('pilot_light_contact')
    op.drop_table('self_reliance_theme')
    # ### end Alembic commands ###
