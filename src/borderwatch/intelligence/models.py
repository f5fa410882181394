"""Flights into Minsk (a leading indicator of pressure at the border) and forecasts of crossings:
data and invariants only.

A route flies from an origin airport to Minsk (or back); a schedule says how often a week and
with how many seats an airline flies it over a period; a flight is one departure; a suspension
stops flights from a date: one airline on one route, one airline everywhere, or every flight
from a country (repatriation flights may be excepted). Every row carries a `ref` from its
source, so re-importing a file changes nothing, and `synthetic` marks generated rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from borderwatch.core.codes import MEMBER_STATE_CHOICES

MINSK = "MSQ"


class Route(models.Model):
    """An origin airport and Minsk; `code` is e.g. BGW-MSQ (IATA codes)."""

    code = models.CharField(max_length=16, unique=True)
    origin_airport = models.CharField(max_length=3, help_text="IATA code, e.g. BGW.")
    origin_city = models.CharField(max_length=80)
    origin_country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. IQ.")
    destination_airport = models.CharField(max_length=3, default=MINSK)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["origin_country", "origin_city", "code"]

    def __str__(self) -> str:
        return f"{self.origin_city} ({self.origin_airport}) - {self.destination_airport}"


class Schedule(models.Model):
    """An airline's weekly plan on a route from `valid_from` to `valid_to` (inclusive)."""

    ref = models.CharField(max_length=64, unique=True)
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="schedules")
    airline = models.CharField(max_length=80)
    valid_from = models.DateField()
    valid_to = models.DateField()
    weekly_frequency = models.PositiveSmallIntegerField()
    seats_per_flight = models.PositiveIntegerField()
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["valid_from", "route__code", "airline"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="schedule_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.airline} {self.route.code} {self.weekly_frequency}/week"


class FlightKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CHARTER = "charter", _("Charter")
    REPATRIATION = "repatriation", _("Repatriation")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Into Minsk")
    OUTBOUND = "outbound", _("Out of Minsk")


class Flight(models.Model):
    """One departure on a route; inbound flights bring seats into Minsk."""

    ref = models.CharField(max_length=64, unique=True)
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="flights")
    airline = models.CharField(max_length=80)
    flight_number = models.CharField(max_length=12, blank=True)
    day = models.DateField(help_text="Day of departure (local).")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    kind = models.CharField(max_length=12, choices=FlightKind.choices)
    seats = models.PositiveIntegerField()
    passengers = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False, help_text="Generated, not reported.")

    class Meta:
        ordering = ["day", "route__code", "id"]
        indexes = [models.Index(fields=["day", "direction"], name="flight_day_direction")]

    def __str__(self) -> str:
        return f"{self.airline} {self.flight_number} {self.day}"


class SuspensionScope(models.TextChoices):
    AIRLINE_ROUTE = "airline_route", _("An airline on a route")
    AIRLINE = "airline", _("An airline on every route")
    COUNTRY = "country", _("Every flight from a country")


class Suspension(models.Model):
    """Flights stopped from `starts` to `ends` (inclusive; None: until further notice)."""

    ref = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=16, choices=SuspensionScope.choices)
    origin_country = models.CharField(max_length=2)
    airline = models.CharField(max_length=80, blank=True)
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.PROTECT, related_name="suspensions"
    )
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    except_repatriation = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts", "ref"]

    def __str__(self) -> str:
        return self.title


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FlightImportJob(models.Model):
    """One file of flight data on its way in, imported by a task: every row or none."""

    kind = models.CharField(max_length=12)  # routes, schedules, flights, suspensions
    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=8)
    content = models.BinaryField(help_text="The upload until imported (small files).")
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    language = models.CharField(max_length=8, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Flight import #{self.pk} {self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class ForecastRun(models.Model):
    """A forecast of one member state's (or one of its sections') daily crossings, computed by a
    task: the chosen model,
    its inputs, the backtest scores and the forecast with its interval. A "what if" run
    (`base` set) changes one regressor: the flights resume on `resume_on`."""

    member_state = models.CharField(max_length=2, choices=MEMBER_STATE_CHOICES, db_index=True)
    section = models.CharField(
        max_length=16, blank=True, help_text="A border section's code; blank: the whole state."
    )
    horizon = models.PositiveSmallIntegerField(default=14)
    until = models.DateField(help_text="The last observed day the forecast starts after.")
    seed = models.PositiveIntegerField(default=0)
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="what_ifs"
    )
    resume_on = models.DateField(null=True, blank=True, help_text="What if flights resume.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    model = models.CharField(max_length=40, blank=True, help_text="The chosen model's code.")
    inputs = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True, help_text="The backtest.")
    history = models.JSONField(default=list, blank=True, help_text="Observed days shown.")
    forecast = models.JSONField(default=list, blank=True, help_text="Day, mean, lo, hi.")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        where = f"{self.member_state} {self.section}".strip()
        return f"Forecast #{self.pk} {where} after {self.until} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}
