"""Pages and API of the news app: paste and upload, the highlighted article, the queue and its
decisions (accept links the border event and shows the official figure), bad input, errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.border.models import Event
from borderwatch.border.services import ensure_reference_data
from borderwatch.news.models import Article, ClaimStatus, NewsClaim

TEXT = (
    "Lithuania's border guard service said it detained 171 people on Tuesday night. "
    "Polish border guards detained 40 migrants on Monday. "
    "Border guards detained 50 people on Sunday."
)
PASTE = {
    "text": TEXT,
    "title": "Migrants at the border",
    "source": "Test wire",
    "published_on": "2021-07-29",
    "published_time": "10:15",
    "time_zone": "Europe/Vilnius",
    "language": "en",
}


@pytest.fixture
def reference(db: None) -> None:
    ensure_reference_data()


def paste(client: Client, **changes: str) -> Article:
    response = client.post("/news/articles/new/", {**PASTE, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title=changes.get("title", PASTE["title"]))
    assert response["Location"] == f"/news/articles/{article.pk}/"
    return article


def claim_of(state: str) -> NewsClaim:
    return NewsClaim.objects.get(kind="detained", state=state)


def test_paste_then_article_page_marks_each_claim(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    assert client.get("/news/articles/new/").status_code == 200
    article = paste(client)
    assert article.published_at == dt.datetime(
        2021, 7, 29, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert (article.time_zone, article.language, article.source) == (
        "Europe/Vilnius",
        "en",
        "Test wire",
    )
    page = client.get(f"/news/articles/{article.pk}/").content.decode()
    lt = claim_of("LT")
    mark = (
        f'<mark class="claim claim-detained claim-pending" data-claim="{lt.pk}">'
        f'<a href="#claim-{lt.pk}">171 people</a></mark>'
    )
    assert mark in page
    assert "“on Tuesday night”: Tuesday on or before" in page  # the date resolution
    assert "2021-07-29 10:15 (Europe/Vilnius)" in page
    unplaced = NewsClaim.objects.get(kind="detained", state="")
    assert f'data-claim="{unplaced.pk}"' in page and "No member state" in page
    # another state's claim is neither marked nor listed for a Lithuanian coordinator
    assert f'data-claim="{claim_of("PL").pk}"' not in page
    assert "style=" not in page and "<script>" not in page
    # the same text again is recognised: the stored article, no second copy
    response = client.post("/news/articles/new/", {**PASTE, "title": "Again"})
    assert response["Location"] == f"/news/articles/{article.pk}/"
    assert Article.objects.count() == 1


def test_paste_bad_input_names_the_field_and_stores_nothing(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    response = client.post(
        "/news/articles/new/", {**PASTE, "time_zone": "Europe/Atlantis", "published_on": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Europe/Atlantis" in body and "is unknown" in body
    assert not Article.objects.exists()
    response = client.post("/news/articles/new/", {**PASTE, "published_on": ""})
    assert response.status_code == 422 and "is not a date" in response.content.decode()
    assert not Article.objects.exists() and not NewsClaim.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "fields"),
    [
        ("a.txt", b"Latvia detained 5 people on Monday.", {"source": "LSM"}),
        (
            "a.html",
            b"<html><body><p>Latvia detained 5 people on Monday.</p>"
            b"<script>x()</script></body></html>",
            {"source": "LSM"},
        ),
        (
            "a.eml",
            b"From: Wire <w@example.org>\nSubject: Border\n"
            b"Date: Thu, 29 Jul 2021 10:00:00 +0300\n\nLatvia detained 5 people on Monday.",
            {"published_on": ""},
        ),
        (
            "a.json",
            json.dumps(
                {
                    "text": "Latvia detained 5 people on Monday.",
                    "source": "LETA",
                    "published": "2021-07-29T10:00",
                    "time_zone": "Europe/Riga",
                }
            ).encode(),
            {"published_on": "", "time_zone": ""},
        ),
    ],
)
def test_upload_of_each_type(
    frontex: User,
    client_for: Callable[[User], Client],
    name: str,
    content: bytes,
    fields: dict[str, str],
) -> None:
    client = client_for(frontex)
    assert client.get("/news/articles/upload/").status_code == 200
    form = {"published_on": "2021-07-29", "time_zone": "Europe/Riga", **fields}
    response = client.post(
        "/news/articles/upload/", {**form, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.file_name == name and "x()" not in article.text
    claim = article.claims.get(kind="detained")
    assert (claim.state, claim.count, claim.day_from) == ("LV", 5, dt.date(2021, 7, 26))


def test_upload_refuses_other_types_and_changes_nothing(
    frontex: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(frontex).post(
        "/news/articles/upload/",
        {"source": "x", "published_on": "2021-07-29", "file": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert response.status_code == 422
    assert "a.pdf: use a .txt, .html, .eml or .json file." in response.content.decode()
    assert not Article.objects.exists()


def test_queue_accept_links_the_event_and_shows_the_official_figure(
    reference: None, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    paste(client)
    queue = client.get("/news/").content.decode()
    lt, pl = claim_of("LT"), claim_of("PL")
    assert f'id="accept-{lt.pk}"' in queue and f'id="accept-{pl.pk}"' not in queue
    response = client.post(
        f"/news/claims/{lt.pk}/decide/", {"decision": "accept", "next": "/news/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/news/claims/{lt.pk}/"
    lt.refresh_from_db()
    assert lt.status == ClaimStatus.ACCEPTED and lt.event_id is not None
    event = Event.objects.get(pk=lt.event_id)
    assert (event.persons, event.source, event.country_id) == (171, "news", "LT")
    page = client.get(f"/news/claims/{lt.pk}/").content.decode()
    assert f'href="/border/events/{lt.event_id}/"' in page
    assert '<td class="num press-figure">171</td>' in page
    assert '<td class="num official-figure">0</td>' in page
    assert "disagree" in page and 'id="accept-' not in page  # decided: no more forms
    assert f'id="accept-{lt.pk}"' not in client.get("/news/").content.decode()


def test_reject_and_correct_need_a_reason(
    reference: None, frontex: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(frontex)
    paste(client)
    pl = claim_of("PL")
    response = client.post(f"/news/claims/{pl.pk}/decide/", {"decision": "reject", "reason": ""})
    assert response.status_code == 422
    assert "Give a reason for a correction or a rejection." in response.content.decode()
    pl.refresh_from_db()
    assert pl.status == ClaimStatus.PENDING
    response = client.post(
        f"/news/claims/{pl.pk}/decide/",
        {"decision": "reject", "reason": "duplicate report", "next": "/news/"},
    )
    assert response["Location"] == "/news/"
    unplaced = NewsClaim.objects.get(kind="detained", state="")
    response = client.post(
        f"/news/claims/{unplaced.pk}/decide/",
        {"decision": "correct", "reason": "Latvian guards", "state": "LV", "count": "52"},
    )
    assert response.status_code == 302
    unplaced.refresh_from_db()
    assert (unplaced.status, unplaced.state, unplaced.count) == (ClaimStatus.CORRECTED, "LV", 52)
    assert Event.objects.get(pk=unplaced.event_id).persons == 52
    # an unplaced count cannot be accepted as it is
    article = paste(client, text="Border guards detained 9 people on Sunday.", title="Other")
    other = article.claims.get(kind="detained")
    response = client.post(f"/news/claims/{other.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 422 and "member state" in response.content.decode()


def test_api_paste_read_queue_decide(
    reference: None, coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    body = {
        "text": TEXT, "source": "Wire", "published": "2021-07-29T10:15",
        "time_zone": "Europe/Vilnius", "title": "API",
    }  # fmt: skip
    response = client.post("/api/news/articles", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] is True and data["time_zone"] == "Europe/Vilnius"
    kinds = {(c["state"], c["count"]) for c in data["claims"] if c["kind"] == "detained"}
    assert kinds == {("LT", 171), ("", 50)}  # Poland's claim is not Lithuania's to see
    lt = next(c for c in data["claims"] if c["state"] == "LT")
    assert data["text"][lt["start"] : lt["end"]] == "171 people"
    assert lt["date"]["phrase"] and "Tuesday" in lt["date"]["rule"]
    unplaced = next(c for c in data["claims"] if c["state"] == "")
    assert not unplaced["placed"] and unplaced["unplaced_reason"]
    again = client.post("/api/news/articles", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert client.get(f"/api/news/articles/{data['id']}").json()["id"] == data["id"]

    page = client.get("/api/news/queue?limit=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1
    rest = client.get("/api/news/queue?limit=1&offset=1").json()["results"]
    assert {page["results"][0]["id"], rest[0]["id"]} == {lt["id"], unplaced["id"]}

    url = f"/api/news/claims/{lt['id']}/decision"
    decided = client.post(url, {"decision": "accept"}, content_type="application/json").json()
    assert decided["status"] == "accepted" and decided["event_id"]
    assert (decided["official_count"], decided["disagrees"]) == (0, True)
    again = client.post(url, {"decision": "accept"}, content_type="application/json")
    assert again.status_code == 422 and "already reviewed" in str(again.json()["detail"])
    assert again.json()["request_id"]


def test_api_bad_input_is_json_naming_the_problem(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(coordinator_lt)
    body = {"text": "x", "source": "", "published": "soon", "time_zone": "Mars/Base"}
    response = client.post("/api/news/articles", body, content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {"source", "time_zone"} <= set(detail)
    assert not Article.objects.exists()
    response = client.post(
        "/api/news/claims/999999/decision", {"decision": "accept"}, content_type="application/json"
    )
    assert response.status_code == 404 and response.json()["detail"] == "Not found."
    assert client.get("/api/news/queue?limit=0").status_code == 422


def test_openapi_documents_the_news_operations(
    coordinator_lt: User, client_for: Callable[[User], Client]
) -> None:
    schema = client_for(coordinator_lt).get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/news/articles",
        "/api/news/articles/{article_id}",
        "/api/news/queue",
        "/api/news/claims/{claim_id}/decision",
    ):
        assert path in paths
    decision = paths["/api/news/claims/{claim_id}/decision"]["post"]
    assert {"404", "422", "403"} <= set(decision["responses"])
    assert "ClaimOut" in schema["components"]["schemas"]
