"""The city's message templates: checked before they are saved, shipped in three languages."""

import pytest
from django.conf import settings
from django.urls import reverse

from cityline.accounts.tests.factories import UserFactory
from cityline.notifications.messages import (
    message_render,
    message_template_errors,
    message_template_get,
)
from cityline.notifications.models import MessageEvent, MessageTemplate
from cityline.notifications.services import message_templates_add_missing

pytestmark = pytest.mark.django_db


def test_every_event_has_a_valid_template_in_every_language_of_the_site():
    # when
    templates = {(t.event, t.language): t for t in MessageTemplate.objects.all()}
    # then
    languages = [code for code, _name in settings.LANGUAGES]
    assert set(templates) == {(e, lang) for e in MessageEvent.values for lang in languages}
    for template in templates.values():
        assert message_template_errors(text=template.subject, event=template.event) == []
        assert message_template_errors(text=template.body, event=template.event) == []


def test_an_unknown_placeholder_is_named_in_the_error():
    # when
    errors = message_template_errors(text="Dear $first_name, see $tracking_link", event="closed")
    # then
    assert len(errors) == 1
    assert errors[0].startswith("$first_name is not a placeholder of this message")


def test_the_confirmation_link_belongs_to_the_follow_confirmation_only():
    # when
    in_closed = message_template_errors(text="$confirm_link", event=MessageEvent.CLOSED)
    in_confirm = message_template_errors(text="$confirm_link", event=MessageEvent.FOLLOW_CONFIRM)
    # then
    assert in_closed and not in_confirm


def test_a_lone_dollar_sign_is_an_error_and_a_doubled_one_is_a_dollar_sign():
    # when
    lone = message_template_errors(text="Fine: $ 50", event="closed")
    doubled = message_template_errors(text="Fine: $$50", event="closed")
    # then
    assert "write $$ for a dollar sign" in lone[0]
    assert doubled == []


def test_rendering_fills_in_strings_only_and_keeps_the_subject_on_one_line():
    # given
    template = MessageTemplate(
        event=MessageEvent.CLOSED,
        language="en",
        subject="Closed:\n$tracking_number",
        body="$tracking_number costs $$5. {{ settings.SECRET_KEY }}",
    )
    # when
    rendered = message_render(template=template, values={"tracking_number": "311-ABC"})
    # then
    assert rendered.subject == "Closed: 311-ABC"
    assert rendered.body == "311-ABC costs $5. {{ settings.SECRET_KEY }}"


def test_a_language_without_a_template_falls_back_to_english():
    # given
    MessageTemplate.objects.filter(event=MessageEvent.CLOSED, language="es").delete()
    # when
    spanish = message_template_get(event=MessageEvent.CLOSED, language="es")
    arabic = message_template_get(event=MessageEvent.CLOSED, language="ar")
    # then
    assert spanish is not None and spanish.language == "en"
    assert arabic is not None and arabic.language == "ar"


@pytest.fixture
def operator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_refuses_a_template_with_an_unknown_placeholder(operator):
    # given
    template = MessageTemplate.objects.get(event=MessageEvent.CLOSED, language="en")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    # when
    response = operator.post(
        url,
        {
            "event": "closed",
            "language": "en",
            "subject": "Closed $tracking_number",
            "body": "Hello $name",
        },
    )
    # then
    assert response.status_code == 200
    assert "$name is not a placeholder of this message" in response.content.decode()
    template.refresh_from_db()
    assert "Hello $name" not in template.body


def test_the_admin_saves_a_valid_template(operator):
    # given
    template = MessageTemplate.objects.get(event=MessageEvent.CLOSED, language="en")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    # when
    response = operator.post(
        url,
        {
            "event": "closed",
            "language": "en",
            "subject": "Done: $tracking_number",
            "body": "$service_name is closed. $stop_link",
        },
    )
    # then
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Done: $tracking_number"


def test_missing_defaults_are_added_and_the_citys_own_words_kept():
    # given
    MessageTemplate.objects.filter(language="ar").delete()
    MessageTemplate.objects.filter(event=MessageEvent.CLOSED, language="en").update(
        subject="Our own words"
    )
    # when
    added = message_templates_add_missing()
    # then
    assert added == len(MessageEvent.values)
    assert MessageTemplate.objects.filter(language="ar").count() == len(MessageEvent.values)
    closed = MessageTemplate.objects.get(event=MessageEvent.CLOSED, language="en")
    assert closed.subject == "Our own words"
