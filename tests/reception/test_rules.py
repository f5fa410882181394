"""One set of hard rules: the service refuses exactly what the placement engine's rules refuse,
and reception reads registration and border only through registration's selectors."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

import borderwatch.reception
from borderwatch.accounts.models import User
from borderwatch.engines import placement as engine
from borderwatch.reception.models import Facility, Placement
from borderwatch.reception.proposal import places_of, services_of
from borderwatch.reception.services import place
from borderwatch.registration.models import Person
from borderwatch.registration.selectors import household_sizes
from tests.reception.conftest import JULY

pytestmark = pytest.mark.django_db
FLAGS = ("pregnancy", "disability", "elderly", "trafficking_victim")
CATEGORIES = [c.value for c in engine.Category]


def _cases(count: int = 48, seed: int = 2021) -> list[tuple[dict[str, Any], dict[str, Any], Any]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        person: dict[str, Any] = {"sex": rng.choice("MFX")}
        person.update({flag: rng.random() < 0.25 for flag in FLAGS})
        kind = rng.random()
        if kind < 0.2:
            person.update(minor=True, unaccompanied_minor=True)
        elif kind < 0.3:
            person["minor"] = True
        elif kind < 0.55:
            person["household"] = "H"
        if person.get("minor"):
            person["elderly"] = False  # the record refuses a minor who is elderly
        if person["sex"] == "M":
            person["pregnancy"] = False  # ... and a pregnant man
        detention = rng.random() < 0.3
        facility: dict[str, Any] = {
            "kind": "detention_centre" if detention else "reception_centre",
            "medical": rng.random() < 0.5,
            "interpreters": rng.random() < 0.5,
        }
        for c in CATEGORIES:
            facility[f"capacity_{c}"] = rng.choice([0, 3])
        if detention:
            facility["capacity_unaccompanied_minors"] = 0
        cases.append((person, facility, rng.choice([None] * 5 + CATEGORIES)))
    return cases


@pytest.mark.parametrize(("person", "facility", "chosen"), _cases())
def test_the_service_refuses_what_the_engines_rules_refuse(
    manager_lt: User,
    make_facility: Callable[..., Facility],
    make_person: Callable[..., Person],
    person: dict[str, Any],
    facility: dict[str, Any],
    chosen: str | None,
) -> None:
    f = make_facility(**facility)
    p = make_person(**person)
    if p.household:
        make_person(household=p.household)  # a registered household of two: family places
    size = household_sizes("LT", [p.household]).get(p.household, 1)
    category, refused = engine.refusals(p, size, chosen, places_of(f), services_of(f))
    if refused:
        with pytest.raises(ValidationError) as caught:
            place(manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY, category=chosen)
        assert len(caught.value.messages) >= len(refused)
        assert not Placement.objects.exists()
    else:
        placed = place(
            manager_lt, person_id=p.pk, facility_id=f.pk, start_date=JULY, category=chosen
        )
        assert placed.category == category


def test_the_rules_live_once() -> None:
    """No copy of the rules in reception: category, needs and services come from the engine."""
    root = Path(borderwatch.reception.__file__).parent
    assert not (root / "rules.py").exists()
    source = "\n".join(p.read_text() for p in root.rglob("*.py") if "migrations" not in p.parts)
    for name in ("def category_of", "def allowed_categories", "def needs_of", "NEEDS_BY_FLAG"):
        assert name not in source


def test_reception_reads_persons_and_events_only_through_registrations_selectors() -> None:
    root = Path(borderwatch.reception.__file__).parent
    offenders = [
        f"{p.relative_to(root)}: {m.group(0)}"
        for p in root.rglob("*.py")
        if "migrations" not in p.parts
        for m in re.finditer(r"\b(person__\w+|apprehension_event\w*)", p.read_text())
    ]
    assert offenders == []
