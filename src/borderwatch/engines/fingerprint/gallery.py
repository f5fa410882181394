"""A gallery of fingers by subject id and finger position, with tenprint 1:N search.

Storage is a directory of plain .npy arrays (memory-mapped on load) plus meta.json:

    <dir>/CURRENT            name of the live snapshot, replaced atomically (os.replace)
    <dir>/<snapshot>/meta.json
    <dir>/<snapshot>/{subject,position,offsets,bits,mask,geometry,signatures}.npy

A save writes a complete new snapshot, fsyncs it, then flips CURRENT, so a crash leaves the
old gallery intact; removals are tombstones until the next save compacts them away.

Search is two-stage so that it does not compare every template in full: an integer dot
product of compact per-finger signatures (signature.py) fused over the probe's fingers picks
a shortlist of subjects, then full MCC (mcc.py, cylinders precomputed at enrolment) scores
each shortlisted subject finger by finger; the fused score is the mean over the probe's
fingers. Both stages run on all cores (numba prange).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint import mcc, signature
from borderwatch.engines.fingerprint.template import Template

FORMAT = "borderwatch-fingerprint-gallery"
VERSION = 1
ARRAYS: dict[str, tuple[str, int]] = {
    # name: (dtype, ndim)
    "subject": ("int64", 1),
    "position": ("int8", 1),
    "offsets": ("int64", 1),
    "bits": ("uint64", 2),
    "mask": ("uint64", 2),
    "geometry": ("float32", 2),
    "signatures": ("uint8", 2),
}


# MCC parameters added after format version 1 was first written, with the value that
# reproduces how such older snapshots were scored.
LATER_PARAMS: dict[str, object] = {"max_nr": 0, "any_rotation": False}


class GalleryError(ValueError):
    """A gallery directory is missing, malformed or corrupt; the message says which file."""


@dataclass(frozen=True)
class Candidate:
    """One search result: the subject, its fused score and the score of each finger compared."""

    subject_id: str
    score: float
    finger_scores: dict[int, float]


@dataclass
class _Finger:
    subject: int
    position: int
    cylinders: mcc.Cylinders
    signature: npt.NDArray[np.uint8]


class Gallery:
    """Templates enrolled by (subject id, finger position 1..10); one template per pair."""

    def __init__(self, params: mcc.MccParams = mcc.DEFAULT_PARAMS) -> None:
        self.params = params
        self._subjects: list[str] = []
        self._subject_index: dict[str, int] = {}
        # packed, possibly memory-mapped, fingers
        self._subject = np.zeros(0, dtype=np.int64)
        self._position = np.zeros(0, dtype=np.int8)
        self._offsets = np.zeros(1, dtype=np.int64)
        self._bits = np.zeros((0, params.words), dtype=np.uint64)
        self._mask = np.zeros((0, params.words), dtype=np.uint64)
        self._geometry = np.zeros((0, 3), dtype=np.float32)
        self._signatures = np.zeros((0, signature.DIM), dtype=np.uint8)
        self._alive = np.zeros(0, dtype=np.bool_)
        # fingers added since the last pack, by (subject, position): O(1) replace and drop,
        # so bulk builds of a million fingers stay linear
        self._pending: dict[tuple[int, int], _Finger] = {}
        self._rows: dict[tuple[int, int], int] = {}

    # ---- enrolment -------------------------------------------------------------------------
    def add(self, subject_id: str, fingers: Mapping[int, Template]) -> None:
        """Enrol a subject's fingers (position -> template); replaces fingers already there."""
        if not subject_id:
            raise ValueError("subject id must not be empty")
        for pos in fingers:
            if not 1 <= pos <= 10:
                raise ValueError(f"finger position {pos} is not 1..10")
        encoded = {
            pos: (mcc.encode(t, self.params), signature.signature(t)) for pos, t in fingers.items()
        }
        self.add_encoded(subject_id, encoded)

    def add_encoded(
        self, subject_id: str, fingers: Mapping[int, tuple[mcc.Cylinders, npt.NDArray[np.uint8]]]
    ) -> None:
        """Enrol fingers whose cylinders and signatures were computed already (bulk builds)."""
        s = self._subject_index.get(subject_id)
        if s is None:
            s = len(self._subjects)
            self._subjects.append(subject_id)
            self._subject_index[subject_id] = s
        for pos, (cyl, sig) in fingers.items():
            if cyl.bits.shape[1:] != (self.params.words,):
                raise ValueError("cylinders were encoded with other parameters than the gallery's")
            self._drop(s, pos)
            finger = _Finger(s, int(pos), cyl, np.asarray(sig, dtype=np.uint8))
            self._pending[(s, int(pos))] = finger

    def remove(self, subject_id: str) -> int:
        """Remove every finger of a subject; returns how many were removed (KeyError if none)."""
        s = self._subject_index.get(subject_id)
        if s is None:
            raise KeyError(f"subject {subject_id!r} is not in the gallery")
        removed = sum(self._drop(s, pos) for pos in range(1, 11))
        del self._subject_index[subject_id]
        if removed == 0:
            raise KeyError(f"subject {subject_id!r} is not in the gallery")
        return removed

    def _drop(self, s: int, pos: int) -> int:
        dropped = int(self._pending.pop((s, pos), None) is not None)
        row = self._rows.pop((s, pos), None)
        if row is not None:
            if not self._alive.flags.writeable:
                self._alive = self._alive.copy()
            self._alive[row] = False
            dropped += 1
        return dropped

    def _pack(self) -> None:
        """Move pending fingers into the packed arrays (copies memory-mapped arrays once)."""
        if not self._pending:
            return
        p = list(self._pending.values())
        counts = np.array([len(f.cylinders) for f in p], dtype=np.int64)
        base = self._offsets[-1]
        self._offsets = np.concatenate([self._offsets, base + np.cumsum(counts)])
        self._subject = np.concatenate([self._subject, [f.subject for f in p]]).astype(np.int64)
        self._position = np.concatenate([self._position, [f.position for f in p]]).astype(np.int8)
        self._bits = np.concatenate([self._bits, *[f.cylinders.bits for f in p]])
        self._mask = np.concatenate([self._mask, *[f.cylinders.mask for f in p]])
        self._geometry = np.concatenate([self._geometry, *[f.cylinders.geometry for f in p]])
        self._signatures = np.concatenate([self._signatures, np.stack([f.signature for f in p])])
        first = len(self._alive)
        self._alive = np.concatenate([self._alive, np.ones(len(p), dtype=np.bool_)])
        for i, f in enumerate(p):
            self._rows[(f.subject, f.position)] = first + i
        self._pending = {}

    # ---- reads -----------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of enrolled fingers."""
        return int(self._alive.sum()) + len(self._pending)

    def subjects(self) -> list[str]:
        """Subject ids with at least one finger."""
        return sorted(self._subject_index)

    def subject_count(self) -> int:
        """Subjects with at least one finger (no sort: cheap on a million)."""
        return len(self._subject_index)

    def __contains__(self, subject_id: object) -> bool:
        return subject_id in self._subject_index

    def rename(self, new_ids: Mapping[str, str]) -> None:
        """Give subjects new ids (old -> new); ids not named keep theirs. The arrays are
        untouched: only the id list changes, so relabelling a million subjects is instant."""
        subjects = [new_ids.get(s, s) for s in self._subjects]
        alive = [subjects[i] for i in self._subject_index.values()]
        if len(set(alive)) != len(alive) or not all(alive):
            raise ValueError("renaming would give two subjects the same (or an empty) id")
        self._subjects = subjects
        self._subject_index = {subjects[i]: i for i in self._subject_index.values()}

    def fingers_of(self, subject_id: str) -> list[int]:
        """Finger positions enrolled for a subject."""
        s = self._subject_index.get(subject_id)
        if s is None:
            return []
        found = {pos for (sub, pos) in self._rows if sub == s}
        found |= {pos for (sub, pos) in self._pending if sub == s}
        return sorted(found)

    def search(
        self, probe: Mapping[int, Template], k: int = 10, shortlist: int = 200
    ) -> list[Candidate]:
        """Tenprint (or fewer fingers) search: the k best subjects, best first."""
        if not probe:
            raise ValueError("the probe has no fingers")
        if k < 1 or shortlist < 1:
            raise ValueError("k and shortlist must be positive")
        self._pack()
        n_subjects = len(self._subjects)
        if n_subjects == 0 or not self._alive.any():
            return []
        q_sig = np.zeros((11, signature.DIM), dtype=np.uint8)
        present = np.zeros(11, dtype=np.bool_)
        q_cyl: dict[int, mcc.Cylinders] = {}
        for pos, t in probe.items():
            if not 1 <= pos <= 10:
                raise ValueError(f"finger position {pos} is not 1..10")
            q_sig[pos] = signature.signature(t)
            present[pos] = True
            q_cyl[pos] = mcc.encode(t, self.params)
        pre = signature.prefilter_scores(
            self._signatures, self._position, self._alive, q_sig, present
        )
        fused = np.bincount(self._subject, weights=pre, minlength=n_subjects)
        m = min(shortlist, n_subjects)
        short = np.argpartition(-fused, m - 1)[:m] if m < n_subjects else np.arange(n_subjects)
        short = short[fused[short] > 0]
        scores = np.zeros((len(short), 11), dtype=np.float64)
        for pos, cyl in q_cyl.items():
            rows = np.array([self._rows.get((int(s), pos), -1) for s in short], dtype=np.int64)
            have = rows >= 0
            if have.any():
                scores[have, pos] = mcc.score_many(
                    cyl, self._bits, self._mask, self._geometry, self._offsets, rows[have],
                    self.params,
                )  # fmt: skip
        total = scores.sum(axis=1) / len(q_cyl)
        order = np.argsort(-total, kind="stable")[:k]
        return [
            Candidate(
                self._subjects[int(short[i])],
                float(total[i]),
                {pos: float(scores[i, pos]) for pos in sorted(q_cyl)},
            )
            for i in order
        ]

    # ---- persistence -----------------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write a compacted snapshot and switch CURRENT to it atomically; returns its path."""
        final = self.write(directory)
        publish(directory, final.name)
        return final

    def write(self, directory: str | os.PathLike[str]) -> Path:
        """Write a compacted, fsynced snapshot beside the live one without publishing it
        (publish() switches CURRENT), so a long write need not block readers or writers."""
        self._pack()
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        live = np.flatnonzero(self._alive)
        keep_subjects = np.unique(self._subject[live])
        remap = np.full(len(self._subjects), -1, dtype=np.int64)
        remap[keep_subjects] = np.arange(len(keep_subjects))
        counts = np.diff(self._offsets)[live]
        cyl_rows = (
            np.concatenate([np.arange(self._offsets[r], self._offsets[r + 1]) for r in live])
            if len(live)
            else np.zeros(0, dtype=np.int64)
        )
        arrays = {
            "subject": remap[self._subject[live]],
            "position": self._position[live],
            "offsets": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            "bits": self._bits[cyl_rows],
            "mask": self._mask[cyl_rows],
            "geometry": self._geometry[cyl_rows],
            "signatures": self._signatures[live],
        }
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "params": dataclasses.asdict(self.params),
            "signature_dim": signature.DIM,
            "fingers": len(live),
            "cylinders": len(cyl_rows),
            "subjects": [self._subjects[s] for s in keep_subjects],
        }
        name = f"snapshot-{uuid.uuid4().hex[:12]}"
        tmp = root / f".{name}.partial"
        tmp.mkdir()
        for key, arr in arrays.items():
            with open(tmp / f"{key}.npy", "wb") as fh:
                np.save(fh, np.ascontiguousarray(arr, dtype=ARRAYS[key][0]))
                fh.flush()
                os.fsync(fh.fileno())
        (tmp / "meta.json").write_text(json.dumps(meta))
        final = root / name
        tmp.rename(final)
        return final

    @classmethod
    def load(cls, directory: str | os.PathLike[str], mmap: bool = True) -> Gallery:
        """Open a saved gallery; arrays are memory-mapped read-only unless mmap is False."""
        root = Path(directory)
        pointer = root / "CURRENT"
        if not pointer.is_file():
            raise GalleryError(f"{root} is not a gallery: {pointer} is missing")
        name = pointer.read_text().strip()
        snap = root / name
        if not name.startswith("snapshot-") or "/" in name or not snap.is_dir():
            raise GalleryError(f"{pointer} names {name!r}, which is not a snapshot in {root}")
        meta = _read_meta(snap / "meta.json")
        params = _params_from(meta, snap / "meta.json")
        arrays = {
            key: _read_array(snap / f"{key}.npy", *spec, mmap) for key, spec in ARRAYS.items()
        }
        _check_consistent(arrays, meta, params, snap)
        g = cls(params)
        g._subjects = [str(x) for x in meta["subjects"]]  # type: ignore[attr-defined]
        g._subject_index = {s: i for i, s in enumerate(g._subjects)}
        g._subject = arrays["subject"]
        g._position = arrays["position"]
        g._offsets = arrays["offsets"]
        g._bits = arrays["bits"]
        g._mask = arrays["mask"]
        g._geometry = arrays["geometry"]
        g._signatures = arrays["signatures"]
        g._alive = np.ones(len(g._subject), dtype=np.bool_)
        g._rows = {
            (int(s), int(p)): i
            for i, (s, p) in enumerate(zip(g._subject, g._position, strict=True))
        }
        return g


