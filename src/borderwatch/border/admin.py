from django.contrib import admin

from borderwatch.border.models import BorderSection, Country, Event, ImpactAssessment


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
