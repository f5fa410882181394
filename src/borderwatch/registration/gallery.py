"""The persistent 1:N gallery under GALLERY_DIR, keyed by person id: a snapshot and a journal.

The database is the system of record (Finger.template); this is an index that `borderwatch
gallery rebuild` recreates from it. It has two parts:

- a snapshot (the engine's Gallery, memory-mapped, so gunicorn workers share its pages), and
- a journal of the enrolments and removals since that snapshot (engines/fingerprint/journal.py).

An enrolment appends one record to the journal under an exclusive file lock; it never rewrites
the snapshot, which at a million fingers takes about a minute. Each process keeps the snapshot
it loaded and replays only the journal records it has not seen yet, into a small in-memory
gallery; a search looks in both and merges the results. A person enrolled again replaces their
fingers: their snapshot rows are hidden in memory. Compaction (`borderwatch gallery compact`,
or the task queued once the journal holds GALLERY_JOURNAL_LIMIT records) folds the journal into
a new snapshot while searches and enrolments go on, then switches to it under the lock, carrying
over the records appended meanwhile.
"""

from __future__ import annotations

import fcntl
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from borderwatch.engines.fingerprint import journal, mcc, signature
from borderwatch.engines.fingerprint.gallery import Candidate, Gallery, GalleryError, publish
from borderwatch.engines.fingerprint.template import Template

PARAMS: dict[str, mcc.MccParams] = {"default": mcc.DEFAULT_PARAMS, "fast": mcc.FAST_PARAMS}

_cache: dict[str, _Index] = {}
_thread_lock = threading.Lock()


@dataclass
class _Index:
    """What one process has loaded: a snapshot plus the journal replayed up to offset."""

    name: str
    base: Gallery
    delta: Gallery
    offset: int = 0
    entries: int = 0

    def apply(self, entry: journal.Entry) -> None:
        sid = entry.subject_id
        if sid in self.base:
            self.base.remove(sid)  # in memory only: the snapshot on disk is untouched
        if sid in self.delta:
            self.delta.remove(sid)
        if entry.fingers:
            self.delta.add_encoded(sid, entry.fingers)
        self.entries += 1

    def size(self) -> int:
        return self.base.subject_count() + self.delta.subject_count()

    def fingers(self) -> int:
        return len(self.base) + len(self.delta)

    def __contains__(self, sid: str) -> bool:
        return sid in self.base or sid in self.delta

    def search(self, probe: Mapping[int, Template], k: int) -> list[Candidate]:
        found = self.base.search(probe, k=k) + self.delta.search(probe, k=k)
        return sorted(found, key=lambda c: -c.score)[:k]


def directory() -> Path:
    return Path(settings.GALLERY_DIR)


def params() -> mcc.MccParams:
    """MCC parameters of a new gallery (settings.GALLERY_PARAMS); a saved one keeps its own."""
    name = settings.GALLERY_PARAMS
    if name not in PARAMS:
        raise GalleryError(f"GALLERY_PARAMS is {name!r}; choose one of {', '.join(PARAMS)}")
    return PARAMS[name]


def _current(root: Path) -> str:
    pointer = root / "CURRENT"
    return pointer.read_text().strip() if pointer.is_file() else ""


def _journal_path(root: Path, name: str) -> Path:
    return root / f"{name}.journal"


