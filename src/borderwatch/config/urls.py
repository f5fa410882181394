"""Top-level URL map: one include per app, the API under /api."""

from django.contrib import admin
from django.urls import include, path

from borderwatch.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("borderwatch.accounts.urls")),
    path("api/", api.urls),
    path("audit/", include("borderwatch.audit.urls")),
    path("border/", include("borderwatch.border.urls")),
    path("news/", include("borderwatch.news.urls")),
    path("linkage/", include("borderwatch.linkage.urls")),
    path("intelligence/", include("borderwatch.intelligence.urls")),
    path("procedures/", include("borderwatch.procedures.urls")),
    path("reception/", include("borderwatch.reception.urls")),
    path("registration/", include("borderwatch.registration.urls")),
    path("search/", include("borderwatch.search.urls")),
    path("support/", include("borderwatch.support.urls")),
    path("", include("borderwatch.picture.urls")),
]
