"""Loads a generated scenario into the apps through their services; idempotent by name and seed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from borderwatch.accounts.demo_users import ensure_demo_users
from borderwatch.accounts.models import User
from borderwatch.border.models import BorderSection, Event, ImpactAssessment
from borderwatch.border.sections import SectionFinder, world_atlas_dir
from borderwatch.border.services import (
    confirm_impact_level,
    country_tz,
    create_events,
    ensure_reference_data,
    propose_impact_levels,
)
from borderwatch.border.validation import EventInput, ValidEvent, validate_event
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.engines import geometry
from borderwatch.engines.fingerprint import Template
from borderwatch.reception.models import Placement
from borderwatch.reception.scenario import place_arrivals, seed_facilities
from borderwatch.registration.models import FingerprintSet, Person, PersonLink
from borderwatch.registration.services import (
    bulk_create_persons,
    bulk_enrol_synthetic,
    decide_hit,
    rebuild_gallery,
    run_identification,
    system_identification,
)
from borderwatch.scenario import belarus2021, fingerprints
from borderwatch.scenario.models import ScenarioRun
from borderwatch.scenario.people import Apprehension, persons_for

SCENARIOS = {"belarus-2021": belarus2021}
POINT_SPREAD_KM = 6.0  # how far inland from the line a generated event may lie


@dataclass
class LoadResult:
    run: ScenarioRun
    loaded: bool  # False when the same scenario and seed were already there


def load(name: str, seed: int, *, replace: bool = False) -> LoadResult:
    """Generate and load a scenario. With the same seed already loaded, change nothing."""
    if name not in SCENARIOS:
        raise ValidationError(f"Unknown scenario '{name}'; known: {', '.join(SCENARIOS)}.")
    ensure_reference_data()
    ensure_demo_users()
    existing = ScenarioRun.objects.filter(name=name).first()
    if existing is not None:
        if existing.seed == seed and not replace:
            return LoadResult(existing, loaded=False)
        if not replace:
            raise ValidationError(
                f"Scenario '{name}' is loaded with seed {existing.seed}; use --replace to reload."
            )
    with transaction.atomic():
        if existing is not None:
            _remove_synthetic(existing)
        run = _load_belarus_2021(name, seed)
    return LoadResult(run, loaded=True)


def _remove_synthetic(run: ScenarioRun) -> None:
    """Remove the scenario's data, downstream first (placements, persons, then events)."""
    Placement.objects.filter(person__synthetic=True).delete()
    # links protect the hits that made them: remove those touching a synthetic person first
    PersonLink.objects.filter(Q(person__synthetic=True) | Q(other__synthetic=True)).delete()
    FingerprintSet.objects.filter(person__synthetic=True).delete()  # cascades to requests, hits
    Person.objects.filter(synthetic=True).delete()
    events = Event.objects.filter(synthetic=True)
    ImpactAssessment.objects.filter(reason__startswith="Scenario").delete()
    deleted = events.count()
    events.delete()
    audit.record(None, Action.SCENARIO_REMOVE, run, old={"seed": run.seed, "events": deleted})
    run.delete()


def _load_belarus_2021(name: str, seed: int) -> ScenarioRun:
    sections = {s.code: s for s in BorderSection.objects.all()}
    codes: dict[str, list[str]] = defaultdict(list)
    for section in sections.values():
        codes[section.country_id].append(section.code)
    for country_codes in codes.values():
        country_codes.sort()
    generated = belarus2021.generate(seed, dict(codes))
    rng = np.random.default_rng(seed + 1)
    points = _points(generated, rng)

    by_country: dict[str, list[ValidEvent]] = defaultdict(list)
    counters: dict[tuple[str, dt.date], int] = defaultdict(int)
    for index, group in enumerate(generated):
        tz = ZoneInfo(str(country_tz(group.country)))
        counters[(group.country, group.day)] += 1
        lat, lon = points[index]
        data = EventInput(
            ref=f"SCN-{group.country}-{group.day:%Y%m%d}-{counters[(group.country, group.day)]:03d}",
            occurred_at=dt.datetime.combine(group.day, group.local_time, tzinfo=tz),
            event_type=group.event_type,
            latitude=round(lat, 6),
            longitude=round(lon, 6),
            persons=group.persons,
            nationalities=dict(group.nationalities),
            source=group.source,
            reporting_unit=f"{sections[group.section_code].name} frontier station",
            description="Synthetic scenario event (belarus-2021).",
        )
        valid, errors = validate_event(data, tz=tz, finder=_finder(group.country))
        if errors:
            raise ValidationError([f"generated event {data.ref}: {e}" for e in errors])
        assert valid is not None
        by_country[group.country].append(valid)
    created: list[Event] = []
    for country, events in by_country.items():
        created += create_events(None, country, events, synthetic=True)
    levels = _impact_history(list(by_country))
    persons, repeaters = _register_apprehended(created, seed)
    identified = _fingerprint(persons, repeaters, seed)
    seed_facilities(None)
    placed = place_arrivals(None, persons)
    run = ScenarioRun.objects.create(
        name=name,
        seed=seed,
        summary={
            "events": len(created),
            "impact_assessments": levels,
            "persons": len(persons),
            "placed": placed.placed,
            "waiting": placed.waiting,
            **identified,
        },
    )
    audit.record(None, Action.SCENARIO_LOAD, run, new={"name": name, "seed": seed, **run.summary})
    return run


