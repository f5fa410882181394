"""Pages and messages in Lithuanian, Latvian and Polish besides English.

The browser's language is used unless the user chose one; every catalogue is complete (no entry
left untranslated or fuzzy) and its committed .mo says what its .po says.
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from borderwatch.accounts.models import User
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.roles import Role

SRC = Path(__file__).resolve().parents[2] / "src" / "borderwatch"
CATALOGUES = sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))
LANGUAGES = ("lt", "lv", "pl")


def test_the_browsers_language_is_used(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(make_user(Role.BORDER_GUARD, "LT"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="lt").content.decode()
    assert 'lang="lt"' in page and "Situacijos vaizdas" in page
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Obraz sytuacji" in page


def test_the_sign_in_page_follows_the_browser() -> None:
    page = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Pieteikties" in page and 'name="language"' in page


def test_a_users_choice_wins_over_the_browser_and_is_audited(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = make_user(Role.NATIONAL_COORDINATOR, "PL")
    client = client_for(user)
    response = client.post("/accounts/language/", {"language": "pl", "next": "/border/events/"})
    assert response.status_code == 302 and response["Location"] == "/border/events/"
    user.refresh_from_db()
    assert user.language == "pl"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="lt").content.decode()
    assert "Obraz sytuacji" in page and "Situacijos vaizdas" not in page
    entry = AuditEntry.objects.get(action=Action.USER_LANGUAGE, object_id=str(user.pk))
    assert entry.new_values == {"language": "pl"}


def test_an_unknown_language_is_refused_and_changes_nothing(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    user = make_user()
    response = client_for(user).post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400 and "xx" in response.content.decode()
    user.refresh_from_db()
    assert user.language == ""
    assert not AuditEntry.objects.filter(action=Action.USER_LANGUAGE).exists()


def test_the_language_switch_never_redirects_off_site(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    response = client_for(make_user()).post(
        "/accounts/language/", {"language": "lv", "next": "https://example.org/"}
    )
    assert response["Location"] == "/"


def test_a_refusal_is_said_in_the_users_language(
    make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    guard = make_user(Role.BORDER_GUARD, "LT")
    guard.language = "lt"
    guard.save(update_fields=["language"])
    page = client_for(guard).get("/registration/hits/review/")
    assert page.status_code == 403
    assert "Jūsų vaidmuo neleidžia tikrinti atitikčių." in page.content.decode()


def _entries(po: Path) -> list[tuple[str, str, list[str], bool]]:
    """(context, msgid, msgstrs, fuzzy) of every entry but the header; a small reader."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = ""
        for line in block.splitlines():
            m = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (\".*\")$", line)
            if m:
                key = m.group(1)
                fields[key] = [m.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line)
        if "msgid" not in fields:
            continue
        msgid = "".join(json.loads(x) for x in fields["msgid"])
        if not msgid:
            continue
        strs = [
            "".join(json.loads(x) for x in v) for k, v in fields.items() if k.startswith("msgstr")
        ]
        context = "".join(json.loads(x) for x in fields.get("msgctxt", []))
        entries.append((context, msgid, strs, "#, fuzzy" in block or ", fuzzy" in block))
    return entries


def test_there_is_a_catalogue_per_language() -> None:
    found = {(p.parents[2].name, p.parents[1].name) for p in CATALOGUES}
    owners = {owner for owner, _ in found}
    assert owners, "no translation catalogue found"
    for owner in owners:
        assert {(owner, lang) for lang in LANGUAGES} <= found, owner


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parents[3].name}-{p.parents[1].name}")
def test_every_message_is_translated_and_compiled(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} missing: run `borderwatch compilemessages`"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for context, msgid, strs, fuzzy in _entries(po):
        assert not fuzzy, f"{po}: fuzzy entry {msgid!r}"
        assert all(strs), f"{po}: untranslated {msgid!r}"
        if len(strs) == 1:
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert got == strs[0], f"{mo} is older than {po}: {msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_has_one_translation_across_the_catalogues(language: str) -> None:
    """Django merges every app's catalogue (and the project's) into one: a text translated two
    ways in two catalogues shows only one of them everywhere, so a word that means two things
    ("State": a member state or a status) needs a context (pgettext) and otherwise one text has
    one translation."""
    seen: dict[object, dict[str, str]] = {}
    for mo in sorted(SRC.glob(f"**/locale/{language}/LC_MESSAGES/django.mo")):
        with open(mo, "rb") as fh:
            catalogue = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        owner = str(mo.relative_to(SRC)).split("/locale/")[0] or "project"
        for key, text in catalogue.items():
            if key != "":
                seen.setdefault(key, {})[owner] = text
    differing = {key: owners for key, owners in seen.items() if len(set(owners.values())) > 1}
    assert not differing, differing


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_plural_texts_have_every_form_the_language_needs(po: Path) -> None:
    """Lithuanian and Polish have four plural forms, Latvian three: a text with fewer shows
    nothing (or English) for the counts that need the missing forms."""
    text = po.read_text(encoding="utf-8")
    found = re.search(r"nplurals=(\d+)", text)
    assert found, f"{po}: no Plural-Forms header"
    needed = int(found.group(1))
    short = [
        re.search(r'^msgid "(.*)"', block, re.M).group(1)  # type: ignore[union-attr]
        for block in text.split("\n\n")
        if "msgid_plural" in block and len(re.findall(r"^msgstr\[", block, re.M)) < needed
    ]
    assert not short, short
