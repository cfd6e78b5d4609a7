"""The console's SLA notices page: the signed-in user's notices, newest first, each marked read
by its reader. Thin: reads through the sla selectors, writes through the sla services."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cityline.accounts.http import StaffRequest
from cityline.sla.access import require_read_notices
from cityline.sla.models import EscalationLevel
from cityline.sla.selectors import LEVEL_WORDS, sla_notices_for
from cityline.sla.services import sla_notice_mark_read

NOTICES_SHOWN = 200


@require_GET
@login_required
def notice_list(request: StaffRequest) -> HttpResponse:
    require_read_notices(user=request.user)
    notices = [
        (notice, LEVEL_WORDS[EscalationLevel(notice.escalation.level)])
        for notice in sla_notices_for(user=request.user)[:NOTICES_SHOWN]
    ]
    return render(request, "sla/notices.html", {"notices": notices})


@require_POST
@login_required
def notice_read(request: StaffRequest, notice_id: int) -> HttpResponse:
    require_read_notices(user=request.user)
    if not sla_notice_mark_read(user=request.user, notice_id=notice_id):
        raise Http404
    return redirect("console:sla_notices")
