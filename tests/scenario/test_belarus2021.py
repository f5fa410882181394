"""The scenario's fixed facts hold exactly, in the generator and in the loaded data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.picture.selectors import daily_figures
from borderwatch.procedures.models import ReturnFlight
from borderwatch.procedures.services.return_scenario import AFGHAN_CASES
from borderwatch.registration.models import Person
from borderwatch.scenario import belarus2021 as scenario
from borderwatch.scenario.loader import STAGES, load

CODES = {
    "LT": [f"LT-BY-{i:02d}" for i in range(1, 18)],
    "PL": [f"PL-BY-{i:02d}" for i in range(1, 11)],
    "LV": [f"LV-BY-{i:02d}" for i in range(1, 5)],
}


def _apprehended(events: list[scenario.GroupEvent], country: str) -> Counter[dt.date]:
    daily: Counter[dt.date] = Counter()
    for e in events:
        if e.country == country and e.event_type == "apprehension":
            daily[e.day] += e.persons
    return daily


@pytest.mark.parametrize("seed", [1, 7, 2021, 99991])
def test_generator_holds_the_facts_for_any_seed(seed: int) -> None:
    events = scenario.generate(seed, CODES)
    lt = _apprehended(events, "LT")
    assert lt[scenario.RECORD_DAY] == 171
    assert scenario.RECORD_DAY.weekday() == 1  # a Tuesday
    assert sum(n for d, n in lt.items() if d <= scenario.RECORD_DAY) == 3027
    # the largest day so far; 1 August's 287 is the year's largest
    assert max(n for d, n in lt.items() if d < scenario.RECORD_DAY) < 171
    assert lt[dt.date(2021, 8, 1)] == 287 == max(lt.values())
    record_night = [
        e
        for e in events
        if e.country == "LT" and e.day == scenario.RECORD_DAY and e.event_type == "apprehension"
    ]
    assert all(set(e.nationalities) == {"IQ"} for e in record_night)
    ytd = Counter[str]()
    for e in events:
        if e.country == "LT" and e.event_type == "apprehension" and e.day <= scenario.RECORD_DAY:
            ytd.update(e.nationalities)
    assert {
        code: ytd[code] for code in scenario.LT_YTD_NATIONALITIES
    } == scenario.LT_YTD_NATIONALITIES
    pl = _apprehended(events, "PL")
    first, last = scenario.PL_RECORD_WEEKEND
    assert sum(pl[first + dt.timedelta(days=i)] for i in range((last - first).days + 1)) == 349
    # falling after the flights stopped: the last week of August is far below the record
    assert max(lt[dt.date(2021, 8, 31) - dt.timedelta(days=i)] for i in range(7)) < 60
    assert max(lt[scenario.END - dt.timedelta(days=i)] for i in range(7)) < 60


def test_same_seed_same_scenario() -> None:
    assert scenario.generate(5, CODES) == scenario.generate(5, CODES)
    assert scenario.generate(5, CODES) != scenario.generate(6, CODES)


@pytest.mark.django_db
def test_loaded_data_holds_the_facts(make_user: Callable[..., User]) -> None:
    result = load("belarus-2021", 2021)
    assert result.loaded
    analyst = make_user(Role.FRONTEX_ANALYST)
    figures = daily_figures(
        analyst, dt.date(2021, 7, 20), dt.date(2021, 8, 12), countries=["LT", "PL"]
    )
    by_key = {(f.country, f.day): f for f in figures}
    record = by_key[("LT", scenario.RECORD_DAY)]
    assert (record.persons, record.ytd, record.is_record) == (171, 3027, True)
    assert [(n.code, n.persons) for n in record.nationalities] == [("IQ", 171)]
    assert sum(by_key[("PL", dt.date(2021, 8, d))].persons for d in range(6, 10)) == 349
    # the apprehended are registered, one person per apprehended person
    lt_apprehended = sum(
        Event.objects.filter(country_id="LT", event_type="apprehension").values_list(
            "persons", flat=True
        )
    )
    assert Person.objects.filter(member_state="LT", synthetic=True).count() == lt_apprehended
    # Lithuanian facilities are near capacity at the end of July
    from borderwatch.reception.selectors import occupancy_geojson

    lt_user = make_user(Role.RECEPTION_MANAGER, "LT")
    facilities = occupancy_geojson(lt_user, dt.date(2021, 7, 31))["features"]
    occupied = sum(f["properties"]["occupied"] for f in facilities)
    capacity = sum(f["properties"]["capacity"] for f in facilities)
    assert capacity > 0 and occupied / capacity >= 0.9

    # people apprehended in Lithuania and again in Poland: the Polish search finds them
    from borderwatch.registration import selectors as registration
    from borderwatch.registration.models import Hit

    summary = result.run.summary
    assert summary["repeaters"] == 30 and summary["hits"] >= 30
    repeats = Hit.objects.filter(request__member_state="PL", candidate__member_state="LT")
    assert repeats.count() == 30
    assert all(h.person.name_transliterated == h.candidate.name_transliterated for h in repeats)
    told = registration.hit_count(make_user(Role.CASE_OFFICER, "LT"))
    assert told == summary["confirmed_hits"] > 0
    assert registration.pending_review_count(User.objects.get(username="expert.pl")) == (
        summary["hits"] - summary["confirmed_hits"]
    )

    # the scenario's border measures come through border's service (the picture annotates them)
    from borderwatch.border.models import BorderMeasure

    measures = {(m.member_state_id, m.kind, m.starts) for m in BorderMeasure.objects.all()}
    assert ("LV", "state_of_emergency", dt.date(2021, 8, 11)) in measures
    assert ("LT", "turn_back_order", dt.date(2021, 8, 3)) in measures

    # idempotent: loading the same seed again changes nothing
    events, audits = Event.objects.count(), AuditEntry.objects.count()
    assert load("belarus-2021", 2021).loaded is False
    assert (Event.objects.count(), AuditEntry.objects.count()) == (events, audits)

    # --replace removes the scenario through the apps' services and loads the new seed,
    # telling the progress callback each stage in order
    stages: list[tuple[str, int, int]] = []
    replaced = load("belarus-2021", 7, replace=True, progress=lambda *s: stages.append(s))
    assert replaced.loaded and replaced.run.seed == 7
    assert [s[0] for s in stages] == [*STAGES, "Done"]
    assert [s[1] for s in stages] == list(range(len(STAGES) + 1))
    generated = scenario.generate(7, CODES)
    assert Event.objects.filter(synthetic=True).count() == len(generated)
    # the apprehended, plus the few generated Afghan applicants of the returns stage
    assert Person.objects.filter(synthetic=True).count() == sum(
        g.persons for g in generated if g.event_type == "apprehension"
    ) + sum(AFGHAN_CASES.values())
    # Lithuania's first return charter to Iraq, 2 January 2022: 98 on board
    charter = ReturnFlight.objects.get(departs_on=dt.date(2022, 1, 2), member_state="LT")
    assert charter.on_board.count() == 98 and replaced.run.summary["return_charter_on_board"] == 98
    assert BorderMeasure.objects.count() == len(measures)  # removed and declared again
    removal = AuditEntry.objects.get(
        action=Action.SCENARIO_REMOVE, object_type="scenario.ScenarioRun"
    )
    assert removal.old_values["seed"] == 2021 and removal.old_values["events"] == events
