"""Production settings from the environment, the response headers every page carries, and
files closed to other local users.

Settings are read once per process, so production mode is tried in a subprocess with its own
environment (and its own var/ folder under tmp_path).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

import borderwatch

SRC = Path(borderwatch.__file__).resolve().parents[1]
PRODUCTION = {
    "BORDERWATCH_ENV": "production",
    "DJANGO_SECRET_KEY": "x7Qv-production-test-key-" + "k9" * 30,
    "DJANGO_ALLOWED_HOSTS": "borderwatch.example.eu",
}


def _run(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m borderwatch.cli ARGS` (or `python -c` with args[0] == '-c') in a fresh
    process whose environment is ours minus the settings under test, plus `env`."""
    clean = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("BORDERWATCH_", "DJANGO_")) and k != "DATABASE_URL"
    }  # fmt: skip
    clean.update(PYTHONPATH=str(SRC), BORDERWATCH_VAR_DIR=str(tmp_path / "var"))
    clean["DJANGO_SETTINGS_MODULE"] = "borderwatch.config.settings"
    command = [
        sys.executable,
        "-P",
        *(args if args[0] == "-c" else ("-m", "borderwatch.cli", *args)),
    ]
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        command, env=clean | env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _run(tmp_path, PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_outside_production(tmp_path: Path) -> None:
    result = _run(tmp_path, {}, "check", "--deploy")
    assert "borderwatch.W001" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _run(tmp_path, env, "check")
    assert result.returncode != 0
    assert f"needs {missing}" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(SERVER_NAME="borderwatch.example.eu")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
csrf = secure.cookies.get("csrftoken")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csrf_secure": bool(csrf and csrf["secure"]),
}))
"""


def test_production_answers_over_https_only(tmp_path: Path) -> None:
    result = _run(tmp_path, PRODUCTION, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://borderwatch.example.eu/accounts/login/"]
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert seen["csrf_secure"] is True


def test_behind_a_proxy_the_forwarded_scheme_counts_only_when_asked(tmp_path: Path) -> None:
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client(SERVER_NAME='borderwatch.example.eu').get('/accounts/login/', "
        "HTTP_X_FORWARDED_PROTO='https').status_code)"
    )
    assert _run(tmp_path, PRODUCTION, "-c", probe).stdout.strip() == "301"
    proxied = PRODUCTION | {"BORDERWATCH_PROXY_SSL_HEADER": "1"}
    assert _run(tmp_path, proxied, "-c", probe).stdout.strip() == "200"


def test_every_page_carries_the_security_headers(db: None) -> None:
    response = Client().get("/accounts/login/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
        "img-src": "'self'", "font-src": "'self'", "connect-src": "'self'",
        "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'",
        "form-action": "'self'",
    }  # fmt: skip
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_uploads_are_closed_to_other_users(settings: Any) -> None:
    name = default_storage.save("fingers/2021/a.png", ContentFile(b"\x89PNG"))
    path = Path(settings.MEDIA_ROOT) / name
    assert _mode(path) == 0o640
    assert _mode(path.parent) == 0o750


FILES_PROBE = """
import django; django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x integer)")
(settings.GALLERY_DIR).mkdir(parents=True)
(settings.GALLERY_DIR / "journal.bin").write_bytes(b"j")
"""


def test_the_database_var_and_gallery_are_for_this_user_only(tmp_path: Path) -> None:
    result = _run(tmp_path, {}, "-c", FILES_PROBE)
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    assert _mode(var) == 0o700
    assert _mode(var / "borderwatch.sqlite3") == 0o600
    assert _mode(var / "secret_key") == 0o600
    assert _mode(var / "gallery") == 0o700
    assert _mode(var / "gallery" / "journal.bin") == 0o600


def test_an_older_database_file_is_closed_at_start(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    database = var / "borderwatch.sqlite3"
    database.touch()
    database.chmod(0o644)
    assert _run(tmp_path, {}, "check").returncode == 0
    assert _mode(database) == 0o600
