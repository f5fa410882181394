"""Erasure of a person's data across the apps that hold it (retention, early erasure).

Registration owns the person and runs the erasure; other apps hold rows about the person
(reception's placements, later procedures' cases) and must drop them first, in the same
transaction. The kernel imports no app, so each such app registers an eraser here from its
AppConfig.ready(), and registration calls every registered eraser before deleting the person.

An eraser takes the person's id, deletes what its app holds about that person (rows and files,
files only once the transaction commits) and returns how many rows of each kind it removed, for
the erasure's audit entry. It never logs personal data.
"""

from __future__ import annotations

from collections.abc import Callable

PersonEraser = Callable[[int], dict[str, int]]

_erasers: dict[str, PersonEraser] = {}


def register(app_label: str, eraser: PersonEraser) -> None:
    """Register (or replace) the eraser of one app."""
    _erasers[app_label] = eraser


def erase_elsewhere(person_id: int) -> dict[str, int]:
    """Run every registered eraser for one person; the counts of all apps, keyed by row kind."""
    counts: dict[str, int] = {}
    for app_label, eraser in sorted(_erasers.items()):
        for kind, n in eraser(person_id).items():
            counts[f"{app_label}.{kind}"] = n
    return counts
