"""Return cases, readmission requests, return flights, country policies and reintegration
offers: data and invariants only (Return Directive 2008/115).

Statuses move only through return_workflow.py. As with applications, each step's day has its
own column and `due_on` holds the case's next limit (the end of the voluntary departure period
or of the detention ordered), so due-soon and overdue lists are one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES
from borderwatch.procedures.models.asylum import Status

# A final negative asylum decision, after which a return case may follow.
FINAL_NEGATIVE = (Status.FINAL_REJECTED,)


class ReturnStatus(models.TextChoices):
    DECIDED = "decided", _("Return decision issued")
    RETURNED = "returned", _("Returned")
    ABSCONDED = "absconded", _("Absconded")
    CLOSED = "closed", _("Closed without return")


class ReturnKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary return with assistance")
    FORCED = "forced", _("Forced return")


class ReturnDueKind(models.TextChoices):
    DEPARTURE = "departure", _("End of the voluntary departure period")
    DETENTION = "detention", _("End of the detention ordered")


class FlightKind(models.TextChoices):
    CHARTER = "charter", _("Charter")
    SCHEDULED = "scheduled", _("Scheduled")


class FlightStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DEPARTED = "departed", _("Departed")
    CANCELLED = "cancelled", _("Cancelled")


class ReturnFlight(models.Model):
    """A charter or scheduled flight that returns people to one country; persons on board are
    the return cases whose `flight` it is."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    kind = models.CharField(max_length=10, choices=FlightKind.choices)
    departs_on = models.DateField()
    route = models.CharField(max_length=120, help_text="Airports, e.g. VNO-EBL.")
    country = models.CharField(max_length=2, help_text="The country of return.")
    seats = models.PositiveIntegerField(help_text="Seats for returnees.")
    escorts = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=FlightStatus.choices, default=FlightStatus.PLANNED
    )
    note = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-departs_on", "-id"]
        indexes = [models.Index(fields=["member_state", "departs_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="flight_has_a_seat")
        ]

    def __str__(self) -> str:
        return f"Flight #{self.pk} {self.route} {self.departs_on}"

    @property
    def reference(self) -> str:
        return f"RF-{self.member_state}-{self.pk:05d}"


class ReturnCase(models.Model):
    """One person's return procedure in one member state, from the return decision."""

    person = models.ForeignKey(
        "registration.Person", on_delete=models.PROTECT, related_name="return_cases"
    )
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    nationality = models.CharField(max_length=2, help_text="The person's, when the case opened.")
    country = models.CharField(max_length=2, help_text="The country of return.")
    application = models.ForeignKey(
        "procedures.AsylumApplication", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="return_cases", help_text="The finally rejected application, if any.",
    )  # fmt: skip
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DECIDED
    )
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    decision_text = models.TextField()
    entry_ban_years = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_of_absconding = models.BooleanField(default=False)
    departure_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Voluntary departure period granted (7 to 30 days)."
    )
    departure_extended_days = models.PositiveSmallIntegerField(default=0)
    departure_due = models.DateField(null=True, blank=True)
    detained_on = models.DateField(null=True, blank=True)
    detention_months = models.PositiveSmallIntegerField(
        default=0, help_text="Months of detention ordered in all (6, then at most 12 more)."
    )
    detention_until = models.DateField(null=True, blank=True)
    detention_ended_on = models.DateField(null=True, blank=True)
    reintegration_offer = models.ForeignKey(
        "procedures.ReintegrationOffer", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    assistance_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="EUR."
    )
    flight = models.ForeignKey(
        ReturnFlight, null=True, blank=True, on_delete=models.SET_NULL, related_name="on_board"
    )
    returned_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    due_kind = models.CharField(max_length=10, choices=ReturnDueKind.choices, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["member_state", "status", "decided_on"]),
            models.Index(fields=["member_state", "due_on"]),
            models.Index(fields=["member_state", "nationality", "returned_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["decided", "absconded"]),
                name="one_open_return_case_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(departure_days__isnull=True)
                | models.Q(departure_days__gte=7, departure_days__lte=30),
                name="return_departure_period_7_to_30_days",
            ),
            models.CheckConstraint(
                condition=models.Q(detention_months__lte=18), name="return_detention_at_most_18"
            ),
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True)
                | models.Q(returned_on__gte=models.F("decided_on")),
                name="return_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Return case #{self.pk} ({self.member_state})"

    @property
    def reference(self) -> str:
        return f"RT-{self.member_state}-{self.pk:07d}"

    @property
    def detained(self) -> bool:
        return self.detained_on is not None and self.detention_ended_on is None


class ReadmissionStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    IDENTITY_CONFIRMED = "identity_confirmed", _("Identity confirmed")
    TRAVEL_DOCUMENT_ISSUED = "travel_document", _("Travel document issued")
    DEPARTURE_BOOKED = "departure_booked", _("Departure booked")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    UNANSWERED = "unanswered", _("Unanswered")


OPEN_READMISSION = (
    ReadmissionStatus.SENT,
    ReadmissionStatus.IDENTITY_CONFIRMED,
    ReadmissionStatus.TRAVEL_DOCUMENT_ISSUED,
    ReadmissionStatus.DEPARTURE_BOOKED,
    ReadmissionStatus.UNANSWERED,
)


class ReadmissionRequest(models.Model):
    """A request to the country of return to readmit the person of a return case."""

    return_case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="readmission_requests"
    )
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    country = models.CharField(max_length=2)
    status = models.CharField(
        max_length=20, choices=ReadmissionStatus.choices, default=ReadmissionStatus.SENT
    )
    sent_on = models.DateField()
    identity_confirmed_on = models.DateField(null=True, blank=True)
    travel_document_on = models.DateField(null=True, blank=True)
    departure_booked_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Refused or unanswered.")
    reminders = models.PositiveSmallIntegerField(default=0)
    last_reminder_on = models.DateField(null=True, blank=True)
    reminder_due = models.DateField(
        null=True, blank=True, help_text="While no answer: when the next reminder is due."
    )
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["member_state", "reminder_due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["return_case"],
                condition=models.Q(status__in=[s.value for s in OPEN_READMISSION]),
                name="one_open_readmission_request_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Readmission request #{self.pk} ({self.member_state} to {self.country})"

    @property
    def reference(self) -> str:
        return f"RA-{self.member_state}-{self.pk:07d}"


class PolicyKind(models.TextChoices):
    RETURNS_SUSPENDED = "returns_suspended", _("Returns suspended")
    RETURNS_CONTINUED = "returns_continued", _("Returns continue")
    SAFE_COUNTRY = "safe_country", _("Safe country of origin")


class CountryPolicy(models.Model):
    """A member state's policy on a country of return, in force from a day (to a day)."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    country = models.CharField(max_length=2)
    kind = models.CharField(max_length=20, choices=PolicyKind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day; open if empty.")
    title = models.CharField(max_length=200, help_text="The decision or letter, as cited.")
    note = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member_state", "country", "-valid_from", "-id"]
        indexes = [models.Index(fields=["member_state", "country", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="country_policy_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_state}->{self.country} {self.kind} from {self.valid_from}"


class ReintegrationOffer(models.Model):
    """What a member state offers each voluntary returnee, in EUR, from a day (to a day)."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="EUR.")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day; open if empty.")
    title = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["member_state", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="reintegration_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="reintegration_offer_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_state} EUR {self.amount} from {self.valid_from}"
