"""The language switch: saved on the user when signed in, and in the language cookie always."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from borderwatch.accounts.models import User
from borderwatch.accounts.services import set_language


@login_not_required  # the sign-in page offers it too
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("language", "")
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
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
