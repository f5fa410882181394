"""The registration gallery: the engine's index (tests/engines/fingerprint/test_gallery_index.py)
driven by the settings, keyed by person id, compacted by a task and a command."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.engines.fingerprint import synthetic
from borderwatch.engines.fingerprint.gallery import Gallery, GalleryError
from borderwatch.engines.fingerprint.template import Template
from borderwatch.registration import gallery, services
from tests.registration.conftest import new_person, synthetic_set

SEED = 31


def prints(
    subject: int, impression: int, fingers: tuple[int, ...] = (1, 2, 3)
) -> dict[int, Template]:
    return {f: synthetic.impression(SEED, subject, f, impression) for f in fingers}


def found(subject: int, fingers: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    return [c.subject_id for c in gallery.search(prints(subject, 1, fingers), k=3)[0]]


def as_another_process() -> None:
    """Forget what this process loaded, as a gunicorn worker that never saw the writes."""
    gallery._cache.clear()


def snapshot() -> str:
    return (Path(settings.GALLERY_DIR) / "CURRENT").read_text().strip()


def test_enrolment_appends_to_the_journal_and_others_replay_it() -> None:
    gallery.rebuild([(1, prints(1, 0)), (2, prints(2, 0))])
    before = snapshot()
    gallery.enrol(3, prints(3, 0))
    assert snapshot() == before and gallery.journal_entries() == 1
    as_another_process()
    assert gallery.size() == 3 and found(3)[0] == "3" and found(1)[0] == "1"


def test_search_and_enrol_finds_journal_entries_and_counts_others() -> None:
    gallery.enrol(1, prints(1, 0))
    hits, searched = gallery.search_and_enrol(2, prints(1, 1))
    assert [c.subject_id for c in hits][:1] == ["1"] and searched == 1
    hits, searched = gallery.search_and_enrol(2, prints(1, 2))  # the same person again
    assert searched == 1 and gallery.size() == 2
    assert [c.subject_id for c in gallery.search(prints(1, 1), exclude=1)[0]] == ["2"]


def test_compaction_folds_the_journal_into_a_new_snapshot(settings) -> None:  # type: ignore[no-untyped-def]
    gallery.rebuild([(1, prints(1, 0))])
    for s in (2, 3, 4):
        gallery.enrol(s, prints(s, 0))
    gallery.remove(1)
    settings.GALLERY_JOURNAL_LIMIT = 5
    assert not gallery.compaction_due() and not gallery.compact()
    before = snapshot()
    assert gallery.compact(force=True)
    root = Path(settings.GALLERY_DIR)
    assert snapshot() != before and not (root / before).exists()
    assert gallery.journal_entries() == 0 and sorted(p.name for p in root.glob("*.journal")) == [
        f"{snapshot()}.journal"
    ]
    assert Gallery.load(root).subjects() == ["2", "3", "4"]
    as_another_process()
    assert [found(s)[0] for s in (2, 3, 4)] == ["2", "3", "4"] and "1" not in found(1)


def test_a_gallery_of_other_parameters_must_be_rebuilt(settings) -> None:  # type: ignore[no-untyped-def]
    gallery.rebuild([(1, prints(1, 0))])
    settings.GALLERY_PARAMS = "fast"
    as_another_process()
    with pytest.raises(GalleryError, match=r"GALLERY_PARAMS='fast'.*gallery rebuild"):
        gallery.size()
    gallery.rebuild([(1, prints(1, 0))])
    assert found(1)[0] == "1"
    settings.GALLERY_PARAMS = "tiny"
    with pytest.raises(GalleryError, match="choose one of default, fast"):
        gallery.params()


@pytest.mark.django_db
def test_the_task_compacts_once_the_journal_is_long(
    settings,  # type: ignore[no-untyped-def]
    officer_lt: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    settings.GALLERY_JOURNAL_LIMIT = 2
    for subject in (1, 2):
        fs = synthetic_set(new_person(officer_lt, "LT"), subject=subject, impression=0)
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            services.request_identification(officer_lt, fs.pk)
    assert gallery.journal_entries() == 0 and gallery.size() == 2
    assert AuditEntry.objects.filter(action="registration.gallery.compact").count() == 1


@pytest.mark.django_db
def test_gallery_command_compacts_counts_and_names_a_damaged_journal() -> None:
    gallery.rebuild([(1, prints(1, 0))])
    gallery.enrol(2, prints(2, 0))
    out = io.StringIO()
    call_command("gallery", "size", stdout=out)
    assert "2 persons, 6 fingers" in out.getvalue() and "1 journal records" in out.getvalue()
    call_command("gallery", "compact", stdout=out)
    assert "Folded 1 journal records" in out.getvalue() and gallery.journal_entries() == 0
    gallery.enrol(3, prints(3, 0))
    path = Path(settings.GALLERY_DIR) / f"{snapshot()}.journal"
    path.write_bytes(b"JUNK" + path.read_bytes()[4:])
    as_another_process()
    with pytest.raises(CommandError, match=r"\.journal: no journal record at byte 0"):
        call_command("gallery", "size")
