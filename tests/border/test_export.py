"""The analytics export (border.export): Parquet written by the command and the API, read back
with pyarrow and DuckDB, must say what the database says: the events in scope, their persons,
and per state and day the same sums as the rollups. Scope, bad input and the audit trail too."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border import export, selectors, services
from borderwatch.border.models import Event, EventNationality
from borderwatch.config.api import api
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from tests.border.conftest import event_input

pytestmark = pytest.mark.usefixtures("border_data")

OFFSET = dt.timezone(dt.timedelta(hours=3))
START, END = dt.date(2021, 7, 1), dt.date(2021, 8, 31)
EVENTS = [  # state, section, day, hour, persons, nationalities
    ("LT", "LT-BY-09", dt.date(2021, 7, 27), 22, 12, {"IQ": 10, "SY": 2}),
    ("LT", "LT-BY-16", dt.date(2021, 7, 27), 23, 5, {"IQ": 5}),
    ("LT", "LT-BY-16", dt.date(2021, 7, 28), 1, 7, {"AF": 4, "XX": 3}),
    ("LT", "LT-BY-09", dt.date(2021, 8, 3), 10, 40, {"IQ": 30, "CM": 10}),
    ("PL", "PL-BY-02", dt.date(2021, 8, 9), 4, 9, {"SY": 9}),
    ("LV", "LV-BY-02", dt.date(2021, 8, 10), 5, 3, {"AF": 3}),
    ("LT", "LT-BY-09", dt.date(2021, 9, 1), 5, 6, {"IQ": 6}),  # after the period
]


@pytest.fixture
def world(make_user: Callable[..., User]) -> dict[str, User]:
    guards = {s: make_user(Role.BORDER_GUARD, s) for s in ("LT", "PL", "LV")}
    for i, (state, section, day, hour, persons, shares) in enumerate(EVENTS):
        when = dt.datetime.combine(day, dt.time(hour, 5), tzinfo=OFFSET)
        services.report_event(
            guards[state],
            event_input(
                section, ref=f"X-{i}", occurred_at=when, persons=persons, nationalities=shares
            ),
        )
    # a withdrawn event: out of the figures and of the export unless asked for
    gone = services.report_event(
        guards["LT"],
        event_input(
            "LT-BY-16", ref="X-gone", occurred_at=dt.datetime(2021, 7, 27, 12, tzinfo=OFFSET)
        ),
    )
    services.delete_event(guards["LT"], gone.pk, "duplicate report")
    return guards


def _db_persons_per_day(states: set[str]) -> Counter[tuple[str, dt.date]]:
    found: Counter[tuple[str, dt.date]] = Counter()
    for country, day, persons in (
        Event.objects.live()
        .filter(country_id__in=states, local_date__gte=START, local_date__lte=END)
        .values_list("country_id", "local_date", "persons")
    ):
        found[(country, day)] += persons
    return found


def test_the_command_writes_partitions_that_pyarrow_and_duckdb_read_as_the_database(
    world: dict[str, User], tmp_path: Path
) -> None:
    out = tmp_path / "export"
    call_command("export_events", start="2021-07-01", end="2021-08-31", out=str(out))

    assert sorted(
        p.relative_to(out / "events").as_posix() for p in (out / "events").rglob("*.parquet")
    ) == [
        "country=LT/month=2021-07/part-0.parquet",
        "country=LT/month=2021-08/part-0.parquet",
        "country=LV/month=2021-08/part-0.parquet",
        "country=PL/month=2021-08/part-0.parquet",
    ]
    first = out / "events/country=LT/month=2021-07/part-0.parquet"
    meta = export.read_metadata(first)
    assert meta["borderwatch.schema_version"] == export.SCHEMA_VERSION
    assert meta["borderwatch.table"] == "events"
    assert "country" not in pq.read_schema(first).names  # the key is in the path

    # pyarrow: the hive keys come back as columns
    events = ds.dataset(out / "events", partitioning="hive").to_table().to_pylist()
    live = Event.objects.live().filter(local_date__gte=START, local_date__lte=END)
    assert sorted(e["id"] for e in events) == sorted(live.values_list("pk", flat=True))
    assert {e["country"] for e in events} == {"LT", "PL", "LV"}
    one = next(e for e in events if e["ref"] == "X-0")
    assert one["nationalities"] == [
        {"nationality": "IQ", "persons": 10},
        {"nationality": "SY", "persons": 2},
    ]
    assert one["occurred_at"] == dt.datetime(2021, 7, 27, 19, 5, tzinfo=dt.UTC)
    assert one["local_date"] == dt.date(2021, 7, 27) and one["section"] == "LT-BY-09"
    assert one["withdrawn_at"] is None
    for e in events:  # each event's shares add up to its persons
        assert sum(n["persons"] for n in e["nationalities"]) == e["persons"]

    # DuckDB over the folders: events per day = the state rollups = the database
    con = duckdb.connect()
    events_glob, states_glob = f"{out}/events/**/*.parquet", f"{out}/state_days/**/*.parquet"
    from_events = con.execute(
        "SELECT country, local_date, sum(persons) FROM read_parquet(?) GROUP BY ALL",
        [events_glob],
    ).fetchall()
    from_rollups = con.execute(
        "SELECT country, day, sum(persons) FROM read_parquet(?)"
        " WHERE nationality IS NULL GROUP BY ALL",
        [states_glob],
    ).fetchall()
    from_sections = con.execute(
        "SELECT country, day, sum(persons) FROM read_parquet(?)"
        " WHERE nationality IS NULL GROUP BY ALL",
        [f"{out}/section_days/**/*.parquet"],
    ).fetchall()
    expected = _db_persons_per_day({"LT", "PL", "LV"})
    assert Counter({(c, d): int(n) for c, d, n in from_events}) == expected
    assert Counter({(c, d): int(n) for c, d, n in from_rollups}) == expected
    assert Counter({(c, d): int(n) for c, d, n in from_sections}) == expected
    # nationalities: unnested events = the rollups' shares
    unnested = con.execute(
        "SELECT country, local_date, n.nationality, sum(n.persons) FROM"
        " (SELECT country, local_date, unnest(nationalities) AS n FROM read_parquet(?))"
        " GROUP BY ALL",
        [events_glob],
    ).fetchall()
    shares = con.execute(
        "SELECT country, day, nationality, sum(persons) FROM read_parquet(?)"
        " WHERE nationality IS NOT NULL GROUP BY ALL",
        [states_glob],
    ).fetchall()
    assert sorted((c, d, k, int(n)) for c, d, k, n in unnested) == sorted(
        (c, d, k, int(n)) for c, d, k, n in shares
    )
    assert (
        sorted(shares)
        and len(shares)
        == EventNationality.objects.filter(
            event__deleted_at__isnull=True, event__local_date__lte=END
        )
        .values("event__country", "event__local_date", "nationality")
        .distinct()
        .count()
    )

    entries = AuditEntry.objects.filter(action=Action.EVENT_EXPORT).order_by("member_state")
    assert [e.member_state for e in entries] == ["LT", "LV", "PL"]
    lt = entries[0].new_values
    assert lt["via"] == "command" and lt["start"] == "2021-07-01" and lt["countries"] is None
    assert lt["rows"]["events"] == 4
    assert entries[0].actor_id is None  # the system, run by an operator


def test_withdrawn_events_only_when_asked(world: dict[str, User], tmp_path: Path) -> None:
    call_command(
        "export_events", "--start=2021-07-27", "--end=2021-07-27", "--country=lt",
        f"--out={tmp_path}", "--what=events", "--withdrawn",
    )  # fmt: skip
    rows = ds.dataset(tmp_path / "events", partitioning="hive").to_table().to_pylist()
    assert sorted(r["ref"] for r in rows) == ["X-0", "X-1", "X-gone"]
    assert next(r for r in rows if r["ref"] == "X-gone")["withdrawn_at"] is not None


def test_an_existing_folder_is_not_mixed_into(world: dict[str, User], tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    with pytest.raises(CommandError, match="Already exists"):
        call_command("export_events", start="2021-07-01", end="2021-07-31", out=str(tmp_path))
    assert not AuditEntry.objects.filter(action=Action.EVENT_EXPORT).exists()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--start=2021-08-01", "--end=2021-07-01"], "end: The end date is before"),
        (["--start=2021-07-01", "--end=2021-07-31", "--country=BY"], "“BY” is not a member state"),
        (["--start=2021-07-01", "--end=2021-07-31", "--user=nobody"], "No user"),
        (["--start=1 July", "--end=2021-07-31"], "is not a date"),
    ],
)
def test_bad_input_to_the_command_names_the_problem_and_writes_nothing(
    world: dict[str, User], tmp_path: Path, args: list[str], problem: str
) -> None:
    with pytest.raises(CommandError, match=problem):
        call_command("export_events", *args, f"--out={tmp_path / 'out'}")
    assert not (tmp_path / "out").exists()
    assert not AuditEntry.objects.filter(action=Action.EVENT_EXPORT).exists()


def test_a_border_guard_may_not_export_another_state(
    world: dict[str, User], tmp_path: Path, client_for: Callable[[User], Client]
) -> None:
    guard = world["LT"]
    with pytest.raises(CommandError, match="may not export the figures"):
        call_command(
            "export_events", "--start=2021-07-01", "--end=2021-08-31", "--country=PL",
            f"--user={guard.username}", f"--out={tmp_path / 'out'}",
        )  # fmt: skip
    assert not (tmp_path / "out").exists()
    response = client_for(guard).get(
        "/api/border/export/events.parquet?start=2021-07-01&end=2021-08-31&country=LT&country=PL"
    )
    assert response.status_code == 403
    assert "Poland" in response.json()["detail"]
    in_lithuanian = client_for(guard).get(
        "/api/border/export/rollups.parquet?start=2021-07-01&end=2021-08-31&country=PL",
        HTTP_ACCEPT_LANGUAGE="lt",
    )
    assert "neleidžiama eksportuoti" in in_lithuanian.json()["detail"]
    assert not AuditEntry.objects.filter(action=Action.EVENT_EXPORT).exists()
    # without a country: their own state only
    call_command(
        "export_events", "--start=2021-07-01", "--end=2021-08-31", "--what=events",
        f"--user={guard.username}", f"--out={tmp_path / 'own'}",
    )  # fmt: skip
    rows = ds.dataset(tmp_path / "own/events", partitioning="hive").to_table()
    assert set(rows.column("country").to_pylist()) == {"LT"}


def _table(response: object) -> pa.Table:
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return pq.read_table(io.BytesIO(data))


def test_the_api_answers_one_file_to_a_coordinator_and_all_states_to_frontex(
    world: dict[str, User],
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    tmp_path: Path,
) -> None:
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    response = client_for(coordinator).get(
        "/api/border/export/events.parquet?start=2021-07-01&end=2021-08-31&country=LT"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == export.MEDIA_TYPE
    assert 'filename="events_2021-07-01_2021-08-31.parquet"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.remove_metadata() == export.SCHEMAS[export.Table.EVENTS]
    assert sorted(table.column("ref").to_pylist()) == ["X-0", "X-1", "X-2", "X-3"]
    assert export.read_metadata(io.BytesIO(data))["borderwatch.countries"] == "LT"
    (tmp_path / "lt.parquet").write_bytes(data)
    query = "SELECT sum(persons) FROM read_parquet(?)"
    ((persons,),) = duckdb.connect().execute(query, [str(tmp_path / "lt.parquet")]).fetchall()
    assert persons == 12 + 5 + 7 + 40

    frontex = make_user(Role.FRONTEX_ANALYST)
    analyst = client_for(frontex)
    everything = _table(
        analyst.get("/api/border/export/events.parquet?start=2021-07-01&end=2021-08-31")
    )
    assert Counter(everything.column("country").to_pylist()) == {"LT": 4, "PL": 1, "LV": 1}
    sections = _table(
        analyst.get(
            "/api/border/export/rollups.parquet?start=2021-07-01&end=2021-08-31&level=section"
        )
    )
    assert sections.schema.names == export.SCHEMAS[export.Table.SECTION_DAYS].names
    daily = _table(
        analyst.get("/api/border/export/rollups.parquet?start=2021-07-01&end=2021-08-31")
    )
    whole = daily.filter(pa.compute.is_null(daily.column("nationality"))).to_pylist()
    summed: Counter[tuple[str, dt.date]] = Counter()
    for r in whole:
        summed[(r["country"], r["day"])] += r["persons"]
    assert summed == Counter(
        {(c, d): n for c, d, n in selectors.daily_persons(frontex, START, END)}
    )
    entries = AuditEntry.objects.filter(action=Action.EVENT_EXPORT, actor_id=frontex.pk)
    assert sorted(e.member_state for e in entries) == [
        "LT",
        "LT",
        "LT",
        "LV",
        "LV",
        "LV",
        "PL",
        "PL",
        "PL",
    ]
    first = AuditEntry.objects.filter(action=Action.EVENT_EXPORT, actor_id=coordinator.pk).get()
    assert first.member_state == "LT"
    assert first.new_values == {
        "start": "2021-07-01", "end": "2021-08-31", "countries": ["LT"], "withdrawn": False,
        "via": "api", "tables": ["events"], "rows": {"events": 4},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("start=2021-08-01&end=2021-07-01", "end", "The end date is before the start date."),
        ("start=2018-01-01&end=2021-07-01", "end", "Choose at most 1096 days."),
        ("start=2021-07-01&end=2021-07-31&country=XX", "country", "“XX” is not a member state."),
    ],
)
def test_bad_input_to_the_api_is_a_422_naming_the_parameter(
    world: dict[str, User],
    client_for: Callable[[User], Client],
    query: str,
    field: str,
    text: str,
) -> None:
    for path in ("events", "rollups"):
        response = client_for(world["LT"]).get(f"/api/border/export/{path}.parquet?{query}")
        assert response.status_code == 422
        assert response.json()["detail"] == {field: [text]}
    assert not AuditEntry.objects.filter(action=Action.EVENT_EXPORT).exists()


def test_the_openapi_document_names_the_file_and_the_errors() -> None:
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    for name in ("events", "rollups"):
        responses = paths[f"/api/border/export/{name}.parquet"]["get"]["responses"]
        assert export.MEDIA_TYPE in responses["200"]["content"]
        assert {"401", "403", "422"} <= set(responses)


def test_a_chunk_boundary_keeps_every_events_nationalities(
    world: dict[str, User], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Batches of two rows: each chunk reads its own events' nationalities (by id range)."""
    monkeypatch.setattr(export, "BATCH_ROWS", 2)
    target = tmp_path / "f.parquet"
    written = export.Written()
    request = export.Request(START, END)
    export.write_file(target, None, request, ["LT"], export.Table.EVENTS, written)
    file = pq.ParquetFile(target)
    assert file.metadata.num_row_groups == 3 and written.total() == 4
    rows = file.read().to_pylist()
    assert all(sum(n["persons"] for n in r["nationalities"]) == r["persons"] for r in rows)
