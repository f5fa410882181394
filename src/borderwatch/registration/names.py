"""Name search keys: one place that turns a name in any script into what a search compares.

Framework-free (no Django). A name becomes tokens in two forms:

- the **Latin form** of each word: Unicode-decomposed, accents removed, case-folded, letters of
  other scripts transliterated, anything but a-z and 0-9 dropped ("Müller" -> "muller",
  "Мухаммад" -> "muhammad", "علي" -> "ali"); a query word matches the start of one (prefix);
- the **consonant skeleton** of each word: its Latin form without vowels (a e i o u y w) and
  doubled letters ("Mohammed", "Muhammad", "Mohamad" and "محمد" are all "mhmd"); a query word
  matches a whole skeleton of at least two letters. Arabic script writes no short vowels, so the
  skeleton is what the written name and its transliterations share.

The Latin form is the names engine's (`engines.names.latin_words`: its tables for the scripts
of this crisis first, `anyascii` for every other letter), shared with the linkage engine.
Changing it or the skeleton below changes the keys: rebuild them with
`borderwatch.registration.services.refresh_search_keys`.
"""

from __future__ import annotations

import re

from borderwatch.engines.names import latin_words

__all__ = ["KEY_VERSION", "latin_words", "query_terms", "search_key", "skeleton"]

KEY_VERSION = 1  # bump when the keys change; then refresh the stored keys

_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLED = re.compile(r"(.)\1+")
_SOUNDS = (
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("x", "ks"),
    ("q", "k"),
    ("ck", "k"),
    ("c", "k"),
    ("j", "dj"),
)


def skeleton(word: str) -> str:
    """The consonants of a Latin-form word, with look-alike spellings made one and no doubles."""
    for spelled, sound in _SOUNDS:
        word = word.replace(spelled, sound)
    word = word.replace("ddj", "dj").replace("dj", "j")
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", word))


def search_key(*names: str) -> str:
    """The stored key of a person's names: " <latin words> ~<skeletons> ", each token once,
    between spaces, so a database `contains` finds a word start (" moh") or a skeleton
    (" ~mhmd ")."""
    words: list[str] = []
    for name in names:
        for w in latin_words(name):
            if w not in words:
                words.append(w)
    skeletons = []
    for w in words:
        s = skeleton(w)
        if len(s) >= 2 and f"~{s}" not in skeletons:
            skeletons.append(f"~{s}")
    return f" {' '.join(words + skeletons)} " if words else ""


def query_terms(query: str) -> list[tuple[str, str]]:
    """Each query word as (Latin form, skeleton or ""): a person matches a word when a word of
    their name starts with the Latin form, or has that skeleton (two letters or more)."""
    terms = []
    for w in latin_words(query):
        s = skeleton(w)
        terms.append((w, s if len(s) >= 2 else ""))
    return terms
