"""Requests in the admin: read-only records, moved on only by actions that call the lifecycle
services, so every move writes its history entry and outbox message as it would anywhere else.

Requests are created through the intake service (Open311, the portal, the consoles), never here:
the admin offers no add, no edit of a request's fields and no delete.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import formats, timezone

from cityline.accounts.audit import audit_record
from cityline.accounts.models import User
from cityline.core.clients import client_address
from cityline.core.errors import DomainError
from cityline.servicerequests import access
from cityline.servicerequests.forms import CloseForm, DuplicateForm
from cityline.servicerequests.models import (
    Attachment,
    Channel,
    RequestAnswer,
    Requester,
    RequestUpdate,
    ServiceRequest,
    Status,
    Visibility,
)
from cityline.servicerequests.services.lifecycle import (
    service_request_change_status,
    service_request_close,
    service_request_mark_duplicate,
    service_request_reopen,
)

# The submit button of an action's own page: present once its form has been filled in.
APPLY = "apply"


class RequesterInline(admin.StackedInline):
    model = Requester
    extra = 0


class AnswerInline(admin.TabularInline):
    model = RequestAnswer
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = readonly_fields = ("media_url", "created_at")


class UpdateInline(admin.TabularInline):
    """The append-only history, oldest first."""

    model = RequestUpdate
    extra = 0
    fields = readonly_fields = (
        "occurred",
        "kind",
        "status",
        "resolution",
        "citizen_status",
        "visibility",
        "via",
        "author",
        "note",
    )

    @admin.display(description="occurred at")
    def occurred(self, update: RequestUpdate) -> str:
        try:
            return formats.localize(timezone.localtime(update.occurred_at))
        except OverflowError:
            # Hours from the calendar's ends the city's wall clock does not exist; UTC does.
            return update.occurred_at.isoformat(sep=" ", timespec="seconds")


class PublicUpdateInline(UpdateInline):
    """The history without its internal notes, for those who may not read them."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[RequestUpdate]:
        return super().get_queryset(request).filter(visibility=Visibility.PUBLIC)


def _actor(request: HttpRequest) -> User:
    """The signed-in staff member acting; the admin lets no one else in."""
    assert isinstance(request.user, User)
    return request.user


def _move_each(
    modeladmin: "ServiceRequestAdmin",
    request: HttpRequest,
    queryset: QuerySet[ServiceRequest],
    move: Callable[[ServiceRequest], ServiceRequest],
    done: str,
    action: access.Action,
) -> None:
    """Apply one lifecycle service to each selected request the user may act on, each in its own
    transaction, and audit it; a move refused by access or the lifecycle is reported for that
    request and leaves it as it was."""
    moved = 0
    for service_request in queryset.order_by("pk"):
        if not access.can_act(user=request.user, request=service_request, action=action):
            modeladmin.message_user(
                request,
                f"{service_request.tracking_number}: you may not {action.replace('_', ' ')} "
                "this request.",
                messages.ERROR,
            )
            continue
        try:
            moved_request = move(service_request)
        except DomainError as refused:
            modeladmin.message_user(
                request, f"{service_request.tracking_number}: {refused.message}.", messages.ERROR
            )
        else:
            audit_record(
                actor=request.user,
                action=f"request.{action}",
                target=moved_request,
                details={"status": moved_request.status, "via": "admin"},
                ip=client_address(request),
            )
            moved += 1
    if moved:
        noun = "request" if moved == 1 else "requests"
        modeladmin.message_user(request, f"{moved} {noun} {done}.", messages.SUCCESS)


