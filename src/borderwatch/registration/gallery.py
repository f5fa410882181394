"""The persistent 1:N gallery under GALLERY_DIR, keyed by person id: settings over the engine.

The database is the system of record (Finger.template); this is an index that `borderwatch
gallery rebuild` recreates from it. The index itself (a memory-mapped snapshot plus an
append-only journal, compaction off the search lock) is engine code,
engines/fingerprint/index.py; this module only reads the settings (GALLERY_DIR,
GALLERY_PARAMS, GALLERY_JOURNAL_LIMIT), keeps one loaded index per directory in this process,
and turns person ids into the engine's subject ids.

No finger of quality 0 enters the index (`_usable`): capture refuses them, and rows stored before
that rule are left out here, on every path (enrol, search-and-enrol, rebuild).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings

from borderwatch.engines.fingerprint import (
    DEFAULT_PARAMS,
    FAST_PARAMS,
    Candidate,
    Gallery,
    GalleryError,
    GalleryIndex,
    IndexConfig,
    MccParams,
    Template,
)

PARAMS: dict[str, MccParams] = {"default": DEFAULT_PARAMS, "fast": FAST_PARAMS}

# the index this process loaded, by directory (a gunicorn worker keeps its snapshot mapped)
_cache: dict[str, GalleryIndex] = {}


def directory() -> Path:
    return Path(settings.GALLERY_DIR)


def params() -> MccParams:
    """MCC parameters of a new gallery (settings.GALLERY_PARAMS); a saved one keeps its own."""
    name = settings.GALLERY_PARAMS
    if name not in PARAMS:
        raise GalleryError(f"GALLERY_PARAMS is {name!r}; choose one of {', '.join(PARAMS)}")
    return PARAMS[name]


def _index() -> GalleryIndex:
    """The index for the current settings; a changed setting means a freshly loaded one."""
    config = IndexConfig(
        root=directory(),
        params=params(),
        params_source=f"GALLERY_PARAMS={settings.GALLERY_PARAMS!r}",
        rebuild_hint="run `borderwatch gallery rebuild`",
    )
    index = _cache.get(str(config.root))
    if index is None or index.config != config:
        index = _cache[str(config.root)] = GalleryIndex(config)
    return index


def size() -> int:
    """Persons in the gallery."""
    return _index().size()


def finger_count() -> int:
    """Fingers in the gallery."""
    return _index().finger_count()


def journal_entries() -> int:
    """Records in the journal since the snapshot (what compaction would fold in)."""
    return _index().journal_entries()


def _usable(fingers: Mapping[int, Template]) -> dict[int, Template]:
    """The fingers that may be enrolled: quality above 0 and some minutiae."""
    return {p: t for p, t in fingers.items() if t.quality > 0 and len(t) > 0}


def enrol(person_id: int, fingers: Mapping[int, Template]) -> None:
    """Add a person, or replace all of their fingers with these (those of quality 0 left out;
    a person with none left is not enrolled)."""
    usable = _usable(fingers)
    if usable:
        _index().enrol(str(person_id), usable)


def remove(person_id: int) -> None:
    """Take a person out of the gallery (erasure); nothing happens if they are not in it."""
    _index().remove(str(person_id))


def search(
    fingers: Mapping[int, Template], k: int = 10, exclude: int | None = None
) -> tuple[list[Candidate], int]:
    """The k best other persons and the gallery size searched."""
    return _index().search(fingers, k=k, exclude=None if exclude is None else str(exclude))


def search_and_enrol(
    person_id: int, fingers: Mapping[int, Template], k: int = 10
) -> tuple[list[Candidate], int]:
    """Search, then enrol the probe, under one lock: two simultaneous captures of the same
    person in two states cannot miss each other (the second one finds the first). Fingers of
    quality 0 neither search nor enrol; with none left nothing is searched."""
    usable = _usable(fingers)
    if not usable:
        return [], size()
    return _index().search_and_enrol(str(person_id), usable, k=k)


def replace(gallery: Gallery) -> None:
    """Make this gallery the whole index: a new snapshot, an empty journal."""
    _index().replace(gallery)


def rebuild(items: Iterable[tuple[int, Mapping[int, Template]]]) -> int:
    """Replace the gallery with these persons' fingers (of quality above 0); returns how many
    persons."""
    usable = ((str(pid), _usable(fingers)) for pid, fingers in items)
    return _index().rebuild((sid, fingers) for sid, fingers in usable if fingers)


def compact(force: bool = False) -> bool:
    """Fold the journal into a new snapshot; False if another process is compacting, the
    journal is below GALLERY_JOURNAL_LIMIT (unless force), or the index was replaced meanwhile.
    """
    return _index().compact(min_entries=1 if force else _limit())


def _limit() -> int:
    return int(settings.GALLERY_JOURNAL_LIMIT)


def compaction_due() -> bool:
    return journal_entries() >= _limit()


__all__ = [
    "GalleryError",
    "compact",
    "compaction_due",
    "directory",
    "enrol",
    "finger_count",
    "journal_entries",
    "params",
    "rebuild",
    "remove",
    "replace",
    "search",
    "search_and_enrol",
    "size",
]
