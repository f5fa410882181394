"""News pages: paste or upload an article, the article with its claims highlighted, a claim
with its decision forms, and the review queue.

Thin: parse, call a selector or service, render. For national coordinators (their state's
claims and the unplaced ones) and Frontex analysts (all); other roles are refused (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.core.codes import MEMBER_STATES
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found, safe_next
from borderwatch.news import selectors, services
from borderwatch.news.forms import DecisionForm, PasteForm, UploadForm
from borderwatch.news.models import Article, NewsClaim

CLAIMS_PER_PAGE = 25
ARTICLES_PER_PAGE = 50
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# The services name the publication date `published`; the forms split it in two fields.
_FIELD_NAMES = {"published": "published_on"}
DECIDED = {
    "accept": gettext_lazy("Claim accepted."),
    "correct": gettext_lazy("Claim corrected and accepted."),
    "reject": gettext_lazy("Claim rejected."),
}


def _errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError({_FIELD_NAMES.get(k, k): v for k, v in exc.error_dict.items()})
    errors_into(form, exc)


def _published(data: dict[str, Any]) -> dt.datetime | dt.date | str:
    """The form's date and optional time (naive: the service reads them in the time zone)."""
    day: dt.date | None = data.get("published_on")
    time: dt.time | None = data.get("published_time")
    if day is None:
        return ""
    return dt.datetime.combine(day, time) if time is not None else day


def _stored(request: HttpRequest, article: Article, created: bool) -> HttpResponse:
    if created:
        n = article.claims.count()
        found_text = ngettext(
            "Article stored: %(n)d claim found.", "Article stored: %(n)d claims found.", n
        )
        messages.success(request, found_text % {"n": n})
    else:
        messages.info(request, _("This text was already stored: here is the earlier copy."))
    return redirect("news:article", article_id=article.pk)


@require_http_methods(["GET", "POST"])
def article_paste(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.REVIEW_NEWS)
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ArticleInput(
            text=d["text"], source=d["source"], published=_published(d),
            time_zone=d["time_zone"], language=d["language"], title=d["title"], url=d["url"],
        )  # fmt: skip
        try:
            article, created = services.ingest_article(user, data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _stored(request, article, created)
    status = 422 if form.errors else 200
    return render(request, "news/article_paste.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def article_upload(request: HttpRequest) -> HttpResponse:
    """A file: what it carries (.eml headers, .json keys) unless the form says otherwise."""
    user = current_user(request)
    check(user, Capability.REVIEW_NEWS)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(
                    {"file": [_("The file is larger than 2 MB: is it really one article?")]}
                )
            data = services.parse_upload(upload.name, upload.read())
            data.source = d["source"] or data.source
            data.published = _published(d) or data.published
            data.time_zone = d["time_zone"] or data.time_zone
            data.language = d["language"] or data.language
            article, created = services.ingest_article(user, data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _stored(request, article, created)
    status = 422 if form.errors else 200
    return render(request, "news/article_upload.html", {"form": form}, status=status)


def article_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    qs = selectors.articles(user)
    page = Paginator(qs, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/article_list.html", {"page": page})


def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    """The text with the claims the user may see marked in it, then each claim's attributes."""
    user = current_user(request)
    article = found(selectors.article, user, article_id)
    shown = selectors.article_claims(user, article)
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "claims": shown,
            "segments": selectors.highlighted(article.text, shown),
        },
    )


def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    user = current_user(request)
    claim = found(selectors.claim, user, claim_id)
    return _claim_page(request, claim, DecisionForm(), 200)


def _claim_page(
    request: HttpRequest, claim: NewsClaim, form: DecisionForm, status: int
) -> HttpResponse:
    return render(
        request,
        "news/claim_detail.html",
        {
            "claim": claim,
            "form": form,
            "states": sorted(MEMBER_STATES),
            "next": safe_next(request, request.POST.get("next") or request.GET.get("next"), ""),
        },
        status=status,
    )


@require_POST
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Accept, correct or reject; a refused decision shows the claim page with the problem."""
    user = current_user(request)
    claim = found(selectors.claim, user, claim_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        correction = services.Correction(
            state=d["state"] or None, day_from=d["day_from"], day_to=d["day_to"], count=d["count"]
        )
        try:
            decided = services.review_claim(user, claim.pk, d["decision"], d["reason"], correction)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, DECIDED[d["decision"]])
            back = reverse("news:claim", args=[decided.pk])
            if d["decision"] == "reject":
                back = safe_next(request, request.POST.get("next"), back)
            return redirect(back)
    claim.refresh_from_db()
    return _claim_page(request, claim, form, 422)


def review_queue(request: HttpRequest) -> HttpResponse:
    """Pending claims, oldest article first, paged in the database."""
    user = current_user(request)
    state = (request.GET.get("state") or "").strip().upper()
    if state not in MEMBER_STATES:
        state = ""
    qs = selectors.queue(user, state)
    page = Paginator(qs, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/queue.html",
        {
            "page": page,
            "state": state,
            "filter_states": sorted(MEMBER_STATES) if user.sees_all_states else [],
            "states": sorted(MEMBER_STATES),
            "here": request.get_full_path(),
        },
    )
