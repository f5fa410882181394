from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from borderwatch.accounts.models import AuditEntry, User


@admin.register(User)
class BorderwatchUserAdmin(UserAdmin):
    list_display = ("username", "role", "member_state", "is_active")
    list_filter = ("role", "member_state", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Role", {"fields": ("role", "member_state")}))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "member_state")
    list_filter = ("action", "member_state")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
