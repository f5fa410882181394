# ruff: noqa: RUF001  (the transliteration tables are letters of other scripts on purpose)
"""Name search keys: one place that turns a name in any script into what a search compares.

Framework-free (no Django). A name becomes tokens in two forms:

- the **Latin form** of each word: Unicode-decomposed, accents removed, case-folded, letters of
  other scripts transliterated, anything but a-z and 0-9 dropped ("Müller" -> "muller",
  "Мухаммад" -> "muhammad", "علي" -> "ali"); a query word matches the start of one (prefix);
- the **consonant skeleton** of each word: its Latin form without vowels (a e i o u y w) and
  doubled letters ("Mohammed", "Muhammad", "Mohamad" and "محمد" are all "mhmd"); a query word
  matches a whole skeleton of at least two letters. Arabic script writes no short vowels, so the
  skeleton is what the written name and its transliterations share.

Letters of any script are transliterated by `anyascii` (ISC licence, a maintained library with
tables for every Unicode script). The small tables below take precedence for the scripts the
names of this crisis are written in (Arabic, Persian, Kurdish, Cyrillic): they spell letters as
names are usually transliterated ("علي" -> "ali", where anyascii gives "`ly"), so that a typed
Latin name finds the written one. Changing either changes the keys: rebuild them with
`borderwatch.registration.services.refresh_search_keys`.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

__all__ = ["KEY_VERSION", "latin_words", "query_terms", "search_key", "skeleton"]

KEY_VERSION = 1  # bump when the keys change; then refresh the stored keys

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b",
    "ت": "t", "ة": "a", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u", "ي": "i",
    "ى": "a", "ـ": "",
    # Persian and Kurdish letters
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "i", "ۆ": "o", "ێ": "e", "ڕ": "r",
    "ڵ": "l", "ڤ": "v", "ە": "e", "ھ": "h",
}  # fmt: skip
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i",
    "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                "þ": "th", "ı": "i"}  # fmt: skip
_TABLE = {**_ARABIC, **_CYRILLIC, **_LATIN_EXTRA}
_NOT_WORD = re.compile(r"[^a-z0-9]+")
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


def _transliterate(text: str) -> str:
    """Latin letters for a case-folded text: the name tables first, anyascii for the rest."""
    out = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(ch):
            continue
        if ch in _TABLE:
            out.append(_TABLE[ch])
        else:
            out.append(ch if ch.isascii() else anyascii(ch).casefold())
    return "".join(out)


def latin_words(text: str) -> list[str]:
    """The Latin form of each word of a name, in order ("Al-Hassan" -> ["al", "hassan"])."""
    return [w for w in _NOT_WORD.split(_transliterate(text or "")) if w]


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
