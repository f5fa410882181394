"""The persistent index: enrolments go to a journal (the snapshot is not rewritten), other
processes replay it, compaction folds it in without losing records appended meanwhile."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from borderwatch.engines.fingerprint import mcc, synthetic
from borderwatch.engines.fingerprint.gallery import Gallery, GalleryError
from borderwatch.engines.fingerprint.index import GalleryIndex, IndexConfig
from borderwatch.engines.fingerprint.template import Template

SEED = 31


def prints(
    subject: int, impression: int, fingers: tuple[int, ...] = (1, 2, 3)
) -> dict[int, Template]:
    return {f: synthetic.impression(SEED, subject, f, impression) for f in fingers}


@pytest.fixture
def config(tmp_path: Path) -> IndexConfig:
    return IndexConfig(tmp_path / "gallery", mcc.DEFAULT_PARAMS)


@pytest.fixture
def index(config: IndexConfig) -> GalleryIndex:
    return GalleryIndex(config)


def found(index: GalleryIndex, subject: int, fingers: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    return [c.subject_id for c in index.search(prints(subject, 1, fingers), k=3)[0]]


def snapshot(index: GalleryIndex) -> str:
    return (index.root / "CURRENT").read_text().strip()


def test_enrolment_appends_to_the_journal_and_others_replay_it(index: GalleryIndex) -> None:
    index.rebuild([("1", prints(1, 0)), ("2", prints(2, 0))])
    before = snapshot(index)
    index.enrol("3", prints(3, 0))
    assert snapshot(index) == before and index.journal_entries() == 1
    other = GalleryIndex(index.config)  # another process, that never saw the writes
    assert other.size() == 3 and found(other, 3)[0] == "3" and found(other, 1)[0] == "1"
    assert other.finger_count() == 9


def test_a_new_set_replaces_every_finger_of_the_subject(index: GalleryIndex) -> None:
    index.rebuild([("1", prints(1, 0, (1, 2))), ("2", prints(2, 0, (1, 2)))])
    index.enrol("1", prints(1, 0, (5,)))
    other = GalleryIndex(index.config)
    assert "1" not in found(other, 1, (1, 2))  # the old fingers 1 and 2 of subject 1 are gone
    assert found(other, 1, (5,))[0] == "1" and other.size() == 2


def test_removal_hides_snapshot_and_journal_entries(index: GalleryIndex) -> None:
    index.rebuild([("1", prints(1, 0)), ("2", prints(2, 0))])
    index.enrol("3", prints(3, 0))
    index.remove("1")
    index.remove("3")
    index.remove("99")  # not in the index: nothing to do
    other = GalleryIndex(index.config)
    assert other.size() == 1 and "1" not in found(other, 1) and "3" not in found(other, 3)
    assert other.journal_entries() == 3


def test_search_and_enrol_finds_journal_entries_and_counts_others(index: GalleryIndex) -> None:
    index.enrol("1", prints(1, 0))
    hits, searched = index.search_and_enrol("2", prints(1, 1))
    assert [c.subject_id for c in hits][:1] == ["1"] and searched == 1
    hits, searched = index.search_and_enrol("2", prints(1, 2))  # the same subject again
    assert searched == 1 and index.size() == 2
    assert [c.subject_id for c in index.search(prints(1, 1), exclude="1")[0]] == ["2"]


def test_fingers_without_minutiae_are_not_enrolled(index: GalleryIndex) -> None:
    empty = Template.from_arrays(np.zeros((0, 3)), width=400, height=500)
    index.enrol("1", {1: empty})
    assert index.size() == 0 and index.search({1: empty}) == ([], 0)


def test_compaction_folds_the_journal_into_a_new_snapshot(index: GalleryIndex) -> None:
    index.rebuild([("1", prints(1, 0))])
    for s in ("2", "3", "4"):
        index.enrol(s, prints(int(s), 0))
    index.remove("1")
    assert not index.compact(min_entries=5)
    before = snapshot(index)
    assert index.compact()
    root = index.root
    assert snapshot(index) != before and not (root / before).exists()
    assert index.journal_entries() == 0 and sorted(p.name for p in root.glob("*.journal")) == [
        f"{snapshot(index)}.journal"
    ]
    assert Gallery.load(root).subjects() == ["2", "3", "4"]
    other = GalleryIndex(index.config)
    assert [found(other, s)[0] for s in (2, 3, 4)] == ["2", "3", "4"] and "1" not in found(other, 1)


def test_records_appended_while_compacting_are_kept(
    index: GalleryIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.rebuild([("1", prints(1, 0))])
    index.enrol("2", prints(2, 0))
    write = Gallery.write
    elsewhere = GalleryIndex(index.config)  # another process registering meanwhile

    def write_while_others_enrol(self: Gallery, directory: Path) -> Path:
        elsewhere.enrol("3", prints(3, 0))
        elsewhere.remove("1")
        return write(self, directory)

    monkeypatch.setattr(Gallery, "write", write_while_others_enrol)
    assert index.compact()
    monkeypatch.setattr(Gallery, "write", write)
    other = GalleryIndex(index.config)
    assert other.journal_entries() == 2 and other.size() == 2
    assert found(other, 3)[0] == "3" and found(other, 2)[0] == "2" and "1" not in found(other, 1)
    assert elsewhere.size() == 2  # the writer follows the switch too


def test_a_rebuild_during_compaction_wins(
    index: GalleryIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.rebuild([("1", prints(1, 0))])
    index.enrol("2", prints(2, 0))
    write = Gallery.write

    def rebuilt_meanwhile(self: Gallery, directory: Path) -> Path:
        out = write(self, directory)
        monkeypatch.setattr(Gallery, "write", write)
        GalleryIndex(index.config).rebuild([("7", prints(7, 0))])
        return out

    monkeypatch.setattr(Gallery, "write", rebuilt_meanwhile)
    assert not index.compact()
    assert index.size() == 1 and found(index, 7)[0] == "7"
    assert len([p for p in index.root.glob("snapshot-*") if p.is_dir()]) == 1


def test_an_index_of_other_parameters_must_be_rebuilt(config: IndexConfig) -> None:
    GalleryIndex(config).rebuild([("1", prints(1, 0))])
    fast = IndexConfig(config.root, mcc.FAST_PARAMS, params_source="FAST", rebuild_hint="redo it")
    with pytest.raises(GalleryError, match=r"other MCC parameters than FAST; redo it"):
        GalleryIndex(fast).size()
    index = GalleryIndex(fast)
    index.rebuild([("1", prints(1, 0))])
    assert found(index, 1)[0] == "1" and Gallery.load(config.root).params == mcc.FAST_PARAMS


def test_a_damaged_journal_is_named(index: GalleryIndex) -> None:
    index.enrol("1", prints(1, 0))
    path = index.root / f"{snapshot(index)}.journal"
    path.write_bytes(b"JUNK" + path.read_bytes()[4:])
    with pytest.raises(GalleryError, match=r"\.journal: no journal record at byte 0"):
        GalleryIndex(index.config).size()
