from django.contrib import admin

from cityline.catalog.models import (
    Agency,
    RoutingRule,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceGroup,
    ServiceType,
    ServiceTypeKeyword,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "public_phone", "notification_email"]
    search_fields = ["code", "name"]


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class KeywordInline(admin.TabularInline):
    model = ServiceTypeKeyword
    extra = 1


class AttributeInline(admin.StackedInline):
    model = ServiceAttribute
    extra = 0
    show_change_link = True


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    fk_name = "service_type"
    extra = 0
    raw_id_fields = ["area"]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "agency", "sla_policy", "is_public", "is_active"]
    list_filter = ["is_active", "is_public", "request_visibility", "group", "agency"]
    search_fields = ["code", "name", "keywords__term"]
    inlines = [KeywordInline, AttributeInline, RoutingRuleInline]


class AttributeValueInline(admin.TabularInline):
    model = ServiceAttributeValue
    extra = 1


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["service_type", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "service_type__code"]
    inlines = [AttributeValueInline]
