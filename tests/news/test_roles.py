"""Role x member state over every news route (pages and API). Press claims are not personal
data, so these routes are not in the personal-data matrix; the scope rule is the same: only
coordinators and Frontex analysts, a coordinator sees their state's claims and the unplaced
ones, and another state's claim answers exactly like a missing one (404, same body)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.roles import Role
from borderwatch.news import services
from borderwatch.news.models import ClaimStatus, NewsClaim

pytestmark = pytest.mark.django_db
TEXT = (
    "Lithuania's border guard service said it detained 171 people on Tuesday night. "
    "Polish border guards detained 40 migrants on Monday. "
    "Border guards detained 50 people on Sunday."
)
READERS = {Role.NATIONAL_COORDINATOR, Role.FRONTEX_ANALYST}
VIEWERS = [(role, state) for role in Role for state in ("LT", "PL")]


@pytest.fixture
def claims(db: None) -> dict[str, NewsClaim]:
    ensure_reference_data()
    services.ingest_article(
        None,
        services.ArticleInput(
            text=TEXT, source="Wire", published="2021-07-29", time_zone="Europe/Vilnius"
        ),
    )
    return {c.state or "none": c for c in NewsClaim.objects.filter(kind="detained")}


def _sees(role: Role, state: str, claim_state: str) -> bool:
    if role not in READERS:
        return False
    return role == Role.FRONTEX_ANALYST or claim_state in ("", state)


@pytest.mark.parametrize(("role", "state"), VIEWERS)
def test_role_and_state_over_every_route(
    role: Role,
    state: str,
    claims: dict[str, NewsClaim],
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(make_user(role, state))
    article = claims["LT"].article_id
    listing = 200 if role in READERS else 403
    for path in ("/news/", "/news/articles/", "/news/articles/new/", "/news/articles/upload/",
                 f"/news/articles/{article}/", "/api/news/queue",
                 f"/api/news/articles/{article}"):  # fmt: skip
        assert client.get(path).status_code == listing, path
    missing = client.get("/api/news/claims/987654")
    for key, claim in claims.items():
        expected = 200 if _sees(role, state, claim.state) else (404 if role in READERS else 403)
        for path in (f"/news/claims/{claim.pk}/", f"/api/news/claims/{claim.pk}"):
            response = client.get(path)
            assert response.status_code == expected, (path, key)
        if expected == 404:  # exactly like a missing claim
            body = client.get(f"/api/news/claims/{claim.pk}").json()
            assert body["detail"] == missing.json()["detail"]
            queued = {c["id"] for c in client.get("/api/news/queue").json()["results"]}
            assert claim.pk not in queued
            page = client.get(f"/news/articles/{article}/").content.decode()
            assert f'data-claim="{claim.pk}"' not in page
        # a decision on a claim the user may not see changes nothing
        if expected != 200:
            api = client.post(
                f"/api/news/claims/{claim.pk}/decision",
                {"decision": "reject", "reason": "no"},
                content_type="application/json",
            )
            page = client.post(
                f"/news/claims/{claim.pk}/decide/", {"decision": "reject", "reason": "no"}
            )
            assert (api.status_code, page.status_code) == (expected, expected), key
            claim.refresh_from_db()
            assert claim.status == ClaimStatus.PENDING


@pytest.mark.parametrize("role", sorted(set(Role) - READERS))
def test_other_roles_may_not_paste(
    role: Role, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(make_user(role, "LT"))
    body = {"text": TEXT, "source": "Wire", "published": "2021-07-29"}
    assert (
        client.post("/api/news/articles", body, content_type="application/json").status_code == 403
    )
    assert client.post("/news/articles/new/", body).status_code == 403
    assert not NewsClaim.objects.exists()


def test_nav_link_only_for_reviewers(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    for role in Role:
        page = client_for(make_user(role, "LT")).get("/").content.decode()
        assert ('href="/news/"' in page) == (role in READERS), role


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get("/news/").status_code == 302
    assert client.get("/api/news/queue").status_code == 401
