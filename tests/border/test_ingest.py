"""The bulk insert under every creation of events (border.ingest: COPY on PostgreSQL, one
prepared INSERT on SQLite): what it writes must be what the ORM would have written, and the
sections it finds in one pass must be those found point by point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import transaction

from borderwatch.accounts.models import User
from borderwatch.border import ingest, rollups, services
from borderwatch.border.models import Event
from borderwatch.border.sections import SectionFinder
from borderwatch.border.validation import ValidEvent, positions, validate_event
from borderwatch.core.roles import Role
from tests.border.conftest import event_input, point_on

pytestmark = pytest.mark.django_db


def test_every_column_without_a_default_is_written() -> None:
    """A new column of Event must be added to the bulk insert (or have a database default)."""
    written = {"id", *ingest.EVENT_COLUMNS}
    for field in Event._meta.concrete_fields:
        if field.column not in written:
            assert field.null, f"{field.column} is neither written by ingest nor nullable"


def _valid(codes: list[str]) -> list[ValidEvent]:
    finder = SectionFinder("LT")
    tz = services.country_tz("LT")
    found = []
    for i, code in enumerate(codes):
        event, problems = validate_event(
            event_input(
                code,
                ref=f"B-{i}",
                persons=3 + i,
                nationalities={"IQ": 1 + i, "XX": 2},
                occurred_at=dt.datetime(2021, 8, 1 + i % 20, 23, 30, tzinfo=dt.UTC),
                description="seen" if i % 2 else "",
            ),
            tz=tz,
            finder=finder,
        )
        assert not problems, problems
        assert event is not None
        found.append(event)
    return found


def test_inserted_events_read_back_as_given_in_order(
    border_data: None, make_user: Callable[..., User]
) -> None:
    guard = make_user(Role.BORDER_GUARD, "LT")
    valid = _valid(["LT-BY-16", "LT-BY-09", "LT-BY-16", "LT-BY-02"] * 3)
    with transaction.atomic():
        ids = services.insert_events(guard, "LT", valid, synthetic=True)
    assert len(set(ids)) == len(valid)
    for event_id, v in zip(ids, valid, strict=True):
        e = Event.objects.get(pk=event_id)
        assert (e.ref, e.section_id, e.event_type, e.persons) == (
            v.ref,
            v.section_id,
            v.event_type,
            v.persons,
        )
        assert e.occurred_at == v.occurred_at
        assert e.local_date == v.local_date  # 23:30 UTC is the next day in Vilnius
        assert e.local_date == v.occurred_at.astimezone(services.country_tz("LT")).date()
        assert (e.latitude, e.longitude, e.description) == (v.latitude, v.longitude, v.description)
        assert dict(e.nationalities.values_list("nationality", "persons")) == v.nationalities
        assert e.synthetic and e.created_by_id == guard.pk and e.import_batch_id is None
        assert e.created_at is not None and e.deleted_at is None and e.is_live
    assert rollups.differences() == {}


def test_create_events_returns_the_events_in_the_given_order(border_data: None) -> None:
    valid = _valid(["LT-BY-02", "LT-BY-16", "LT-BY-09"])
    with transaction.atomic():
        made = services.create_events(None, "LT", valid)
    assert [e.ref for e in made] == [v.ref for v in valid]
    assert services.create_events(None, "LT", []) == []


def test_sections_located_in_one_pass_are_those_found_one_by_one(border_data: None) -> None:
    inputs = [event_input(code) for code in ("LT-BY-16", "LT-BY-09", "LT-BY-02", "LT-BY-05")]
    inputs.append(event_input("LT-BY-16", latitude="not a number"))
    inputs.append(event_input("LT-BY-16", latitude=95))
    points = positions(inputs)
    assert points == [point_on(code) for code in ("LT-BY-16", "LT-BY-09", "LT-BY-02", "LT-BY-05")]
    batch, single = SectionFinder("LT"), SectionFinder("LT")
    batch.locate(points)
    for lat, lon in points:
        assert batch.nearest(lat, lon) == single.nearest(lat, lon)
