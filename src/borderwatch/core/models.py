"""What every app writes to: the audit trail and the timeline of workflow transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after.

    Append-only: services write entries (core.audit); nothing updates or deletes them. Reads of
    another state's personal data are entries too, written by the selector that returns them.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    member_state = models.CharField(max_length=2, blank=True, db_index=True)
    old_values = models.JSONField(null=True, blank=True)
    new_values = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        db_table = "accounts_auditentry"  # the table predates the kernel; kept, not copied
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="accounts_au_object__2df7a0_idx")
        ]

    def __str__(self) -> str:
        target = f"{self.object_type}#{self.object_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {target}"


class TransitionRecord(models.Model):
    """One row of an object's timeline: a workflow moved it from one status to another."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    workflow = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    member_state = models.CharField(max_length=2, blank=True)
    source = models.CharField(max_length=32)
    target = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_transition_obj_idx")
        ]

    def __str__(self) -> str:
        return f"{self.workflow} {self.object_id}: {self.source} -> {self.target}"


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life (core.workers): written every few seconds while it runs.

    A worker whose `last_seen` is older than WORKER_STALE_SECONDS is taken for dead: the tasks
    it held are recovered and the pages say that no worker is running. The row of a worker that
    stopped cleanly is deleted; a dead one's stays a while for the record.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
