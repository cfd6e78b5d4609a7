"""Surveys answered by text: the thanks and the help texts, and the surveys' own texts asking for
a number reply; a survey text the city has rewritten is left as it wrote it."""

from django.db import migrations, models

from cityline.channels.sms_defaults import DEFAULTS

# The surveys' texts as first installed, before they asked for a reply by number.
_LINK_ONLY = {
    ("survey_contact", "en"): "City 311: how well were you served today? Answer in one tap: $link",
    ("survey_contact", "es"): "311 de la ciudad: ¿qué tan bien le atendimos hoy? Responda con un "
    "toque: $link",
    ("survey_contact", "ar"): "خدمة 311 بالمدينة: ما مدى رضاك عن خدمتنا اليوم؟ أجب بلمسة واحدة: "
    "$link",
    ("survey_service", "en"): "City 311: request $number is closed. Was it fixed? Tell us: $link",
    ("survey_service", "es"): "311 de la ciudad: la solicitud $number está cerrada. ¿Se resolvió? "
    "Díganos: $link",
    ("survey_service", "ar"): "خدمة 311 بالمدينة: أُغلق الطلب $number. هل حُلّت المشكلة؟ أخبرنا: $link",
}
_NEW = ("survey_thanks", "survey_help_contact", "survey_help_service")


def ask_for_replies(apps, schema_editor):
    SmsTemplate = apps.get_model("channels", "SmsTemplate")
    for (wording, language), old in _LINK_ONLY.items():
        SmsTemplate.objects.filter(wording=wording, language=language, body=old).update(
            body=DEFAULTS[wording][language]
        )
    for wording in _NEW:
        for language, body in DEFAULTS[wording].items():
            SmsTemplate.objects.get_or_create(
                wording=wording, language=language, defaults={"body": body}
            )


class Migration(migrations.Migration):
    dependencies = [("channels", "0003_sms_template_defaults")]

    operations = [
        migrations.AlterField(
            model_name="smstemplate",
            name="wording",
            field=models.CharField(
                choices=[
                    ("ask_problem", "what is the problem?"),
                    ("unknown_problem", "no service matched the words"),
                    ("ask_type", "which of these services?"),
                    ("ask_type_again", "which service, again"),
                    ("ask_place", "where is it?"),
                    ("place_unknown", "the place was not found"),
                    ("confirm_place", "is it at this address?"),
                    ("filed", "the request is filed"),
                    ("due", "the date the city aims for (after the tracking number or status)"),
                    ("not_filed", "the request could not be filed"),
                    ("status", "a request's status"),
                    ("status_unknown", "no request has that number"),
                    ("status_how", "how to ask for a status"),
                    ("stopped", "no more texts (STOP)"),
                    ("timed_out", "the conversation timed out"),
                    ("survey_contact", "a satisfaction survey after a contact"),
                    ("survey_service", "a satisfaction survey after a request closed"),
                    ("survey_thanks", "thanks for a survey answered by text"),
                    ("survey_help_contact", "how to answer a survey after a contact by text"),
                    ("survey_help_service", "how to answer a survey after a close by text"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(ask_for_replies, migrations.RunPython.noop),
    ]
