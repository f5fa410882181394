"""Border pages (placeholder until the border app lands)."""

from django.http import HttpRequest, HttpResponse


def event_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("events")


def section_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sections")
