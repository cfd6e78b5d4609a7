"""The words of the area and topic subscriptions' messages, as the city first gets them
(`cityline.notifications.defaults`); only those the city has not written itself are added."""

from django.db import migrations

from cityline.notifications.defaults import DEFAULTS

AREA_EVENTS = {"area_confirm", "area_new_request", "area_digest"}


def add_defaults(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (event, language), (subject, body) in DEFAULTS.items():
        if event in AREA_EVENTS:
            MessageTemplate.objects.get_or_create(
                event=event, language=language, defaults={"subject": subject, "body": body}
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_area_subscription")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
