from django.contrib import admin

from borderwatch.registration.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Read-only in the admin: persons are written through services, which audit."""

    list_display = ("id", "member_state", "nationality", "eurodac_category", "sex", "synthetic")
    list_filter = ("member_state", "eurodac_category", "synthetic")
    raw_id_fields = ("apprehension_event", "created_by")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
