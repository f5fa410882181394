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


def test_openapi_documents_the_errors_of_every_operation_with_one_schema(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    schema = client_for(make_user()).get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert {"detail", "request_id"} <= set(error["properties"])
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            for code in ("401", "403"):
                assert responses[code]["content"]["application/json"]["schema"] == ref, where
            if "{" in path:
                assert "404" in responses, where
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in responses, where
    events = schema["paths"]["/api/border/events"]["get"]["responses"]
    assert "400" in events  # a bad cursor
    upload = schema["paths"]["/api/border/events/import"]["post"]["responses"]
    assert {"202", "413", "422"} <= set(upload)
