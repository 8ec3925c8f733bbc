"""an index for the running crisis cases on the start page (over ten years most crisis cases have
ended; the list's own index walked past all of them)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 21:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client_case', schema=None) as batch_op:
        batch_op.create_index(
            'ix_client_case_crisis_status', ['crisis', 'status', 'referred_on', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('client_case', schema=None) as batch_op:
        batch_op.drop_index('ix_client_case_crisis_status')
