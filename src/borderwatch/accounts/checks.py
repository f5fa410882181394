"""`borderwatch check --deploy` also warns when a deployment is not in production mode: the
HTTPS settings (secure cookies, HSTS, SSL redirect) follow BORDERWATCH_ENV=production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_mode(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "PRODUCTION", False):
        return []
    return [
        Warning(
            "BORDERWATCH_ENV is not 'production': the local demo mode (plain HTTP, a secret "
            "key kept in var/) is for 127.0.0.1 only.",
            hint="Set BORDERWATCH_ENV=production, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.",
            id="borderwatch.W001",
        )
    ]
