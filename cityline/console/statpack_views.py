"""The Stat packs: an agency's month as a PDF, made now from the store or as the worker wrote it.
`analytics.access` says whose: an agency supervisor reads their own agencies', the city-wide
roles every agency's."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.http import StaffRequest
from cityline.analytics import access, statpack
from cityline.console.performance_forms import StatPackForm
from cityline.core.clients import client_address
from cityline.core.errors import InvalidInput

PDF = "application/pdf"


def _refused(field: str, message: str) -> HttpResponse:
    return HttpResponse(f"{field}: {message}", status=400, content_type="text/plain")


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def stat_pack_download(request: StaffRequest) -> HttpResponse:
    """An agency's (`agency`, its code) Stat pack of a month (`month`, YYYY-MM), made now."""
    agencies = access.require_read_performance(user=request.user)
    form = StatPackForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return _refused(field, " ".join(str(error) for error in errors))
    month, agency = form.cleaned_data["month"], form.cleaned_data["agency"]
    if not agency:
        if agencies is None or len(agencies) != 1:
            return _refused("agency", _("Name the agency."))
        agency = next(iter(agencies))
    if agencies is not None and agency not in agencies:
        raise PermissionDenied("this agency's figures are not yours to read")
    try:
        pack = statpack.stat_pack(agency=agency, month=month)
    except InvalidInput as error:
        return _refused(error.field or "agency", error.message)
    body = statpack.stat_pack_pdf(pack=pack)
    audit_record(
        actor=request.user,
        action="analytics.stat_pack_downloaded",
        target=AuditTarget("stat_pack", f"{agency} {month}"),
        details={"agency": agency, "month": month},
        ip=client_address(request),
    )
    return _pdf(body, statpack.stat_pack_filename(agency=agency, month=month))


@require_GET
@login_required
def stat_pack_stored(request: StaffRequest, name: str) -> HttpResponse:
    """A Stat pack the worker wrote, as it was written."""
    agencies = access.require_read_performance(user=request.user)
    if not statpack.stat_pack_readable(name=name, agencies=agencies):
        raise PermissionDenied("this agency's figures are not yours to read")
    body = statpack.stat_pack_stored_get(name=name)
    if body is None:
        raise Http404("no such Stat pack")
    audit_record(
        actor=request.user,
        action="analytics.stat_pack_downloaded",
        target=AuditTarget("stat_pack", name),
        details={"file": name, "stored": True},
        ip=client_address(request),
    )
    return _pdf(body, name)
