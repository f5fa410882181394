"""Countries, border sections, EUROSUR events and impact levels: data and invariants only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """A member state or a neighbouring third country (ISO 3166-1 alpha-2 code)."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    is_member_state = models.BooleanField(default=False)
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="Daily figures use local days."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class BorderSection(models.Model):
    """A stretch of a member state's external land border, named after the nearest place."""

    code = models.CharField(max_length=16, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="sections")
    neighbour = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    geometry = models.JSONField(help_text="GeoJSON LineString, WGS 84.")
    length_km = models.FloatField(help_text="Share of the official border length.")
    measured_km = models.FloatField(help_text="Geodesic length of the generalised geometry.")
    responsible_unit = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["country", "neighbour", "order"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def border(self) -> str:
        return f"{self.country_id}-{self.neighbour_id}"


class EventType(models.TextChoices):
    """EUROSUR event types."""

    ILLEGAL_CROSSING_DETECTED = (
        "illegal_crossing_detected",
        _("Illegal crossing detected"),
    )
    APPREHENSION = "apprehension", _("Apprehension")
    PREVENTION_OF_ENTRY = "prevention_of_entry", _("Prevention of entry")
    SMUGGLING = "smuggling", _("Smuggling")
    OTHER = "other", _("Other")


class EventSource(models.TextChoices):
    PATROL = "patrol", _("Patrol")
    SENSOR = "sensor", _("Sensor")
    CAMERA = "camera", _("Camera")
    NEWS = "news", _("News")
    OTHER = "other", _("Other")


class ImportBatch(models.Model):
    """One imported file; re-importing the same bytes is recognised by their digest."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=8)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["country", "sha256"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created} created)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One file on its way in: stored by the request, imported by a background task (progress
    here) in one transaction: every row or none. `errors` names each refused line."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=8)
    stored = models.CharField(max_length=255, blank=True, help_text="The upload until imported.")
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=120, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    local_times = models.PositiveIntegerField(default=0)
    time_zone = models.CharField(max_length=64, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    errors = models.JSONField(default=list, help_text="Messages, each naming its line.")
    language = models.CharField(max_length=8, blank=True, help_text="Of the messages.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="django-tasks result id.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} {self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}


class EventQuerySet(models.QuerySet["Event"]):
    """The one home of the soft-delete rule: a withdrawn event keeps its row, out of every figure."""

    def live(self) -> EventQuerySet:
        return self.filter(deleted_at__isnull=True)

    def withdrawn(self) -> EventQuerySet:
        return self.filter(deleted_at__isnull=False)


class Event(models.Model):
    """Something at the border worth reporting (EUROSUR), at a point on a section."""

    # no single-column indexes: the unique (country, ref) and the (section, local_date) index
    # lead with these columns, and every index less is less work for a bulk import
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    section = models.ForeignKey(
        BorderSection, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    local_date = models.DateField(help_text="Day of occurred_at in the country's time zone.")
    latitude = models.FloatField()
    longitude = models.FloatField()
    persons = models.PositiveIntegerField()
    source = models.CharField(max_length=16, choices=EventSource.choices)
    reporting_unit = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    ref = models.CharField(
        max_length=64, help_text="The reporting system's identifier; unique per country."
    )
    synthetic = models.BooleanField(default=False, help_text="Generated demo data.")
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_reason = models.TextField(blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["country", "ref"], name="event_ref_unique_per_country"),
            models.CheckConstraint(condition=models.Q(persons__gte=1), name="event_has_persons"),
        ]
        indexes = [
            models.Index(fields=["country", "local_date", "event_type"]),
            models.Index(fields=["section", "local_date"]),
            # the API's cursor walk, newest first: all states, and one state
            models.Index(fields=["occurred_at", "id"], name="event_keyset"),
            models.Index(fields=["country", "occurred_at", "id"], name="event_country_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.get_event_type_display()} {self.persons}"

    @property
    def is_live(self) -> bool:
        """Not withdrawn (the row-level form of `Event.objects.live()`)."""
        return self.deleted_at is None


class EventNationality(models.Model):
    """How many of an event's persons declared a nationality (XX: unknown)."""

    # the unique (event, nationality) index serves every look-up by event
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="nationalities", db_index=False
    )
    nationality = models.CharField(max_length=2)
    persons = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "nationality"], name="one_row_per_nationality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nationality}: {self.persons}"


ALL_NATIONALITIES = ""  # the rollup row that counts a whole event, not one nationality's share


