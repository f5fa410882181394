from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from borderwatch.core.models import AuditEntry, TransitionRecord, WorkerHeartbeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail and timelines are append-only: the admin shows, never edits."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "member_state")
    list_filter = ("action", "member_state")


@admin.register(TransitionRecord)
class TransitionRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "workflow", "object_id", "source", "target", "actor_username")
    list_filter = ("workflow", "member_state")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "last_seen")
