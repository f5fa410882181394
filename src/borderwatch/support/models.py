"""Frontex support and EU funding: data and invariants only.

Assistance requests move only through workflow.py. Officers are counted by profile and
identified by a pseudonymous tag (`Resource.tag`): no officer's name is kept. Money is kept as
exact decimals in EUR (two places); the balance rules (no allocation or payment past the award)
live in the services, which lock the funding decision while they check them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from borderwatch.core.codes import MEMBER_STATE_CHOICES

ZERO = Decimal("0.00")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSESSED = "assessed", _("Assessed")
    PLAN_AGREED = "plan_agreed", _("Operational plan agreed")
    DEPLOYED = "deployed", _("Deployed")
    ENDED = "ended", _("Ended")
    DECLINED = "declined", _("Declined")


class ResourceKind(models.TextChoices):
    OFFICER = "officer", pgettext_lazy("Frontex officer", "Officer")
    EQUIPMENT = "equipment", _("Equipment")


class ResourceType(models.TextChoices):
    """Officer profiles and equipment types (one list: a request item asks for one of them)."""

    BORDER_SURVEILLANCE = "border_surveillance", _("Border surveillance officer")
    SCREENING = "screening", _("Screening officer")
    DEBRIEFING = "debriefing", _("Debriefing officer")
    REGISTRATION = "registration", _("Registration and fingerprint support officer")
    RETURN_ESCORT = "return_escort", _("Return escort")
    DOG_HANDLER = "dog_handler", _("Dog handler")
    DOCUMENT_EXPERT = "document_expert", _("Document expert")
    PATROL_CAR = "patrol_car", _("Patrol car")
    THERMAL_VISION_VEHICLE = "thermal_vehicle", _("Thermal-vision vehicle")
    HELICOPTER = "helicopter", _("Helicopter")
    DRONE = "drone", _("Drone")
    FINGERPRINT_SCANNER = "fingerprint_scanner", _("Mobile fingerprint scanner")


OFFICER_PROFILES = (
    ResourceType.BORDER_SURVEILLANCE,
    ResourceType.SCREENING,
    ResourceType.DEBRIEFING,
    ResourceType.REGISTRATION,
    ResourceType.RETURN_ESCORT,
    ResourceType.DOG_HANDLER,
    ResourceType.DOCUMENT_EXPERT,
)


def kind_of(resource_type: str) -> str:
    """Whether a resource type is an officer profile or an equipment type."""
    return ResourceKind.OFFICER if resource_type in OFFICER_PROFILES else ResourceKind.EQUIPMENT


class AssistanceRequest(models.Model):
    """A host member state's request for Frontex support (e.g. a rapid border intervention)."""

    host_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    submitted_on = models.DateField()
    period_from = models.DateField()
    period_to = models.DateField()
    sections = models.ManyToManyField("border.BorderSection", blank=True, related_name="+")
    facilities = models.ManyToManyField("reception.Facility", blank=True, related_name="+")
    plan_reference = models.CharField(max_length=100, blank=True)
    plan_from = models.DateField(null=True, blank=True)
    plan_to = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="request_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(plan_to__isnull=True)
                | models.Q(plan_to__gte=models.F("plan_from")),
                name="plan_period_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"AR-{self.host_state}-{self.pk:05d}"


class RequestItem(models.Model):
    """What a request asks for: a number of officers of one profile or items of one type."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="items")
    resource_type = models.CharField(max_length=24, choices=ResourceType.choices)
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "resource_type"], name="one_item_per_type"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="item_asks_for_some"),
        ]

    def __str__(self) -> str:
        return f"{self.number} x {self.resource_type}"


class Resource(models.Model):
    """One officer (by profile, under a tag, never a name) or one item of equipment offered by a
    contributing member state for a period."""

    contributing_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    kind = models.CharField(max_length=10, choices=ResourceKind.choices)
    resource_type = models.CharField(max_length=24, choices=ResourceType.choices)
    tag = models.CharField(max_length=40, unique=True, help_text="e.g. LV-BS-0001, never a name.")
    available_from = models.DateField()
    available_to = models.DateField()
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["contributing_state", "resource_type", "tag"]
        indexes = [models.Index(fields=["contributing_state", "resource_type"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_to__gte=models.F("available_from")),
                name="resource_available_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.tag


class Deployment(models.Model):
    """A resource sent to a host state's section or facility for a period under a request's
    operational plan. A rotation replaces an earlier deployment (`rotation_of`)."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.PROTECT, related_name="deployments"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="deployments")
    host_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    resource_type = models.CharField(max_length=24, choices=ResourceType.choices)
    section = models.ForeignKey(
        "border.BorderSection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "reception.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    rotation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rotations"
    )
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["resource", "starts_on", "ends_on"]),
            models.Index(fields=["host_state", "starts_on", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="deployment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(section__isnull=True) | models.Q(facility__isnull=True),
                name="deployment_to_section_or_facility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} in {self.host_state} {self.starts_on}..{self.ends_on}"


class Instrument(models.TextChoices):
    AMIF_EMERGENCY = "amif_ea", _("AMIF emergency assistance")
    BMVI_EMERGENCY = "bmvi_ea", _("BMVI emergency assistance")
    CIVIL_PROTECTION = "ucpm", _("EU Civil Protection Mechanism (in kind)")


class Measure(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    ASYLUM = "asylum", _("Asylum processing")
    SURVEILLANCE = "surveillance", _("Border surveillance")
    RETURNS = "returns", _("Returns")


class FundingDecision(models.Model):
    """EU money for a member state: offered, then awarded (EUR, exact)."""

    beneficiary_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    title = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="EUR", editable=False)
    offered = models.DecimalField(max_digits=14, decimal_places=2)
    offered_on = models.DateField()
    awarded = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["offered_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(currency="EUR"), name="funding_in_eur"),
            models.CheckConstraint(condition=models.Q(offered__gte=0), name="offered_not_negative"),
            models.CheckConstraint(
                condition=models.Q(awarded__isnull=True) | models.Q(awarded__gte=0),
                name="awarded_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.beneficiary_state})"


class Allocation(models.Model):
    """Part of an award set aside for one measure."""

    funding = models.ForeignKey(
        FundingDecision, on_delete=models.CASCADE, related_name="allocations"
    )
    measure = models.CharField(max_length=12, choices=Measure.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    allocated_on = models.DateField()

    class Meta:
        ordering = ["allocated_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} for {self.measure}"


class Payment(models.Model):
    """Money spent on a measure out of its allocation."""

    funding = models.ForeignKey(FundingDecision, on_delete=models.CASCADE, related_name="payments")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"EUR {self.amount} spent on {self.measure}"


class AidItem(models.TextChoices):
    TENTS = "tents", _("Tents")
    BEDS = "beds", _("Beds")
    GENERATORS = "generators", _("Generators")
    HEATERS = "heaters", _("Heaters")


class InKindAid(models.Model):
    """Aid in kind through the Civil Protection Mechanism: one contributing state's offer of one
    item to a beneficiary state, with the quantity delivered so far."""

    beneficiary_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    contributing_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    item = models.CharField(max_length=12, choices=AidItem.choices)
    quantity_offered = models.PositiveIntegerField()
    quantity_delivered = models.PositiveIntegerField(default=0)
    offered_on = models.DateField()
    delivered_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["offered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_delivered__lte=models.F("quantity_offered")),
                name="delivered_within_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity_offered} {self.item} from {self.contributing_state}"
