"""The queue, the side-by-side page and its decision, the registration hooks."""

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


@pytest.fixture
def pair(officer_lt: User, lt_people: dict[str, Person]) -> CandidatePair:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_run(officer_lt)
    return CandidatePair.objects.get()


def test_the_queue_and_the_pair_page(
    officer_lt: User, pair: CandidatePair, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    page = client.get("/linkage/").content.decode()
    assert f"/linkage/pairs/{pair.pk}/" in page and "Muhammad El-Hassan" in page
    assert 'href="/linkage/"' in page  # the nav link
    page = client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert "Mohammed Alhassan" in page and 'id="decide-referred"' in page


def test_a_decision_needs_a_reason_and_is_kept(
    officer_lt: User, pair: CandidatePair, client_for: Callable[[User], Client]
) -> None:
    client = client_for(officer_lt)
    url = f"/linkage/pairs/{pair.pk}/decide/"
    refused = client.post(url, {"decision": "same_person", "reason": ""})
    assert refused.status_code == 422
    pair.refresh_from_db()
    assert pair.status == "proposed"
    done = client.post(url, {"decision": "same_person", "reason": "same photo and passport"})
    assert done.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.reason) == ("same_person", "same photo and passport")
    page = client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert "same photo and passport" in page and 'id="decision-form"' not in page
    again = client.post(url, {"decision": "different_persons", "reason": "x"})
    assert again.status_code == 422


def test_who_may_open_the_pages(
    pair: CandidatePair, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    expert = client_for(make_user(Role.FINGERPRINT_EXPERT, "LT"))
    assert expert.get(f"/linkage/pairs/{pair.pk}/").status_code == 200
    assert 'href="/linkage/"' in expert.get("/linkage/").content.decode()
    other = client_for(make_user(Role.REGISTRATION_OFFICER, "PL"))
    assert other.get(f"/linkage/pairs/{pair.pk}/").status_code == 404
    assert (
        other.post(
            f"/linkage/pairs/{pair.pk}/decide/", {"decision": "referred", "reason": "x"}
        ).status_code
        == 404
    )
    case = client_for(make_user(Role.CASE_OFFICER, "LT"))
    assert case.get("/linkage/").status_code == 403
    assert 'href="/linkage/"' not in case.get("/").content.decode()
    assert Client().get("/linkage/").status_code == 302  # to sign in


def test_the_person_page_shows_likely_duplicates(
    officer_lt: User, lt_people: dict[str, Person], pair: CandidatePair,
    client_for: Callable[[User], Client],
) -> None:  # fmt: skip
    page = client_for(officer_lt).get(f"/registration/persons/{lt_people['muhammad'].pk}/")
    body = page.content.decode()
    assert 'id="possible-duplicates"' in body and lt_people["mohammed"].reference in body
    assert f"/linkage/pairs/{pair.pk}/" in body
    assert lt_people["omar"].reference not in body


def test_the_registration_form_check(
    officer_lt: User, lt_people: dict[str, Person], client_for: Callable[[User], Client],
    make_user: Callable[..., User],
) -> None:  # fmt: skip
    client = client_for(officer_lt)
    body = client.get(
        "/linkage/check/", {"name": "", "name_as_written": "محمد الحسن", "row": "2"}
    ).content.decode()
    assert "Row 2 may already be registered" in body and lt_people["muhammad"].reference in body
    assert (
        "No likely duplicate"
        in client.get("/linkage/check/", {"name": "Zebulon Quux"}).content.decode()
    )
    manager = client_for(make_user(Role.RECEPTION_MANAGER, "LT"))
    assert manager.get("/linkage/check/", {"name": "Mohammed"}).status_code == 403
