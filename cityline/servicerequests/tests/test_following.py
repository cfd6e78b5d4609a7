import pytest

from cityline.core.errors import InvalidInput, InvalidTransition
from cityline.core.models import OutboxMessage
from cityline.servicerequests.models import Channel, Follower, Status
from cityline.servicerequests.selectors import request_subscribers
from cityline.servicerequests.services.following import (
    follower_confirm,
    follower_stop,
    service_request_follow,
)
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_mark_duplicate
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db


def _demand(request) -> int:
    request.refresh_from_db(fields=["demand"])
    return request.demand


def _confirmed(request, email: str, language: str = "en") -> Follower:
    return follower_confirm(
        follower=service_request_follow(request=request, email=email, language=language)
    )


def test_a_follower_counts_as_demand_only_once_confirmed():
    # given
    request = make_request()
    # when
    follower = service_request_follow(request=request, email=" Ana@Example.org ", language="es")
    # then
    assert (follower.email, follower.language, follower.is_subscribed) == (
        "ana@example.org",
        "es",
        False,
    )
    assert _demand(request) == 1
    assert OutboxMessage.objects.filter(
        topic="follower.confirm", payload={"follower_id": follower.pk}
    ).exists()
    # when
    follower_confirm(follower=follower)
    follower_confirm(follower=follower)
    # then
    assert _demand(request) == 2


def test_stopping_takes_the_follower_out_of_the_demand_once():
    # given
    request = make_request()
    follower = _confirmed(request, "ana@example.org")
    # when
    follower_stop(follower=follower)
    follower_stop(follower=follower)
    # then
    assert _demand(request) == 1
    follower.refresh_from_db()
    assert not follower.is_subscribed
    with pytest.raises(InvalidTransition):
        follower_confirm(follower=follower)


def test_following_again_after_stopping_starts_over_with_a_new_confirmation():
    # given
    request = make_request()
    follower = _confirmed(request, "ana@example.org")
    follower_stop(follower=follower)
    # when
    again = service_request_follow(request=request, email="ana@example.org", language="ar")
    # then
    assert again.pk == follower.pk
    assert (again.language, again.confirmed_at, again.stopped_at) == ("ar", None, None)
    assert OutboxMessage.objects.filter(topic="follower.confirm").count() == 2


def test_a_subscribed_follower_asking_again_gets_no_new_confirmation():
    # given
    request = make_request()
    _confirmed(request, "ana@example.org")
    # when
    service_request_follow(request=request, email="ana@example.org", language="en")
    # then
    assert OutboxMessage.objects.filter(topic="follower.confirm").count() == 1
    assert _demand(request) == 2


@pytest.mark.parametrize(
    ("email", "language", "field"),
    [("not an address", "en", "email"), ("ana@example.org", "fr", "language")],
)
def test_bad_follow_input_is_refused_and_nothing_is_stored(email, language, field):
    # given
    request = make_request()
    # when
    with pytest.raises(InvalidInput) as refused:
        service_request_follow(request=request, email=email, language=language)
    # then
    assert refused.value.field == field
    assert not Follower.objects.exists()


def test_a_closed_request_cannot_be_followed():
    # given
    request = make_request_in_status(Status.CLOSED)
    # when / then
    with pytest.raises(InvalidTransition):
        service_request_follow(request=request, email="ana@example.org", language="en")


def test_merging_a_duplicate_moves_its_followers_and_its_demand_to_the_root():
    # given
    root = make_request()
    duplicate = make_request()
    _confirmed(root, "both@example.org")
    _confirmed(duplicate, "both@example.org")
    _confirmed(duplicate, "dup-only@example.org")
    service_request_follow(request=duplicate, email="pending@example.org", language="en")
    # when
    service_request_mark_duplicate(request=duplicate, parent=root, by=None, via=Channel.STAFF)
    # then: the duplicate's reporter and its one new follower join the root's demand
    assert _demand(root) == 1 + 1 + 1 + 1
    assert sorted(Follower.objects.filter(request=root).values_list("email", flat=True)) == [
        "both@example.org",
        "dup-only@example.org",
        "pending@example.org",
    ]
    assert not Follower.objects.filter(request=duplicate).exists()


def test_a_follower_of_both_subscribed_only_on_the_duplicate_stays_subscribed_on_the_root():
    # given
    root = make_request()
    duplicate = make_request()
    service_request_follow(request=root, email="ana@example.org", language="en")
    _confirmed(duplicate, "ana@example.org")
    # when
    service_request_mark_duplicate(request=duplicate, parent=root, by=None, via=Channel.STAFF)
    # then
    assert Follower.objects.get(request=root, email="ana@example.org").is_subscribed
    assert _demand(root) == 1 + 2


def test_subscribers_are_the_opted_in_reporters_and_subscribed_followers_each_once():
    # given
    root = make_request(
        requester=RequesterDetails(email="reporter@example.org", wants_updates=True, language="es")
    )
    silent = make_request(requester=RequesterDetails(email="silent@example.org"))
    loud = make_request(
        requester=RequesterDetails(email="loud@example.org", wants_updates=True, language="ar")
    )
    follower = _confirmed(root, "follower@example.org", "en")
    _confirmed(root, "reporter@example.org", "en")
    service_request_follow(request=root, email="pending@example.org", language="en")
    for duplicate in (silent, loud):
        service_request_mark_duplicate(request=duplicate, parent=root, by=None, via=Channel.STAFF)
    # when
    subscribers = request_subscribers(request=root)
    # then
    by_email = {s.email: (s.language, s.follower_token) for s in subscribers}
    assert by_email == {
        "follower@example.org": ("en", follower.token),
        "reporter@example.org": ("en", by_email["reporter@example.org"][1]),
        "loud@example.org": ("ar", None),
    }
    assert by_email["reporter@example.org"][1] is not None