def publish(directory: str | os.PathLike[str], name: str) -> None:
    """Point CURRENT at a written snapshot (atomic rename) and delete the other snapshots."""
    root = Path(directory)
    if not name.startswith("snapshot-") or not (root / name).is_dir():
        raise GalleryError(f"{root / name} is not a written snapshot")
    pointer = root / "CURRENT.partial"
    pointer.write_text(name + "\n")
    with open(pointer) as fh:
        os.fsync(fh.fileno())
    os.replace(pointer, root / "CURRENT")
    for old in root.iterdir():
        if old.is_dir() and old.name.startswith("snapshot-") and old.name != name:
            shutil.rmtree(old, ignore_errors=True)


def _read_meta(path: Path) -> dict[str, object]:
    try:
        meta = json.loads(path.read_text())
    except FileNotFoundError:
        raise GalleryError(f"{path} is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GalleryError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise GalleryError(f"{path} is not a {FORMAT} file")
    if meta.get("version") != VERSION:
        raise GalleryError(
            f"{path} has format version {meta.get('version')!r}; this software reads {VERSION}"
        )
    subjects = meta.get("subjects")
    if not isinstance(subjects, list) or not all(isinstance(s, str) and s for s in subjects):
        raise GalleryError(f"{path}: 'subjects' must be a list of non-empty strings")
    if len(set(subjects)) != len(subjects):
        raise GalleryError(f"{path}: 'subjects' lists a subject twice")
    if meta.get("signature_dim") != signature.DIM:
        raise GalleryError(
            f"{path}: signature size {meta.get('signature_dim')!r} != {signature.DIM}"
        )
    return meta


def _params_from(meta: Mapping[str, object], path: Path) -> mcc.MccParams:
    raw = meta.get("params")
    names = {f.name for f in dataclasses.fields(mcc.MccParams)}
    if isinstance(raw, dict) and names - LATER_PARAMS.keys() <= set(raw) < names:
        # a snapshot saved before some of these parameters existed
        raw = {**{k: v for k, v in LATER_PARAMS.items() if k not in raw}, **raw}
    if not isinstance(raw, dict) or set(raw) != names:
        raise GalleryError(f"{path}: 'params' must hold exactly the MCC parameters {sorted(names)}")
    try:
        return mcc.MccParams(**raw)
    except TypeError as exc:
        raise GalleryError(f"{path}: bad MCC parameters: {exc}") from None


def _read_array(path: Path, dtype: str, ndim: int, mmap: bool) -> npt.NDArray[Any]:
    try:
        arr: npt.NDArray[Any] = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except FileNotFoundError:
        raise GalleryError(f"{path} is missing") from None
    except (OSError, ValueError, EOFError) as exc:
        raise GalleryError(f"{path} is not a readable .npy array: {exc}") from None
    if arr.dtype != np.dtype(dtype) or arr.ndim != ndim:
        raise GalleryError(
            f"{path} holds {arr.dtype} with {arr.ndim} dims; expected {dtype}, {ndim}"
        )
    return arr


def _check_consistent(
    a: Mapping[str, np.ndarray], meta: Mapping[str, object], params: mcc.MccParams, snap: Path
) -> None:
    n = len(a["subject"])
    c = len(a["bits"])
    problems: list[str] = []
    if meta.get("fingers") != n or meta.get("cylinders") != c:
        problems.append("finger/cylinder counts differ from meta.json")
    if len(a["position"]) != n or len(a["signatures"]) != n or len(a["offsets"]) != n + 1:
        problems.append("per-finger arrays differ in length")
    if a["bits"].shape[1:] != (params.words,) or a["mask"].shape != a["bits"].shape:
        problems.append(f"cylinder arrays are not ({c}, {params.words})")
    if a["geometry"].shape != (c, 3):
        problems.append("geometry is not (cylinders, 3)")
    if a["signatures"].shape[1:] != (signature.DIM,):
        problems.append("signatures have the wrong width")
    if not problems:
        off = np.asarray(a["offsets"])
        subjects = meta["subjects"]
        assert isinstance(subjects, list)
        if off[0] != 0 or off[-1] != c or (np.diff(off) < 0).any():
            problems.append("offsets are not a non-decreasing run from 0 to the cylinder count")
        if n and (a["subject"].min() < 0 or a["subject"].max() >= len(subjects)):
            problems.append("a subject index is out of range")
        if n and (a["position"].min() < 1 or a["position"].max() > 10):
            problems.append("a finger position is outside 1..10")
        pairs = np.asarray(a["subject"]).astype(np.int64) * 16 + np.asarray(a["position"])
        if len(np.unique(pairs)) != n:
            problems.append("a (subject, finger) pair appears twice")
    if problems:
        raise GalleryError(f"gallery snapshot {snap} is corrupt: " + "; ".join(problems))


def build(
    items: Iterable[tuple[str, Mapping[int, Template]]], params: mcc.MccParams = mcc.DEFAULT_PARAMS
) -> Gallery:
    """A gallery from (subject id, fingers) pairs."""
    g = Gallery(params)
    for subject_id, fingers in items:
        g.add(subject_id, fingers)
    return g
