"""What the apps' admin screens share: read-only registrations of rows their services write, and
a paged page of an outgoing folder (the demo's mail and texts) inside the admin."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

FOLDER_PAGE_SIZE = 50


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by their app's services only: the admin lists and shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def admin_folder_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    title: str,
    items: Sequence[Any],
    template: str,
) -> HttpResponse:
    """A page of `items` (newest first) in the admin's frame, under `model_admin`'s model."""
    page = Paginator(items, FOLDER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "page": page,
    }
    return TemplateResponse(request, template, context)
