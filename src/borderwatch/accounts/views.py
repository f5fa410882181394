"""The language switch (saved on the user when signed in, and in the language cookie always),
the user's own API tokens and the sign-in lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from borderwatch.accounts.forms import TokenForm
from borderwatch.accounts.models import User
from borderwatch.accounts.selectors import token_of, tokens_of
from borderwatch.accounts.services import issue_token, revoke_token, set_language
from borderwatch.core.permissions import current_user
from borderwatch.core.web import errors_into, found, safe_next


@login_not_required  # the sign-in page offers it too
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("language", "")
    back = safe_next(request, request.POST.get("next"), "/")
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        try:
            set_language(user, code)
        except ValidationError as exc:
            return HttpResponseBadRequest(" ".join(exc.messages))
    elif code not in {c for c, _name in settings.LANGUAGES}:
        return HttpResponseBadRequest(_("Unknown language."))
    response = redirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code or settings.LANGUAGE_CODE, samesite="Lax",
        max_age=365 * 24 * 3600,
    )  # fmt: skip
    return response


@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; POST creates one and shows it in clear this once."""
    user = current_user(request)
    form = TokenForm(request.POST or None)
    raw = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                raw = issue_token(
                    user, form.cleaned_data["name"], user, days=form.cleaned_data["days"]
                )
            except ValidationError as exc:
                errors_into(form, exc)
        if raw:
            form = TokenForm()
        else:
            status = 422
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": tokens_of(user), "form": form, "raw": raw, "now": timezone.now()},
        status=status,
    )


@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is 404)."""
    user = current_user(request)
    token = found(token_of, user, token_id)
    revoke_token(token, user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page django-axes answers with while a username and address are locked out (429)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
