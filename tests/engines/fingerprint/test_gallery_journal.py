"""Journal records round-trip, a torn tail is dropped, damage is named; rename and the
write/publish split of snapshots."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from borderwatch.engines.fingerprint import gallery, journal, mcc, signature, synthetic

PARAMS = mcc.FAST_PARAMS


def _encoded(subject: int, fingers: tuple[int, ...]) -> dict[int, journal.Encoded]:
    out = {}
    for f in fingers:
        t = synthetic.impression(5, subject, f, 0)
        out[f] = (mcc.encode(t, PARAMS), signature.signature(t))
    return out


def test_records_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "j"
    put = _encoded(1, (1, 7))
    end = journal.append(path, journal.put_record("41", put, PARAMS.words), 0)
    end = journal.append(path, journal.remove_record("40"), end)
    entries, offset = journal.read(path)
    assert offset == end == path.stat().st_size
    assert [(e.subject_id, e.fingers is None) for e in entries] == [("41", False), ("40", True)]
    got = entries[0].fingers
    assert got is not None and sorted(got) == [1, 7]
    for f in (1, 7):
        assert np.array_equal(got[f][0].bits, put[f][0].bits)
        assert np.array_equal(got[f][0].mask, put[f][0].mask)
        assert np.array_equal(got[f][0].geometry, put[f][0].geometry)
        assert np.array_equal(got[f][1], put[f][1])
    # reading on from an offset returns only what came after it
    later, _ = journal.read(path, len(journal.put_record("41", put, PARAMS.words)))
    assert [e.subject_id for e in later] == ["40"]


def test_a_torn_tail_is_ignored_then_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "j"
    end = journal.append(path, journal.remove_record("1"), 0)
    whole = journal.put_record("2", _encoded(2, (3,)), PARAMS.words)
    with open(path, "ab") as fh:
        fh.write(whole[: len(whole) // 2])  # a writer died mid-append
    entries, offset = journal.read(path)
    assert [e.subject_id for e in entries] == ["1"] and offset == end
    end = journal.append(path, journal.remove_record("3"), offset)
    entries, _ = journal.read(path)
    assert [e.subject_id for e in entries] == ["1", "3"] and path.stat().st_size == end


def test_damage_is_reported_with_file_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "j"
    first = journal.remove_record("1")
    journal.append(path, first + journal.put_record("2", _encoded(2, (1,)), PARAMS.words), 0)
    data = bytearray(path.read_bytes())
    data[len(first) + 40] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(gallery.GalleryError, match=rf"{path}.*byte {len(first)}"):
        journal.read(path)
    path.write_bytes(b"XXXX" + bytes(data[4:]))
    with pytest.raises(gallery.GalleryError, match="no journal record at byte 0"):
        journal.read(path)


def test_cylinders_of_other_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="other parameters"):
        journal.put_record("1", _encoded(1, (1,)), mcc.DEFAULT_PARAMS.words)


def test_rename_changes_ids_only(tmp_path: Path) -> None:
    g = gallery.Gallery(PARAMS)
    for s in range(3):
        g.add(f"S{s}", {1: synthetic.impression(5, s, 1, 0)})
    g.rename({"S1": "101", "S2": "102"})
    assert g.subjects() == ["101", "102", "S0"] and "S1" not in g and g.subject_count() == 3
    best = g.search({1: synthetic.impression(5, 2, 1, 1)}, k=1)
    assert best[0].subject_id == "102"
    with pytest.raises(ValueError, match="same"):
        g.rename({"S0": "101"})
    g.save(tmp_path)
    assert gallery.Gallery.load(tmp_path).subjects() == ["101", "102", "S0"]


def test_write_leaves_current_until_published(tmp_path: Path) -> None:
    g = gallery.Gallery(PARAMS)
    g.add("A", {1: synthetic.impression(5, 0, 1, 0)})
    first = g.save(tmp_path)
    g.add("B", {1: synthetic.impression(5, 1, 1, 0)})
    second = g.write(tmp_path)
    assert gallery.Gallery.load(tmp_path).subjects() == ["A"] and first.is_dir()
    gallery.publish(tmp_path, second.name)
    assert gallery.Gallery.load(tmp_path).subjects() == ["A", "B"] and not first.exists()
    with pytest.raises(gallery.GalleryError, match="not a written snapshot"):
        gallery.publish(tmp_path, "snapshot-missing")
