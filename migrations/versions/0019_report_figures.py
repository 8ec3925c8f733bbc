"""report figures: a report's figures over all the years, counted by the scheduler

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_figures',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_report_figures')),
    )


def downgrade():
    op.drop_table('report_figures')
