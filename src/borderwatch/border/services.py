"""Every write of the border app: reference data, events, impact levels. Transactional, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.border import ingest, rollups, selectors
from borderwatch.border.measure_data import SCENARIO_MEASURES
from borderwatch.border.models import (
    AssessmentStatus,
    BorderMeasure,
    BorderSection,
    Country,
    Event,
    EventNationality,
    EventType,
    ImpactAssessment,
    ImpactLevel,
    MeasureKind,
)
from borderwatch.border.reference import COUNTRIES
from borderwatch.border.sections import SectionFinder, world_atlas_dir
from borderwatch.border.validation import (
    LABELS,
    EventInput,
    ValidEvent,
    by_field,
    positions,
    validate_event,
)
from borderwatch.border.workflow import IMPACT
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.engines import geometry

CORRECTABLE_FIELDS = (
    "ref",
    "occurred_at",
    "local_date",
    "event_type",
    "latitude",
    "longitude",
    "persons",
    "source",
    "reporting_unit",
    "description",
    "section_id",
)

# Event types that count as pressure on a section (persons trying to cross).
PRESSURE_TYPES = (
    EventType.APPREHENSION,
    EventType.ILLEGAL_CROSSING_DETECTED,
    EventType.PREVENTION_OF_ENTRY,
)


@transaction.atomic
def ensure_reference_data() -> int:
    """Create the countries and the border sections from the real geometry; idempotent.

    Returns the number of sections created.
    """
    for code, name, member, tz in COUNTRIES:
        Country.objects.update_or_create(
            code=code, defaults={"name": name, "is_member_state": member, "timezone": tz}
        )
    created = 0
    for geo in geometry.load_border_sections(world_atlas_dir()):
        _, was_created = BorderSection.objects.update_or_create(
            code=geo.code,
            defaults={
                "country_id": geo.member_state,
                "neighbour_id": geo.neighbour,
                "order": geo.order,
                "name": geo.name,
                "geometry": geo.geometry,
                "length_km": round(geo.official_km, 2),
                "measured_km": round(geo.measured_km, 2),
                "responsible_unit": f"{geo.name} frontier station",
            },
        )
        created += was_created
    if created:
        audit.record(
            None,
            Action.SECTIONS_LOAD,
            object_type="border.BorderSection",
            new={"created": created},
        )
    return created


def country_tz(country: Country | str) -> ZoneInfo:
    code = country if isinstance(country, str) else country.code
    return ZoneInfo(Country.objects.values_list("timezone", flat=True).get(code=code))


def _event_values(event: Event) -> dict[str, object]:
    values = audit.snapshot(event)
    values["nationalities"] = dict(event.nationalities.values_list("nationality", "persons"))
    return values


def _member_state_of(user: User, member_state: str | None) -> str:
    state = member_state or user.member_state
    if not state:
        raise ValidationError(_("Say which member state the event belongs to."))
    return state


@transaction.atomic
def report_event(user: User, data: EventInput, member_state: str | None = None) -> Event:
    """A border guard reports one event; its section is found from its point."""
    check(user, Capability.REPORT_EVENTS)
    state = _member_state_of(user, member_state)
    check(user, Capability.REPORT_EVENTS, state)
    valid, errors = validate_event(data, tz=country_tz(state), finder=SectionFinder(state))
    if errors:
        raise ValidationError(by_field(errors))
    assert valid is not None
    if Event.objects.filter(country_id=state, ref=valid.ref).exists():
        message = _("%(label)s: an event with reference %(ref)s already exists in %(state)s.") % {
            "label": LABELS["ref"],
            "ref": repr(valid.ref),
            "state": state,
        }
        raise ValidationError({"ref": [message]})
    event = create_events(user, state, [valid])[0]
    audit.record(user, Action.EVENT_REPORT, event, member_state=state, new=_event_values(event))
    return event


def create_events(
    user: User | None,
    state: str,
    events: list[ValidEvent],
    *,
    import_batch_id: int | None = None,
    synthetic: bool = False,
) -> list[Event]:
    """Insert validated events and count them in the daily rollups (caller holds the
    transaction); returns them in the given order. For many events where the caller needs no
    Event objects (an import), `insert_events`."""
    ids = insert_events(user, state, events, import_batch_id=import_batch_id, synthetic=synthetic)
    found = Event.objects.in_bulk(ids)
    return [found[i] for i in ids]


def insert_events(
    user: User | None,
    state: str,
    events: list[ValidEvent],
    *,
    import_batch_id: int | None = None,
    synthetic: bool = False,
) -> list[int]:
    """Insert validated events and their nationalities at the database's speed (COPY on
    PostgreSQL) and count them in the daily rollups (caller holds the transaction); returns
    their ids. Every path that creates events comes here."""
    ids = ingest.insert_events(
        state,
        events,
        created_by_id=user.pk if user is not None and user.pk else None,
        import_batch_id=import_batch_id,
        synthetic=synthetic,
    )
    rollups.count_inserted(state, events)
    return ids


@transaction.atomic
def correct_event(user: User, event_id: int, data: EventInput, reason: str) -> Event:
    """Correct a reported event; the old and new values and the reason are audited."""
    event = Event.objects.live().select_for_update().get(pk=event_id)
    check(user, Capability.REPORT_EVENTS, event.country_id)
    if not reason.strip():
        raise ValidationError(_("Say why the event is corrected."))
    valid, errors = validate_event(
        data, tz=country_tz(event.country_id), finder=SectionFinder(event.country_id)
    )
    if errors:
        raise ValidationError(by_field(errors))
    assert valid is not None
    if (
        valid.ref != event.ref
        and Event.objects.filter(country_id=event.country_id, ref=valid.ref).exists()
    ):
        message = _("%(label)s: an event with reference %(ref)s already exists.") % {
            "label": LABELS["ref"],
            "ref": repr(valid.ref),
        }
        raise ValidationError({"ref": [message]})
    old = _event_values(event)
    before = rollups.keys_of(event, rollups.nationalities_of(event))
    for name in CORRECTABLE_FIELDS:
        setattr(event, name, getattr(valid, name))
    event.save()
    event.nationalities.all().delete()
    EventNationality.objects.bulk_create(
        [
            EventNationality(event=event, nationality=c, persons=n)
            for c, n in valid.nationalities.items()
        ]
    )
    rollups.recount(before, rollups.keys_of(event, valid.nationalities))
    audit.record(
        user,
        Action.EVENT_CORRECT,
        event,
        member_state=event.country_id,
        old=old,
        new=_event_values(event),
        reason=reason,
    )
    return event


@transaction.atomic
def delete_event(user: User, event_id: int, reason: str) -> None:
    """Withdraw an event with a reason; it stays in the database, out of every figure."""
    event = Event.objects.live().select_for_update().get(pk=event_id)
    check(user, Capability.REPORT_EVENTS, event.country_id)
    if not reason.strip():
        raise ValidationError(_("Say why the event is deleted."))
    before = rollups.keys_of(event, rollups.nationalities_of(event))
    event.deleted_at = timezone.now()
    event.deleted_reason = reason.strip()
    event.save(update_fields=["deleted_at", "deleted_reason"])
    rollups.recount(before, rollups.keys_of(event, {}))  # withdrawn: no keys
    audit.record(user, Action.EVENT_DELETE, event, member_state=event.country_id, reason=reason)


# --- impact levels --------------------------------------------------------------------------


def level_for_pressure(pressure_per_km: float) -> ImpactLevel:
    """The EUROSUR level that the threshold table gives for persons per km over the window."""
    thresholds = settings.IMPACT_THRESHOLDS_PER_KM
    for level in (ImpactLevel.CRITICAL, ImpactLevel.HIGH, ImpactLevel.MEDIUM):
        if pressure_per_km >= thresholds[level.value]:
            return level
    return ImpactLevel.LOW


@transaction.atomic
def propose_impact_levels(
    actor: User | None, country: str, as_of: dt.date
) -> list[ImpactAssessment]:
    """Propose a level for every section of a country whose pressure calls for a change.

    Pressure: persons in pressure events over the IMPACT_WINDOW_DAYS days up to `as_of`,
    per km of section. A proposal takes effect on `as_of` once confirmed, so it is made only
    when it differs from the level in force on that day and no open proposal says the same.
    """
    start = as_of - dt.timedelta(days=settings.IMPACT_WINDOW_DAYS - 1)
    totals = selectors.section_totals(country, PRESSURE_TYPES, start, as_of)
    proposals = []
    country_sections = list(BorderSection.objects.filter(country_id=country))
    in_force = selectors.levels_in_force(country_sections, as_of)
    for section in country_sections:
        persons = int(totals.get(section.pk, 0))
        pressure = persons / section.length_km
        proposed = level_for_pressure(pressure)
        if proposed == in_force[section.pk]:
            continue
        open_same = (
            ImpactAssessment.objects.open()
            .filter(section=section, proposed_level=proposed, as_of=as_of)
            .exists()
        )
        if open_same:
            continue
        assessment = ImpactAssessment.objects.create(
            section=section,
            as_of=as_of,
            pressure_per_km=round(pressure, 3),
            persons_in_window=persons,
            proposed_level=proposed,
        )
        audit.record(
            actor,
            Action.IMPACT_PROPOSE,
            assessment,
            member_state=country,
            new={"section": section.code, "proposed_level": proposed, "pressure_per_km": pressure},
        )
        proposals.append(assessment)
    return proposals


def _open_assessment(assessment_id: int) -> ImpactAssessment:
    """The assessment, locked; a ValidationError when it is no longer open."""
    assessment = (
        ImpactAssessment.objects.select_for_update().select_related("section").get(pk=assessment_id)
    )
    if assessment.status != AssessmentStatus.PROPOSED:
        status = AssessmentStatus(assessment.status).label.lower()
        raise ValidationError(_("This assessment is already %(status)s.") % {"status": status})
    return assessment


@transaction.atomic
def confirm_impact_level(
    user: User, assessment_id: int, level: str | None = None, reason: str = ""
) -> ImpactAssessment:
    """A national coordinator confirms a proposal, or sets another level with a reason.

    The level takes effect on the assessment's `as_of` date and stays in force until a later
    effective one (a late confirmation of an old proposal does not override a newer level).
    """
    assessment = _open_assessment(assessment_id)
    check(user, Capability.CONFIRM_IMPACT_LEVEL, assessment.section.country_id)
    chosen = level or assessment.proposed_level
    if chosen not in ImpactLevel.values:
        raise ValidationError(
            _("Level '%(level)s' is not one of %(levels)s.")
            % {"level": chosen, "levels": ", ".join(ImpactLevel.values)}
        )
    if chosen != assessment.proposed_level and not reason.strip():
        raise ValidationError(_("Say why the level differs from the proposal."))
    IMPACT.apply(
        user,
        assessment,
        AssessmentStatus.CONFIRMED,
        member_state=assessment.section.country_id,
        reason=reason,
        also={
            "level": chosen,
            "confirmed_by": user,
            "confirmed_at": timezone.now(),
            "reason": reason.strip(),
        },
    )
    return assessment


@transaction.atomic
def reject_impact_level(user: User, assessment_id: int, reason: str) -> ImpactAssessment:
    """A national coordinator rejects a proposal with a reason: the level in force stays."""
    assessment = _open_assessment(assessment_id)
    IMPACT.apply(
        user,
        assessment,
        AssessmentStatus.REJECTED,
        member_state=assessment.section.country_id,
        reason=reason,
        also={"reason": reason.strip()},
    )
    return assessment


# --- scenario data ---------------------------------------------------------------------------

SCENARIO_REASON_PREFIX = "Scenario"


def _system_only(actor: User | None) -> None:
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only the system or an administrator removes scenario data."))


@transaction.atomic
def remove_synthetic_events(actor: User | None = None) -> int:
    """Delete the generated demo events (not a soft delete: they were never reported).

    Downstream records that point at them (persons, placements) go first, by their owners.
    """
    # nationalities cascade
    _system_only(actor)
    events = Event.objects.filter(synthetic=True)
    rollups.uncount(events)
    return _remove_generated(actor, events, Action.EVENTS_REMOVE_SYNTHETIC, "events")


def _remove_generated(actor: User | None, rows: QuerySet[Any], action: Action, what: str) -> int:
    """Delete rows the demo scenario made (system only), with one audit entry counting them."""
    _system_only(actor)
    count = rows.count()
    if count:
        rows.delete()
        audit.record(actor, action, object_type=rows.model._meta.label, old={what: count})
    return count


@transaction.atomic
def remove_scenario_assessments(actor: User | None = None) -> int:
    """Delete the impact assessments the scenario loader made (their reason says so)."""
    generated = ImpactAssessment.objects.filter(reason__startswith=SCENARIO_REASON_PREFIX)
    return _remove_generated(actor, generated, Action.IMPACT_REMOVE_SCENARIO, "assessments")


def create_synthetic_events(country: str, inputs: Sequence[EventInput]) -> list[Event]:
    """Validate generated events like any report (nearest section, local day) and insert them
    marked synthetic (the demo scenario; system actor). One bad event refuses them all."""
    tz = country_tz(country)
    finder = SectionFinder(country)
    finder.locate(positions(inputs))
    valid: list[ValidEvent] = []
    errors: list[str] = []
    for data in inputs:
        event, problems = validate_event(data, tz=tz, finder=finder)
        errors += [f"generated event {data.ref}: {p}" for p in problems]
        if event is not None:
            valid.append(event)
    if errors:
        raise ValidationError(errors[:20])
    return create_events(None, country, valid, synthetic=True)


# --- border measures (state of emergency, turn-back order, fence, closures) -----------------


def _measure_problems(
    member_state: str, kind: str, title: str, source: str, starts: object, ends: object
) -> list[str]:
    problems = []
    if not Country.objects.filter(code=member_state, is_member_state=True).exists():
        problems.append(_("Member state '%(state)s' is not one we map.") % {"state": member_state})
    if kind not in MeasureKind.values:
        problems.append(
            _("Kind '%(kind)s' is not one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(MeasureKind.values)}
        )
    if not title.strip():
        problems.append(_("Give the measure a title."))
    if not source.strip():
        problems.append(_("Say where the measure comes from (source)."))
    if not isinstance(starts, dt.date):
        problems.append(_("Give the first day the measure is in force (starts)."))
    elif ends is not None and (not isinstance(ends, dt.date) or ends < starts):
        problems.append(_ends_before_start(ends, starts))
    return problems


def _ends_before_start(ends: object, starts: object) -> str:
    return _("The measure ends (%(ends)s) before it starts (%(starts)s).") % {
        "ends": ends,
        "starts": starts,
    }


@transaction.atomic
def declare_measure(
    user: User | None,
    member_state: str,
    kind: str,
    starts: dt.date,
    title: str,
    source: str,
    ends: dt.date | None = None,
    *,
    synthetic: bool = False,
) -> BorderMeasure:
    """A national coordinator declares a measure at their state's border (actor None: the
    system, for the demo scenario)."""
    if user is not None:
        check(user, Capability.DECLARE_MEASURES, member_state)
    problems = _measure_problems(member_state, kind, title, source, starts, ends)
    if problems:
        raise ValidationError(problems)
    measure = BorderMeasure.objects.create(
        member_state_id=member_state,
        kind=kind,
        title=title.strip(),
        starts=starts,
        ends=ends,
        source=source.strip(),
        synthetic=synthetic,
        declared_by=user if user is not None and user.pk else None,
    )
    audit.record(
        user,
        Action.MEASURE_DECLARE,
        measure,
        member_state=member_state,
        new=audit.snapshot(measure),
    )
    return measure


@transaction.atomic
def end_measure(user: User, measure_id: int, ends: dt.date, reason: str = "") -> BorderMeasure:
    """Set (or correct) the last day a measure is in force; the old end stays in the audit."""
    measure = BorderMeasure.objects.select_for_update().get(pk=measure_id)
    check(user, Capability.DECLARE_MEASURES, measure.member_state_id)
    if not isinstance(ends, dt.date):
        raise ValidationError(_("Give the last day the measure is in force (ends)."))
    if ends < measure.starts:
        raise ValidationError(_ends_before_start(ends, measure.starts))
    if measure.ends is not None and not reason.strip():
        raise ValidationError(_("The measure already has an end: say why it changes."))
    old = {"ends": measure.ends}
    measure.ends = ends
    measure.save(update_fields=["ends"])
    audit.record(
        user,
        Action.MEASURE_END,
        measure,
        member_state=measure.member_state_id,
        old=old,
        new={"ends": ends},
        reason=reason.strip(),
    )
    return measure


@transaction.atomic
def declare_scenario_measures(actor: User | None = None) -> list[BorderMeasure]:
    """The demo scenario's measures (border.measure_data), declared by the system through
    `declare_measure`; running it again changes nothing. The scenario loader calls it after
    `ensure_reference_data`."""
    _system_only(actor)
    out = []
    for row in SCENARIO_MEASURES:
        found = BorderMeasure.objects.filter(
            member_state_id=row["member_state"], kind=row["kind"], starts=row["starts"]
        ).first()
        out.append(found or declare_measure(None, **row, synthetic=True))
    return out


@transaction.atomic
def remove_scenario_measures(actor: User | None = None) -> int:
    """Delete the measures the demo scenario declared (with --replace, before loading again)."""
    generated = BorderMeasure.objects.filter(synthetic=True)
    return _remove_generated(actor, generated, Action.MEASURES_REMOVE_SCENARIO, "measures")
