"""Loads a generated scenario into the apps through their services; idempotent by name and seed.

Every row goes in (and, with --replace, comes out) through the owning app's services, so the
same validation, section lookup and audit apply as to an officer's work. A `progress` callback
hears each stage, so the command can show a progress bar during the minutes a load takes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from borderwatch.accounts.demo_users import ensure_demo_users
from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border import services as border_services
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.engines import geometry
from borderwatch.engines.fingerprint import Template
from borderwatch.intelligence import services as intelligence_services
from borderwatch.procedures import services as procedures_services
from borderwatch.reception import services as reception_services
from borderwatch.registration import selectors as registration_selectors
from borderwatch.registration import services as registration_services
from borderwatch.scenario import belarus2021, fingerprints
from borderwatch.scenario.models import ScenarioRun
from borderwatch.scenario.people import Apprehension, persons_for
from borderwatch.support import services as support_services

if TYPE_CHECKING:
    from borderwatch.border.models import Event
    from borderwatch.registration.models import Person

SCENARIOS = {"belarus-2021": belarus2021}

# (stage, done, total): what the loader is doing now; the command draws it as a progress bar.
Progress = Callable[[str, int, int], None]
STAGES = (
    "Generating events",
    "Reporting events",
    "Impact levels",
    "Registering persons",
    "Fingerprints and searches",
    "Placements",
    "Asylum procedures",
    "Frontex support and EU funding",
    "Returns",
    "Flights into Minsk",
)


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing (tests, library callers)."""


POINT_SPREAD_KM = 6.0  # how far inland from the line a generated event may lie


@dataclass
class LoadResult:
    run: ScenarioRun
    loaded: bool  # False when the same scenario and seed were already there


def load(
    name: str, seed: int, *, replace: bool = False, progress: Progress = _silent
) -> LoadResult:
    """Generate and load a scenario. With the same seed already loaded, change nothing."""
    if name not in SCENARIOS:
        raise ValidationError(f"Unknown scenario '{name}'; known: {', '.join(SCENARIOS)}.")
    border_services.ensure_reference_data()
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
        run = _load_belarus_2021(name, seed, progress)
    return LoadResult(run, loaded=True)


def _remove_synthetic(run: ScenarioRun) -> None:
    """Remove the scenario's data through each app's services, downstream first: placements,
    persons (links, sets, requests, hits), then impact assessments and events."""
    placements = reception_services.remove_synthetic_placements(
        registration_selectors.synthetic_person_ids()
    )
    procedures_services.remove_synthetic_returns()
    procedures_services.remove_synthetic_applications()
    support_services.remove_synthetic_support()
    intelligence_services.remove_synthetic_flights()
    persons = registration_services.remove_synthetic_persons()
    assessments = border_services.remove_scenario_assessments()
    border_services.remove_scenario_measures()
    events = border_services.remove_synthetic_events()
    removed = {"placements": placements, "persons": persons, "assessments": assessments}
    audit.record(
        None, Action.SCENARIO_REMOVE, run, old={"seed": run.seed, "events": events, **removed}
    )
    run.delete()


