"""The request admin asks servicerequests.access per request, and audits what it changes or
reveals."""

import pytest
from django.contrib.auth.models import Permission

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.models import Status, Visibility
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_add_note
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/servicerequests/servicerequest/"


def _admin_staff(role, **scope):
    user = user_with_role(role, is_staff=True, **scope)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicerequests", codename__startswith="view_"
        ),
        Permission.objects.get(codename="change_servicerequest"),
    )
    return user


@pytest.fixture
def requests_of_two_agencies():
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    requester = RequesterDetails(first_name="Alice", email="alice@example.org")
    dot_request = make_request(
        service_type=ServiceTypeFactory.create(agency=dot), requester=requester
    )
    parks_request = make_request(service_type=ServiceTypeFactory.create(agency=parks))
    return dot, dot_request, parks_request


def test_agency_staff_list_only_their_agencys_requests(client, requests_of_two_agencies):
    # given
    dot, dot_request, parks_request = requests_of_two_agencies
    client.force_login(_admin_staff(Role.AGENCY_WORKER, agency=dot))
    # when
    listing = client.get(CHANGELIST)
    other = client.get(f"{CHANGELIST}{parks_request.pk}/change/")
    # then
    assert dot_request.tracking_number in listing.text
    assert parks_request.tracking_number not in listing.text
    assert other.status_code == 302  # the admin's "does not exist" answer


def test_a_move_on_a_request_out_of_scope_is_refused_and_one_in_scope_audited(
    client, requests_of_two_agencies
):
    # given
    dot, dot_request, parks_request = requests_of_two_agencies
    worker = _admin_staff(Role.AGENCY_WORKER, agency=dot)
    client.force_login(worker)
    # when
    client.post(
        CHANGELIST,
        {
            "action": "acknowledge",
            "_selected_action": [dot_request.pk, parks_request.pk],
            "index": 0,
        },
        REMOTE_ADDR="192.0.2.10",
    )
    # then
    dot_request.refresh_from_db()
    parks_request.refresh_from_db()
    assert (dot_request.status, parks_request.status) == (Status.ACKNOWLEDGED, Status.NEW)
    entry = AuditEntry.objects.get(action="request.acknowledge")
    assert (entry.actor, entry.target_id, entry.ip) == (worker, str(dot_request.pk), "192.0.2.10")


def test_a_worker_may_not_reopen_but_their_supervisor_may(client, requests_of_two_agencies):
    # given
    dot, dot_request, _ = requests_of_two_agencies
    client.force_login(_admin_staff(Role.AGENCY_WORKER, agency=dot))
    client.post(
        CHANGELIST,
        {
            "action": "close",
            "_selected_action": [dot_request.pk],
            "index": 0,
            "apply": "Close",
            "resolution": "completed",
            "public_note": "Done.",
        },
    )
    # when
    client.post(CHANGELIST, {"action": "reopen", "_selected_action": [dot_request.pk], "index": 0})
    dot_request.refresh_from_db()
    refused_status = dot_request.status
    client.force_login(_admin_staff(Role.AGENCY_SUPERVISOR, agency=dot))
    client.post(CHANGELIST, {"action": "reopen", "_selected_action": [dot_request.pk], "index": 0})
    # then
    dot_request.refresh_from_db()
    assert refused_status == Status.CLOSED
    assert dot_request.status != Status.CLOSED
    assert AuditEntry.objects.filter(action="request.reopen").count() == 1


def test_the_requester_is_shown_to_the_agency_and_its_viewing_audited(
    client, requests_of_two_agencies
):
    # given
    dot, dot_request, _ = requests_of_two_agencies
    worker = _admin_staff(Role.AGENCY_WORKER, agency=dot)
    client.force_login(worker)
    # when
    page = client.get(f"{CHANGELIST}{dot_request.pk}/change/")
    # then
    assert "alice@example.org" in page.text
    entry = AuditEntry.objects.get(action="requester.viewed")
    assert (entry.actor, entry.target_id) == (worker, str(dot_request.pk))


def test_a_call_taker_sees_neither_the_requester_nor_internal_notes(
    client, requests_of_two_agencies
):
    # given
    _, dot_request, _ = requests_of_two_agencies
    service_request_add_note(
        request=dot_request,
        note="Crew says the valve is seized.",
        by=None,
        via="staff",
        visibility=Visibility.INTERNAL,
    )
    service_request_add_note(
        request=dot_request,
        note="We are on it.",
        by=None,
        via="staff",
        visibility=Visibility.PUBLIC,
    )
    client.force_login(_admin_staff(Role.CALL_TAKER))
    # when
    page = client.get(f"{CHANGELIST}{dot_request.pk}/change/")
    # then
    assert page.status_code == 200
    assert "We are on it." in page.text
    assert "valve is seized" not in page.text
    assert "alice@example.org" not in page.text
    assert not AuditEntry.objects.filter(action="requester.viewed").exists()


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        (Role.CALL_TAKER, {"dot", "parks"}),
        (Role.AGENCY_WORKER, {"dot"}),
        (Role.AGENCY_SUPERVISOR, {"dot"}),
        (Role.KNOWLEDGE_EDITOR, set()),
        (Role.SUPERVISOR_311, {"dot", "parks"}),
        (Role.AUDITOR, {"dot", "parks"}),
        (Role.ADMINISTRATOR, {"dot", "parks"}),
    ],
)
def test_the_admin_lists_the_requests_each_role_sees(
    client, requests_of_two_agencies, role, listed
):
    # given
    dot, dot_request, parks_request = requests_of_two_agencies
    scope = (
        {"agency": dot}
        if role in {Role.AGENCY_WORKER, Role.AGENCY_SUPERVISOR, Role.KNOWLEDGE_EDITOR}
        else {}
    )
    client.force_login(_admin_staff(role, **scope))
    # when
    listing = client.get(CHANGELIST)
    # then
    shown = {
        name
        for name, request in (("dot", dot_request), ("parks", parks_request))
        if request.tracking_number in listing.text
    }
    assert shown == listed
