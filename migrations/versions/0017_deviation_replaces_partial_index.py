"""deviation.replaces_id: a partial index of the corrections and withdrawals only, so that SQLite's
planner does not take the many NULLs for one popular value

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

WHERE = sa.text('replaces_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('deviation', schema=None) as batch_op:
        batch_op.drop_index('ix_deviation_replaces_id')
        batch_op.create_index(
            'ix_deviation_replaces_id', ['replaces_id'], unique=False,
            sqlite_where=WHERE, postgresql_where=WHERE,
        )


def downgrade():
    with op.batch_alter_table('deviation', schema=None) as batch_op:
        batch_op.drop_index('ix_deviation_replaces_id')
        batch_op.create_index('ix_deviation_replaces_id', ['replaces_id'], unique=False)
