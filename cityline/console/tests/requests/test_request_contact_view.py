import pytest

from cityline.accounts.models import AuditEntry
from cityline.servicerequests.services.following import follower_confirm, service_request_follow

pytestmark = pytest.mark.django_db


def _url(request, suffix=""):
    return f"/console/requests/{request.tracking_number}/{suffix}"


def test_contact_details_are_shown_only_on_request_and_showing_them_is_audited(client, desk):
    # given
    follower_confirm(
        follower=service_request_follow(
            request=desk.request, email="fay@example.org", language="en"
        )
    )
    client.force_login(desk.worker)
    # when
    page = client.get(_url(desk.request)).content.decode()
    shown = client.post(_url(desk.request, "requester/"), REMOTE_ADDR="10.9.8.7")
    # then
    assert "rita@example.org" not in page and "fay@example.org" not in page
    assert "Show contact details" in page
    assert shown.status_code == 200
    body = shown.content.decode()
    assert "rita@example.org" in body and "555-0101" in body and "fay@example.org" in body
    [entry] = AuditEntry.objects.filter(action="requester.viewed")
    assert (entry.actor, entry.target_id, entry.ip) == (
        desk.worker,
        str(desk.request.pk),
        "10.9.8.7",
    )


def test_with_htmx_only_the_contact_box_comes_back(client, desk):
    # given
    client.force_login(desk.worker)
    # when
    response = client.post(_url(desk.request, "requester/"), HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert "rita@example.org" in body
    assert "<html" not in body


def test_those_who_may_not_see_requesters_get_no_button_and_are_refused(client, desk):
    # given
    client.force_login(desk.call_taker)
    # when
    page = client.get(_url(desk.request)).content.decode()
    refused = client.post(_url(desk.request, "requester/"))
    # then
    assert "Show contact details" not in page
    assert refused.status_code == 403
    assert not AuditEntry.objects.filter(action="requester.viewed").exists()
