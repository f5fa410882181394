"""Ingest, duplicates, uploads, folder, review with roles, the border figure and the flag."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border.services import ensure_reference_data
from borderwatch.core.audit import Action
from borderwatch.core.roles import Role
from borderwatch.news import selectors, services
from borderwatch.news.models import ClaimStatus, NewsClaim

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "news"
TEXT = (
    "Lithuania's border guard service said it detained 171 people on Tuesday night. "
    "Polish border guards detained 40 migrants on Monday."
)


def article_input(text: str = TEXT) -> services.ArticleInput:
    return services.ArticleInput(
        text=text, source="Test wire", published="2021-07-29", time_zone="Europe/Vilnius"
    )


@pytest.fixture
def reference(db: None) -> None:
    ensure_reference_data()


def count_claim(state: str) -> NewsClaim:
    return NewsClaim.objects.get(kind="detained", state=state)


def test_ingest_extracts_and_recognises_duplicates(db: None) -> None:
    article, created = services.ingest_article(None, article_input())
    assert created and article.claims.count() == 2
    again, created_again = services.ingest_article(
        None, article_input("  " + TEXT.replace(" ", "  "))
    )
    assert again.pk == article.pk and not created_again
    claim = count_claim("LT")
    assert (claim.count, claim.day_from, TEXT[claim.start : claim.end]) == (
        171,
        dt.date(2021, 7, 27),
        "171 people",
    )
    assert "Tuesday" in claim.date_rule


def test_bad_input_names_the_problem_and_stores_nothing(db: None) -> None:
    with pytest.raises(ValidationError) as exc:
        services.ingest_article(
            None, services.ArticleInput(text=" ", source="", published="x", time_zone="Nowhere/X")
        )
    assert {"text", "source", "time_zone"} <= set(exc.value.message_dict)
    assert not NewsClaim.objects.exists()


def test_uploads_of_each_type() -> None:
    html = b"<html><head><style>p{}</style></head><body><p>Latvia detained 5 people on Monday.</p></body></html>"
    assert services.parse_upload("a.html", html).text == "Latvia detained 5 people on Monday."
    eml = b"From: Wire <w@example.org>\nSubject: Border\nDate: Thu, 29 Jul 2021 10:00:00 +0300\n\nLatvia detained 5 people."
    parsed = services.parse_upload("a.eml", eml)
    assert (parsed.title, parsed.text.strip(), parsed.published[:10]) == (
        "Border",
        "Latvia detained 5 people.",
        "2021-07-29",
    )
    meta = {"text": "x", "source": "AP", "published": "2021-07-29", "time_zone": "Europe/Riga"}
    assert services.parse_upload("a.json", json.dumps(meta).encode()).time_zone == "Europe/Riga"
    with pytest.raises(ValidationError, match="pdf"):
        services.parse_upload("a.pdf", b"x")


def test_folder_of_the_shared_example(db: None) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/news is not present")
    results = services.ingest_folder(None, SHARED)
    assert [outcome for _n, _a, outcome in results] == ["new"]
    article = results[0][1]
    assert article is not None and article.source == "The Associated Press"
    assert article.claims.filter(
        kind="detained", count=171, state="LT", day_from=dt.date(2021, 7, 27)
    ).exists()
    assert [o for _n, _a, o in services.ingest_folder(None, SHARED)] == ["duplicate"]


def test_accept_creates_event_and_flags_disagreement(
    reference: None, make_user: Callable[..., User]
) -> None:
    services.ingest_article(None, article_input())
    coordinator = make_user(Role.NATIONAL_COORDINATOR, "LT")
    claim = services.review_claim(coordinator, count_claim("LT").pk, "accept")
    assert claim.status == ClaimStatus.ACCEPTED and claim.event_id is not None
    assert claim.official_count == 0 and claim.disagrees
    day = dt.date(2021, 7, 27)
    assert border_selectors.daily_persons(coordinator, day, day, countries=["LT"]) == [
        ("LT", day, 171)
    ]
    from borderwatch.core.models import AuditEntry

    assert AuditEntry.objects.filter(action=Action.NEWS_CLAIM_ACCEPT).count() == 1


def test_correct_then_accept_and_reject_need_reasons(
    reference: None, make_user: Callable[..., User]
) -> None:
    services.ingest_article(None, article_input())
    frontex = make_user(Role.FRONTEX_ANALYST, "")
    pl = count_claim("PL")
    with pytest.raises(ValidationError, match="reason"):
        services.review_claim(frontex, pl.pk, "reject")
    corrected = services.review_claim(
        frontex, pl.pk, "correct", "wire said 42", services.Correction(count=42)
    )
    assert (corrected.status, corrected.count) == (ClaimStatus.CORRECTED, 42)
    with pytest.raises(ValidationError, match="already"):
        services.review_claim(frontex, pl.pk, "accept")


def test_a_review_moves_through_the_claims_transition_table(
    reference: None, make_user: Callable[..., User]
) -> None:
    """The review is a workflow move: a timeline row, an audit entry with the corrected values
    before and after, and no move out of a reviewed claim (the table has none)."""
    from borderwatch.core.models import AuditEntry, TransitionRecord
    from borderwatch.news.workflow import CLAIM

    assert CLAIM.from_state(ClaimStatus.CORRECTED) == ()
    services.ingest_article(None, article_input())
    frontex = make_user(Role.FRONTEX_ANALYST, "")
    pl = count_claim("PL")
    services.review_claim(frontex, pl.pk, "correct", "wire said 42", services.Correction(count=42))
    row = TransitionRecord.objects.get(workflow="news.claim", object_id=str(pl.pk))
    assert (row.source, row.target, row.reason, row.member_state) == (
        "pending", "corrected", "wire said 42", "PL",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action=Action.NEWS_CLAIM_CORRECT)
    # the count corrected, and the border figure it became (none before)
    assert entry.old_values == {
        "count": 40, "event_id": None, "official_count": None, "status": "pending",
    }  # fmt: skip
    assert entry.new_values is not None
    assert (entry.new_values["count"], entry.new_values["status"]) == (42, "corrected")
    assert entry.new_values["event_id"] is not None
    assert entry.new_values["reviewed_by"] == frontex.pk


def test_roles_and_scope(reference: None, make_user: Callable[..., User]) -> None:
    services.ingest_article(None, article_input())
    coordinator_lt = make_user(Role.NATIONAL_COORDINATOR, "LT")
    guard = make_user(Role.BORDER_GUARD, "LT")
    with pytest.raises(PermissionDenied):
        services.review_claim(guard, count_claim("LT").pk, "accept")
    with pytest.raises(NewsClaim.DoesNotExist):  # another state's claim: as if missing
        services.review_claim(coordinator_lt, count_claim("PL").pk, "accept")
    assert {c.state for c in selectors.queue(coordinator_lt)} == {"LT"}
    assert count_claim("LT").status == ClaimStatus.PENDING


def test_unplaced_count_cannot_become_a_figure(
    reference: None, make_user: Callable[..., User]
) -> None:
    services.ingest_article(None, article_input("Border guards detained 50 people on Monday."))
    claim = NewsClaim.objects.get(kind="detained")
    assert claim.state == "" and not claim.placed
    frontex = make_user(Role.FRONTEX_ANALYST, "")
    with pytest.raises(ValidationError, match="member state"):
        services.review_claim(frontex, claim.pk, "accept")
    fixed = services.review_claim(
        frontex,
        claim.pk,
        "correct",
        "the guard service is Latvia's",
        services.Correction(state="LV"),
    )
    assert fixed.event_id is not None