@contextmanager
def _locked(root: Path, exclusive: bool = True) -> Iterator[None]:
    """Writers exclusive, searches shared, across processes; one thread at a time within one."""
    root.mkdir(parents=True, exist_ok=True)
    with _thread_lock, open(root / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _index(root: Path) -> _Index:
    """The index as saved now: reload the snapshot if CURRENT moved, then replay new records."""
    name = _current(root)
    idx = _cache.get(str(root))
    if idx is None or idx.name != name:
        base = Gallery.load(root, mmap=True) if name else Gallery(params())
        if base.params != params():
            raise GalleryError(
                f"the gallery in {root} was encoded with other MCC parameters than"
                f" GALLERY_PARAMS={settings.GALLERY_PARAMS!r}; run `borderwatch gallery rebuild`"
            )
        idx = _Index(name, base, Gallery(base.params))
        _cache[str(root)] = idx
    if name:
        entries, idx.offset = journal.read(_journal_path(root, name), idx.offset)
        for entry in entries:
            idx.apply(entry)
    return idx


def _writable_index(root: Path) -> _Index:
    """As _index, with a snapshot on disk for the journal to follow (an empty one at first)."""
    if not _current(root):
        Gallery(params()).save(root)
    return _index(root)


def _usable(fingers: Mapping[int, Template]) -> dict[int, Template]:
    """Fingers with minutiae: an empty template can neither find nor be found."""
    return {pos: t for pos, t in fingers.items() if len(t) > 0}


def _append_put(root: Path, idx: _Index, person_id: int, fingers: Mapping[int, Template]) -> None:
    encoded = {
        pos: (mcc.encode(t, idx.base.params), signature.signature(t)) for pos, t in fingers.items()
    }
    record = journal.put_record(str(person_id), encoded, idx.base.params.words)
    idx.offset = journal.append(_journal_path(root, idx.name), record, idx.offset)
    idx.apply(journal.Entry(str(person_id), encoded))


def size() -> int:
    """Persons in the gallery."""
    with _locked(directory(), exclusive=False):
        return _index(directory()).size()


def finger_count() -> int:
    """Fingers in the gallery."""
    with _locked(directory(), exclusive=False):
        return _index(directory()).fingers()


def journal_entries() -> int:
    """Records in the journal since the snapshot (what compaction would fold in)."""
    with _locked(directory(), exclusive=False):
        return _index(directory()).entries


def enrol(person_id: int, fingers: Mapping[int, Template]) -> None:
    """Add a person, or replace all of their fingers with these."""
    usable = _usable(fingers)
    if not usable:
        return
    root = directory()
    with _locked(root):
        _append_put(root, _writable_index(root), person_id, usable)


def remove(person_id: int) -> None:
    """Take a person out of the gallery (erasure); nothing happens if they are not in it."""
    root = directory()
    with _locked(root):
        idx = _writable_index(root)
        if str(person_id) not in idx:
            return
        record = journal.remove_record(str(person_id))
        idx.offset = journal.append(_journal_path(root, idx.name), record, idx.offset)
        idx.apply(journal.Entry(str(person_id), None))


def search(
    fingers: Mapping[int, Template], k: int = 10, exclude: int | None = None
) -> tuple[list[Candidate], int]:
    """The k best other persons and the gallery size searched."""
    usable = _usable(fingers)
    root = directory()
    with _locked(root, exclusive=False):
        idx = _index(root)
        found = idx.search(usable, k=k + 1) if usable else []
        searched = idx.size()
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
        idx = _writable_index(root)
        found = idx.search(usable, k=k + 1) if usable else []
        searched = idx.size() - (str(person_id) in idx)
        if usable:
            _append_put(root, idx, person_id, usable)
    others = [c for c in found if c.subject_id != str(person_id)][:k]
    return others, searched


def replace(gallery: Gallery) -> None:
    """Make this gallery the whole index: a new snapshot, an empty journal."""
    root = directory()
    with _locked(root):
        snapshot = gallery.write(root)
        _switch(root, snapshot.name, b"")


def rebuild(items: Iterable[tuple[int, Mapping[int, Template]]]) -> int:
    """Replace the gallery with these persons' fingers; returns how many persons."""
    gallery = Gallery(params())
    n = 0
    for person_id, fingers in items:
        usable = _usable(fingers)
        if usable:
            gallery.add(str(person_id), usable)
            n += 1
    replace(gallery)
    return n


def compact(force: bool = False) -> bool:
    """Fold the journal into a new snapshot; False if another process is compacting, the
    journal is below GALLERY_JOURNAL_LIMIT (unless force), or the index was replaced meanwhile.

    The slow part (writing the snapshot) runs without the gallery lock, so searches and
    enrolments go on; records appended during it are carried over to the new journal.
    """
    root = directory()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".compact.lock", "a") as guard:
        try:
            fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        with _locked(root):
            name = _current(root)
            entries, end = journal.read(_journal_path(root, name), 0) if name else ([], 0)
            if not name or not entries or (not force and len(entries) < _limit()):
                return False
            merged = Gallery.load(root, mmap=True)
        for entry in entries:
            if entry.subject_id in merged:
                merged.remove(entry.subject_id)
            if entry.fingers:
                merged.add_encoded(entry.subject_id, entry.fingers)
        snapshot = merged.write(root)
        del merged
        with _locked(root):
            if _current(root) != name:
                shutil.rmtree(snapshot, ignore_errors=True)
                return False
            path = _journal_path(root, name)
            _, tail_end = journal.read(path, end)
            with open(path, "rb") as fh:
                fh.seek(end)
                tail = fh.read(tail_end - end)
            _switch(root, snapshot.name, tail)
    return True


def _limit() -> int:
    return int(settings.GALLERY_JOURNAL_LIMIT)


def compaction_due() -> bool:
    return journal_entries() >= _limit()


def _switch(root: Path, name: str, journal_tail: bytes) -> None:
    """Under the lock: start the new snapshot's journal with these records, publish it and
    delete the old journals (publish deletes the old snapshots)."""
    journal.append(_journal_path(root, name), journal_tail, 0)
    publish(root, name)
    for old in root.glob("snapshot-*.journal"):
        if old.name != f"{name}.journal":
            old.unlink(missing_ok=True)
    _cache.pop(str(root), None)


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
