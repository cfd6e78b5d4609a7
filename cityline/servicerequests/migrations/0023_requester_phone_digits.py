from django.db import migrations, models

from cityline.core.phones import phone_digits

CHUNK = 5_000


def requester_phone_digits_fill(apps, schema_editor, chunk_size=CHUNK):
    """Give every requester stored with a phone its digits, in chunks by id: a city's years of
    requests fit in no single update."""
    Requester = apps.get_model("servicerequests", "Requester")
    with_phone = Requester.objects.exclude(phone="").order_by("id")
    last = 0
    while True:
        chunk = list(with_phone.filter(id__gt=last).only("id", "phone")[:chunk_size])
        if not chunk:
            return
        for requester in chunk:
            requester.phone_digits = phone_digits(requester.phone)
        Requester.objects.bulk_update(chunk, ["phone_digits"])
        last = chunk[-1].id


class Migration(migrations.Migration):
    dependencies = [("servicerequests", "0022_open_requests_nearby_newest_first_indexes")]

    operations = [
        migrations.AddField(
            model_name="requester",
            name="phone_digits",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(requester_phone_digits_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="requester",
            index=models.Index(
                condition=models.Q(("phone_digits", ""), _negated=True),
                fields=["phone_digits"],
                name="requester_phone_digits_idx",
            ),
        ),
    ]
