from django.contrib import admin
from django.db import models
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from cityline.catalog.models import (
    Agency,
    RoutingRule,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceGroup,
    ServiceType,
    ServiceTypeKeyword,
)

# The translated fields (`translation.py`) show one input per language, the city's own first;
# one left blank is read in the city's language.


@admin.register(Agency)
class AgencyAdmin(TranslationAdmin):
    list_display = ["code", "name", "public_phone", "notification_email"]
    search_fields = ["code", "name"]
    # A website typed without its scheme ("www.nyc.gov/dot") is a city's secure site.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ServiceGroup)
class ServiceGroupAdmin(TranslationAdmin):
    search_fields = ["name"]


class KeywordInline(admin.TabularInline):
    model = ServiceTypeKeyword
    extra = 1


class AttributeInline(TranslationStackedInline):
    model = ServiceAttribute
    extra = 0
    show_change_link = True


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    fk_name = "service_type"
    extra = 0
    raw_id_fields = ["area"]


@admin.register(ServiceType)
class ServiceTypeAdmin(TranslationAdmin):
    list_display = ["code", "name", "group", "agency", "sla_policy", "is_public", "is_active"]
    list_filter = [
        "is_active",
        "is_public",
        "request_visibility",
        "open_data_text",
        "location_sensitive",
        "group",
        "agency",
    ]
    search_fields = ["code", "name", "keywords__term"]
    inlines = [KeywordInline, AttributeInline, RoutingRuleInline]


class AttributeValueInline(TranslationTabularInline):
    model = ServiceAttributeValue
    extra = 1


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(TranslationAdmin):
    list_display = ["service_type", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "service_type__code"]
    inlines = [AttributeValueInline]
