import uuid

from django.db import migrations, models


def give_subscribed_requesters_a_token(apps, schema_editor):
    # Only those who opted in hear from us, so only they need a stop link; a few rows.
    Requester = apps.get_model("servicerequests", "Requester")
    for requester in Requester.objects.filter(wants_updates=True, updates_token__isnull=True):
        requester.updates_token = uuid.uuid4()
        requester.save(update_fields=["updates_token"])


class Migration(migrations.Migration):
    dependencies = [("servicerequests", "0011_requester_email_index")]

    operations = [
        migrations.AddField(
            model_name="requester",
            name="updates_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunPython(give_subscribed_requesters_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="requester",
            name="updates_token",
            field=models.UUIDField(
                blank=True, default=uuid.uuid4, editable=False, null=True, unique=True
            ),
        ),
    ]
