"""Users with a role and a member state, and their API tokens (the audit trail is core's)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from borderwatch.core.codes import MEMBER_STATE_CHOICES, MEMBER_STATES
from borderwatch.core.roles import ALL_STATES_ROLES, ROLE_LABELS, Role


class User(AbstractUser):
    """An officer of one member state, or an EU-level user who sees all states."""

    role = models.CharField(max_length=32, choices=[(r.value, ROLE_LABELS[r]) for r in Role])
    member_state = models.CharField(
        max_length=2,
        blank=True,
        choices=MEMBER_STATE_CHOICES,
        help_text="Empty only for Frontex analysts and Commission viewers.",
    )

    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="The language of the pages; empty: the browser's.",
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
    expires_at = models.DateTimeField(help_text="After this the token is refused (401).")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
