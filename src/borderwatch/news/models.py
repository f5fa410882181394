"""Press articles and the claims extracted from them, each awaiting an analyst's review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


#: The engine's claim kinds (engines.news.ClaimKind values) as the pages name them.
KIND_LABELS = {
    "detained": _("Detained"),
    "apprehended": _("Apprehended"),
    "crossing": _("Crossing"),
    "prevented": _("Prevented from crossing"),
    "total": _("Cumulative total"),
    "record": pgettext_lazy("a highest figure", "Record"),
    "deployment": _("Deployment"),
    "funding": _("Funding"),
    "flight": _("Flight"),
    "flight_suspension": _("Flight suspension"),
    "emergency": _("State of emergency"),
    "fence": _("Fence"),
    "return": _("Return or readmission"),
    "return_policy": _("Return policy"),
}

#: The engine's attribute names (a claim's `values`) as the pages name them.
VALUE_LABELS = {
    "nationality": _("Nationality"),
    "destination": _("Destination"),
    "scope": _("Scope"),
    "of": _("Counts"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "equivalent": _("Equivalent"),
    "unit": _("Resources"),
    "items": _("Items"),
    "by": _("By"),
    "purpose": _("Purpose"),
    "per_week": _("Flights a week"),
    "capacity": _("Capacity"),
    "action": _("Action"),
    "border_with": _("Border with"),
    "length_km": _("Length (km)"),
    "cost": _("Cost"),
    "topic": _("Topic"),
    "country": _("Country"),
    "stance": _("Stance"),
}


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
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def attributes(self) -> list[tuple[str, object]]:
        """The kind's own values that were found, named in the user's language."""
        return [
            (str(VALUE_LABELS.get(k, k)), v)
            for k, v in self.values.items()
            if v is not None and k != "count"
        ]

    @property
    def unplaced_reason(self) -> str:
        """Why the claim cannot be placed (never guessed): what is missing; empty when placed."""
        if not self.state and self.day_from is None:
            return str(_("No member state and no day in the text."))
        if not self.state:
            return str(_("No member state in the text."))
        if self.day_from is None:
            return str(_("No day in the text."))
        return ""

    @property
    def decided(self) -> bool:
        return self.status != ClaimStatus.PENDING

    @property
    def disagrees(self) -> bool:
        """The press figure differs from the official one for the same state and day."""
        return (
            self.official_count is not None
            and self.count is not None
            and self.official_count != self.count
        )
