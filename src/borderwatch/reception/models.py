"""Facilities and placements: data and invariants only.

Occupancy is never stored: it is counted from placements (selectors.py), so it cannot drift
from who is actually where.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES


class FacilityKind(models.TextChoices):
    DETENTION_CENTRE = "detention_centre", _("Detention centre")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")
    TEMPORARY_SHELTER = "temporary_shelter", _("Temporary shelter")


class PlaceCategory(models.TextChoices):
    """Matches borderwatch.engines.placement.Category value for value."""

    SINGLE_MEN = "single_men", _("Single men")
    SINGLE_WOMEN = "single_women", _("Single women")
    FAMILIES = "families", _("Families")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Unaccompanied minors")


CAPACITY_FIELDS: dict[str, str] = {
    PlaceCategory.SINGLE_MEN: "capacity_single_men",
    PlaceCategory.SINGLE_WOMEN: "capacity_single_women",
    PlaceCategory.FAMILIES: "capacity_families",
    PlaceCategory.UNACCOMPANIED_MINORS: "capacity_unaccompanied_minors",
}


class Facility(models.Model):
    """A detention centre, reception centre or temporary shelter of one member state."""

    code = models.SlugField(max_length=40, unique=True, help_text="Stable key, e.g. lt-pabrade.")
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=FacilityKind.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    address = models.CharField(max_length=300, blank=True)
    capacity_single_men = models.PositiveIntegerField(default=0)
    capacity_single_women = models.PositiveIntegerField(default=0)
    capacity_families = models.PositiveIntegerField(default=0, help_text="Places, not rooms.")
    capacity_unaccompanied_minors = models.PositiveIntegerField(default=0)
    medical = models.BooleanField(default=False, help_text="Medical care on site.")
    interpreters = models.BooleanField(default=False)
    capacity_is_estimate = models.BooleanField(default=True)
    source_note = models.TextField(blank=True, help_text="Where the capacity figures come from.")
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Invented for the demo.")

    class Meta:
        ordering = ["member_state", "name"]
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def capacity(self) -> int:
        return sum(self.capacity_for(c) for c in PlaceCategory)

    def capacity_for(self, category: str) -> int:
        return int(getattr(self, CAPACITY_FIELDS[category]))

    def is_open_on(self, day: dt.date) -> bool:
        if self.opened_on is not None and day < self.opened_on:
            return False
        return self.closed_on is None or day < self.closed_on

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if not -90 <= self.latitude <= 90:
            errors["latitude"] = gettext("Latitude must lie between -90 and 90.")
        if not -180 <= self.longitude <= 180:
            errors["longitude"] = gettext("Longitude must lie between -180 and 180.")
        if self.kind == FacilityKind.DETENTION_CENTRE and self.capacity_unaccompanied_minors:
            errors["capacity_unaccompanied_minors"] = gettext(
                "Unaccompanied minors are not held in detention centres."
            )
        if self.opened_on and self.closed_on and self.closed_on <= self.opened_on:
            errors["closed_on"] = gettext("A facility closes after it opens.")
        if self.capacity_is_estimate and not self.source_note.strip():
            errors["source_note"] = gettext("Say where an estimated capacity comes from.")
        if errors:
            raise ValidationError(errors)


class EndReason(models.TextChoices):
    TRANSFER = "transfer", _("Transferred")
    RELEASE = "release", _("Released")


class PlacementStatus(models.TextChoices):
    """Moved only by reception/workflow.py (a transition table), never set by hand."""

    OPEN = "open", _("Open")
    RELEASED = "released", _("Released")
    TRANSFERRED = "transferred", _("Transferred")


class Placement(models.Model):
    """A person in a facility from a date until (exclusive) an end date, if any.

    The person is counted in the facility's occupancy on every day d with
    start_date <= d < end_date (or no end date).
    """

    person = models.ForeignKey(
        "registration.Person", on_delete=models.PROTECT, related_name="placements"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="placements")
    category = models.CharField(max_length=24, choices=PlaceCategory.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=PlacementStatus.choices, default=PlacementStatus.OPEN
    )
    reason = models.TextField(blank=True, help_text="Why this facility.")
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    transferred_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(end_date__isnull=True),
                name="one_open_placement_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "start_date"]),
            models.Index(fields=["facility", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"Placement #{self.pk} person {self.person_id} in {self.facility_id}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlacementProposal(models.Model):
    """The optimiser's proposal for one state's arrivals on one day, computed by a task.

    Saved so that accepting it places exactly what was proposed (by reference, never rows sent
    back by the browser), and so that the work leaves the web request.
    """

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    day = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="django-tasks result id.")
    inputs = models.JSONField(default=dict, blank=True, help_text="Counts the solver started from.")
    solver_status = models.CharField(max_length=40, blank=True)
    objective = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0, help_text="Persons given a facility.")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Proposal #{self.pk} {self.member_state} {self.day} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ProposalStatus.DONE, ProposalStatus.FAILED)


class ProposedPlacement(models.Model):
    """One row of a proposal: a person, or a household placed together, and the facility
    proposed (none: the rule and the reason why not)."""

    proposal = models.ForeignKey(PlacementProposal, on_delete=models.CASCADE, related_name="rows")
    key = models.CharField(max_length=60)
    person_ids = models.JSONField(help_text="Registration person ids (a household: several).")
    category = models.CharField(max_length=24, choices=PlaceCategory.choices, blank=True)
    needs = models.JSONField(default=list, blank=True)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "key"], name="one_row_per_key")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.key}"