def _register_apprehended(
    events: list[Event], seed: int
) -> tuple[list[Person], list[tuple[int, int]]]:
    """One synthetic person per apprehended person, linked to the apprehension event; some
    apprehended in Lithuania come again in Poland (pairs of indices into the persons)."""
    apprehensions = [
        Apprehension(
            event_id=e.pk,
            member_state=e.country_id,
            day=e.local_date,
            nationalities=dict(e.nationalities.values_list("nationality", "persons")),
        )
        for e in sorted(events, key=lambda e: e.occurred_at)
        if e.event_type == "apprehension"
    ]
    rows = list(persons_for(apprehensions, seed))
    day_of = {a.event_id: a.day for a in apprehensions}
    repeaters = fingerprints.pick_repeaters(
        rows, [day_of[r["apprehension_event_id"]] for r in rows], seed
    )
    return bulk_create_persons(None, rows), repeaters


def _fingerprint(
    persons: list[Person], repeaters: list[tuple[int, int]], seed: int
) -> dict[str, int]:
    """Synthetic sets for the latest apprehended and the repeaters; the gallery is built once;
    the repeaters' Polish sets are then searched one by one as an officer's would be, and the
    PL expert confirms a few of the hits."""
    taken = {
        e.pk: e.occurred_at
        for e in Event.objects.filter(pk__in={p.apprehension_event_id for p in persons})
    }
    second = {b: a for a, b in repeaters}
    first = set(range(max(0, len(persons) - fingerprints.RECENT), len(persons)))
    first |= {a for a, _ in repeaters}
    first -= set(second)

    def item(i: int, subject: int, impression: int) -> tuple[int, dict[int, Template], dt.datetime]:
        p = persons[i]
        return (
            p.pk,
            fingerprints.tenprint(seed, subject, impression),
            taken[int(p.apprehension_event_id or 0)],
        )

    bulk_enrol_synthetic([item(i, i, 0) for i in sorted(first)])
    enrolled = rebuild_gallery()
    sets = bulk_enrol_synthetic([item(b, a, 1) for b, a in sorted(second.items())])
    expert = User.objects.get(username="expert.pl")
    hits = confirmed = 0
    for fs in sets:
        req = run_identification(system_identification(fs.pk, enqueue=False).pk)
        found = list(req.hits.all())
        hits += len(found)
        if confirmed < fingerprints.CONFIRMED and found:
            decide_hit(expert, found[0].pk, confirm=True)
            confirmed += 1
    return {
        "fingerprinted": enrolled + len(sets),
        "repeaters": len(repeaters),
        "hits": hits,
        "confirmed_hits": confirmed,
    }


_FINDERS: dict[str, SectionFinder] = {}


def _finder(country: str) -> SectionFinder:
    if country not in _FINDERS or not _FINDERS[country].ids:
        _FINDERS[country] = SectionFinder(country)
    return _FINDERS[country]


def _points(
    generated: list[belarus2021.GroupEvent], rng: np.random.Generator
) -> list[tuple[float, float]]:
    """A point for every generated event near its section, on the member state's side."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(generated):
        wanted[group.section_code].append(index)
    geometries = {g.code: g for g in geometry.load_border_sections(world_atlas_dir())}
    points: list[tuple[float, float]] = [(0.0, 0.0)] * len(generated)
    for code in sorted(wanted):
        section = geometries[code]
        polygon = geometry.country_polygon(world_atlas_dir(), section.member_state)
        drawn = geometry.random_points_near(
            section, len(wanted[code]), rng, POINT_SPREAD_KM, polygon
        )
        for index, point in zip(wanted[code], drawn, strict=True):
            points[index] = point
    return points


def _impact_history(countries: list[str]) -> int:
    """Weekly proposals from June on, each confirmed by the country's national coordinator."""
    count = 0
    coordinators = {
        u.member_state: u
        for u in User.objects.filter(
            role="national_coordinator", username__startswith="coordinator."
        )
    }
    day = dt.date(belarus2021.YEAR, 6, 6)
    while day <= belarus2021.END:
        for country in countries:
            coordinator = coordinators.get(country)
            for proposal in propose_impact_levels(None, country, day):
                if coordinator is not None:
                    confirm_impact_level(
                        coordinator, proposal.pk, reason="Scenario: confirmed as proposed"
                    )
                    count += 1
        day += dt.timedelta(days=7)
    return count
