"""What the signed-in user may do, for the navigation (the views check again on every request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from borderwatch.core.permissions import can
from borderwatch.core.roles import Capability


def capabilities(request: HttpRequest) -> dict[str, Any]:
    """`caps.view_persons` etc. in every template: show only the links a role can use."""
    user = getattr(request, "user", None)
    return {"caps": {c.value: can(user, c) for c in Capability}}
