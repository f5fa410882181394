"""Users with a role and a member state, API tokens, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from borderwatch.accounts.roles import ALL_STATES_ROLES, MEMBER_STATES, Role

MEMBER_STATE_CHOICES = [(code, name) for code, name in sorted(MEMBER_STATES.items())]


class User(AbstractUser):
    """An officer of one member state, or an EU-level user who sees all states."""

    role = models.CharField(max_length=32, choices=[(r.value, r.label) for r in Role])
    member_state = models.CharField(
        max_length=2,
        blank=True,
        choices=MEMBER_STATE_CHOICES,
        help_text="Empty only for Frontex analysts and Commission viewers.",
    )

    def clean(self) -> None:
        super().clean()
        if self.role in ALL_STATES_ROLES:
            if self.member_state:
                raise ValidationError({"member_state": "EU-level roles have no member state."})
        elif self.member_state not in MEMBER_STATES:
            raise ValidationError({"member_state": "A national role needs a member state."})

    @property
    def sees_all_states(self) -> bool:
        return self.role in ALL_STATES_ROLES


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after.

    Append-only: services write entries; nothing updates or deletes them.
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
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        target = f"{self.object_type}#{self.object_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {target}"
