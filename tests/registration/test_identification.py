"""Identification: a task searches every state, hits wait for an expert, a confirmed hit links
the records and shows the other state only what Eurodac would."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role
from borderwatch.registration import gallery, selectors, services
from borderwatch.registration.models import Hit, IdentificationRequest, PersonLink
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def searched(
    officer_lt: User, officer_pl: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> IdentificationRequest:
    """Subject 1 enrolled in LT (with a passport), subject 2 elsewhere in LT; then subject 1's
    other impression registered in PL and searched."""
    lt = new_person(officer_lt, "LT", household="H-7", minor=False)
    services.add_document(
        officer_lt, lt.pk, doc_type="passport", number="A1234567", issuing_country="IQ"
    )
    synthetic_set(lt, subject=1, impression=0)
    synthetic_set(
        new_person(officer_lt, "LT", name_transliterated="Other"), subject=2, impression=0
    )
    assert services.rebuild_gallery() == 2
    pl = new_person(officer_pl, "PL", name_transliterated="Ali Hasan")
    fs = synthetic_set(pl, subject=1, impression=1)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        req = services.request_identification(officer_pl, fs.pk)
    req.refresh_from_db()
    return req


def test_identification_finds_the_other_impression(searched: IdentificationRequest) -> None:
    assert searched.status == "done" and searched.progress == 100 and searched.task_id
    assert searched.gallery_size == 2
    (hit,) = searched.hits.all()
    assert hit.candidate.member_state == "LT" and hit.candidate.name_transliterated == "Ali Hassan"
    assert hit.status == "pending" and hit.score >= searched.threshold
    assert gallery.size() == 3  # the PL set was enrolled after its search


def test_searching_a_set_again_records_no_second_hit(
    searched: IdentificationRequest,
    officer_pl: User,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        again = services.request_identification(officer_pl, searched.fingerprint_set_id)
    again.refresh_from_db()
    assert again.status == "done"
    assert Hit.objects.count() == 1 and not again.hits.exists()


def test_expert_queue_and_decisions_are_role_and_state_bound(
    searched: IdentificationRequest, officer_pl: User, expert_lt: User, expert_pl: User
) -> None:
    hit = searched.hits.get()
    assert [v.id for v in selectors.hits_pending_review(expert_pl)] == [hit.pk]
    assert selectors.pending_review_count(expert_pl) == 1
    assert not selectors.hits_pending_review(expert_lt)
    with pytest.raises(PermissionDenied):
        services.decide_hit(officer_pl, hit.pk, confirm=True)
    with pytest.raises(Hit.DoesNotExist):  # another state's search: as if missing
        services.decide_hit(expert_lt, hit.pk, confirm=True)
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_hit(expert_pl, hit.pk, confirm=False, reason="  ")
    assert Hit.objects.get(pk=hit.pk).status == "pending"
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    assert PersonLink.objects.filter(person=hit.person, other=hit.candidate).exists()
    with pytest.raises(ValidationError, match="already confirmed"):
        services.decide_hit(expert_pl, hit.pk, confirm=False, reason="second thoughts")
    assert AuditEntry.objects.filter(action="registration.hit.confirmed", actor=expert_pl).exists()


def test_comparison_gives_the_expert_matched_minutiae(
    searched: IdentificationRequest, expert_pl: User, officer_pl: User
) -> None:
    hit = searched.hits.get()
    rows = selectors.hit_comparison(expert_pl, hit.pk)
    assert len(rows) == 10 and rows[0].score >= rows[-1].score
    assert len(rows[0].pairs) >= 4
    with pytest.raises(PermissionDenied):
        selectors.hit_comparison(officer_pl, hit.pk)


def test_other_state_sees_a_confirmed_hit_but_not_personal_data(
    searched: IdentificationRequest, expert_pl: User, make_user: Callable[..., User]
) -> None:
    lt_user = make_user(Role.CASE_OFFICER, "LT")
    hit = searched.hits.get()
    assert not selectors.hit_count(lt_user)  # pending: not told yet
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    assert not AuditEntry.objects.filter(action="registration.hit.view").exists()
    (view,) = selectors.hits(lt_user)
    assert view.our_person_id == hit.candidate_id
    other = view.other
    assert other.member_state == "PL" and other.reference.startswith("PL")
    assert other.sex == "M" and other.fingerprint_set.startswith("FP")
    shown = " ".join(str(v) for v in dataclasses.asdict(view).values())
    for private in ("Ali", "Hasan", "علي", "IQ", "H-7", "A1234567"):
        assert private not in shown
    assert set(dataclasses.asdict(other)) == {
        "reference", "member_state", "eurodac_category", "sex", "apprehended_on", "place",
        "fingerprint_set", "fingerprinted_at",
    }  # fmt: skip
    # the PL record itself stays out of reach
    with pytest.raises(selectors.Person.DoesNotExist):
        selectors.person(lt_user, hit.person_id)
    assert not selectors.documents(lt_user, hit.person_id).exists()
    # the selector that returned PL's record audited the read, for PL
    entry = AuditEntry.objects.get(action="registration.hit.view")
    assert (entry.member_state, entry.actor_id, entry.new_values) == (
        "PL",
        lt_user.pk,
        {"person": hit.person_id},
    )


def test_rejected_hits_stay_with_the_searching_state(
    searched: IdentificationRequest, expert_pl: User, make_user: Callable[..., User]
) -> None:
    hit = searched.hits.get()
    services.decide_hit(expert_pl, hit.pk, confirm=False, reason="Different core pattern")
    assert not selectors.hit_count(make_user(Role.CASE_OFFICER, "LT"))
    assert selectors.hit_count(expert_pl, status="rejected") == 1
    assert not PersonLink.objects.exists()


def test_gallery_rebuild_command_recreates_the_index(
    searched: IdentificationRequest, tmp_path: object, settings: object
) -> None:
    settings.GALLERY_DIR = tmp_path / "fresh"  # type: ignore[attr-defined, operator]
    assert gallery.size() == 0
    call_command("gallery", "rebuild")
    assert gallery.size() == 3


def test_fvc_images_identify_across_states(
    officer_lt: User,
    officer_pl: User,
    fvc: Callable[[int, int], tuple[str, bytes]],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    """Real FVC2002 prints: fingers 101 and 102 captured in LT, their other impressions in PL."""
    missing = {p: "bandaged" for p in range(3, 11)}
    lt = new_person(officer_lt, "LT")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.capture_images(
            officer_lt, lt.pk, {1: fvc(101, 1), 2: fvc(102, 1)}, missing, identify=True
        )
    pl = new_person(officer_pl, "PL")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fs = services.capture_images(
            officer_pl, pl.pk, {1: fvc(101, 3), 2: fvc(102, 3)}, missing, identify=True
        )
    req = fs.identifications.get()
    assert req.status == "done"
    assert [h.candidate_id for h in req.hits.all()] == [lt.pk]
