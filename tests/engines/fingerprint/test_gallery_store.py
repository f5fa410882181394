"""Gallery: add/remove/persist/reload round-trip, mate search, malformed files rejected."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from borderwatch.engines.fingerprint import gallery, mcc, synthetic

SEED = 8
SUBJECTS = 12


@pytest.fixture(scope="module")
def built() -> gallery.Gallery:
    g = gallery.Gallery()
    for s in range(SUBJECTS):
        g.add(f"P{s}", {f: synthetic.impression(SEED, s, f, 0) for f in (1, 2, 6, 7)})
    return g


def _probe(s: int) -> dict[int, object]:
    return {f: synthetic.impression(SEED, s, f, 1) for f in (1, 2, 6, 7)}


def test_search_finds_the_mate_first(built: gallery.Gallery) -> None:
    for s in (0, 5, 11):
        found = built.search(_probe(s), k=3, shortlist=5)  # type: ignore[arg-type]
        assert found[0].subject_id == f"P{s}"
        assert set(found[0].finger_scores) == {1, 2, 6, 7}
        assert found[0].score > found[1].score


def test_persist_reload_round_trip(built: gallery.Gallery, tmp_path: Path) -> None:
    built.save(tmp_path)
    again = gallery.Gallery.load(tmp_path)
    assert again.subjects() == built.subjects()
    assert len(again) == len(built) == 4 * SUBJECTS
    a = built.search(_probe(3), k=5)  # type: ignore[arg-type]
    b = again.search(_probe(3), k=5)  # type: ignore[arg-type]
    assert [(c.subject_id, round(c.score, 9)) for c in a] == [
        (c.subject_id, round(c.score, 9)) for c in b
    ]


def test_add_remove_then_reload(tmp_path: Path) -> None:
    g = gallery.Gallery()
    g.add("A", {1: synthetic.impression(1, 0, 1, 0)})
    g.add("B", {1: synthetic.impression(1, 1, 1, 0), 2: synthetic.impression(1, 1, 2, 0)})
    g.save(tmp_path)
    g = gallery.Gallery.load(tmp_path)
    assert g.remove("A") == 1
    g.add("C", {3: synthetic.impression(1, 2, 3, 0)})
    g.add("B", {2: synthetic.impression(1, 1, 2, 1)})  # replaces B's finger 2
    g.save(tmp_path)
    g = gallery.Gallery.load(tmp_path)
    assert g.subjects() == ["B", "C"]
    assert g.fingers_of("B") == [1, 2]
    assert len(g) == 3
    assert [c.subject_id for c in g.search({1: synthetic.impression(1, 0, 1, 1)})] != ["A"]
    with pytest.raises(KeyError):
        g.remove("A")
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("snapshot-")]) == 1


def test_missing_gallery_is_reported(tmp_path: Path) -> None:
    with pytest.raises(gallery.GalleryError, match="CURRENT"):
        gallery.Gallery.load(tmp_path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda s: (s / "meta.json").write_text("{not json"), "not valid JSON"),
        (lambda s: (s / "bits.npy").write_bytes(b"garbage"), "bits.npy"),
        (lambda s: (s / "offsets.npy").unlink(), "offsets.npy is missing"),
        (lambda s: np.save(s / "position.npy", np.zeros(3, dtype=np.float64)), "position.npy"),
        (lambda s: np.save(s / "position.npy", np.full(3, 11, dtype=np.int8)), "outside 1..10"),
        (lambda s: _edit_meta(s, version=99), "version 99"),
        (lambda s: _edit_meta(s, cylinders=1), "counts differ"),
    ],
)
def test_malformed_gallery_is_rejected(tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    g = gallery.Gallery()
    for s in range(3):
        g.add(f"S{s}", {1: synthetic.impression(2, s, 1, 0)})
    snap = g.save(tmp_path)
    damage(snap)
    with pytest.raises(gallery.GalleryError, match=message):
        gallery.Gallery.load(tmp_path)


def _edit_meta(snap: Path, **changes: object) -> None:
    meta = json.loads((snap / "meta.json").read_text())
    meta.update(changes)
    (snap / "meta.json").write_text(json.dumps(meta))


def test_bad_positions_are_refused(built: gallery.Gallery) -> None:
    with pytest.raises(ValueError, match=r"1\.\.10"):
        built.search({11: synthetic.impression(1, 0, 1, 0)})
    with pytest.raises(ValueError, match=r"1\.\.10"):
        gallery.Gallery().add("X", {0: synthetic.impression(1, 0, 1, 0)})


def test_snapshot_from_before_the_relaxation_cap_loads_uncapped(tmp_path: Path) -> None:
    g = gallery.Gallery()
    g.add("S0", {1: synthetic.impression(3, 0, 1, 0)})
    snap = g.save(tmp_path)
    meta = json.loads((snap / "meta.json").read_text())
    del meta["params"]["max_nr"]  # as written by format version 1 before the cap existed
    (snap / "meta.json").write_text(json.dumps(meta))
    assert gallery.Gallery.load(tmp_path).params.max_nr == 0


def test_snapshot_from_before_any_rotation_loads_with_the_upright_gate(tmp_path: Path) -> None:
    g = gallery.Gallery()
    g.add("S0", {1: synthetic.impression(3, 0, 1, 0)})
    snap = g.save(tmp_path)
    meta = json.loads((snap / "meta.json").read_text())
    del meta["params"]["any_rotation"]  # as written before matching at any rotation existed
    (snap / "meta.json").write_text(json.dumps(meta))
    params = gallery.Gallery.load(tmp_path).params
    assert (params.any_rotation, params.max_nr) == (False, mcc.DEFAULT_PARAMS.max_nr)


def test_gallery_with_fast_parameters_round_trips(tmp_path: Path) -> None:
    g = gallery.Gallery(mcc.FAST_PARAMS)
    for s in range(4):
        g.add(f"S{s}", {f: synthetic.impression(4, s, f, 0) for f in (1, 2)})
    g.save(tmp_path)
    again = gallery.Gallery.load(tmp_path)
    assert again.params == mcc.FAST_PARAMS
    probe = {f: synthetic.impression(4, 2, f, 1) for f in (1, 2)}
    assert again.search(probe, k=1)[0].subject_id == "S2"  # type: ignore[arg-type]


def test_unsaved_fingers_are_replaced_and_removed_in_place() -> None:
    g = gallery.Gallery()
    g.add("A", {1: synthetic.impression(6, 0, 1, 0), 2: synthetic.impression(6, 0, 2, 0)})
    g.add("A", {2: synthetic.impression(6, 0, 2, 1)})  # replaces A's unsaved finger 2
    g.add("B", {1: synthetic.impression(6, 1, 1, 0)})
    assert len(g) == 3 and g.fingers_of("A") == [1, 2]
    assert g.remove("B") == 1
    assert len(g) == 2 and g.subjects() == ["A"]
    found = g.search({2: synthetic.impression(6, 0, 2, 1)}, k=1)
    assert found[0].subject_id == "A" and found[0].finger_scores[2] > 0.9
