"""The review queue: proposing pairs, the transition table (every allowed move and refused
ones), scope, audit, and erasure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.core import workers
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.core.roles import Role
from borderwatch.linkage import selectors, services
from borderwatch.linkage.models import CandidatePair, Decision, DuplicateRun
from borderwatch.linkage.workflow import PAIR
from borderwatch.registration.models import Hit, IdentificationRequest, Person
from borderwatch.registration.services import erase_on_citizenship
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db


def _run(user: User) -> DuplicateRun:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task starts on commit
        run = services.request_run(user)  # the immediate backend runs it there
    run.refresh_from_db()
    return run


def _biographic_pair(officer_lt: User, lt_people: dict[str, Person]) -> CandidatePair:
    _run(officer_lt)
    a, b = lt_people["muhammad"].pk, lt_people["mohammed"].pk
    return CandidatePair.objects.get(person_id=min(a, b), other_id=max(a, b))


def test_a_run_proposes_the_respelt_person_once(
    officer_lt: User, lt_people: dict[str, Person]
) -> None:
    run = _run(officer_lt)
    assert (run.status, run.progress, run.persons) == ("done", 100, 3)
    pair = CandidatePair.objects.get()
    ids = {lt_people["muhammad"].pk, lt_people["mohammed"].pk}
    assert {pair.person_id, pair.other_id} == ids  # never Omar Haddad
    assert (pair.outcome, pair.status, pair.fingerprints) == (
        "candidate", "proposed", "not_compared",
    )  # fmt: skip
    assert "dob_year" in pair.reasons and pair.score >= 0.8
    assert AuditEntry.objects.filter(action="linkage.run.done", member_state="LT").exists()
    assert _run(officer_lt).proposed == 0  # proposed once
    assert CandidatePair.objects.count() == 1


def test_a_fingerprint_hit_whose_biography_disagrees_goes_to_the_expert(
    officer_lt: User, officer_pl: User, expert_lt: User, lt_people: dict[str, Person]
) -> None:
    """A hit on Poland's woman born 30 years apart: a conflict, referred by the system, shown
    to Lithuania's expert as Eurodac's fields only, the read audited under Poland."""
    pl = new_person(officer_pl, "PL", name_transliterated="Fatima Noor", name_as_written="",
                    sex="F", date_of_birth=dt.date(1960, 2, 2))  # fmt: skip
    ours = lt_people["omar"]
    request = IdentificationRequest.objects.create(
        fingerprint_set=synthetic_set(ours, subject=1, impression=0), member_state="LT",
        status="done",
    )  # fmt: skip
    Hit.objects.create(request=request, person=ours, candidate=pl, rank=1, score=0.5, fmr=1e-6)
    _run(officer_lt)
    pair = CandidatePair.objects.get(other_id=pl.pk)
    assert (pair.outcome, pair.status, pair.other_state) == ("conflict", "referred", "PL")
    assert "sex_differs" in pair.outcome_reasons and "age_gap" in pair.outcome_reasons
    assert Decision.objects.get(pair=pair).decided_by is None  # the system referred it
    # the officer never sees another state's record; the expert sees Eurodac's fields
    assert not selectors.pairs(officer_lt).filter(pk=pair.pk).exists()
    detail = selectors.pair(expert_lt, pair.pk)
    assert detail.view.other is None and detail.view.other_eurodac is not None
    assert detail.view.other_eurodac.reference == pl.reference
    assert not hasattr(detail.view.other_eurodac, "name_transliterated")
    assert AuditEntry.objects.filter(
        action="linkage.pair.view", member_state="PL", actor=expert_lt
    ).exists()
    services.decide(expert_lt, pair.pk, "different_persons", "prints match, not the same woman")
    with pytest.raises(CandidatePair.DoesNotExist):
        services.decide(officer_lt, pair.pk, "same_person", "no")


def test_every_allowed_move(
    officer_lt: User, expert_lt: User, lt_people: dict[str, Person]
) -> None:
    pair = _biographic_pair(officer_lt, lt_people)
    allowed = {(t.source, t.target) for t in PAIR.transitions}
    assert allowed == {
        ("proposed", "same_person"), ("proposed", "different_persons"),
        ("proposed", "referred"), ("referred", "same_person"),
        ("referred", "different_persons"),
    }  # fmt: skip
    for target in ("same_person", "different_persons"):
        CandidatePair.objects.filter(pk=pair.pk).update(status="proposed")
        done = services.decide(officer_lt, pair.pk, target, "compared the records")
        assert (done.status, done.decided_by, done.reason) == (
            target, officer_lt, "compared the records",
        )  # fmt: skip
        CandidatePair.objects.filter(pk=pair.pk).update(status="proposed")
        assert services.decide(officer_lt, pair.pk, "referred", "unsure").status == "referred"
        assert services.decide(expert_lt, pair.pk, target, "prints").status == target
    assert Decision.objects.filter(pair=pair).count() == 6
    assert TransitionRecord.objects.filter(workflow="linkage.pair").count() == 6
    entry = AuditEntry.objects.filter(action="linkage.pair.refer", actor=officer_lt).latest("id")
    assert entry.reason == "unsure" and entry.member_state == "LT"


def test_refused_moves_change_nothing(
    officer_lt: User, expert_lt: User, make_user: Callable[..., User],
    lt_people: dict[str, Person],
) -> None:  # fmt: skip
    pair = _biographic_pair(officer_lt, lt_people)
    with pytest.raises(ValidationError, match="reason"):
        services.decide(officer_lt, pair.pk, "same_person", "  ")
    with pytest.raises(PermissionDenied):  # the expert decides referred pairs only
        services.decide(expert_lt, pair.pk, "same_person", "prints")
    services.decide(officer_lt, pair.pk, "same_person", "same passport photo")
    with pytest.raises(ValidationError, match="Cannot go from same_person"):
        services.decide(officer_lt, pair.pk, "different_persons", "changed my mind")
    with pytest.raises(PermissionDenied):
        services.decide(make_user(Role.CASE_OFFICER, "LT"), pair.pk, "referred", "x")
    with pytest.raises(CandidatePair.DoesNotExist):  # another state's reviewer
        services.decide(make_user(Role.REGISTRATION_OFFICER, "PL"), pair.pk, "referred", "x")
    pair.refresh_from_db()
    assert pair.status == "same_person" and Decision.objects.filter(pair=pair).count() == 1


def test_an_officer_may_not_decide_fingerprint_evidence(
    officer_lt: User, lt_people: dict[str, Person]
) -> None:
    pair = _biographic_pair(officer_lt, lt_people)
    CandidatePair.objects.filter(pk=pair.pk).update(outcome="corroborated")
    with pytest.raises(ValidationError, match="fingerprint expert"):
        services.decide(officer_lt, pair.pk, "same_person", "looks alike")
    assert services.decide(officer_lt, pair.pk, "referred", "prints").status == "referred"


def test_erasing_a_person_takes_their_pairs(officer_lt: User, lt_people: dict[str, Person]) -> None:
    pair = _biographic_pair(officer_lt, lt_people)
    services.decide(officer_lt, pair.pk, "referred", "prints")
    erase_on_citizenship(
        officer_lt, lt_people["mohammed"].pk, acquired_on=timezone.localdate(), note=""
    )
    assert not CandidatePair.objects.exists() and not Decision.objects.exists()
    assert not TransitionRecord.objects.filter(workflow="linkage.pair").exists()


def test_only_reviewers_request_a_run(make_user: Callable[..., User]) -> None:
    for role, state in ((Role.CASE_OFFICER, "LT"), (Role.FRONTEX_ANALYST, "")):
        with pytest.raises(PermissionDenied):
            services.request_run(make_user(role, state))
    assert not DuplicateRun.objects.exists()


def test_a_run_whose_worker_stopped_is_queued_again_or_failed(officer_lt: User) -> None:
    again = DuplicateRun.objects.create(member_state="LT", status="running", task_id="t-1")
    lost = DuplicateRun.objects.create(member_state="LT", status="running", task_id="t-2")
    changed = services.recover_runs(
        workers.Lost(requeued=frozenset({"t-1"}), failed=frozenset({"t-2"}))
    )
    again.refresh_from_db()
    lost.refresh_from_db()
    assert changed == 2 and again.status == "queued" and lost.status == "failed"
    assert "linkage.run" in workers.hooks()


def test_queue_selectors_scope(
    officer_lt: User, expert_lt: User, make_user: Callable[..., User],
    lt_people: dict[str, Person],
) -> None:  # fmt: skip
    pair = _biographic_pair(officer_lt, lt_people)
    assert [v.id for v in selectors.queue(officer_lt)] == [pair.pk]
    assert selectors.queue(expert_lt) == []  # the expert's queue: referred pairs
    assert selectors.queue_count(officer_lt) == 1
    for role, state in ((Role.REGISTRATION_OFFICER, "PL"), (Role.CASE_OFFICER, "LT"),
                        (Role.FRONTEX_ANALYST, "")):  # fmt: skip
        assert not selectors.pairs(make_user(role, state)).exists()
    view = selectors.pair(officer_lt, pair.pk).view
    assert view.person is not None and view.other is not None
    assert {view.person.name_transliterated, view.other.name_transliterated} == {
        "Muhammad El-Hassan", "Mohammed Alhassan",
    }  # fmt: skip
    assert not AuditEntry.objects.filter(action="linkage.pair.view").exists()  # own state
