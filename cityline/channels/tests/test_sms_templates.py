"""The texts' words as templates the city edits in the admin: installed in three languages,
checked before they are saved, and what the resident then receives."""

import pytest
from django.test import Client

from cityline.channels.admin import SmsTemplateForm
from cityline.channels.models import SmsMessage, SmsTemplate, SmsWording
from cityline.channels.sms_words import sms_say, sms_templates_add_missing
from cityline.channels.tests.factories import sms_post, street_catalog

pytestmark = pytest.mark.django_db


def _last_reply() -> str:
    return SmsMessage.objects.filter(direction="out").latest("id").body


def test_every_text_has_its_words_in_english_spanish_and_arabic():
    # when
    have = set(SmsTemplate.objects.values_list("wording", "language"))
    # then
    assert have == {(w, lang) for w in SmsWording.values for lang in ("en", "es", "ar")}


def test_an_edited_template_is_what_the_resident_receives(client):
    # given
    street_catalog()
    SmsTemplate.objects.filter(wording=SmsWording.ASK_TYPE, language="en").update(
        body="Pick one: $choices. Answer with the number."
    )
    # when
    response = sms_post(Client(), "There is a big pothole on my street")
    # then
    assert response.status_code == 201
    assert _last_reply().startswith("Pick one: 1 Pothole")


def test_a_language_the_city_has_no_template_in_gets_the_english_one():
    # given
    SmsTemplate.objects.filter(wording=SmsWording.FILED, language="es").delete()
    SmsTemplate.objects.filter(wording=SmsWording.FILED, language="en").update(
        body="Number: $number"
    )
    # when
    text = sms_say(SmsWording.FILED, "es", number="311-AB12-CD34")
    # then
    assert text == "Number: 311-AB12-CD34"


def test_a_deleted_template_is_put_back_with_its_default_words():
    # given
    SmsTemplate.objects.filter(wording=SmsWording.STOPPED).delete()
    # when
    added = sms_templates_add_missing()
    # then
    assert added == 3
    assert "STOP" not in sms_say(SmsWording.STOPPED, "en")
    assert "START" in sms_say(SmsWording.STOPPED, "en")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("Your number is $tracking", "$tracking is not a placeholder of this text"),
        ("It costs $5", "a $ must start a placeholder"),
    ],
)
def test_a_template_with_a_placeholder_the_text_lacks_is_refused(body, error):
    # given
    form = SmsTemplateForm(data={"wording": SmsWording.FILED, "language": "en", "body": body})
    # when
    valid = form.is_valid()
    # then
    assert not valid
    assert error in " ".join(form.errors["body"])


def test_a_template_with_its_own_placeholders_is_accepted():
    # given
    template = SmsTemplate.objects.get(wording=SmsWording.FILED, language="en")
    form = SmsTemplateForm(
        data={"wording": SmsWording.FILED, "language": "en", "body": "Filed: ${number}."},
        instance=template,
    )
    # when
    form.save()
    # then
    assert sms_say(SmsWording.FILED, "en", number="311-X") == "Filed: 311-X."
