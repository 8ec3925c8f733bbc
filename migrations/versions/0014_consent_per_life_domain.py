"""consent per life domain: what each organisation named in a consent may share and read about

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 07:09:22.895739

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_domain',
    sa.Column('consent_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('life_domain_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consent_id'], ['consent.id'], name=op.f('fk_consent_domain_consent_id_consent')),
    sa.ForeignKeyConstraint(['life_domain_id'], ['life_domain.id'], name=op.f('fk_consent_domain_life_domain_id_life_domain')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_consent_domain_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('consent_id', 'organisation_id', 'life_domain_id', name=op.f('pk_consent_domain'))
    )
    with op.batch_alter_table('consent_domain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_domain_organisation_id'), ['organisation_id'], unique=False)

    # Consents signed before this existed opened the whole file to the organisations they name.
    op.execute(
        "INSERT INTO consent_domain (consent_id, organisation_id, life_domain_id) "
        "SELECT co.consent_id, co.organisation_id, d.id FROM consent_organisation co CROSS JOIN life_domain d"
    )


def downgrade():
    with op.batch_alter_table('consent_domain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_domain_organisation_id'))

    op.drop_table('consent_domain')
