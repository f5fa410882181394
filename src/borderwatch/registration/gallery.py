"""The persistent 1:N gallery under GALLERY_DIR: the engine's Gallery, keyed by person id.

The database is the system of record (Finger.template); this is an index that `borderwatch
gallery rebuild` recreates from it. Writers take an exclusive file lock, reload if another
process saved meanwhile, add, and save a new snapshot (the engine switches snapshots
atomically). Readers keep the loaded gallery per process (memory-mapped, so gunicorn workers
share the pages) and reload when CURRENT changes. Every save writes a whole snapshot: fine for
the demo's thousands of persons; at national scale the gallery shards (ARCHITECTURE.md section 7).
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from borderwatch.engines.fingerprint.gallery import Candidate, Gallery, GalleryError
from borderwatch.engines.fingerprint.template import Template

_cache: dict[str, tuple[str, Gallery]] = {}
_thread_lock = threading.Lock()


def directory() -> Path:
    return Path(settings.GALLERY_DIR)


def _current(root: Path) -> str:
    pointer = root / "CURRENT"
    return pointer.read_text().strip() if pointer.is_file() else ""


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with _thread_lock, open(root / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _load(root: Path) -> Gallery:
    """The gallery as saved now (cached while CURRENT is unchanged); empty if none yet."""
    name = _current(root)
    cached = _cache.get(str(root))
    if cached is not None and cached[0] == name:
        return cached[1]
    gallery = Gallery.load(root, mmap=True) if name else Gallery()
    _cache[str(root)] = (name, gallery)
    return gallery


def _save(root: Path, gallery: Gallery) -> None:
    gallery.save(root)
    _cache[str(root)] = (_current(root), gallery)


def size() -> int:
    """Subjects (persons) in the saved gallery."""
    with _locked(directory()):
        return len(_load(directory()).subjects())


def _usable(fingers: Mapping[int, Template]) -> dict[int, Template]:
    """Fingers with minutiae: an empty template can neither find nor be found."""
    return {pos: t for pos, t in fingers.items() if len(t) > 0}


def enrol(person_id: int, fingers: Mapping[int, Template]) -> None:
    """Add (or replace) a person's fingers and save."""
    usable = _usable(fingers)
    if not usable:
        return
    root = directory()
    with _locked(root):
        gallery = _load(root)
        gallery.add(str(person_id), usable)
        _save(root, gallery)


def remove(person_id: int) -> None:
    root = directory()
    with _locked(root):
        gallery = _load(root)
        try:
            gallery.remove(str(person_id))
        except KeyError:
            return
        _save(root, gallery)


def search(
    fingers: Mapping[int, Template], k: int = 10, exclude: int | None = None
) -> tuple[list[Candidate], int]:
    """The k best other persons and the gallery size searched."""
    usable = _usable(fingers)
    root = directory()
    with _locked(root):
        gallery = _load(root)
        found = gallery.search(usable, k=k + 1) if usable else []
        searched = len(gallery.subjects())
    others = [c for c in found if c.subject_id != str(exclude)][:k]
    return others, searched


def search_and_enrol(
    person_id: int, fingers: Mapping[int, Template], k: int = 10
) -> tuple[list[Candidate], int]:
    """Search, then enrol the probe, under one lock: two simultaneous captures of the same
    person in two states cannot miss each other (the second one finds the first)."""
    usable = _usable(fingers)
    root = directory()
    with _locked(root):
        gallery = _load(root)
        found = gallery.search(usable, k=k + 1) if usable else []
        searched = len([s for s in gallery.subjects() if s != str(person_id)])
        if usable:
            gallery.add(str(person_id), usable)
            _save(root, gallery)
    others = [c for c in found if c.subject_id != str(person_id)][:k]
    return others, searched


def rebuild(items: Iterable[tuple[int, Mapping[int, Template]]]) -> int:
    """Replace the gallery with these persons' fingers; returns how many persons."""
    root = directory()
    gallery = Gallery()
    n = 0
    for person_id, fingers in items:
        usable = _usable(fingers)
        if usable:
            gallery.add(str(person_id), usable)
            n += 1
    with _locked(root):
        _save(root, gallery)
    return n


__all__ = [
    "GalleryError",
    "directory",
    "enrol",
    "rebuild",
    "remove",
    "search",
    "search_and_enrol",
    "size",
]
