"""The public page where a resident asks for the city's alerts by text message: their number, an
area and a topic. The link texted to them confirms (the confirmation page of every
subscription); STOP to any text stops them. The same answer whether or not the number was
subscribed: it reveals nothing."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityline.emergencies.forms import TextAlertsForm
from cityline.notifications.area_subscriptions import area_subscription_start_by_phone
from cityline.portal.access import subscribe_refused


@require_http_methods(["GET", "POST"])
def text_alerts(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "emergencies/text_alerts.html", {"form": TextAlertsForm()})
    form = TextAlertsForm(request.POST)
    if subscribe_refused(request=request):
        form.add_error(
            None,
            _("Many requests came from your connection just now. Please try again in an hour."),
        )
        return render(request, "emergencies/text_alerts.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "emergencies/text_alerts.html", {"form": form}, status=400)
    area_subscription_start_by_phone(
        phone=form.cleaned_data["phone"], language=request.LANGUAGE_CODE, topic=form.topic()
    )
    return redirect("text-alerts-sent")


@require_GET
def text_alerts_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "emergencies/text_alerts_sent.html")
