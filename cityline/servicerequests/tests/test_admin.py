import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from cityline.accounts.tests.factories import UserFactory
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.tests.factories import make_request, make_request_in_status

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/servicerequests/servicerequest/"


def _act(client, action, *requests, **fields):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in requests], "index": 0, **fields},
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("acknowledge", Status.NEW, Status.ACKNOWLEDGED),
        ("start_work", Status.ACKNOWLEDGED, Status.IN_PROGRESS),
        ("wait_on_requester", Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER),
        ("wait_on_third_party", Status.IN_PROGRESS, Status.WAITING_ON_THIRD_PARTY),
        ("start_work", Status.WAITING_ON_REQUESTER, Status.IN_PROGRESS),
    ],
)
def test_a_status_action_moves_the_request_with_its_history(
    admin_client, admin_user, action, start, end
):
    # given
    request = make_request_in_status(start)
    # when
    response = _act(admin_client, action, request)
    # then
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == end
    entry = RequestUpdate.objects.filter(request=request).last()
    assert entry is not None
    assert (entry.kind, entry.status, entry.author, entry.via) == (
        UpdateKind.STATUS_CHANGED,
        end,
        admin_user,
        Channel.STAFF,
    )
    assert _messages(response) == [f"1 request now {Status(end).label}."]


def test_putting_a_request_on_hold_pauses_its_sla_clock(admin_client):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    # when
    _act(admin_client, "wait_on_third_party", request)
    # then
    request.refresh_from_db()
    assert request.waiting_since is not None


def test_the_close_action_asks_for_a_resolution_and_a_public_note_first(admin_client):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    # when
    response = _act(admin_client, "close", request)
    # then
    assert response.status_code == 200
    assert request.tracking_number in response.text
    assert 'name="resolution"' in response.text
    assert 'name="public_note"' in response.text
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_closing_from_the_admin_records_resolution_note_history_and_outbox(
    admin_client, admin_user
):
    # given
    first = make_request_in_status(Status.IN_PROGRESS)
    second = make_request()
    # when
    response = _act(
        admin_client,
        "close",
        first,
        second,
        apply="Close",
        resolution=Resolution.COMPLETED,
        public_note="The pothole was filled.",
    )
    # then
    assert response.status_code == 302
    assert _messages(response) == ["2 requests closed."]
    for request in (first, second):
        request.refresh_from_db()
        assert (request.status, request.resolution) == (Status.CLOSED, Resolution.COMPLETED)
        assert request.closed_at is not None
        assert request.status_notes == "The pothole was filled."
        entry = RequestUpdate.objects.filter(request=request).last()
        assert entry is not None
        assert (entry.kind, entry.author, entry.visibility, entry.note) == (
            UpdateKind.CLOSED,
            admin_user,
            Visibility.PUBLIC,
            "The pothole was filled.",
        )


@pytest.mark.parametrize("resolution", ["", "fixed", Resolution.DUPLICATE])
def test_closing_without_a_valid_resolution_names_the_field_and_closes_nothing(
    admin_client, resolution
):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    updates_before = RequestUpdate.objects.filter(request=request).count()
    # when
    response = _act(admin_client, "close", request, apply="Close", resolution=resolution)
    # then
    assert response.status_code == 400
    assert "resolution" in response.text
    assert "errorlist" in response.text
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert RequestUpdate.objects.filter(request=request).count() == updates_before


def test_reopening_from_the_admin_writes_history_and_an_outbox_message(admin_client, admin_user):
    # given
    request = make_request_in_status(Status.CLOSED)
    # when
    response = _act(admin_client, "reopen", request)
    # then
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.resolution, request.closed_at) == (
        Status.ACKNOWLEDGED,
        "",
        None,
    )
    entry = RequestUpdate.objects.filter(request=request).last()
    assert entry is not None
    assert (entry.kind, entry.author) == (UpdateKind.REOPENED, admin_user)


@pytest.mark.parametrize(
    ("action", "status", "fields"),
    [
        ("acknowledge", Status.CLOSED, {}),
        ("start_work", Status.CLOSED, {}),
        ("wait_on_requester", Status.CLOSED, {}),
        ("reopen", Status.IN_PROGRESS, {}),
        ("close", Status.CLOSED, {"apply": "Close", "resolution": Resolution.COMPLETED}),
    ],
)
def test_a_refused_move_is_reported_per_request_and_the_others_still_move(
    admin_client, action, status, fields
):
    # given
    refused = make_request_in_status(status)
    movable = make_request_in_status(Status.CLOSED if status != Status.CLOSED else Status.NEW)
    refused_updates = RequestUpdate.objects.filter(request=refused).count()
    # when
    response = _act(admin_client, action, refused, movable, **fields)
    # then
    assert response.status_code == 302
    said = _messages(response)
    assert len(said) == 2
    assert said[0].startswith(f"{refused.tracking_number}: ")
    assert said[1].startswith("1 request ")
    before = refused.status
    refused.refresh_from_db()
    assert refused.status == before
    assert RequestUpdate.objects.filter(request=refused).count() == refused_updates
    moved_before = movable.status
    movable.refresh_from_db()
    assert movable.status != moved_before


def test_acknowledging_an_acknowledged_request_says_why_it_was_refused(admin_client):
    # given
    request = make_request_in_status(Status.ACKNOWLEDGED)
    # when
    response = _act(admin_client, "acknowledge", request)
    # then
    assert response.status_code == 302
    assert _messages(response) == [
        f"{request.tracking_number}: a request that is acknowledged cannot become acknowledged."
    ]


