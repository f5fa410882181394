"""The record the engine links, and the columns the model reads from it.

Apps (registration) and the synthetic generator build `PersonRecord`s; `prepare` turns them into
flat rows (one dict per record) with the normalised name keys and date-of-birth forms that the
comparisons and blocking rules name. Nothing here knows Splink.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from borderwatch.engines.linkage.names import name_keys

__all__ = ["COLUMNS", "PersonRecord", "normalise_document", "prepare", "prepare_one"]

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person's biographic data as a member state recorded it.

    `birth_year_only` marks an estimated date of birth (only the year is meant); `document` is
    any identity document number. Empty strings and None mean "not recorded".
    """

    uid: str
    state: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    birth_year_only: bool = False
    sex: str = ""
    nationality: str = ""
    document: str = ""
    apprehension_place: str = ""
    apprehension_date: dt.date | None = None


COLUMNS = (
    "unique_id", "state", "given", "family", "given_first", "given_skel", "family_skel",
    "full_sorted", "skel_sorted", "name", "name_skel", "name_pair", "given_initial",
    "family_initial", "dob", "dob_swapped", "dob_year", "sex", "nationality", "document", "place",
    "apprehended",
)  # fmt: skip


def normalise_document(number: str) -> str:
    """Upper case, separators dropped ("ab 12-345" -> "AB12345")."""
    return _NOT_ALNUM.sub("", (number or "").upper())


def prepare_one(r: PersonRecord) -> dict[str, Any]:
    """The model's columns for one record (None where nothing was recorded)."""
    keys = name_keys(r.given_name, r.family_name)
    dob = r.date_of_birth
    full = dob is not None and not r.birth_year_only
    swapped = None
    if full and dob is not None and dob.day <= 12 and dob.day != dob.month:
        swapped = f"{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"
    return {
        "unique_id": r.uid,
        "state": r.state or None,
        "given": keys.given or None,
        "family": keys.family or None,
        "given_first": keys.given_first or None,
        "given_skel": keys.given_skel or None,
        "family_skel": keys.family_skel or None,
        "full_sorted": keys.full_sorted or None,
        # given and family together: how often a whole name occurs (given and family names are
        # not independent: both lists depend on the nationality)
        "name": f"{keys.given_first} {keys.family}" if keys.given_first and keys.family else None,
        "name_skel": (
            f"{keys.given_skel} {keys.family_skel}"
            if keys.given_skel and keys.family_skel
            else None
        ),
        "skel_sorted": keys.skel_sorted or None,
        # blocking keys: the two skeletons in either order, and the skeletons' first letters
        # (which a typing error rarely changes) to split a block too common to compare whole
        "name_pair": (
            " ".join(sorted((keys.given_skel, keys.family_skel)))
            if keys.given_skel and keys.family_skel
            else None
        ),
        "given_initial": keys.given_skel[:1] or None,
        "family_initial": keys.family_skel[:1] or None,
        "dob": dob.isoformat() if full and dob is not None else None,
        "dob_swapped": swapped,
        "dob_year": dob.year if dob is not None else None,
        "sex": r.sex if r.sex in ("M", "F") else None,  # "X": not recorded
        "nationality": r.nationality if r.nationality not in ("", "XX") else None,
        "document": normalise_document(r.document) or None,
        "place": r.apprehension_place or None,
        "apprehended": r.apprehension_date.isoformat() if r.apprehension_date else None,
    }


def prepare(records: Iterable[PersonRecord]) -> list[dict[str, Any]]:
    """Rows for many records; uids must be unique (the pairs name them)."""
    rows = [prepare_one(r) for r in records]
    seen: set[str] = set()
    for row in rows:
        if row["unique_id"] in seen:
            raise ValueError(f"duplicate record id {row['unique_id']!r}")
        seen.add(row["unique_id"])
    return rows