def _load_belarus_2021(name: str, seed: int, progress: Progress) -> ScenarioRun:
    total = len(STAGES)
    progress(STAGES[0], 0, total)
    sections = border_selectors.sections_by_code()
    codes: dict[str, list[str]] = defaultdict(list)
    for section in sections.values():
        codes[section.country_id].append(section.code)
    for country_codes in codes.values():
        country_codes.sort()
    generated = belarus2021.generate(seed, dict(codes))
    rng = np.random.default_rng(seed + 1)
    points = _points(generated, rng)

    progress(STAGES[1], 1, total)
    by_country: dict[str, list[border_services.EventInput]] = defaultdict(list)
    counters: dict[tuple[str, dt.date], int] = defaultdict(int)
    for index, group in enumerate(generated):
        tz = border_services.country_tz(group.country)
        counters[(group.country, group.day)] += 1
        lat, lon = points[index]
        by_country[group.country].append(
            border_services.EventInput(
                ref=f"SCN-{group.country}-{group.day:%Y%m%d}-{counters[(group.country, group.day)]:03d}",
                occurred_at=dt.datetime.combine(group.day, group.local_time, tzinfo=tz),
                event_type=group.event_type,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                persons=group.persons,
                nationalities=dict(group.nationalities),
                source=group.source,
                reporting_unit=f"{sections[group.section_code].name} frontier station",
                description="Synthetic scenario event (belarus-2021). "
                + belarus2021.provenance(group),
            )
        )
    created: list[Event] = []
    for country, inputs in by_country.items():
        created += border_services.create_synthetic_events(country, inputs)
    progress(STAGES[2], 2, total)
    border_services.declare_scenario_measures()  # Latvia's emergency, Lithuania's turn-backs
    levels = _impact_history(list(by_country))
    progress(STAGES[3], 3, total)
    persons, repeaters = _register_apprehended(created, seed)
    progress(STAGES[4], 4, total)
    identified = _fingerprint(persons, repeaters, seed)
    progress(STAGES[5], 5, total)
    reception_services.seed_facilities(None)
    placed = reception_services.place_arrivals(None, persons)
    progress(STAGES[6], 6, total)
    cases = _asylum_applications(persons, seed)
    progress(STAGES[7], 7, total)
    support = support_services.load_scenario_support(seed)
    progress(STAGES[8], 8, total)
    officer = User.objects.filter(username="case.lt").values_list("pk", flat=True).first()
    returns = procedures_services.open_scenario_returns(seed, officer)
    progress(STAGES[9], 9, total)
    flights = intelligence_services.load_scenario_flights(seed)
    run = ScenarioRun.objects.create(
        name=name,
        seed=seed,
        summary={
            "events": len(created),
            "impact_assessments": levels,
            "persons": len(persons),
            "placed": placed.placed,
            "waiting": placed.waiting,
            "asylum_applications": cases.get("applications", 0),
            **support,
            "return_cases": returns["return_cases"],
            "returned": returns["returned"],
            "return_charter_on_board": returns["charter_on_board"],
            "flights": flights.get("flights", 0),
            **identified,
        },
    )
    audit.record(None, Action.SCENARIO_LOAD, run, new={"name": name, "seed": seed, **run.summary})
    progress("Done", total, total)
    return run


def _asylum_applications(persons: list[Person], seed: int) -> dict[str, int]:
    """Lithuania's July 2021 arrivals apply for asylum on the day they were apprehended (the
    procedures app generates the rest, marked synthetic)."""
    days = registration_selectors.apprehension_points([p.pk for p in persons])
    applicants = [
        procedures_services.Applicant(p.pk, p.member_state, p.nationality, days[p.pk][2])
        for p in persons
        if p.member_state == "LT"
        and p.pk in days
        and (days[p.pk][2].year, days[p.pk][2].month) == (2021, 7)
    ]
    officer = User.objects.filter(username="case.lt").values_list("pk", flat=True).first()
    return procedures_services.open_scenario_applications(applicants, seed, officer)


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
    return registration_services.bulk_create_persons(None, rows), repeaters


def _fingerprint(
    persons: list[Person], repeaters: list[tuple[int, int]], seed: int
) -> dict[str, int]:
    """Synthetic sets for the latest apprehended and the repeaters; the gallery is built once;
    the repeaters' Polish sets are then searched one by one as an officer's would be, and the
    PL expert confirms a few of the hits."""
    taken = {
        e.pk: e.occurred_at
        for e in border_selectors.events_by_ids(
            {p.apprehension_event_id for p in persons if p.apprehension_event_id is not None}
        )
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

    enrol = registration_services.bulk_enrol_synthetic
    enrol([item(i, i, 0) for i in sorted(first)])
    enrolled = registration_services.rebuild_gallery()
    sets = enrol([item(b, a, 1) for b, a in sorted(second.items())])
    expert = User.objects.get(username="expert.pl")
    hits = confirmed = 0
    for fs in sets:
        queued = registration_services.system_identification(fs.pk, enqueue=False)
        req = registration_services.run_identification(queued.pk)
        found = registration_selectors.hit_ids_of_request(req.pk)
        hits += len(found)
        if confirmed < fingerprints.CONFIRMED and found:
            registration_services.decide_hit(expert, found[0], confirm=True)
            confirmed += 1
    return {
        "fingerprinted": enrolled + len(sets),
        "repeaters": len(repeaters),
        "hits": hits,
        "confirmed_hits": confirmed,
    }


def _points(
    generated: list[belarus2021.GroupEvent], rng: np.random.Generator
) -> list[tuple[float, float]]:
    """A point for every generated event near its section, on the member state's side."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(generated):
        wanted[group.section_code].append(index)
    atlas = border_selectors.atlas_dir()
    geometries = {g.code: g for g in geometry.load_border_sections(atlas)}
    points: list[tuple[float, float]] = [(0.0, 0.0)] * len(generated)
    for code in sorted(wanted):
        section = geometries[code]
        polygon = geometry.country_polygon(atlas, section.member_state)
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
            for proposal in border_services.propose_impact_levels(None, country, day):
                if coordinator is not None:
                    border_services.confirm_impact_level(
                        coordinator, proposal.pk, reason="Scenario: confirmed as proposed"
                    )
                    count += 1
        day += dt.timedelta(days=7)
    return count
