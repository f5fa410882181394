"""The linkage API: the queue paged in the database, a pair, a decision, a run, OpenAPI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, TestCase

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.linkage import services
from borderwatch.linkage.models import CandidatePair
from borderwatch.registration.models import Person

pytestmark = pytest.mark.django_db
API = "/api/linkage"


@pytest.fixture
def pair(officer_lt: User, lt_people: dict[str, Person]) -> CandidatePair:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_run(officer_lt)
    return CandidatePair.objects.get()


def test_the_queue_is_paged_and_scoped(
    officer_lt: User, pair: CandidatePair, make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    client = client_for(officer_lt)
    body = client.get(f"{API}/pairs", {"limit": 1}).json()
    assert body["count"] == 1 and [p["id"] for p in body["items"]] == [pair.pk]
    item = body["items"][0]
    assert item["outcome"] == "candidate" and item["other_eurodac"] is None
    names = {item["person"]["name_transliterated"], item["other"]["name_transliterated"]}
    assert names == {"Muhammad El-Hassan", "Mohammed Alhassan"}
    assert client.get(f"{API}/pairs", {"status": "referred"}).json()["items"] == []
    assert client.get(f"{API}/pairs", {"status": "bogus"}).status_code == 422
    assert client.get(f"{API}/pairs", {"limit": 0}).status_code == 422
    pl = client_for(make_user(Role.REGISTRATION_OFFICER, "PL"))
    assert pl.get(f"{API}/pairs").json()["items"] == []
    assert pl.get(f"{API}/pairs/{pair.pk}").status_code == 404
    case = client_for(make_user(Role.CASE_OFFICER, "LT"))
    assert case.get(f"{API}/pairs").status_code == 403
    assert Client().get(f"{API}/pairs").status_code == 401


def test_a_decision(
    officer_lt: User, pair: CandidatePair, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    url = f"{API}/pairs/{pair.pk}/decision"
    assert client.post(url, {"decision": "same_person", "reason": ""},
                       content_type="application/json").status_code == 422  # fmt: skip
    assert client.get(f"{API}/pairs/{pair.pk}").json()["moves"] == [
        "same_person", "different_persons", "referred",
    ]  # fmt: skip
    done = client.post(url, {"decision": "referred", "reason": "prints needed"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "referred" and body["moves"] == []
    assert body["decisions"][-1]["reason"] == "prints needed"
    refused = client.post(url, {"decision": "same_person", "reason": "x"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 403  # the expert decides a referred pair
    assert "request_id" in refused.json()


def test_a_run(officer_lt: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(officer_lt)
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(f"{API}/runs")
    assert started.status_code == 202
    run = client.get(f"{API}/runs/{started.json()['id']}").json()
    assert run["status"] == "done" and run["progress"] == 100


def test_openapi_describes_the_routes(client_for: Callable[[User], Client],
                                      officer_lt: User) -> None:  # fmt: skip
    schema = client_for(officer_lt).get("/api/openapi.json").json()
    for path in ("/api/linkage/pairs", "/api/linkage/pairs/{pair_id}",
                 "/api/linkage/pairs/{pair_id}/decision", "/api/linkage/runs"):  # fmt: skip
        assert path in schema["paths"], path
    assert "PairPageOut" in schema["components"]["schemas"]
