"""Biographic and fingerprint evidence combined: the rules of docs/linkage.md."""

import datetime as dt

import pytest

from borderwatch.engines.linkage import (
    Fingerprints,
    Outcome,
    PersonRecord,
    assess,
    disagreement,
)


@pytest.mark.parametrize("bio", [0.8, 0.95, 0.999999])
def test_a_biographic_match_alone_never_links(bio: float) -> None:
    result = assess(bio, Fingerprints.NOT_COMPARED)
    assert result.outcome is Outcome.CANDIDATE and not result.may_link


def test_a_weak_biographic_score_is_nothing() -> None:
    assert assess(0.3, Fingerprints.NOT_COMPARED).outcome is Outcome.NONE
    assert assess(None, Fingerprints.NOT_COMPARED).outcome is Outcome.NONE


def test_agreement_with_a_fingerprint_hit_raises_confidence() -> None:
    alone = assess(0.9, Fingerprints.NOT_COMPARED)
    with_hit = assess(0.9, Fingerprints.HIT)
    assert with_hit.outcome is Outcome.CORROBORATED
    assert with_hit.confidence > alone.confidence
    assert not with_hit.may_link  # an expert has not confirmed yet
    assert assess(0.9, Fingerprints.CONFIRMED).may_link


def test_strong_biography_with_non_matching_fingers_is_a_conflict() -> None:
    result = assess(0.995, Fingerprints.NO_MATCH)
    assert result.outcome is Outcome.CONFLICT
    assert result.reasons == ("biographic_match_fingerprints_differ",)
    # a merely plausible biography against non-matching fingers is an ordinary candidate
    assert assess(0.85, Fingerprints.NO_MATCH).outcome is Outcome.CANDIDATE


def test_a_fingerprint_hit_with_a_different_sex_or_age_is_a_conflict() -> None:
    sex = assess(0.9, Fingerprints.HIT, sex_differs=True)
    assert sex.outcome is Outcome.CONFLICT and "sex_differs" in sex.reasons
    age = assess(0.2, Fingerprints.CONFIRMED, age_gap=12)
    assert age.outcome is Outcome.CONFLICT and "age_gap" in age.reasons and not age.may_link
    assert assess(0.9, Fingerprints.HIT, age_gap=3).outcome is Outcome.CORROBORATED


def test_disagreement_reads_sex_and_years_of_birth() -> None:
    a = PersonRecord("a", "LT", "Ali", "Hassan", dt.date(1990, 5, 1), sex="M")
    b = PersonRecord("b", "PL", "Ali", "Hassan", dt.date(2001, 1, 1), True, sex="F")
    assert disagreement(a, b) == (True, 11)
    c = PersonRecord("c", "PL", "Ali", "Hassan", None, sex="X")
    assert disagreement(a, c) == (False, None)


def test_a_probability_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        assess(1.5, Fingerprints.HIT)
