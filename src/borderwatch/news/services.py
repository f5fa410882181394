"""Writes of the news app: ingest an article (extracting its claims), review a claim.

Nothing is fetched from the internet: a URL is recorded as given. An accepted count claim
becomes a border event (source "news") through border.services, and the official figure for
that state and day is kept beside it so a disagreement shows.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border import services as border_services
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import CAPABILITIES, Capability, Role
from borderwatch.engines import news as engine
from borderwatch.news.models import Article, ClaimStatus, NewsClaim
from borderwatch.news.workflow import CLAIM, DECISIONS

REVIEWERS = CAPABILITIES[Capability.REVIEW_NEWS]
UPLOAD_TYPES = (".txt", ".html", ".htm", ".eml", ".json")
_EVENT_TYPES = {
    "detained": "apprehension",
    "apprehended": "apprehension",
    "crossing": "illegal_crossing_detected",
    "prevented": "prevention_of_entry",
}


@dataclass
class ArticleInput:
    """An article as received, before checks."""

    text: str
    source: str
    published: dt.datetime | dt.date | str
    time_zone: str = "UTC"
    language: str = "en"
    title: str = ""
    url: str = ""
    file_name: str = ""


def text_hash(text: str) -> str:
    """The duplicate key: the text with whitespace normalised."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def _published(value: dt.datetime | dt.date | str, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValidationError(
                {
                    "published": [
                        _("Publication date %(value)s is not a date (YYYY-MM-DD).")
                        % {"value": repr(value)}
                    ]
                }
            ) from exc
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, 12)  # noqa: DTZ001 - made aware below
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _check_input(data: ArticleInput) -> tuple[ZoneInfo, dt.datetime]:
    errors: dict[str, list[str]] = {}
    if not data.text.strip():
        errors["text"] = [_("The article has no text.")]
    if not data.source.strip():
        errors["source"] = [_("Say where the article comes from (its source).")]
    try:
        tz = ZoneInfo(data.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = [
            _("Time zone %(value)s is unknown.") % {"value": repr(data.time_zone)}
        ]
        tz = ZoneInfo("UTC")
    if errors:
        raise ValidationError(errors)
    return tz, _published(data.published, tz)


@transaction.atomic
def ingest_article(user: User | None, data: ArticleInput) -> tuple[Article, bool]:
    """Store an article and its extracted claims; a duplicate text returns the stored one.
    `user` None is the command line (`ingest_news`); a user must be a news reviewer."""
    if user is not None:
        check(user, Capability.REVIEW_NEWS)
    tz, published = _check_input(data)
    digest = text_hash(data.text)
    existing = Article.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    article = Article.objects.create(
        sha256=digest,
        title=data.title.strip()[:300],
        source=data.source.strip()[:200],
        url=data.url.strip()[:500],
        published_at=published,
        time_zone=str(tz),
        language=data.language or "en",
        file_name=data.file_name[:255],
        text=data.text,
        created_by=user if user is not None and user.pk else None,
    )
    claims = extract_claims(article)
    audit.record(
        user,
        Action.NEWS_ARTICLE_INGEST,
        article,
        new={"source": article.source, "published_at": article.published_at, "claims": len(claims)},
    )
    return article, True


def extract_claims(article: Article) -> list[NewsClaim]:
    """Run the engine on the article (fast: milliseconds, so inline) and store its claims."""
    found = engine.extract(article.text, article.published_at, article.time_zone)
    rows = [
        NewsClaim(
            article=article,
            kind=str(c.kind),
            start=c.span.start,
            end=c.span.end,
            quote=c.text,
            state=c.state or "",
            day_from=c.date.start if c.date else None,
            day_to=c.date.end if c.date else None,
            date_phrase=c.date.phrase[:200] if c.date else "",
            date_rule=c.date.rule[:300] if c.date else "",
            count=c.count,
            values=dict(c.values),
            notes=list(c.notes),
            extracted=c.as_dict(),
        )
        for c in found.claims
    ]
    return NewsClaim.objects.bulk_create(rows)


def parse_upload(name: str, content: bytes) -> ArticleInput:
    """An uploaded file (.txt, .html, .eml, .json) as an article; .json may carry metadata
    (source, published, time_zone, language, title, url, and the text or a sibling file)."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise ValidationError(
            {"file": [_("%(name)s: use a .txt, .html, .eml or .json file.") % {"name": name}]}
        )
    try:
        raw = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": [_("%(name)s is not UTF-8 text.") % {"name": name}]}
        ) from exc
    if suffix == ".json":
        try:
            meta: dict[str, Any] = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {"file": [_("%(name)s is not valid JSON.") % {"name": name}]}
            ) from exc
        return ArticleInput(
            text=str(meta.get("text", "")),
            source=str(meta.get("source", "")),
            published=str(meta.get("published", "")),
            time_zone=str(meta.get("time_zone", "UTC")),
            language=str(meta.get("language", "en")),
            title=str(meta.get("title", "")),
            url=str(meta.get("url", "")),
            file_name=name,
        )
    if suffix == ".eml":
        message = email.message_from_string(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        if body is not None and body.get_content_type() == "text/html":
            text = html_to_text(text)
        date = message.get("Date")
        published = email.utils.parsedate_to_datetime(str(date)).isoformat() if date else ""
        return ArticleInput(
            text=text,
            source=str(message.get("From", "")),
            published=published,
            title=str(message.get("Subject", "")),
            file_name=name,
        )
    text = html_to_text(raw) if suffix in (".html", ".htm") else raw
    return ArticleInput(text=text, source="", published="", file_name=name)


def html_to_text(markup: str) -> str:
    """Paragraph text of an HTML page (scripts and styles dropped, entities decoded)."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<\s*(br|/p|/div|/h\d|/li)\b[^>]*>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def ingest_folder(user: User | None, folder: Path) -> list[tuple[str, Article | None, str]]:
    """Ingest every article file of a folder. A .txt or .html with a .json of the same stem
    takes that file's metadata; a .json naming a "file" reads its text from there."""
    results: list[tuple[str, Article | None, str]] = []
    done: set[Path] = set()
    for meta_path in sorted(folder.glob("*.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        target = folder / str(meta.get("file", "")) if meta.get("file") else None
        if target is not None and target.exists():
            meta["text"] = parse_upload(target.name, target.read_bytes()).text
            done.add(target)
        data = parse_upload(meta_path.name, json.dumps(meta).encode())
        results.append(_ingest_one(user, meta_path.name, data))
        done.add(meta_path)
    for path in sorted(folder.iterdir()):
        if path in done or path.suffix.lower() not in UPLOAD_TYPES:
            continue
        results.append(_ingest_one(user, path.name, parse_upload(path.name, path.read_bytes())))
    return results


def _ingest_one(
    user: User | None, name: str, data: ArticleInput
) -> tuple[str, Article | None, str]:
    try:
        article, created = ingest_article(user, data)
    except ValidationError as exc:
        return name, None, "; ".join(exc.messages)
    return name, article, "new" if created else "duplicate"


# -- review ----------------------------------------------------------------------------------
def check_reviewer(user: User, state: str) -> None:
    """National coordinators review their own state's claims; Frontex analysts every claim."""
    if user.role not in REVIEWERS:
        raise PermissionDenied(_("Your role may not review news claims."))
    if user.role == Role.NATIONAL_COORDINATOR and state != user.member_state:
        raise PermissionDenied(_("You may only review claims about your own member state."))


@dataclass
class Correction:
    """An analyst's changes to a claim before accepting it (None: keep the engine's value)."""

    state: str | None = None
    day_from: dt.date | None = None
    day_to: dt.date | None = None
    count: int | None = None


@transaction.atomic
def review_claim(
    user: User, claim_id: int, decision: str, reason: str = "", correction: Correction | None = None
) -> NewsClaim:
    """Accept, correct (then accept) or reject one pending claim; audited with old and new."""
    check(user, Capability.REVIEW_NEWS)
    claim = (
        NewsClaim.objects.select_for_update().select_related("article").filter(pk=claim_id).first()
    )
    if claim is None:
        raise NewsClaim.DoesNotExist
    if user.role == Role.NATIONAL_COORDINATOR and claim.state and claim.state != user.member_state:
        raise NewsClaim.DoesNotExist  # another state's claim answers like a missing one
    old = _values(claim)
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(
            _("This claim was already reviewed (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    if decision not in DECISIONS:
        raise ValidationError(_("Decide accept, correct or reject."))
    if decision in ("correct", "reject") and not reason.strip():
        raise ValidationError({"reason": [_("Give a reason for a correction or a rejection.")]})
    if decision == "correct":
        _apply(claim, correction or Correction())
    check_reviewer(
        user, claim.state or (user.member_state if user.role == Role.NATIONAL_COORDINATOR else "")
    )
    if decision != "reject" and claim.kind in _EVENT_TYPES:
        _record_figure(user, claim)
    changed = {k: v for k, v in _values(claim).items() if k != "status" and old[k] != v}
    # The move itself: the table's check, the save, the timeline row and the audit entry.
    CLAIM.apply(
        user, claim, DECISIONS[decision], member_state=claim.state, reason=reason,
        also={**changed, "reviewed_by": user, "reviewed_at": timezone.now(),
              "reason": reason.strip()},
        before={k: old[k] for k in changed},
    )  # fmt: skip
    return claim


def _values(claim: NewsClaim) -> dict[str, object]:
    return {
        "status": claim.status,
        "state": claim.state,
        "day_from": claim.day_from,
        "day_to": claim.day_to,
        "count": claim.count,
        "event_id": claim.event_id,
        "official_count": claim.official_count,
    }


def _apply(claim: NewsClaim, correction: Correction) -> None:
    if correction.state is not None:
        if correction.state not in engine.EU_MEMBER_STATES:
            raise ValidationError(
                {
                    "state": [
                        _("%(value)s is not an EU member state code.")
                        % {"value": repr(correction.state)}
                    ]
                }
            )
        claim.state = correction.state
    if correction.day_from is not None:
        claim.day_from = correction.day_from
        claim.day_to = correction.day_to or correction.day_from
    elif correction.day_to is not None:
        claim.day_to = correction.day_to
    if claim.day_from and claim.day_to and claim.day_to < claim.day_from:
        raise ValidationError({"day_to": [_("The last day is before the first.")]})
    if correction.count is not None:
        if correction.count < 0:
            raise ValidationError({"count": [_("A count cannot be negative.")]})
        claim.count = correction.count


def _record_figure(user: User, claim: NewsClaim) -> None:
    """An accepted count on one day becomes a border event with the article as its source,
    and the official persons for that state and day are kept beside it."""
    if not claim.placed or claim.count is None or claim.day_from is None:
        raise ValidationError(
            _(
                "Give the claim a member state and a day before accepting it: it would create a border figure."
            )
        )
    if claim.day_to != claim.day_from:
        raise ValidationError(
            _("This count covers a period; correct it to one day to create a border figure.")
        )
    day = claim.day_from
    official = border_selectors.daily_persons(user, day, day, countries=[claim.state])
    claim.official_count = sum(n for _c, _d, n in official)
    section = border_selectors.sections(user, claim.state).first()
    if section is None:
        raise ValidationError(
            _("%(state)s has no border sections to place the figure on.") % {"state": claim.state}
        )
    lon, lat = section.geometry["coordinates"][len(section.geometry["coordinates"]) // 2]
    tz = border_services.country_tz(claim.state)
    occurred = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
    nationality = claim.values.get("nationality")
    data = border_services.EventInput(
        ref=f"NEWS-{claim.article_id}-{claim.pk}",
        occurred_at=occurred,
        event_type=_EVENT_TYPES[claim.kind],
        latitude=lat,
        longitude=lon,
        persons=claim.count,
        nationalities={str(nationality) if nationality else "XX": claim.count},
        source="news",
        reporting_unit=claim.article.source[:100],
        description=f"{claim.article.source}, {claim.article.published_at:%Y-%m-%d}: “{claim.quote}” (place along the border unknown)",
    )
    valid, errors = border_services.validate_event(
        data, tz=tz, finder=border_services.SectionFinder(claim.state)
    )
    if errors or valid is None:
        raise ValidationError([str(e) for e in errors])
    event = border_services.create_events(user, claim.state, [valid])[0]
    claim.event_id = event.pk
