from django.contrib import admin
from django.http import HttpRequest

from borderwatch.border.models import BorderMeasure, BorderSection, Country, Event, ImpactAssessment


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_member_state", "timezone")


@admin.register(BorderSection)
class BorderSectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country", "neighbour", "length_km")
    list_filter = ("country",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("ref", "country", "section", "event_type", "occurred_at", "persons")
    list_filter = ("country", "event_type", "synthetic")
    readonly_fields = [f.name for f in Event._meta.fields]


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(admin.ModelAdmin):
    list_display = ("section", "as_of", "proposed_level", "level", "confirmed_by", "confirmed_at")


@admin.register(BorderMeasure)
class BorderMeasureAdmin(admin.ModelAdmin):
    """Read-only: measures are declared and ended through border.services (audited)."""

    list_display = ("member_state", "kind", "starts", "ends", "title")
    list_filter = ("member_state", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
