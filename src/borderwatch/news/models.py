"""Press articles and the claims extracted from them, each awaiting an analyst's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """One press report as received: its text is kept verbatim, so claim spans stay valid."""

    sha256 = models.CharField(max_length=64, unique=True, help_text="Of the text: duplicates.")
    title = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True, help_text="Recorded, never fetched.")
    published_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    language = models.CharField(max_length=8, default="en")
    file_name = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.source} {self.published_at:%Y-%m-%d}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTED = "corrected", _("Corrected")
    REJECTED = "rejected", _("Rejected")


class NewsClaim(models.Model):
    """A claim of one article: what the engine found (kept) and what the analyst decided."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=32)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    state = models.CharField(max_length=2, blank=True, help_text="Empty: not placed.")
    day_from = models.DateField(null=True, blank=True)
    day_to = models.DateField(null=True, blank=True)
    date_phrase = models.CharField(max_length=200, blank=True)
    date_rule = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    values = models.JSONField(default=dict)
    notes = models.JSONField(default=list)
    extracted = models.JSONField(default=dict, help_text="The engine's claim, unchanged.")
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    event_id = models.PositiveIntegerField(null=True, blank=True, help_text="Border event made.")
    official_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Official persons that day when accepted."
    )

    class Meta:
        ordering = ["article_id", "start", "id"]
        indexes = [models.Index(fields=["status", "state"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.quote[:40]}"

    @property
    def placed(self) -> bool:
        return bool(self.state) and self.day_from is not None

    @property
    def disagrees(self) -> bool:
        """The press figure differs from the official one for the same state and day."""
        return (
            self.official_count is not None
            and self.count is not None
            and self.official_count != self.count
        )
