"""/api/docs works offline: the Swagger UI comes from the installed package's static files."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.test import Client

from borderwatch.accounts.models import User


def test_api_docs_load_no_asset_from_another_host(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    page = client_for(make_user()).get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn." not in html and "//" not in re.sub(r"https?://[^\"']*localhost", "", html)
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not served locally"


def test_api_docs_need_a_signed_in_user() -> None:
    assert Client().get("/api/docs").status_code == 302
