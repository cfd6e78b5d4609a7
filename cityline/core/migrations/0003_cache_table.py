from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    # Saving catalog, SLA and API-key rows tells every worker through the shared cache
    # (core/memo.py), so the table must exist before anything is saved: `migrate` alone makes a
    # database ready for every command.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_claimed_by")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
