"""Hit pages: the fingerprint expert's queue, comparison and decision, and the other member
state's view of confirmed hits on its records."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.engines.fingerprint import MinutiaPair
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import DecisionForm
from borderwatch.registration.models import HitStatus

GAP = 24  # pixels between the query and the candidate image


def review_queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VERIFY_HITS, user.member_state or None)
    return render(
        request,
        "registration/review_queue.html",
        {"rows": selectors.hits_pending_review(user)},
    )


@dataclass(frozen=True)
class DrawnPair:
    """A matched minutia pair in the panel's coordinates (the candidate shifted right)."""

    number: int
    xa: float
    ya: float
    xb: float
    yb: float
    strength: float


@dataclass(frozen=True)
class FingerPanel:
    """One finger side by side: both images in one SVG, the matched pairs drawn between them."""

    position: int
    name: str
    score: float
    query_url: str
    candidate_url: str
    query_size: tuple[int, int]
    candidate_size: tuple[int, int]
    gap: int
    matched: list[MinutiaPair]

    @property
    def offset(self) -> int:
        return self.query_size[0] + self.gap

    @property
    def width(self) -> int:
        return self.offset + self.candidate_size[0]

    @property
    def height(self) -> int:
        return max(self.query_size[1], self.candidate_size[1])

    @property
    def pairs(self) -> list[DrawnPair]:
        return [
            DrawnPair(n, m.xa, m.ya, m.xb + self.offset, m.yb, m.strength)
            for n, m in enumerate(self.matched, start=1)
        ]


def _panels(comparison: list[selectors.FingerComparison]) -> list[FingerPanel]:
    """Fingers with an image on both sides (template-only, synthetic, fingers have none)."""
    return [
        FingerPanel(
            position=c.position,
            name=c.name,
            score=c.score,
            query_url=reverse("registration:finger_image", args=[c.query_finger_id]),
            candidate_url=reverse("registration:finger_image", args=[c.candidate_finger_id]),
            query_size=c.query_size,
            candidate_size=c.candidate_size,
            gap=GAP,
            matched=list(c.pairs),
        )
        for c in comparison
        if c.query_size is not None and c.candidate_size is not None
    ]


def _hit_page(request: HttpRequest, hit_id: int, form: DecisionForm | None = None) -> HttpResponse:
    user = current_user(request)
    review = found(selectors.hit_review, user, hit_id)
    return render(
        request,
        "registration/hit_detail.html",
        {
            "hit": review.hit,
            "view": review.view,
            "candidate_is_ours": review.candidate_is_ours,
            "panels": _panels(review.comparison),
            "form": form or DecisionForm(),
            "pending": review.hit.status == HitStatus.PENDING,
        },
        status=422 if form is not None else 200,
    )


def hit_detail(request: HttpRequest, hit_id: int) -> HttpResponse:
    return _hit_page(request, hit_id)


@require_POST
def decide(request: HttpRequest, hit_id: int) -> HttpResponse:
    user = current_user(request)
    found(selectors.require_expert_hit, user, hit_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            h = services.decide_hit(
                user, hit_id, confirm=confirm, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request, _("Hit confirmed.") if h.status == "confirmed" else _("Hit rejected.")
            )
            return redirect("registration:hit", hit_id=hit_id)
    return _hit_page(request, hit_id, form)


def shared_hits(request: HttpRequest) -> HttpResponse:
    """Confirmed hits of other states' searches that found one of our persons: Eurodac's
    fields of their record only; the selector audits each look for the owner."""
    user = current_user(request)
    check(user, Capability.VIEW_PERSONS, user.member_state or None)
    return render(
        request,
        "registration/shared_hits.html",
        {"views": selectors.shared_hits(user)},
    )
