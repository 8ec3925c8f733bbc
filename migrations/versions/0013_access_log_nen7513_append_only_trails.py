"""NEN 7513 access log (organisation, outcome, basis, consent), the two trails append-only

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 06:50:22.902238

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# The triggers that keep the access log and the audit trail as written (see opkoers/models/audit.py).
SQLITE_GUARDS = [
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log  BEGIN SELECT RAISE(ABORT, 'access_log rows cannot be changed or deleted'); END",
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log WHEN OLD.at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-5 years') BEGIN SELECT RAISE(ABORT, 'access_log rows cannot be changed or deleted'); END",
    'CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry WHEN NOT (NEW.changes = \'{"redacted": true}\' AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.user_id IS OLD.user_id AND NEW.user_name IS OLD.user_name AND NEW.action IS OLD.action AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id AND NEW.case_id IS OLD.case_id AND NEW.remote_addr IS OLD.remote_addr) BEGIN SELECT RAISE(ABORT, \'audit_entry rows cannot be changed or deleted\'); END',
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry  BEGIN SELECT RAISE(ABORT, 'audit_entry rows cannot be changed or deleted'); END",
]
POSTGRESQL_GUARDS = [
    "CREATE OR REPLACE FUNCTION refuse_log_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows cannot be changed or deleted'; END $$",
    'CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_log_change()',
    "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log FOR EACH ROW WHEN (OLD.at >= now() - interval '5 years') EXECUTE FUNCTION refuse_log_change()",
    'CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW WHEN (NOT (NEW.changes::text = \'{"redacted": true}\' AND NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.user_name IS NOT DISTINCT FROM OLD.user_name AND NEW.action IS NOT DISTINCT FROM OLD.action AND NEW.entity_type IS NOT DISTINCT FROM OLD.entity_type AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id AND NEW.remote_addr IS NOT DISTINCT FROM OLD.remote_addr)) EXECUTE FUNCTION refuse_log_change()',
    'CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION refuse_log_change()',
    'CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change()',
    'CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION refuse_log_change()',
]
TRIGGERS = {
    'access_log': ('access_log_no_update', 'access_log_no_delete', 'access_log_no_truncate'),
    'audit_entry': ('audit_entry_no_update', 'audit_entry_no_delete', 'audit_entry_no_truncate'),
}


def upgrade():
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=10), nullable=False, server_default='allowed'))
        batch_op.add_column(sa.Column('basis', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('consent_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_access_log_user_at', ['user_id', 'at'], unique=False)
    # The defaults filled the rows already there; the app always writes both columns itself.
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.alter_column('outcome', server_default=None)
        batch_op.alter_column('basis', server_default=None)

    postgres = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRESQL_GUARDS if postgres else SQLITE_GUARDS:
        op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table, triggers in TRIGGERS.items():
        for trigger in triggers:
            op.execute(f'DROP TRIGGER IF EXISTS {trigger} ON {table}' if postgres else f'DROP TRIGGER IF EXISTS {trigger}')
    if postgres:
        op.execute('DROP FUNCTION IF EXISTS refuse_log_change()')

    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_user_at')
        batch_op.drop_column('consent_id')
        batch_op.drop_column('basis')
        batch_op.drop_column('outcome')
        batch_op.drop_column('organisation_id')
