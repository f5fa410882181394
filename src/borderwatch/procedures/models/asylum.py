"""Asylum applications and the national data their deadlines depend on: data and invariants only.

The status moves only through workflow.py. Each step's day is kept in its own column (the
timeline's rows say who and why; these say when it took effect), and `due_on` holds the next
deadline of a pending case so that overdue and due-soon lists are one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES


class Status(models.TextChoices):
    """The application's stage; the first-instance outcomes are statuses of their own."""

    MADE = "made", _("Made")
    REGISTERED = "registered", _("Registered")
    LODGED = "lodged", _("Lodged")
    ADMISSIBLE = "admissible", _("Admissible, awaiting interview")
    INTERVIEWED = "interviewed", _("Interviewed")
    REFUGEE_STATUS = "refugee_status", _("Refugee status granted")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("Subsidiary protection granted")
    REJECTED_UNFOUNDED = "rejected_unfounded", _("Rejected as unfounded")
    REJECTED_MANIFESTLY_UNFOUNDED = (
        "rejected_manifestly",
        _("Rejected as manifestly unfounded"),
    )
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    IMPLICITLY_WITHDRAWN = "withdrawn", _("Implicitly withdrawn")
    APPEALED = "appealed", _("Appeal pending")
    FINAL_PROTECTION = "final_protection", _("Final: protection granted on appeal")
    FINAL_REJECTED = "final_rejected", _("Final: rejected")


# Stages before a first-instance decision (the backlog), and the decisions themselves.
PENDING = (Status.MADE, Status.REGISTERED, Status.LODGED, Status.ADMISSIBLE, Status.INTERVIEWED)
POSITIVE = (Status.REFUGEE_STATUS, Status.SUBSIDIARY_PROTECTION)
NEGATIVE = (
    Status.REJECTED_UNFOUNDED,
    Status.REJECTED_MANIFESTLY_UNFOUNDED,
    Status.INADMISSIBLE,
    Status.IMPLICITLY_WITHDRAWN,
)
FIRST_INSTANCE = POSITIVE + NEGATIVE


class DueKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    DECISION = "decision", _("First-instance decision")


class AsylumApplication(models.Model):
    """One person's application for international protection in one member state."""

    person = models.ForeignKey(
        "registration.Person", on_delete=models.PROTECT, related_name="asylum_applications"
    )
    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES)
    nationality = models.CharField(max_length=2, help_text="The person's, when the case opened.")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.MADE)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_on = models.DateField()
    made_at_border_crossing_point = models.BooleanField(default=False)
    during_influx = models.BooleanField(
        default=False, help_text="Made during a declared mass influx (longer registration)."
    )
    registered_on = models.DateField(null=True, blank=True)
    lodged_on = models.DateField(null=True, blank=True)
    admissible_on = models.DateField(null=True, blank=True)
    interviewed_on = models.DateField(null=True, blank=True)
    interview_record = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=24, choices=Status.choices, blank=True)
    decision_text = models.TextField(blank=True)
    appealed_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    final_on = models.DateField(null=True, blank=True)
    final_text = models.TextField(blank=True)
    national_rule = models.ForeignKey(
        "ProcedureRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The national rule that set the decision period, if one did.",
    )  # fmt: skip
    extensions = models.JSONField(default=list, blank=True, help_text="Months, in order.")
    registration_due = models.DateField()
    decision_due = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="The pending step's deadline.")
    due_kind = models.CharField(max_length=12, choices=DueKind.choices, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["member_state", "status", "made_on"]),
            models.Index(fields=["member_state", "due_on"]),
            models.Index(fields=["member_state", "nationality", "decision"]),
            models.Index(fields=["officer", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=[s.value for s in PENDING] + [Status.APPEALED.value]),
                name="one_open_application_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(registered_on__isnull=True)
                | models.Q(registered_on__gte=models.F("made_on")),
                name="application_registered_after_made",
            ),
        ]

    def __str__(self) -> str:
        return f"Application #{self.pk} ({self.member_state})"

    @property
    def reference(self) -> str:
        return f"AS-{self.member_state}-{self.pk:07d}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


class MassInfluxPeriod(models.Model):
    """A member state's declared mass influx: registration may take up to 10 working days."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Last day; open if empty.")
    note = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["member_state", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="influx_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_state} influx from {self.starts_on}"


class RuleKind(models.TextChoices):
    DECISION_DAYS = "decision_days", _("First-instance decision within N days of lodging")
    BORDER_CROSSING_POINTS_ONLY = (
        "bcp_only",
        _("Applications accepted only at border crossing points"),
    )


class ProcedureRule(models.Model):
    """A national procedure rule with effective dates, applied by the day of the step."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    kind = models.CharField(max_length=16, choices=RuleKind.choices)
    value = models.PositiveIntegerField(default=1)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day; open if empty.")
    influx_only = models.BooleanField(
        default=False, help_text="Applies only while a mass influx is declared."
    )
    title = models.CharField(max_length=200, help_text="The law or decision, as cited.")
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")

    class Meta:
        ordering = ["member_state", "kind", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="rule_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_state} {self.kind}={self.value} from {self.valid_from}"
