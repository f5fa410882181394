"""The persistent 1:N index in one directory: a snapshot plus a journal, safe across processes.

It has two parts:

- a snapshot (gallery.Gallery, memory-mapped, so worker processes share its pages), and
- a journal of the enrolments and removals since that snapshot (journal.py).

An enrolment appends one record to the journal under an exclusive file lock; it never rewrites
the snapshot, which at a million fingers takes about a minute. Each GalleryIndex keeps the
snapshot it loaded and replays only the journal records it has not seen yet, into a small
in-memory gallery; a search looks in both and merges the results. A subject enrolled again
replaces their fingers: their snapshot rows are hidden in memory. Compaction folds the journal
into a new snapshot while searches and enrolments go on, then switches to it under the lock,
carrying over the records appended meanwhile.

Subject ids are strings here; the caller (registration/gallery.py) maps its own keys to them.
"""

from __future__ import annotations

import fcntl
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from borderwatch.engines.fingerprint import journal, mcc, signature
from borderwatch.engines.fingerprint.gallery import Candidate, Gallery, GalleryError, publish
from borderwatch.engines.fingerprint.template import Template


@dataclass(frozen=True)
class IndexConfig:
    """Where the index lives and how a new one is encoded; the labels only word errors."""

    root: Path
    params: mcc.MccParams
    # named in the error when a saved index was encoded otherwise, e.g. "GALLERY_PARAMS='fast'"
    params_source: str = "the configured MCC parameters"
    # what to do then, e.g. "run `borderwatch gallery rebuild`"
    rebuild_hint: str = "rebuild the index"


@dataclass
class _Loaded:
    """What this process has loaded: a snapshot plus the journal replayed up to offset."""

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


def usable(fingers: Mapping[int, Template]) -> dict[int, Template]:
    """Fingers with minutiae: an empty template can neither find nor be found."""
    return {pos: t for pos, t in fingers.items() if len(t) > 0}


