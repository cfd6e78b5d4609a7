from django.contrib import admin

from cityline.geo.models import AddressPoint, BoundaryArea, BoundaryLayer


@admin.register(BoundaryLayer)
class BoundaryLayerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_zipcode"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(BoundaryArea)
class BoundaryAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "layer"]
    list_filter = ["layer"]
    search_fields = ["name", "code"]


@admin.register(AddressPoint)
class AddressPointAdmin(admin.ModelAdmin):
    list_display = ["address", "zipcode", "latitude", "longitude"]
    search_fields = ["normalized"]
    readonly_fields = ["normalized", "h3_cell"]
