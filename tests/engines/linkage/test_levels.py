"""Which comparison level a pair of records falls in, from the model's own SQL (DuckDB)."""

import datetime as dt
from typing import Any

import duckdb
import pytest

from borderwatch.engines.linkage import PersonRecord, block, prepare, settings
from borderwatch.engines.linkage.blocking import candidate_pairs


def _pair(a: PersonRecord, b: PersonRecord) -> duckdb.DuckDBPyConnection:
    """A table of one row: the pair's columns as Splink names them (dob_l, dob_r, ...)."""
    left, right = prepare([a, b])
    row = {f"{k}_l": v for k, v in left.items()} | {f"{k}_r": v for k, v in right.items()}
    con = duckdb.connect()
    cols = ", ".join(f"? AS {k}" for k in row)
    con.execute(f"CREATE TABLE pair AS SELECT {cols}", list(row.values()))
    return con


def _holds(con: duckdb.DuckDBPyConnection, condition: str) -> bool:
    sql = f"SELECT count(*) FROM pair WHERE {condition}"  # noqa: S608 (the model's own SQL)
    found = con.execute(sql).fetchone()
    return bool(found and found[0])


def _level(comparison: str, a: PersonRecord, b: PersonRecord) -> str:
    """The label of the first level whose SQL holds for the pair (a on the left)."""
    spec = next(
        c
        for c in settings().create_settings_dict("duckdb")["comparisons"]
        if c["output_column_name"] == comparison
    )
    con = _pair(a, b)
    for level in spec["comparison_levels"]:
        if _holds(con, level["sql_condition"]):
            return str(level.get("label_for_charts") or level["sql_condition"])
    raise AssertionError("no level holds")


def _rec(uid: str, given: str, family: str, **kw: Any) -> PersonRecord:
    return PersonRecord(uid, "LT", given, family, **kw)


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        (("Mohammed", "al-Hassan"), ("Mohammed", "al-Hassan"), "same given and family name"),
        (("Mohammed", "al-Hassan"), ("Muhammad", "Hasan"), "same skeletons"),
        (("Ali", "Darwish"), ("Darwish", "Ali"), "same skeletons in another order"),
        (("Uday", "Hasan Thamer"), ("Hasan Thamer", "Uday"), "same skeletons in another order"),
        (("Ali Hasan", "Darwish"), ("Darwish", "Ali"), "given and family swapped"),
        (("Yasser", "Khalil"), ("Yaser", "Khalil"), "same skeletons"),
        (("Sayed", "Habib"), ("Sayyid", "Habib"), "same skeletons"),
        (("Yasser", "Ahmadi"), ("Yasper", "Ahmadi"), "same family skeleton, given similar"),
        (("Hisham", "Khafaji"), ("Hisham", "Khafazi"), "same given skeleton, family similar"),
        (("", "Daher"), ("Rania", "Daher"), "same family skeleton, a given name missing"),
        (("Rania", "Daher"), ("Salma", "Daher"), "same family skeleton, given differs"),
        (("Rania", "Daher"), ("Rania", "Tawil"), "same given skeleton, family differs"),
        (("Ali", "Tawil"), ("Tawil", "Hassan"), "one part in the other field"),
    ],
)
def test_name_levels(a: tuple[str, str], b: tuple[str, str], label: str) -> None:
    assert _level("name", _rec("a", *a), _rec("b", *b)) == label


def test_date_of_birth_levels_tell_an_estimated_year_one_out_from_a_namesake() -> None:
    full = _rec("a", "Ali", "Hassan", date_of_birth=dt.date(1990, 5, 3))
    year = _rec("b", "Ali", "Hassan", date_of_birth=dt.date(1991, 1, 1), birth_year_only=True)
    other = _rec("c", "Ali", "Hassan", date_of_birth=dt.date(1991, 2, 3))
    assert _level("date_of_birth", full, year) == "years one apart, one side only a year"
    assert _level("date_of_birth", full, other) == "within two years"


def test_apprehension_levels_reach_months() -> None:
    def at(uid: str, place: str, day: dt.date) -> PersonRecord:
        return _rec(uid, "Ali", "Hassan", apprehension_place=place, apprehension_date=day)

    first = at("a", "LT-01", dt.date(2022, 1, 1))
    assert _level("apprehension", first, at("b", "LT-01", dt.date(2022, 1, 2))) == (
        "same place within two days"
    )
    months = _level("apprehension", first, at("c", "PL-03", dt.date(2022, 3, 20)))
    assert "120" in months
    assert "365" in _level("apprehension", first, at("d", "PL-03", dt.date(2022, 9, 1)))


def test_blocking_admits_a_family_typo_with_a_year_only_and_a_double_registration() -> None:
    def admitted(a: PersonRecord, b: PersonRecord) -> bool:
        return any(len(left) for left, _ in candidate_pairs(block([a, b]).keys))

    a = _rec("a", "Rania", "Rashed", date_of_birth=dt.date(2007, 1, 6), nationality="IQ")
    b = _rec("b", "Rania", "Rashqd", date_of_birth=dt.date(2007, 1, 1), birth_year_only=True,
             nationality="IQ")  # fmt: skip
    assert admitted(a, b)
    day = dt.date(2023, 5, 1)
    c = _rec("c", "", "Qasim", apprehension_place="LT-02", apprehension_date=day)
    d = _rec("d", "Qasim", "Adnan", apprehension_place="LT-02", apprehension_date=day)
    assert admitted(c, d)
