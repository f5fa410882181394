"""Name search keys: any script, accents, case, common transliterations (registration.names)."""

from __future__ import annotations

import pytest

from borderwatch.registration.names import latin_words, query_terms, search_key, skeleton


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Müller-Lüdenscheidt", ["muller", "ludenscheidt"]),
        ("ÉLODIE  d'Arc", ["elodie", "d", "arc"]),
        ("Мухаммад Алиев", ["mukhammad", "aliev"]),
        ("علي حسن", ["ali", "hsn"]),
        ("", []),
    ],
)
def test_latin_words(name: str, words: list[str]) -> None:
    assert latin_words(name) == words


@pytest.mark.parametrize(
    "spelling", ["Mohammed", "Muhammad", "mohamad", "Mohamed", "محمد", "Мухаммад", "MUHAMMED"]
)
def test_spellings_of_one_name_share_a_skeleton(spelling: str) -> None:
    (word,) = latin_words(spelling)
    assert skeleton(word) == "mhmd"


def test_key_holds_words_and_skeletons_between_spaces() -> None:
    key = search_key("Mohammed Ali", "محمد علي")
    assert key.startswith(" mohammed ali ") and " ~mhmd " in key and key.endswith(" ")
    assert key.count("~mhmd") == 1  # each token once
    assert search_key("", "") == ""


def test_query_terms_skip_one_letter_skeletons() -> None:
    assert query_terms("Ali moh") == [("ali", ""), ("moh", "mh")]


def test_scripts_without_a_name_table_are_transliterated_by_anyascii() -> None:
    # Greek and Georgian have no table of ours: anyascii still gives Latin words to search
    assert latin_words("Γιώργος") == ["giorgos"]
    assert latin_words("გიორგი") == ["giorgi"]
    # the name tables still win where they exist: the written Arabic finds the typed name
    assert latin_words("علي") == ["ali"]
