"""Synthetic fingerprints for the demo scenario, and the people apprehended twice.

Templates only (the engine's synthetic generator), no images. Only a subset gets fingerprints
so that loading stays quick (docs/decisions/scenario.md): the most recently apprehended persons
plus the repeaters, people apprehended in Lithuania in July and again in Poland in August. The
Polish record of a repeater carries the same name, sex and date of birth (the person gives the
same identity) and a second impression of the same synthetic fingers, so its identification
finds the Lithuanian record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from borderwatch.engines.fingerprint import Template, synthetic_tenprint

RECENT = 400  # the latest apprehended persons get fingerprints
REPEATERS = 30
CONFIRMED = 6  # repeaters' hits the scenario's PL expert confirms; the rest stay pending
_IDENTITY = ("name_as_written", "name_transliterated", "sex", "date_of_birth", "elderly")


def _single_adult(row: Mapping[str, Any], state: str, nationality: str) -> bool:
    return (
        row["member_state"] == state
        and row["nationality"] == nationality
        and not row.get("household")
        and not row.get("minor")
    )


def pick_repeaters(
    rows: list[dict[str, Any]], days: Sequence[dt.date], seed: int
) -> list[tuple[int, int]]:
    """(Lithuanian row, Polish row) pairs, July then August; the Polish row takes the identity."""
    rng = np.random.default_rng(seed + 3)
    lt = [i for i, r in enumerate(rows) if _single_adult(r, "LT", "IQ") and days[i].month == 7]
    pl = [i for i, r in enumerate(rows) if _single_adult(r, "PL", "IQ") and days[i].month == 8]
    n = min(REPEATERS, len(lt), len(pl))
    firsts = sorted(int(i) for i in rng.choice(lt, n, replace=False))
    seconds = sorted(int(i) for i in rng.choice(pl, n, replace=False))
    for a, b in zip(firsts, seconds, strict=True):
        for name in _IDENTITY:
            rows[b][name] = rows[a][name]
    return list(zip(firsts, seconds, strict=True))


def tenprint(seed: int, subject: int, impression: int) -> dict[int, Template]:
    """Ten synthetic finger templates of one subject (one impression), by finger position."""
    return {t.finger_position: t for t in synthetic_tenprint(seed, subject, impression)}
