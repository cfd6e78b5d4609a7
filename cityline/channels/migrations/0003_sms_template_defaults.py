"""The texts' words as the city gets them (`cityline.channels.sms_defaults`): the city edits
them in the admin; this adds only those it has not written itself."""

from django.db import migrations

from cityline.channels.sms_defaults import DEFAULTS


def add_defaults(apps, schema_editor):
    SmsTemplate = apps.get_model("channels", "SmsTemplate")
    for wording, bodies in DEFAULTS.items():
        for language, body in bodies.items():
            SmsTemplate.objects.get_or_create(
                wording=wording, language=language, defaults={"body": body}
            )


class Migration(migrations.Migration):
    dependencies = [("channels", "0002_sms_template")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
