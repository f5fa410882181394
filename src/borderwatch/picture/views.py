"""Situational picture pages (placeholder until the picture app lands)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def situation(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


def bulletin(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")
