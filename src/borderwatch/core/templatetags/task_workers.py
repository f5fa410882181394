"""`{% no_worker_banner %}`: says so on a page when tasks need a worker and none is alive."""

from __future__ import annotations

from django import template

from borderwatch.core import workers

register = template.Library()


@register.inclusion_tag("core/_no_worker.html")
def no_worker_banner() -> dict[str, bool]:
    """Read from the heartbeats (core.workers) at each render, so a polled fragment that
    includes it shows the banner as soon as the last worker falls silent."""
    return {"no_worker": workers.no_worker_alive()}
