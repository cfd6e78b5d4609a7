"""Setting up an authenticator and giving its one-time code on sign-in, for the people
CITYLINE_REQUIRE_2FA_ROLES names (and anyone else who wants a second factor)."""

from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from cityline.accounts.http import StaffRequest
from cityline.accounts.services import totp_device_confirm, totp_device_for_setup
from cityline.console.forms import OneTimeCodeForm
from cityline.core.clients import client_address


def _next(request: StaffRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/console/"


def _step(name: str, request: StaffRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: StaffRequest) -> HttpResponse:
    if user_has_device(request.user):
        return _step("console:2fa_verify", request)
    device = totp_device_for_setup(user=request.user)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if totp_device_confirm(
            device=device, token=form.cleaned_data["token"], ip=client_address(request)
        ):
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("That code is not the one your authenticator shows now."))
    context = {
        "form": form,
        "uri": device.config_url,
        # The QR code is drawn here from the device's own URI: no user input reaches the SVG.
        "qr_svg": mark_safe(_qr_svg(device.config_url)),
        "next": _next(request),
    }
    return render(request, "console/2fa_setup.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: StaffRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return _step("console:2fa_setup", request)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("That code is not the one your authenticator shows now."))
    context = {"form": form, "next": _next(request)}
    return render(request, "console/2fa_verify.html", context, status=400 if form.is_bound else 200)
