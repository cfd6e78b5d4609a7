import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.tests.factories import CrewFactory
from cityline.servicerequests.models import RequestUpdate, Resolution, Status, UpdateKind

pytestmark = pytest.mark.django_db
BULK = "/console/requests/bulk/"


def test_bulk_assign_does_each_request_it_may_and_says_why_not_for_the_others(client, desk):
    # given
    mine = desk.another_request()
    theirs = desk.another_request(desk.parks)
    client.force_login(desk.worker)
    # when
    response = client.post(
        BULK,
        {
            "requests": [
                desk.request.tracking_number,
                mine.tracking_number,
                theirs.tracking_number,
            ],
            "action": "assign",
            "assignee": desk.colleague.pk,
        },
    )
    # then
    assert response.status_code == 200
    outcomes = {o.tracking_number: o for o in response.context["outcomes"]}
    assert outcomes[desk.request.tracking_number].done
    assert outcomes[mine.tracking_number].done
    assert not outcomes[theirs.tracking_number].done
    assert outcomes[theirs.tracking_number].refusal.message == "no such request"
    for request in (desk.request, mine):
        request.refresh_from_db()
        assert request.assignee == desk.colleague
        assert RequestUpdate.objects.filter(request=request, kind=UpdateKind.ASSIGNED).count() == 1
        assert AuditEntry.objects.filter(
            action="request.assign", target_id=str(request.pk), actor=desk.worker
        ).exists()
    theirs.refresh_from_db()
    assert theirs.assignee is None


def test_bulk_assign_gives_each_request_to_a_crew_of_its_agency_with_its_lead(client, desk):
    # given
    crew = CrewFactory.create(name="Pothole crew", agency=desk.dot)
    requests = [desk.request, desk.another_request()]
    client.force_login(desk.supervisor)
    # when
    response = client.post(
        BULK,
        {
            "requests": [r.tracking_number for r in requests],
            "action": "assign",
            "assignee": desk.colleague.pk,
            "crew": crew.pk,
        },
    )
    # then
    assert response.status_code == 200
    assert [o.done for o in response.context["outcomes"]] == [True, True]
    for request in requests:
        request.refresh_from_db()
        assert (request.crew, request.assignee) == (crew, desk.colleague)
        assert RequestUpdate.objects.filter(request=request, kind=UpdateKind.ASSIGNED).count() == 1
        [entry] = AuditEntry.objects.filter(action="request.assign", target_id=str(request.pk))
        assert entry.details["crew"] == "Pothole crew"


def test_bulk_assign_to_a_crew_alone_leaves_no_one_named(client, desk):
    # given
    crew = CrewFactory.create(agency=desk.dot)
    client.force_login(desk.worker)
    # when
    response = client.post(
        BULK,
        {"requests": [desk.request.tracking_number], "action": "assign", "crew": crew.pk},
    )
    # then
    assert response.status_code == 200
    desk.request.refresh_from_db()
    assert (desk.request.crew, desk.request.assignee) == (crew, None)


def test_bulk_assign_refuses_a_crew_of_another_agency_request_by_request(client, desk):
    # given
    parks_crew = CrewFactory.create(agency=desk.parks)
    client.force_login(desk.supervisor)
    # when
    response = client.post(
        BULK,
        {"requests": [desk.request.tracking_number], "action": "assign", "crew": parks_crew.pk},
    )
    # then
    assert response.status_code == 400
    [outcome] = response.context["outcomes"]
    assert outcome.refusal.field == "crew"
    desk.request.refresh_from_db()
    assert desk.request.crew is None
    assert not RequestUpdate.objects.filter(request=desk.request, kind=UpdateKind.ASSIGNED).exists()


