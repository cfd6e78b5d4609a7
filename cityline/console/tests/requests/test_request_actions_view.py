"""The actions of a request's page, one POST each: done through the lifecycle services, audited
with the client's address, refused as `servicerequests.access` says (every role inside and outside
its scope is in the role matrix), and bad input refused naming the field with nothing stored."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import CrewFactory, user_with_role
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import clock
from cityline.servicerequests import access
from cityline.servicerequests.models import (
    Channel,
    RequestUpdate,
    Resolution,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.servicerequests.services.following import follower_confirm, service_request_follow
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import LateCloseReasonFactory, SlaPolicyFactory

pytestmark = pytest.mark.django_db


def _post(client, user, request, action, data=None, **extra):
    client.force_login(user)
    return client.post(
        f"/console/requests/{request.tracking_number}/{action}/", data or {}, **extra
    )


def _audit(action, request):
    return AuditEntry.objects.filter(action=action, target_id=str(request.pk))


def test_acknowledging_moves_the_request_on_audits_it_and_returns_to_the_page(client, desk):
    # when
    response = _post(client, desk.worker, desk.request, "acknowledge", REMOTE_ADDR="10.1.2.3")
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/console/requests/{desk.request.tracking_number}/"
    desk.request.refresh_from_db()
    assert desk.request.status == Status.ACKNOWLEDGED
    [entry] = _audit("request.acknowledge", desk.request)
    assert (entry.actor, entry.ip) == (desk.worker, "10.1.2.3")
    assert entry.details["status"] == Status.ACKNOWLEDGED
    page = client.get(response["Location"]).content.decode()
    assert "Acknowledged." in page


def test_starting_work_puts_the_request_in_progress(client, desk):
    # when
    _post(client, desk.worker, desk.request, "start")
    # then
    desk.request.refresh_from_db()
    assert desk.request.status == Status.IN_PROGRESS
    assert _audit("request.start", desk.request).exists()


@pytest.mark.parametrize("who", ["self", "colleague"])
def test_a_worker_assigns_the_request_to_themself_or_a_colleague(client, desk, who):
    # given
    assignee = desk.worker if who == "self" else desk.colleague
    # when
    response = _post(client, desk.worker, desk.request, "assign", {"assignee": assignee.pk})
    # then
    assert response.status_code == 302
    desk.request.refresh_from_db()
    assert desk.request.assignee == assignee
    assert RequestUpdate.objects.filter(request=desk.request, kind=UpdateKind.ASSIGNED).exists()
    assert _audit("request.assign", desk.request).get().details["assignee"] == (
        assignee.get_username()
    )


def test_a_request_is_given_to_a_crew_of_its_agency(client, desk):
    # given
    crew = CrewFactory.create(name="Pothole crew", agency=desk.dot)
    # when
    _post(client, desk.supervisor, desk.request, "assign", {"crew": crew.pk})
    # then
    desk.request.refresh_from_db()
    assert (desk.request.crew, desk.request.assignee) == (crew, None)


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("assign", {"assignee": "not-a-number"}, "assignee"),
        ("assign", {"crew": "0"}, "crew"),
        ("hold", {"status": "waiting_on_third_party", "visibility": "public"}, "note"),
        ("hold", {"status": "closed", "note": "Why", "visibility": "public"}, "status"),
        ("note", {"note": "", "visibility": "internal"}, "note"),
        ("note", {"note": "Hi", "visibility": "secret"}, "visibility"),
        ("merge", {}, "parent"),
        ("merge", {"parent": "NO-SUCH-1"}, "parent"),
        ("reassign", {"agency": "PARKS"}, "reason"),
        ("reassign", {"agency": "NOPE", "reason": "Not ours."}, "agency"),
        ("reassign", {"agency": "DOT", "reason": "Not ours."}, "agency"),
        ("close", {"resolution": "duplicate"}, "resolution"),
        ("close", {}, "resolution"),
    ],
)
def test_bad_input_is_refused_naming_the_field_with_the_form_shown_again(
    client, desk, action, data, field
):
    # given
    updates_before = RequestUpdate.objects.count()
    # when
    response = _post(client, desk.supervisor, desk.request, action, data)
    # then
    assert response.status_code == 400
    assert field in response.context["forms"][action].errors
    assert response.context["error_form"] == action
    assert RequestUpdate.objects.count() == updates_before
    assert not AuditEntry.objects.filter(action__startswith="request.").exists()
    desk.request.refresh_from_db()
    assert (desk.request.status, desk.request.agency) == (Status.NEW, desk.dot)


def test_a_colleague_of_another_agency_is_not_offered_nor_accepted(client, desk):
    # when
    response = _post(
        client, desk.worker, desk.request, "assign", {"assignee": desk.parks_worker.pk}
    )
    # then
    assert response.status_code == 400
    assert "assignee" in response.context["forms"]["assign"].errors
    desk.request.refresh_from_db()
    assert desk.request.assignee is None


def test_a_311_supervisor_may_not_give_the_request_to_another_agencys_worker(client, desk):
    # given
    supervisor_311 = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    # when
    response = _post(
        client, supervisor_311, desk.request, "assign", {"assignee": desk.parks_worker.pk}
    )
    # then
    assert response.status_code == 400


def test_putting_on_hold_pauses_the_clock_with_the_reason_in_the_history(client, desk):
    # when
    _post(
        client,
        desk.worker,
        desk.request,
        "hold",
        {"status": "waiting_on_requester", "note": "Which corner?", "visibility": "public"},
    )
    # then
    desk.request.refresh_from_db()
    assert desk.request.status == Status.WAITING_ON_REQUESTER
    assert desk.request.waiting_since is not None
    latest = RequestUpdate.objects.filter(request=desk.request).latest("id")
    assert (latest.note, latest.visibility) == ("Which corner?", Visibility.PUBLIC)


def test_an_internal_note_is_kept_from_those_who_may_not_read_it(client, desk):
    # given
    _post(
        client,
        desk.worker,
        desk.request,
        "note",
        {"note": "Crew says: deep.", "visibility": "internal"},
    )
    # when
    worker_page = client.get(f"/console/requests/{desk.request.tracking_number}/")
    client.force_login(desk.call_taker)
    call_taker_page = client.get(f"/console/requests/{desk.request.tracking_number}/")
    # then
    assert "Crew says: deep." in worker_page.content.decode()
    assert "Crew says: deep." not in call_taker_page.content.decode()
    assert _audit("request.note", desk.request).get().details["visibility"] == "internal"


def test_a_call_taker_adds_a_public_note_but_not_an_internal_one(client, desk):
    # when
    public = _post(
        client,
        desk.call_taker,
        desk.request,
        "note",
        {"note": "Rang again.", "visibility": "public"},
    )
    internal = _post(
        client, desk.call_taker, desk.request, "note", {"note": "Rude.", "visibility": "internal"}
    )
    # then
    assert (public.status_code, internal.status_code) == (302, 403)
    notes = RequestUpdate.objects.filter(request=desk.request, kind=UpdateKind.NOTE)
    assert list(notes.values_list("note", flat=True)) == ["Rang again."]


def test_merging_closes_the_duplicate_and_moves_its_followers_to_the_parent(client, desk):
    # given
    repeat = desk.another_request()
    follower_confirm(
        follower=service_request_follow(request=repeat, email="fay@example.org", language="en")
    )
    # when
    response = _post(client, desk.worker, repeat, "merge", {"parent": desk.request.tracking_number})
    # then
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.status, repeat.resolution, repeat.parent) == (
        Status.CLOSED,
        Resolution.DUPLICATE,
        desk.request,
    )
    page = client.get(f"/console/requests/{desk.request.tracking_number}/")
    assert [d.tracking_number for d in page.context["page"].duplicates] == [repeat.tracking_number]
    assert page.context["page"].followers == 1


def test_a_request_is_not_merged_into_one_the_user_may_not_see(client, desk):
    # given
    hidden = desk.another_request(desk.parks)
    # when
    response = _post(client, desk.worker, desk.request, "merge", {"parent": hidden.tracking_number})
    # then
    assert response.status_code == 400
    assert "parent" in response.context["forms"]["merge"].errors
    desk.request.refresh_from_db()
    assert desk.request.parent is None


def test_moving_a_request_puts_it_in_the_other_agencys_queue_with_its_history(client, desk):
    # given
    _post(client, desk.worker, desk.request, "assign", {"assignee": desk.worker.pk})
    history_before = RequestUpdate.objects.filter(request=desk.request).count()
    # when
    response = _post(
        client, desk.supervisor, desk.request, "reassign", {"agency": "PARKS", "reason": "Tree."}
    )
    # then
    assert response.status_code == 302
    desk.request.refresh_from_db()
    assert (desk.request.agency, desk.request.assignee) == (desk.parks, None)
    assert access.requests_visible_to(desk.parks_worker).filter(pk=desk.request.pk).exists()
    assert not access.requests_visible_to(desk.worker).filter(pk=desk.request.pk).exists()
    assert RequestUpdate.objects.filter(request=desk.request).count() == history_before + 1
    assert _audit("request.reassign", desk.request).get().details["reason"] == "Tree."
    # the supervisor no longer sees it: the page is gone for them
    assert client.get(response["Location"]).status_code == 404


def test_a_worker_may_not_move_a_request_to_another_agency(client, desk):
    # when
    response = _post(
        client, desk.worker, desk.request, "reassign", {"agency": "PARKS", "reason": "Tree."}
    )
    # then
    assert response.status_code == 403
    desk.request.refresh_from_db()
    assert desk.request.agency == desk.dot


def test_closing_with_a_resolution_and_a_public_note(client, desk):
    # when
    _post(
        client,
        desk.worker,
        desk.request,
        "close",
        {"resolution": "completed", "public_note": "Filled on Tuesday."},
    )
    # then
    desk.request.refresh_from_db()
    assert (desk.request.status, desk.request.resolution, desk.request.status_notes) == (
        Status.CLOSED,
        Resolution.COMPLETED,
        "Filled on Tuesday.",
    )
    assert _audit("request.close", desk.request).exists()


@pytest.fixture
def overdue(desk):
    request = make_request(
        service_type=ServiceTypeFactory.create(
            agency=desk.dot, sla_policy=SlaPolicyFactory(amount=1, unit=SlaUnit.HOURS)
        )
    )
    LateCloseReasonFactory.create(agency=desk.parks, name="Parks' reason")
    return request, LateCloseReasonFactory.create(agency=desk.dot, name="Weather")


def test_the_late_close_reasons_appear_once_the_request_is_past_due(client, desk, overdue):
    # given
    request, weather = overdue
    client.force_login(desk.worker)
    url = f"/console/requests/{request.tracking_number}/"
    # when
    on_time = client.get(url).context["forms"]["close"]
    with time_machine.travel(clock.now() + timedelta(hours=2)):
        late = client.get(url).context["forms"]["close"]
    # then
    assert "late_close_reason" not in on_time.fields
    assert list(late.fields["late_close_reason"].queryset) == [weather]


def test_a_late_close_without_a_reason_shows_the_services_refusal_on_the_form(
    client, desk, overdue
):
    # given
    request, weather = overdue
    # when
    with time_machine.travel(clock.now() + timedelta(hours=2)):
        refused = _post(client, desk.worker, request, "close", {"resolution": "completed"})
        closed = _post(
            client,
            desk.worker,
            request,
            "close",
            {"resolution": "completed", "late_close_reason": weather.pk},
        )
    # then
    assert refused.status_code == 400
    assert "late_close_reason" in refused.context["forms"]["close"].errors
    assert closed.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.late_close_reason) == (Status.CLOSED, weather)


def test_a_supervisor_reopens_a_closed_request_and_a_worker_may_not(client, desk):
    # given
    service_request_close(
        request=desk.request, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
    )
    # when
    by_worker = _post(client, desk.worker, desk.request, "reopen", {"note": "Back."})
    by_supervisor = _post(client, desk.supervisor, desk.request, "reopen", {"note": "Back."})
    # then
    assert (by_worker.status_code, by_supervisor.status_code) == (403, 302)
    desk.request.refresh_from_db()
    assert desk.request.status == Status.ACKNOWLEDGED


def test_an_action_without_the_csrf_token_is_refused(desk):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.worker)
    # when
    response = client.post(f"/console/requests/{desk.request.tracking_number}/acknowledge/")
    # then
    assert response.status_code == 403
    desk.request.refresh_from_db()
    assert desk.request.status == Status.NEW


def test_actions_are_posts(client, desk):
    # given
    client.force_login(desk.worker)
    # when
    response = client.get(f"/console/requests/{desk.request.tracking_number}/acknowledge/")
    # then
    assert response.status_code == 405
