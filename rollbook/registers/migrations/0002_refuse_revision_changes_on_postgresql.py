"""Make PostgreSQL itself refuse updates and deletes of mark revisions.

Deletion is allowed only inside a transaction that has run
``SET LOCAL rollbook.retention_purge = 'on'``, which only the retention job does.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION rollbook_refuse_revision_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('rollbook.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'mark revisions cannot be changed (% refused); record a new revision instead',
        TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registers_markrevision_append_only
    BEFORE UPDATE OR DELETE ON registers_markrevision
    FOR EACH ROW EXECUTE FUNCTION rollbook_refuse_revision_change();
"""

DROP = """
DROP TRIGGER IF EXISTS registers_markrevision_append_only ON registers_markrevision;
DROP FUNCTION IF EXISTS rollbook_refuse_revision_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("registers", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
