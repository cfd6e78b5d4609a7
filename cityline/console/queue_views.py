"""The work queue: a queue's open requests by SLA risk, filtered and paged, and the counts of
"My work". Thin: who may open which queue is `servicerequests.access`'s decision, the reading is
`servicerequests.queues`'."""

from typing import Any, NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityline.accounts.http import StaffRequest
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import crews_of_agency, staff_with_role
from cityline.catalog.selectors import service_type_list_for_agency
from cityline.console.queue_forms import QueueFilterForm
from cityline.core import clock
from cityline.servicerequests import access
from cityline.servicerequests.queues import (
    NO_OPEN_REQUEST,
    QueueCounts,
    queue_counts,
    queue_counts_by_agency,
    queue_page,
)


def _colleagues(queue: access.Queue) -> list[User]:
    if queue.agency is None:
        return []
    people = {
        user
        for role in (Role.AGENCY_WORKER, Role.AGENCY_SUPERVISOR)
        for user in staff_with_role(role=role, agency_id=queue.agency.pk)
    }
    return sorted(people, key=lambda user: user.username)


def filter_form(
    request: StaffRequest, queue: access.Queue, colleagues: list[User] | None = None
) -> QueueFilterForm:
    return QueueFilterForm(
        request.GET,
        service_types=service_type_list_for_agency(agency=queue.agency),
        colleagues=_colleagues(queue) if colleagues is None else colleagues,
    )


class QueueChoice(NamedTuple):
    queue: access.Queue
    counts: QueueCounts


def my_work(*, user: User) -> list[QueueChoice]:
    """The queues a person may open, each with its counts (the console's home and the queue's
    chooser): the agencies' queues counted together in one query."""
    now = clock.now()
    queues = access.queues_for(user=user)
    agency_queues = [queue for queue in queues if queue.agency is not None]
    by_agency = (
        queue_counts_by_agency(
            requests=access.agency_queues_requests(queues=agency_queues), now=now
        )
        if agency_queues
        else {}
    )
    return [
        QueueChoice(
            queue,
            by_agency.get(queue.agency.pk, NO_OPEN_REQUEST)
            if queue.agency is not None
            else queue_counts(requests=access.queue_requests(queue=queue), now=now),
        )
        for queue in queues
    ]


def _chosen_queue(request: StaffRequest) -> access.Queue | None:
    """The queue named by `queue`, or the user's only one; None when they must choose."""
    key = request.GET.get("queue", "")
    if key:
        return access.queue_get_for_user(user=request.user, key=key)
    queues = access.require_queues(user=request.user)
    return queues[0] if len(queues) == 1 else None


@require_GET
@login_required
def queue(request: StaffRequest) -> HttpResponse:
    chosen = _chosen_queue(request)
    if chosen is None:
        return render(request, "console/queue_choose.html", {"choices": my_work(user=request.user)})
    colleagues = _colleagues(chosen)
    form = filter_form(request, chosen, colleagues)
    # htmx swaps the results alone, which then carry the form's errors.
    partial = bool(request.headers.get("HX-Request"))
    template = "console/_queue_results.html" if partial else "console/queue.html"
    context: dict[str, Any] = {
        "queue": chosen,
        "form": form,
        "colleagues": colleagues,
        "crews": [] if chosen.agency is None else list(crews_of_agency(agency_id=chosen.agency.pk)),
        "partial": partial,
    }
    if not form.is_valid():
        return render(request, template, context, status=400)
    page = queue_page(
        requests=access.queue_requests(queue=chosen),
        filters=form.filters(),
        user_id=request.user.pk,
        page=form.page_number(),
        now=clock.now(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    query["queue"] = chosen.key
    context.update(page=page, query=query.urlencode(), return_to=request.get_full_path())
    return render(request, template, context)
