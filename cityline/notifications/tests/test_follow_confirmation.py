"""Double opt-in: whoever asks to follow a request is sent a link to confirm, in their language."""

import pytest
from django.core import mail

from cityline.core.outbox import outbox_sweep
from cityline.servicerequests.services.following import (
    follower_confirm,
    follower_stop,
    service_request_follow,
)
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_asking_to_follow_sends_the_confirmation_link_in_the_language_asked_in(settings):
    # given
    settings.CITYLINE_SITE_URL = "https://311.example.org"
    request = make_request()
    # when
    follower = service_request_follow(request=request, email="ana@example.org", language="es")
    outbox_sweep()
    # then
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == f"Confirme: seguir la solicitud {request.tracking_number}"
    assert f"https://311.example.org/follow/{follower.token}/confirm/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://311.example.org/follow/{follower.token}/stop/>"
    )


def test_no_confirmation_goes_to_someone_who_confirmed_or_stopped_before_it_was_sent():
    # given
    request = make_request()
    confirmed = service_request_follow(request=request, email="ana@example.org", language="en")
    stopped = service_request_follow(request=request, email="bo@example.org", language="en")
    follower_confirm(follower=confirmed)
    follower_stop(follower=stopped)
    # when
    outbox_sweep()
    # then
    assert mail.outbox == []
