"""The messages' words as the city gets them (`cityline.notifications.defaults`): the city edits
them in the admin; this adds only those it has not written itself."""

from django.db import migrations

from cityline.notifications.defaults import DEFAULTS


def add_defaults(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (event, language), (subject, body) in DEFAULTS.items():
        MessageTemplate.objects.get_or_create(
            event=event, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_message_template")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
