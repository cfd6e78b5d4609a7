from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cityline.core.errors import DomainError
from cityline.portal.models import CityIdentity
from cityline.portal.services import (
    PreparedIdentity,
    city_identity_prepare,
    city_identity_update,
)


class CityIdentityForm(forms.ModelForm):
    class Meta:
        model = CityIdentity
        fields = ["name", "logo", "colour", "contact_line"]

    prepared: PreparedIdentity | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("logo")
        try:
            self.prepared = city_identity_prepare(
                name=cleaned.get("name", ""),
                colour=cleaned.get("colour", ""),
                contact_line=cleaned.get("contact_line", ""),
                logo=upload if upload and upload is not True and "logo" in self.files else None,
            )
        except DomainError as refused:
            field = refused.field if refused.field in self.fields else None
            self.add_error(field, refused.message)
        return cleaned


@admin.register(CityIdentity)
class CityIdentityAdmin(admin.ModelAdmin):
    """The city's name, logo, colour and contact line, as every public page shows them."""

    form = CityIdentityForm
    list_display = ["name", "colour", "contact_line"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not CityIdentity.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: CityIdentity | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: CityIdentity, form: CityIdentityForm, change: bool
    ) -> None:
        assert form.prepared is not None
        saved = city_identity_update(
            prepared=form.prepared, remove_logo=form.cleaned_data.get("logo") is False
        )
        obj.pk = saved.pk