class GalleryIndex:
    """One directory's index as this process sees it; every method takes the file lock."""

    def __init__(self, config: IndexConfig) -> None:
        self.config = config
        self._loaded: _Loaded | None = None
        self._thread_lock = threading.Lock()

    @property
    def root(self) -> Path:
        return self.config.root

    # ---- reads -----------------------------------------------------------------------------
    def size(self) -> int:
        """Subjects in the index."""
        with self._locked(exclusive=False):
            return self._index().size()

    def finger_count(self) -> int:
        """Fingers in the index."""
        with self._locked(exclusive=False):
            return self._index().fingers()

    def journal_entries(self) -> int:
        """Records in the journal since the snapshot (what compaction would fold in)."""
        with self._locked(exclusive=False):
            return self._index().entries

    def search(
        self, fingers: Mapping[int, Template], k: int = 10, exclude: str | None = None
    ) -> tuple[list[Candidate], int]:
        """The k best subjects other than exclude, and the index size searched."""
        probe = usable(fingers)
        with self._locked(exclusive=False):
            idx = self._index()
            found = idx.search(probe, k=k + 1) if probe else []
            searched = idx.size()
        return [c for c in found if c.subject_id != exclude][:k], searched

    # ---- writes ----------------------------------------------------------------------------
    def enrol(self, subject_id: str, fingers: Mapping[int, Template]) -> None:
        """Add a subject, or replace all of their fingers with these."""
        new = usable(fingers)
        if not new:
            return
        with self._locked():
            self._append_put(self._writable_index(), subject_id, new)

    def remove(self, subject_id: str) -> None:
        """Take a subject out (erasure); nothing happens if they are not in the index."""
        with self._locked():
            idx = self._writable_index()
            if subject_id not in idx:
                return
            record = journal.remove_record(subject_id)
            idx.offset = journal.append(self._journal_path(idx.name), record, idx.offset)
            idx.apply(journal.Entry(subject_id, None))

    def search_and_enrol(
        self, subject_id: str, fingers: Mapping[int, Template], k: int = 10
    ) -> tuple[list[Candidate], int]:
        """Search, then enrol the probe, under one lock: two simultaneous captures of the same
        subject in two places cannot miss each other (the second one finds the first)."""
        probe = usable(fingers)
        with self._locked():
            idx = self._writable_index()
            found = idx.search(probe, k=k + 1) if probe else []
            searched = idx.size() - (subject_id in idx)
            if probe:
                self._append_put(idx, subject_id, probe)
        return [c for c in found if c.subject_id != subject_id][:k], searched

    def replace(self, gallery: Gallery) -> None:
        """Make this gallery the whole index: a new snapshot, an empty journal."""
        with self._locked():
            snapshot = gallery.write(self.root)
            self._switch(snapshot.name, b"")

    def rebuild(self, items: Iterable[tuple[str, Mapping[int, Template]]]) -> int:
        """Replace the index with these subjects' fingers; returns how many subjects."""
        gallery = Gallery(self.config.params)
        n = 0
        for subject_id, fingers in items:
            new = usable(fingers)
            if new:
                gallery.add(subject_id, new)
                n += 1
        self.replace(gallery)
        return n

    def compact(self, min_entries: int = 1) -> bool:
        """Fold the journal into a new snapshot; False if another process is compacting, the
        journal holds fewer than min_entries records, or the index was replaced meanwhile.

        The slow part (writing the snapshot) runs without the index lock, so searches and
        enrolments go on; records appended during it are carried over to the new journal.
        """
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        with open(root / ".compact.lock", "a") as guard:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            with self._locked():
                name = self._current()
                path = self._journal_path(name)
                entries, end = journal.read(path, 0) if name else ([], 0)
                if not name or not entries or len(entries) < min_entries:
                    return False
                merged = Gallery.load(root, mmap=True)
            for entry in entries:
                if entry.subject_id in merged:
                    merged.remove(entry.subject_id)
                if entry.fingers:
                    merged.add_encoded(entry.subject_id, entry.fingers)
            snapshot = merged.write(root)
            del merged
            with self._locked():
                if self._current() != name:
                    shutil.rmtree(snapshot, ignore_errors=True)
                    return False
                _, tail_end = journal.read(path, end)
                with open(path, "rb") as fh:
                    fh.seek(end)
                    tail = fh.read(tail_end - end)
                self._switch(snapshot.name, tail)
        return True

    # ---- internals -------------------------------------------------------------------------
    @contextmanager
    def _locked(self, exclusive: bool = True) -> Iterator[None]:
        """Writers exclusive, searches shared, across processes; one thread at a time within
        one (the loaded state is shared by this process's threads)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.root / ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _current(self) -> str:
        pointer = self.root / "CURRENT"
        return pointer.read_text().strip() if pointer.is_file() else ""

    def _journal_path(self, name: str) -> Path:
        return self.root / f"{name}.journal"

    def _index(self) -> _Loaded:
        """The index as saved now: reload the snapshot if CURRENT moved, then replay new
        records."""
        name = self._current()
        idx = self._loaded
        if idx is None or idx.name != name:
            params = self.config.params
            base = Gallery.load(self.root, mmap=True) if name else Gallery(params)
            if base.params != params:
                raise GalleryError(
                    f"the gallery in {self.root} was encoded with other MCC parameters than"
                    f" {self.config.params_source}; {self.config.rebuild_hint}"
                )
            idx = self._loaded = _Loaded(name, base, Gallery(base.params))
        if name:
            entries, idx.offset = journal.read(self._journal_path(name), idx.offset)
            for entry in entries:
                idx.apply(entry)
        return idx

    def _writable_index(self) -> _Loaded:
        """As _index, with a snapshot on disk for the journal to follow (an empty one at
        first)."""
        if not self._current():
            Gallery(self.config.params).save(self.root)
        return self._index()

    def _append_put(self, idx: _Loaded, subject_id: str, fingers: Mapping[int, Template]) -> None:
        params = idx.base.params
        encoded = {
            pos: (mcc.encode(t, params), signature.signature(t)) for pos, t in fingers.items()
        }
        record = journal.put_record(subject_id, encoded, params.words)
        idx.offset = journal.append(self._journal_path(idx.name), record, idx.offset)
        idx.apply(journal.Entry(subject_id, encoded))

    def _switch(self, name: str, journal_tail: bytes) -> None:
        """Under the lock: start the new snapshot's journal with these records, publish it
        and delete the old journals (publish deletes the old snapshots)."""
        journal.append(self._journal_path(name), journal_tail, 0)
        publish(self.root, name)
        for old in self.root.glob("snapshot-*.journal"):
            if old.name != f"{name}.journal":
                old.unlink(missing_ok=True)
        self._loaded = None