def test_bulk_close_as_duplicates_closes_each_under_the_parent_and_returns_to_next(client, desk):
    # given
    repeat = desk.another_request()
    client.force_login(desk.worker)
    # when
    response = client.post(
        BULK,
        {
            "requests": [repeat.tracking_number],
            "action": "close_duplicate",
            "parent": desk.request.tracking_number,
            "next": "/console/queue/",
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/console/queue/"
    repeat.refresh_from_db()
    assert (repeat.status, repeat.resolution, repeat.parent) == (
        Status.CLOSED,
        Resolution.DUPLICATE,
        desk.request,
    )


def test_bulk_reassign_is_refused_to_a_worker_and_leaves_the_request_as_it_was(client, desk):
    # given
    client.force_login(desk.worker)
    # when
    response = client.post(
        BULK,
        {
            "requests": [desk.request.tracking_number],
            "action": "reassign",
            "agency": "PARKS",
            "reason": "A tree is a tree.",
        },
    )
    # then
    assert response.status_code == 403
    desk.request.refresh_from_db()
    assert desk.request.agency == desk.dot
    assert not AuditEntry.objects.filter(action="request.reassign").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "assign", "assignee": "0"}, "assignee"),
        ({"action": "assign"}, "assignee"),
        ({"action": "assign", "crew": "0"}, "crew"),
        ({"action": "close_duplicate"}, "parent"),
        ({"action": "close_duplicate", "parent": "NOPE-1"}, "parent"),
        ({"action": "reassign", "agency": "PARKS"}, "reason"),
        ({"action": "reassign", "agency": "NOPE", "reason": "why"}, "agency"),
        ({"action": "delete"}, "action"),
    ],
)
def test_bad_bulk_input_is_refused_naming_the_field_and_changes_nothing(client, desk, data, field):
    # given
    client.force_login(desk.supervisor)
    updates_before = RequestUpdate.objects.count()
    # when
    response = client.post(BULK, {"requests": [desk.request.tracking_number], **data})
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert RequestUpdate.objects.count() == updates_before
    assert not AuditEntry.objects.filter(action__startswith="request.").exists()


def test_bulk_without_a_selection_is_refused(client, desk):
    # given
    client.force_login(desk.supervisor)
    # when
    response = client.post(BULK, {"action": "assign", "assignee": desk.worker.pk})
    # then
    assert response.status_code == 400
    assert "requests" in response.context["form"].errors


def test_bulk_does_not_send_the_user_to_another_site(client, desk):
    # given
    client.force_login(desk.worker)
    # when
    response = client.post(
        BULK,
        {
            "requests": [desk.request.tracking_number],
            "action": "assign",
            "assignee": desk.worker.pk,
            "next": "https://elsewhere.example/",
        },
    )
    # then
    assert response.status_code == 200
    assert [o.done for o in response.context["outcomes"]] == [True]


def test_bulk_close_as_duplicates_writes_each_requests_history_as_if_one_by_one(client, desk):
    # given
    repeats = [desk.another_request() for _ in range(3)]
    client.force_login(desk.supervisor)
    # when
    client.post(
        BULK,
        {
            "requests": [r.tracking_number for r in repeats],
            "action": "close_duplicate",
            "parent": desk.request.tracking_number,
        },
    )
    # then
    for repeat in repeats:
        kinds = list(
            RequestUpdate.objects.filter(request=repeat)
            .order_by("id")
            .values_list("kind", flat=True)
        )
        assert kinds == [UpdateKind.CREATED, UpdateKind.MARKED_DUPLICATE, UpdateKind.CLOSED]
        [entry] = AuditEntry.objects.filter(
            action="request.close_duplicate", target_id=str(repeat.pk)
        )
        assert entry.details["bulk"] is True


def test_a_request_refused_by_its_workflow_is_left_as_it_was_and_the_others_done(client, desk):
    # given
    closed = desk.another_request()
    client.force_login(desk.supervisor)
    client.post(
        BULK,
        {
            "requests": [closed.tracking_number],
            "action": "close_duplicate",
            "parent": desk.request.tracking_number,
        },
    )
    fresh = desk.another_request()
    # when
    response = client.post(
        BULK,
        {
            "requests": [closed.tracking_number, fresh.tracking_number],
            "action": "reassign",
            "agency": "PARKS",
            "reason": "Trees.",
        },
    )
    # then
    outcomes = {o.tracking_number: o for o in response.context["outcomes"]}
    assert outcomes[fresh.tracking_number].done
    assert outcomes[closed.tracking_number].refusal.field == "status"
    closed.refresh_from_db()
    assert closed.agency == desk.dot
    assert not RequestUpdate.objects.filter(request=closed, kind=UpdateKind.REASSIGNED).exists()
