"""indexes for the start page and the meeting page: a handler's cases in the list's order (in place
of the index on handler_id alone), and the decisions taken in a meeting

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

MEETING_DECISIONS = ('deviation', 'budget_entry', 'budget_decision')


def upgrade():
    with op.batch_alter_table('client_case', schema=None) as batch_op:
        batch_op.drop_index('ix_client_case_handler_id')
        batch_op.create_index(
            'ix_client_case_handler_order', ['handler_id', 'crisis', 'referred_on', 'id'], unique=False
        )
    for table in MEETING_DECISIONS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_meeting_id', ['meeting_id'], unique=False)


def downgrade():
    for table in MEETING_DECISIONS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_meeting_id')
    with op.batch_alter_table('client_case', schema=None) as batch_op:
        batch_op.drop_index('ix_client_case_handler_order')
        batch_op.create_index('ix_client_case_handler_id', ['handler_id'], unique=False)