class EventRollup(models.Model):
    """Live events of one member state, section, local day and type, summed (border.rollups).

    `nationality` blank: the whole events (persons, events); a code: that nationality's share of
    them (its persons, the events that declared it). Both kinds are kept because an event's
    persons are split over its nationality rows: per-day totals read the blank rows, breakdowns
    the others, and each is exact. Kept by border.rollups in the transaction of every write of
    events; `borderwatch event_rollups rebuild` recounts them. Rows that fall to zero stay.
    """

    # no index of their own: the unique key starts with the country, reads go by type and day
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", db_index=False)
    section = models.ForeignKey(
        BorderSection, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField(help_text="The events' local_date.")
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    nationality = models.CharField(max_length=2, blank=True)
    persons = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "section", "day", "event_type", "nationality"],
                name="one_event_rollup_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(persons__gte=0, events__gte=0),
                name="event_rollup_not_negative",
            ),
        ]
        # The figures read a day range of one kind of row, all states or a few; both indexes
        # hold every column those reads need, so they never visit the table.
        indexes = [
            # whole events (nationality blank, an equality): per day and state, per section
            models.Index(
                fields=[
                    "nationality",
                    "event_type",
                    "day",
                    "country",
                    "section",
                    "persons",
                    "events",
                ],
                name="event_rollup_whole",
            ),
            # nationalities' shares (nationality not blank, no equality to seek)
            models.Index(
                fields=["event_type", "day", "country", "nationality", "persons", "events"],
                name="event_rollup_shares",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.section_id} {self.day} {self.event_type} " + (
            f"{self.nationality or '*'}: {self.persons} in {self.events}"
        )


class EventStateRollup(models.Model):
    """Live events of one member state, local day and type, summed over its sections
    (border.rollups): what the figures of a state read, so that a year of a state is a few
    thousand rows however many sections and events it has. Kept with EventRollup by the same
    writes; `nationality` as there."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField(help_text="The events' local_date.")
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    nationality = models.CharField(max_length=2, blank=True)
    persons = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "day", "event_type", "nationality"],
                name="one_event_state_rollup_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(persons__gte=0, events__gte=0),
                name="event_state_rollup_not_negative",
            ),
        ]
        # covering, like EventRollup's: whole events by an equality on the blank nationality,
        # shares by a day range of one type
        indexes = [
            models.Index(
                fields=["nationality", "event_type", "day", "country", "persons", "events"],
                name="event_state_rollup_whole",
            ),
            models.Index(
                fields=["event_type", "day", "country", "nationality", "persons", "events"],
                name="event_state_rollup_shares",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.day} {self.event_type} " + (
            f"{self.nationality or '*'}: {self.persons} in {self.events}"
        )


class ImpactLevel(models.TextChoices):
    """EUROSUR impact levels, in rising order."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class AssessmentStatus(models.TextChoices):
    """Where an assessment stands in its workflow (border.workflow.IMPACT)."""

    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class AssessmentQuerySet(models.QuerySet["ImpactAssessment"]):
    def confirmed(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.CONFIRMED)

    def open(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.PROPOSED)

    def in_force_order(self) -> AssessmentQuerySet:
        """Oldest first by effective date, then by when it was confirmed: the last one wins."""
        return self.order_by("as_of", "confirmed_at", "id")


class ImpactAssessment(models.Model):
    """A proposed impact level for a section and, once confirmed, one step of its history.

    `as_of` is the date the level takes effect. The level in force on a day is the latest
    confirmed assessment effective on or before it (border.selectors.level_in_force).
    """

    section = models.ForeignKey(BorderSection, on_delete=models.PROTECT, related_name="assessments")
    as_of = models.DateField()
    pressure_per_km = models.FloatField()
    persons_in_window = models.PositiveIntegerField()
    proposed_level = models.CharField(max_length=8, choices=ImpactLevel.choices)
    level = models.CharField(max_length=8, choices=ImpactLevel.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-id"]
        indexes = [
            models.Index(fields=["section", "confirmed_at"]),
            models.Index(fields=["section", "status", "as_of"]),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} {self.as_of}: {self.level or self.proposed_level}"


class MeasureKind(models.TextChoices):
    """What a member state decided at its border (shown on the picture as an annotation)."""

    STATE_OF_EMERGENCY = "state_of_emergency", _("State of emergency")
    TURN_BACK_ORDER = "turn_back_order", _("Turn-back (pushback) order")
    FENCE = "fence", _("Fence")
    CROSSING_POINT_CLOSURE = "crossing_point_closure", _("Closure of crossing points")


class BorderMeasure(models.Model):
    """A measure in force at a member state's border from one day (to another, or open-ended).

    Declared and ended by the member state's national coordinator through border.services;
    `source` says where the fact comes from (a decree, a press report).
    """

    member_state = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=32, choices=MeasureKind.choices)
    title = models.CharField(max_length=200)
    starts = models.DateField(help_text="First day in force.")
    ends = models.DateField(null=True, blank=True, help_text="Last day in force; empty: open.")
    source = models.CharField(max_length=300)
    synthetic = models.BooleanField(default=False, help_text="Loaded with the demo scenario.")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts", "member_state", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__isnull=True) | models.Q(ends__gte=models.F("starts")),
                name="measure_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["member_state", "starts"])]

    def __str__(self) -> str:
        return f"{self.member_state_id} {self.get_kind_display()} from {self.starts}"
