"""The registration app's boundaries: cross-state reads audited by the selectors, the hit
workflow's timeline, no query per row on the list endpoints, and the scenario's clean-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.core.models import AuditEntry, TransitionRecord
from borderwatch.core.workflow import timeline
from borderwatch.registration import selectors, services
from borderwatch.registration.models import (
    FingerprintSet,
    Hit,
    IdentificationRequest,
    Person,
    PersonLink,
)
from borderwatch.registration.workflow import HIT
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db
API = "/api/registration"
HIT_VIEW = "registration.hit.view"


def _hits(probe_state: str, candidate_state: str, n: int, officers: dict[str, User]) -> list[Hit]:
    """One search of `probe_state` with `n` hits on persons of `candidate_state` (no gallery)."""
    probe = synthetic_set(new_person(officers[probe_state], probe_state), subject=1, impression=0)
    req = IdentificationRequest.objects.create(
        fingerprint_set=probe, member_state=probe_state, threshold=0.02, status="done"
    )
    hits = []
    for rank in range(1, n + 1):
        candidate = new_person(officers[candidate_state], candidate_state)
        hits.append(
            Hit.objects.create(
                request=req,
                person=probe.person,
                candidate=candidate,
                rank=rank,
                score=0.5,
                fmr=1e-6,
                candidate_set=synthetic_set(candidate, subject=rank + 1, impression=0),
            )
        )
    return hits


@pytest.fixture
def officers(officer_lt: User, officer_pl: User) -> dict[str, User]:
    return {"LT": officer_lt, "PL": officer_pl}


# ---- cross-state reads audit themselves ------------------------------------------------------


def test_the_hit_list_audits_each_other_state_record_on_the_page(
    officers: dict[str, User], expert_pl: User, client_for: Callable[[User], Client]
) -> None:
    hits = _hits("PL", "LT", 5, officers)
    page = client_for(expert_pl).get(f"{API}/hits", {"limit": 3, "offset": 1}).json()
    assert page["count"] == 5 and [h["id"] for h in page["items"]] == [h.pk for h in hits[1:4]]
    looks = AuditEntry.objects.filter(action=HIT_VIEW)
    assert sorted((e.object_id, e.member_state, e.actor_id) for e in looks) == sorted(
        (str(h.pk), "LT", expert_pl.pk) for h in hits[1:4]
    )
    assert {e.new_values["person"] for e in looks} == {h.candidate_id for h in hits[1:4]}


def test_own_state_records_are_not_audited_as_cross_state_reads(
    officers: dict[str, User], expert_lt: User, client_for: Callable[[User], Client]
) -> None:
    _hits("LT", "LT", 2, officers)
    assert len(client_for(expert_lt).get(f"{API}/hits").json()["items"]) == 2
    assert not AuditEntry.objects.filter(action=HIT_VIEW).exists()


def test_one_hit_its_comparison_and_the_pages_audit_for_the_owner(
    officers: dict[str, User], expert_pl: User, client_for: Callable[[User], Client]
) -> None:
    (hit,) = _hits("PL", "LT", 1, officers)
    expert = client_for(expert_pl)
    looks = AuditEntry.objects.filter(action=HIT_VIEW, member_state="LT", object_id=str(hit.pk))
    for url in (
        f"{API}/hits/{hit.pk}",
        f"{API}/hits/{hit.pk}/comparison",
        f"/registration/hits/{hit.pk}/",
        "/registration/hits/review/",
        f"/registration/identifications/{hit.request_id}/",
        f"/registration/persons/{hit.person_id}/",
    ):
        before = looks.count()
        assert expert.get(url).status_code == 200, url
        assert looks.count() == before + 1, url  # once per page, not once per helper


def test_selectors_audit_whoever_calls_them(officers: dict[str, User], expert_pl: User) -> None:
    (hit,) = _hits("PL", "LT", 1, officers)
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    lt_user = officers["LT"]
    (shared,) = selectors.shared_hits(lt_user)
    assert shared.other.member_state == "PL" and shared.our_person_id == hit.candidate_id
    entry = AuditEntry.objects.get(action=HIT_VIEW)
    assert (entry.member_state, entry.new_values) == ("PL", {"person": hit.person_id})


# ---- the hit workflow ------------------------------------------------------------------------


def test_a_decision_is_a_transition_on_the_timeline(
    officers: dict[str, User], expert_pl: User
) -> None:
    confirmed, rejected = _hits("PL", "LT", 2, officers)
    services.decide_hit(expert_pl, confirmed.pk, confirm=True)
    services.decide_hit(expert_pl, rejected.pk, confirm=False, reason="Different core")
    (row,) = timeline(confirmed)
    assert (row.workflow, row.source, row.target, row.actor_id, row.member_state) == (
        "registration.hit", "pending", "confirmed", expert_pl.pk, "PL"
    )  # fmt: skip
    (row,) = timeline(rejected)
    assert (row.target, row.reason) == ("rejected", "Different core")
    assert PersonLink.objects.get().hit == confirmed
    entry = AuditEntry.objects.get(action="registration.hit.rejected")
    assert entry.old_values == {"status": "pending"} and entry.reason == "Different core"


def test_a_hit_is_decided_once(officers: dict[str, User], expert_pl: User) -> None:
    (hit,) = _hits("PL", "LT", 1, officers)
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.decide_hit(expert_pl, hit.pk, confirm=True)
    hit.refresh_from_db()
    with pytest.raises(ValidationError, match="Cannot go from confirmed to rejected"):
        HIT.apply(expert_pl, hit, "rejected", member_state="PL", reason="second thoughts")
    assert TransitionRecord.objects.count() == 1 and PersonLink.objects.count() == 1


def test_the_table_says_who_may_and_what_is_needed() -> None:
    assert {(t.source, t.target, t.needs_reason) for t in HIT.transitions} == {
        ("pending", "confirmed", False),
        ("pending", "rejected", True),
    }
    assert not HIT.from_state("confirmed") and not HIT.from_state("rejected")


# ---- no query per row ------------------------------------------------------------------------


def _count(assert_max: Any, limit: int, fetch: Callable[[], Any]) -> int:
    with assert_max(limit) as captured:
        fetch()
    return len(captured)


def test_hit_list_queries_do_not_grow_with_the_rows(
    officers: dict[str, User],
    expert_pl: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(expert_pl)
    _hits("PL", "LT", 2, officers)
    small = _count(django_assert_max_num_queries, 12, lambda: client.get(f"{API}/hits"))
    _hits("PL", "LT", 8, officers)
    assert len(client.get(f"{API}/hits").json()["items"]) == 10
    large = _count(django_assert_max_num_queries, small, lambda: client.get(f"{API}/hits"))
    assert large == small


def test_a_persons_sets_and_requests_take_the_same_queries_for_2_or_10(
    officers: dict[str, User],
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    officer = officers["LT"]
    person = new_person(officer, "LT")
    client = client_for(officer)

    def add_sets(n: int) -> FingerprintSet:
        sets = services.bulk_enrol_synthetic([(person.pk, {}, timezone.now()) for _ in range(n)])
        for fs in sets:
            IdentificationRequest.objects.create(fingerprint_set=fs, member_state="LT")
        return sets[0]

    first = add_sets(2)
    page = f"/registration/persons/{person.pk}/"
    small = _count(django_assert_max_num_queries, 20, lambda: client.get(page))
    for _ in range(8):  # requests of one set: the API's set view counts their hits
        IdentificationRequest.objects.create(fingerprint_set=first, member_state="LT")
    api_set = f"{API}/fingerprint-sets/{first.pk}"
    set_small = _count(django_assert_max_num_queries, 20, lambda: client.get(api_set))
    add_sets(8)
    assert client.get(page).content.decode().count("not searched") == 0
    assert _count(django_assert_max_num_queries, small, lambda: client.get(page)) == small
    assert len(client.get(api_set).json()["identifications"]) == 9
    assert _count(django_assert_max_num_queries, set_small, lambda: client.get(api_set))


def test_request_hit_counts_come_from_one_annotation(
    officers: dict[str, User], officer_pl: User, client_for: Callable[[User], Client]
) -> None:
    hits = _hits("PL", "LT", 3, officers)
    req = hits[0].request
    body = client_for(officer_pl).get(f"{API}/identifications/{req.pk}").json()
    assert body["hits"] == 3
    listed = client_for(officer_pl).get(f"{API}/fingerprint-sets/{req.fingerprint_set_id}").json()
    assert [r["hits"] for r in listed["identifications"]] == [3]


def test_registrations_of_a_day_take_the_same_queries_for_2_or_10(
    officer_lt: User, client_for: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_for(officer_lt)
    day = timezone.localdate().isoformat()
    rows = [{"member_state": "LT", "name_transliterated": f"P{i}", "nationality": "IQ",
             "eurodac_category": 2} for i in range(10)]  # fmt: skip
    people = services.bulk_create_persons(officer_lt, rows[:2])
    services.bulk_enrol_synthetic([(p.pk, {}, timezone.now()) for p in people])
    page = lambda: client.get("/registration/", {"day": day})  # noqa: E731
    export = lambda: client.get(f"{API}/export.csv", {"day": day})  # noqa: E731
    small_page = _count(django_assert_max_num_queries, 12, page)
    small_export = _count(django_assert_max_num_queries, 12, export)
    people = services.bulk_create_persons(officer_lt, rows[2:])
    services.bulk_enrol_synthetic([(p.pk, {}, timezone.now()) for p in people])
    assert export().content.decode().count("\n") == 11
    assert _count(django_assert_max_num_queries, small_page, page) == small_page
    assert _count(django_assert_max_num_queries, small_export, export) == small_export


# ---- the person's page, the date of birth ------------------------------------------------------


def test_a_persons_page_names_the_other_person_of_a_hit(
    officers: dict[str, User], expert_lt: User, client_for: Callable[[User], Client]
) -> None:
    """A hit between two records of one state, seen from the candidate's page."""
    (hit,) = _hits("LT", "LT", 1, officers)
    services.decide_hit(expert_lt, hit.pk, confirm=True)
    page = client_for(officers["LT"]).get(f"/registration/persons/{hit.candidate_id}/")
    links = page.content.decode().split('id="links"')[1].split("</section>")[0]
    assert f'href="/registration/persons/{hit.person_id}/"' in links
    assert hit.person.reference in links and hit.candidate.reference not in links
    (row,) = selectors.person_hits(officers["LT"], hit.candidate_id)
    assert row.other_person_id == hit.person_id and row.view.other.reference == hit.person.reference
    assert row.view.our_person_id == hit.candidate_id