def test_the_admin_offers_no_add(admin_client):
    # given
    count = ServiceRequest.objects.count()
    # when
    page = admin_client.get(f"{CHANGELIST}add/")
    posted = admin_client.post(f"{CHANGELIST}add/", {"tracking_number": "311-AAAA-BBBB"})
    listing = admin_client.get(CHANGELIST)
    # then
    assert page.status_code == 403
    assert posted.status_code == 403
    assert f"{CHANGELIST}add/" not in listing.text
    assert ServiceRequest.objects.count() == count


def test_the_change_page_shows_the_request_read_only_with_its_history(admin_client):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    # when
    response = admin_client.get(f"{CHANGELIST}{request.pk}/change/")
    # then
    assert response.status_code == 200
    assert request.tracking_number in response.text
    assert "status changed" in response.text
    for field in ("status", "resolution", "tracking_number", "expected_at", "closed_at", "agency"):
        assert f'name="{field}"' not in response.text


def test_posting_lifecycle_or_identity_fields_to_the_change_page_changes_nothing(admin_client):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    # when
    response = admin_client.post(
        f"{CHANGELIST}{request.pk}/change/",
        {
            "status": Status.CLOSED,
            "resolution": Resolution.COMPLETED,
            "tracking_number": "311-AAAA-BBBB",
            "closed_at_0": "2026-01-01",
            "closed_at_1": "10:00:00",
        },
    )
    # then
    assert response.status_code == 403
    stored = ServiceRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.resolution, stored.tracking_number, stored.closed_at) == (
        Status.IN_PROGRESS,
        "",
        request.tracking_number,
        None,
    )


def test_the_admin_offers_no_delete(admin_client):
    # given
    request = make_request()
    # when
    page = admin_client.get(f"{CHANGELIST}{request.pk}/delete/")
    listing = admin_client.get(CHANGELIST)
    _act(admin_client, "delete_selected", request, post="yes")
    # then
    assert page.status_code == 403
    assert 'value="delete_selected"' not in listing.text
    assert ServiceRequest.objects.filter(pk=request.pk).exists()


def test_staff_who_may_only_view_requests_get_no_lifecycle_actions(client):
    # given
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_servicerequest"))
    client.force_login(viewer)
    request = make_request()
    # when
    listing = client.get(CHANGELIST)
    response = _act(client, "acknowledge", request)
    # then
    assert listing.status_code == 200
    assert 'value="acknowledge"' not in listing.text
    assert response.status_code == 200  # the listing again: it has no actions to run
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_a_request_closed_in_the_admin_is_an_open311_update(admin_client, client):
    # given
    request = make_request_in_status(Status.IN_PROGRESS)
    _act(
        admin_client,
        "close",
        request,
        apply="Close",
        resolution=Resolution.COMPLETED,
        public_note="The pothole was filled.",
    )
    # when
    response = client.get("/open311/v2/servicerequestupdates.json")
    # then
    assert response.status_code == 200
    rows = [row for row in response.json() if row["service_request_id"] == request.tracking_number]
    assert (rows[-1]["status"], rows[-1]["description"]) == ("FIXED", "The pothole was filled.")


def test_the_duplicate_action_asks_which_request_they_repeat_first(admin_client):
    # given
    request = make_request()
    # when
    response = _act(admin_client, "mark_duplicate", request)
    # then
    assert response.status_code == 200
    assert 'name="parent"' in response.text
    request.refresh_from_db()
    assert request.status == Status.NEW


def test_marking_duplicates_links_them_to_the_parent_and_closes_them(admin_client, admin_user):
    # given
    original = make_request()
    repeats = [make_request(), make_request_in_status(Status.ACKNOWLEDGED)]
    # when
    response = _act(
        admin_client,
        "mark_duplicate",
        *repeats,
        apply="Mark",
        parent=f" {original.tracking_number.lower()} ",
    )
    # then
    assert response.status_code == 302
    assert _messages(response) == ["2 requests marked duplicate and closed."]
    for repeat in repeats:
        repeat.refresh_from_db()
        assert repeat.parent == original
        assert (repeat.status, repeat.resolution) == (Status.CLOSED, Resolution.DUPLICATE)
        kinds = list(RequestUpdate.objects.filter(request=repeat).values_list("kind", "author"))
        assert kinds[-2:] == [
            (UpdateKind.MARKED_DUPLICATE, admin_user.pk),
            (UpdateKind.CLOSED, admin_user.pk),
        ]


def test_a_duplicate_of_an_unknown_tracking_number_is_refused_naming_the_field(admin_client):
    # given
    request = make_request()
    # when
    response = _act(admin_client, "mark_duplicate", request, apply="Mark", parent="311-NOPE")
    # then
    assert response.status_code == 400
    assert "No request has the tracking number 311-NOPE." in response.text
    request.refresh_from_db()
    assert (request.status, request.parent) == (Status.NEW, None)


def test_the_parent_itself_among_the_selection_is_refused_and_the_others_move(admin_client):
    # given
    original = make_request()
    repeat = make_request()
    # when
    response = _act(
        admin_client,
        "mark_duplicate",
        original,
        repeat,
        apply="Mark",
        parent=original.tracking_number,
    )
    # then
    assert _messages(response) == [
        f"{original.tracking_number}: a request cannot be a duplicate of itself.",
        "1 request marked duplicate and closed.",
    ]
    original.refresh_from_db()
    repeat.refresh_from_db()
    assert (original.status, repeat.status) == (Status.NEW, Status.CLOSED)
