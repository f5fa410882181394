from __future__ import annotations

import json

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.imports import ImportRejected, import_events
from borderwatch.border.models import Event, EventNationality, ImportBatch
from borderwatch.core.models import AuditEntry
from tests.border.conftest import point_on

pytestmark = pytest.mark.usefixtures("border_data")

HEADER = "ref,occurred_at,type,latitude,longitude,persons,nationalities,source,reporting_unit,description\n"


def row(
    ref: str,
    persons: int = 5,
    nationalities: str = "IQ:5",
    section: str = "LT-BY-09",
    when: str = "2021-07-27T21:00:00+03:00",
) -> str:
    lat, lon = point_on(section)
    return f"{ref},{when},apprehension,{lat},{lon},{persons},{nationalities},patrol,Šalčininkai,\n"


def test_import_then_reimport_changes_nothing(guard_lt: User) -> None:
    content = (HEADER + row("A1") + row("A2", 3, "IQ:2;SY:1")).encode()
    first = import_events(guard_lt, "LT", content, file_name="night.csv", fmt="csv")
    assert (first.rows, first.created, first.unchanged) == (2, 2, 0)
    again = import_events(guard_lt, "LT", content, file_name="night.csv", fmt="csv")
    assert (again.created, again.unchanged) == (0, 2)
    assert Event.objects.count() == 2
    assert EventNationality.objects.count() == 3
    assert ImportBatch.objects.count() == 1
    assert AuditEntry.objects.filter(action="border.event.import").count() == 1


def test_one_bad_row_rejects_the_file_with_line_numbers(guard_lt: User) -> None:
    content = (
        HEADER
        + row("B1")
        + row("B2", 4, "IQ:4", section="LT-BY-09").replace("apprehension", "picnic")
        + "B3,2021-07-27T21:00:00+03:00,apprehension,54.90,23.90,2,IQ:2,patrol,Kaunas,\n"
        + row("B4", 2, "QQ:2")
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        import_events(guard_lt, "LT", content, file_name="bad.csv", fmt="csv")
    errors = caught.value.result.errors
    assert any(e.startswith("line 3: Type of event: 'picnic'") for e in errors), errors
    assert any(
        e.startswith("line 4: The point") and "outside every section" in e for e in errors
    ), errors
    assert any(e.startswith("line 5: Nationalities: 'QQ'") for e in errors), errors
    assert not Event.objects.exists() and not ImportBatch.objects.exists()


def test_changed_row_with_known_ref_is_an_error(guard_lt: User) -> None:
    import_events(guard_lt, "LT", (HEADER + row("C1")).encode(), file_name="a.csv", fmt="csv")
    changed = (HEADER + row("C2") + row("C1", 6, "IQ:6")).encode()
    with pytest.raises(ImportRejected, match="exists with different values"):
        import_events(guard_lt, "LT", changed, file_name="b.csv", fmt="csv")
    assert list(Event.objects.values_list("ref", "persons")) == [("C1", 5)]


def test_missing_column_and_repeated_ref(guard_lt: User) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="missing column"):
        import_events(guard_lt, "LT", b"ref,type\nX,apprehension\n", file_name="x.csv", fmt="csv")
    with pytest.raises(ImportRejected, match="repeats line 2"):
        import_events(
            guard_lt, "LT", (HEADER + row("D1") + row("D1")).encode(), file_name="d.csv", fmt="csv"
        )


def test_json_import(guard_lt: User) -> None:
    lat, lon = point_on("LT-BY-16")
    events = [
        {"ref": "J1", "occurred_at": "2021-07-27T20:00:00Z", "type": "apprehension", "latitude": lat,
         "longitude": lon, "persons": 2, "nationalities": {"IQ": 2}, "source": "sensor",
         "reporting_unit": "Druskininkai"},
        {"ref": "J2", "occurred_at": "2021-07-27T20:30:00Z", "type": "apprehension", "latitude": lat,
         "longitude": lon, "persons": 1, "nationalities": {"iq": 1}, "source": "camera",
         "reporting_unit": "Druskininkai", "colour": "red"},
    ]  # fmt: skip
    with pytest.raises(ImportRejected, match="line 2: unknown field"):
        import_events(guard_lt, "LT", json.dumps(events).encode(), file_name="e.json", fmt="json")
    del events[1]["colour"]
    result = import_events(
        guard_lt, "LT", json.dumps({"events": events}).encode(), file_name="e.json", fmt="json"
    )
    assert result.created == 2
    assert set(EventNationality.objects.values_list("nationality", flat=True)) == {"IQ"}


def test_import_needs_role_and_state(guard_pl: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_events(guard_pl, "LT", (HEADER + row("E1")).encode(), file_name="e.csv", fmt="csv")


def test_a_large_import_renews_postgresqls_statistics(
    guard_lt: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fresh statistics the planner reads the next import's refs through the wrong
    index; a large import ANALYZEs the events' tables (PostgreSQL; SQLite keeps none)."""
    from django.db import connection

    from borderwatch.border import ingest

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the app never keeps statistics on SQLite")

    def tuples() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'border_event'")
            return float(cursor.fetchone()[0])

    monkeypatch.setattr(ingest, "STATISTICS_AFTER", 3)
    import_events(guard_lt, "LT", (HEADER + row("S1")).encode(), file_name="a.csv", fmt="csv")
    assert tuples() <= 0  # one row: below the threshold, never analysed
    content = HEADER + "".join(row(f"S{i}") for i in range(2, 5))
    import_events(guard_lt, "LT", content.encode(), file_name="b.csv", fmt="csv")
    assert tuples() == 4
    # three more rows are not a tenth of what the statistics know: not analysed
    monkeypatch.setattr(ingest, "STATISTICS_SHARE", 2.0)
    content = HEADER + "".join(row(f"S{i}") for i in range(5, 8))
    import_events(guard_lt, "LT", content.encode(), file_name="c.csv", fmt="csv")
    assert tuples() == 4
    monkeypatch.setattr(ingest, "STATISTICS_SHARE", 0.5)  # now they are: analysed
    content = HEADER + "".join(row(f"S{i}") for i in range(8, 11))
    import_events(guard_lt, "LT", content.encode(), file_name="d.csv", fmt="csv")
    assert tuples() == 10
