import pytest
from django.urls import reverse

from cityline.core.models import OutboxMessage
from cityline.portal.access import FOLLOW_RATE
from cityline.servicerequests.models import Follower
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db


def _follow(client, number: str, email: str, **headers: str):
    return client.post(reverse("track:follow", args=[number]), {"email": email}, headers=headers)


def test_following_asks_for_a_confirmation_in_the_pages_language(client):
    # given
    request = make_request()
    # when
    response = _follow(
        client, request.tracking_number, "neighbour@example.org", **{"accept-language": "es"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("track:follow-sent", args=[request.tracking_number])
    follower = Follower.objects.get(request=request)
    assert (follower.email, follower.language, follower.confirmed_at) == (
        "neighbour@example.org",
        "es",
        None,
    )
    assert OutboxMessage.objects.filter(
        topic="follower.confirm", payload={"follower_id": follower.pk}
    ).exists()


def test_the_sent_page_says_to_check_the_email(client):
    # given
    request = make_request()
    # when
    response = client.get(reverse("track:follow-sent", args=[request.tracking_number]))
    # then
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()


def test_a_bad_address_is_refused_in_the_language_and_nothing_is_stored(client):
    # given
    request = make_request()
    # when
    response = _follow(
        client, request.tracking_number, "not-an-address", **{"accept-language": "es"}
    )
    # then
    assert response.status_code == 400
    assert "Introduzca una dirección de correo electrónico válida." in response.content.decode()
    assert not Follower.objects.exists()


def test_following_again_answers_the_same_and_reveals_nothing(client):
    # given
    request = make_request()
    first = _follow(client, request.tracking_number, "neighbour@example.org")
    # when
    again = _follow(client, request.tracking_number, "neighbour@example.org")
    # then
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert Follower.objects.filter(request=request).count() == 1


def test_one_address_following_too_often_is_refused(client):
    # given
    request = make_request()
    allowed = int(FOLLOW_RATE.split("/")[0])
    for n in range(allowed):
        _follow(client, request.tracking_number, f"person{n}@example.org")
    # when
    response = _follow(client, request.tracking_number, "one-more@example.org")
    # then
    assert response.status_code == 429
    assert "Please try again in an hour." in response.content.decode()
    assert not Follower.objects.filter(email="one-more@example.org").exists()


def test_another_address_may_still_follow(client):
    # given
    request = make_request()
    allowed = int(FOLLOW_RATE.split("/")[0])
    for n in range(allowed):
        _follow(client, request.tracking_number, f"person{n}@example.org")
    # when
    response = client.post(
        reverse("track:follow", args=[request.tracking_number]),
        {"email": "other@example.org"},
        REMOTE_ADDR="10.9.9.9",
    )
    # then
    assert response.status_code == 302


def test_a_closed_request_cannot_be_followed(client):
    # given
    request = make_request_in_status("closed")
    # when
    response = _follow(client, request.tracking_number, "neighbour@example.org")
    # then
    assert response.status_code == 409
    assert not Follower.objects.exists()


def test_following_an_unknown_number_answers_not_found(client):
    # when
    response = _follow(client, "311-NOPE", "neighbour@example.org")
    # then
    assert response.status_code == 404
    assert not Follower.objects.exists()