def test_a_date_of_birth_in_the_future_is_refused(
    officer_lt: User, client_for: Callable[[User], Client]
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        new_person(officer_lt, "LT", date_of_birth=tomorrow)
    assert "in the future" in err.value.message_dict["date_of_birth"][0]
    answer = client_for(officer_lt).post(
        f"{API}/persons",
        {"name_transliterated": "Ali", "date_of_birth": tomorrow.isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "in the future" in answer.json()["detail"]["date_of_birth"][0]
    assert not Person.objects.exists()


# ---- the scenario's clean-up -------------------------------------------------------------------


def test_remove_synthetic_persons_goes_links_sets_persons_and_audits_once(
    officers: dict[str, User], expert_pl: User
) -> None:
    hit, other = _hits("PL", "LT", 2, officers)
    services.decide_hit(expert_pl, hit.pk, confirm=True)
    Person.objects.filter(pk__in=[hit.candidate_id, other.candidate_id]).update(synthetic=True)
    kept = new_person(officers["LT"], "LT")
    assert selectors.hit_ids_of_request(hit.request_id) == [hit.pk, other.pk]
    assert services.remove_synthetic_persons() == 2
    assert not PersonLink.objects.exists() and not Hit.objects.exists()
    assert set(Person.objects.values_list("pk", flat=True)) == {hit.person_id, kept.pk}
    entry = AuditEntry.objects.get(action="registration.person.remove_synthetic")
    assert entry.actor_id is None and entry.old_values == {
        "persons": 2, "fingerprint_sets": 2, "links": 1
    }  # fmt: skip