def _status_action(name: str, status: Status, description: str, may: access.Action) -> Callable:
    def action(
        modeladmin: "ServiceRequestAdmin", request: HttpRequest, queryset: QuerySet[ServiceRequest]
    ) -> None:
        _move_each(
            modeladmin,
            request,
            queryset,
            lambda service_request: service_request_change_status(
                request=service_request, status=status, by=_actor(request), via=Channel.STAFF
            ),
            done=f"now {status.label}",
            action=may,
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["lifecycle"])(action)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "service_type",
        "agency",
        "status",
        "resolution",
        "requested_at",
        "expected_at",
        "assignee",
        "proactive",
    ]
    list_filter = ["status", "channel", "proactive", "agency"]
    search_fields = ["tracking_number", "address", "source_id"]
    date_hierarchy = "requested_at"
    readonly_fields = ["tracking_number", "token", "source", "source_fields", "h3_cell"]
    list_select_related = ["service_type", "agency"]
    show_full_result_count = False
    actions = [
        _status_action(
            "acknowledge", Status.ACKNOWLEDGED, "Acknowledge", access.Action.ACKNOWLEDGE
        ),
        _status_action(
            "start_work", Status.IN_PROGRESS, "Start or resume work", access.Action.START
        ),
        _status_action(
            "wait_on_requester",
            Status.WAITING_ON_REQUESTER,
            "Put on hold: waiting on requester",
            access.Action.HOLD,
        ),
        _status_action(
            "wait_on_third_party",
            Status.WAITING_ON_THIRD_PARTY,
            "Put on hold: waiting on a third party",
            access.Action.HOLD,
        ),
        "close",
        "mark_duplicate",
        "reopen",
    ]

    # A request's fields change only through the lifecycle actions; it is created by intake.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ServiceRequest | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ServiceRequest | None = None
    ) -> bool:
        return False

    def has_lifecycle_permission(self, request: HttpRequest) -> bool:
        return access.can_move_lifecycle(user=request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceRequest]:
        return super().get_queryset(request) & access.requests_visible_to(request.user)

    def get_inlines(
        self, request: HttpRequest, obj: ServiceRequest | None
    ) -> list[type[admin.options.InlineModelAdmin]]:
        """The requester only to those who may see them, recorded as seen; internal notes only
        to those who may read them."""
        if obj is None:
            return []
        inlines: list[type[admin.options.InlineModelAdmin]] = []
        if access.can_view_requester(user=request.user, request=obj):
            inlines.append(RequesterInline)
            if request.method == "GET":
                audit_record(
                    actor=request.user,
                    action="requester.viewed",
                    target=obj,
                    details={"via": "admin"},
                    ip=client_address(request),
                )
        inlines += [AnswerInline, AttachmentInline]
        internal = access.can_view_internal_notes(user=request.user, request=obj)
        inlines.append(UpdateInline if internal else PublicUpdateInline)
        return inlines

    def _action_form_page(
        self,
        request: HttpRequest,
        queryset: QuerySet[ServiceRequest],
        *,
        form: forms.Form,
        action: str,
        title: str,
        intro: str,
        apply: Callable[[ServiceRequest, dict[str, Any]], ServiceRequest],
        done: str,
        may: access.Action,
    ) -> TemplateResponse | None:
        """An action that asks for more first: its page shows the form until the form is valid,
        then `apply(service_request, cleaned_data)` moves each request on."""
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            _move_each(
                self, request, queryset, lambda each: apply(each, data), done=done, action=may
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "opts": self.opts,
            "form": form,
            "action": action,
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request,
            "servicerequests/admin/action_form.html",
            context,
            status=400 if form.is_bound else 200,
        )

    @admin.action(description="Close with a resolution…", permissions=["lifecycle"])
    def close(
        self, request: HttpRequest, queryset: QuerySet[ServiceRequest]
    ) -> TemplateResponse | None:
        actor = _actor(request)

        def apply(service_request: ServiceRequest, data: dict[str, Any]) -> ServiceRequest:
            return service_request_close(
                request=service_request,
                resolution=data["resolution"],
                public_note=data["public_note"],
                late_close_reason=data["late_close_reason"],
                by=actor,
                via=Channel.STAFF,
            )

        return self._action_form_page(
            request,
            queryset,
            form=CloseForm(request.POST if APPLY in request.POST else None),
            action="close",
            title="Close requests",
            intro="Close these requests with one resolution. The note is shown to residents "
            "and on Open311.",
            apply=apply,
            done="closed",
            may=access.Action.CLOSE,
        )

    @admin.action(description="Mark as duplicate of…", permissions=["lifecycle"])
    def mark_duplicate(
        self, request: HttpRequest, queryset: QuerySet[ServiceRequest]
    ) -> TemplateResponse | None:
        actor = _actor(request)

        def apply(service_request: ServiceRequest, data: dict[str, Any]) -> ServiceRequest:
            return service_request_mark_duplicate(
                request=service_request, parent=data["parent"], by=actor, via=Channel.STAFF
            )

        return self._action_form_page(
            request,
            queryset,
            form=DuplicateForm(request.POST if APPLY in request.POST else None),
            action="mark_duplicate",
            title="Mark requests as duplicates",
            intro="Link these requests to the one they repeat and close them as duplicates; "
            "the work goes on under that one.",
            apply=apply,
            done="marked duplicate and closed",
            may=access.Action.MERGE,
        )

    @admin.action(description="Reopen", permissions=["lifecycle"])
    def reopen(self, request: HttpRequest, queryset: QuerySet[ServiceRequest]) -> None:
        _move_each(
            self,
            request,
            queryset,
            lambda service_request: service_request_reopen(
                request=service_request, by=_actor(request), via=Channel.STAFF
            ),
            done="reopened",
            action=access.Action.REOPEN,
        )
