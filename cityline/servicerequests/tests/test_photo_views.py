import pytest
from django.template.loader import render_to_string

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.models import RequestVisibility
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.selectors import attachment_list_for_request
from cityline.servicerequests.services.photos import attachment_photo_add
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.photos import jpeg_upload

pytestmark = pytest.mark.django_db


def _photo_of(service_type):
    request = make_request(service_type=service_type)
    return attachment_photo_add(request=request, upload=jpeg_upload(), by=None)


@pytest.mark.parametrize("suffix", [".jpg", "/thumbnail.jpg"])
def test_a_public_requests_photo_is_served_to_anyone_with_long_public_caching(client, suffix):
    # given
    attachment = _photo_of(ServiceTypeFactory.create())
    # when
    response = client.get(f"/photos/{attachment.pk}{suffix}")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def _hidden_photo():
    dot = AgencyFactory.create(code="DOT")
    return dot, _photo_of(
        ServiceTypeFactory.create(agency=dot, request_visibility=RequestVisibility.HIDDEN)
    )


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        (None, None, 404),
        (Role.CALL_TAKER, None, 200),
        (Role.AGENCY_WORKER, "dot", 200),
        (Role.AGENCY_WORKER, "parks", 404),
        (Role.KNOWLEDGE_EDITOR, "dot", 404),
        (Role.SUPERVISOR_311, None, 200),
        (Role.AUDITOR, None, 200),
        (Role.ADMINISTRATOR, None, 200),
    ],
)
def test_a_hidden_requests_photo_is_served_only_to_staff_who_may_view_it(
    client, role, scope, status
):
    # given
    dot, attachment = _hidden_photo()
    agencies = {"dot": dot, "parks": AgencyFactory.create(code="PARKS")}
    user = (
        user_with_role(role, **({"agency": agencies[scope]} if scope else {}))
        if role
        else UserFactory.create()
    )
    client.force_login(user)
    # when
    response = client.get(f"/photos/{attachment.pk}/thumbnail.jpg")
    # then
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"].startswith("private,")


def test_a_hidden_requests_photo_is_absent_for_the_public(client):
    # given
    _, attachment = _hidden_photo()
    # when
    response = client.get(f"/photos/{attachment.pk}.jpg")
    # then
    assert response.status_code == 404


def test_a_link_given_at_intake_is_no_stored_photo(client):
    # given
    request = make_request(media_urls=("https://example.org/a.jpg",))
    # when
    response = client.get(f"/photos/{request.attachments.get().pk}.jpg")
    # then
    assert response.status_code == 404


def test_the_gallery_shows_thumbnails_linking_to_each_photo_with_alt_text():
    # given
    attachment = _photo_of(ServiceTypeFactory.create())
    request = attachment.request
    # when
    html = render_to_string(
        "servicerequests/_attachments.html",
        {
            "attachments": attachment_list_for_request(request=request),
            "tracking_number": request.tracking_number,
        },
    )
    # then
    assert f'href="/photos/{attachment.pk}.jpg"' in html
    assert f'src="/photos/{attachment.pk}/thumbnail.jpg"' in html
    assert f'alt="Photo 1 of 1 of request {request.tracking_number}"' in html
