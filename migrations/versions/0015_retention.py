"""retention: when a case's data is due for anonymisation, a legal hold, and when it was anonymised

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 07:40:00.000000

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# The default periods when this migration was written: closed cases 84 months, declined 12.
PERIODS = {'closed': 84, 'declined': 12}


def _months_after(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def upgrade():
    # Plain ADD COLUMN, not a batch rebuild: on SQLite rebuilding client_case, which many tables
    # refer to, fails once there is data (foreign keys are on).
    op.add_column('client_case', sa.Column('retention_until', sa.Date(), nullable=True))
    op.add_column('client_case', sa.Column('legal_hold', sa.Text(), nullable=False, server_default=''))
    op.add_column('client_case', sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_client_case_retention_until'), 'client_case', ['retention_until'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':  # SQLite keeps the harmless default: no rebuild
        op.alter_column('client_case', 'legal_hold', server_default=None)

    # Cases that ended before retention existed get their date from the default periods.
    conn = op.get_bind()
    cases = sa.table(
        'client_case',
        sa.column('id', sa.Integer),
        sa.column('status', sa.String),
        sa.column('closed_on', sa.Date),
        sa.column('decided_on', sa.Date),
        sa.column('retention_until', sa.Date),
    )
    ended = conn.execute(
        sa.select(cases.c.id, cases.c.status, cases.c.closed_on, cases.c.decided_on).where(
            cases.c.status.in_(tuple(PERIODS))
        )
    ).all()
    for case_id, status, closed_on, decided_on in ended:
        end = closed_on if status == 'closed' else decided_on
        if end is not None:
            conn.execute(
                cases.update()
                .where(cases.c.id == case_id)
                .values(retention_until=_months_after(end, PERIODS[status]))
            )


def downgrade():
    op.drop_index(op.f('ix_client_case_retention_until'), table_name='client_case')
    for column in ('anonymised_at', 'legal_hold', 'retention_until'):
        op.execute(f'ALTER TABLE client_case DROP COLUMN {column}')  # native in SQLite 3.35+ too
