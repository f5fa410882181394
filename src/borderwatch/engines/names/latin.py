"""Names in any script written in one Latin form, the ground every name comparison stands on.

Framework-free. Letters of any script are transliterated by `anyascii` (ISC licence, a maintained
library with tables for every Unicode script). The small tables below take precedence for the
scripts the names of this crisis are written in (Arabic, Persian, Kurdish, Cyrillic): they spell
letters as names are usually transliterated ("علي" -> "ali", where anyascii gives "`ly"), so that
a typed Latin name finds the written one. Registration's search keys and the linkage engine's
name keys both read names through `latin_words`: changing a table changes both (rebuild the
stored search keys with `borderwatch.registration.services.refresh_search_keys`).
"""

# ruff: noqa: RUF001  (the transliteration tables hold letters of other scripts on purpose)
from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

__all__ = ["latin_words"]

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b",
    "ت": "t", "ة": "a", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u", "ي": "i",
    "ى": "a", "ـ": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "i", "ۆ": "o",
    "ێ": "e", "ڕ": "r", "ڵ": "l", "ڤ": "v", "ە": "e", "ھ": "h",
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


def _transliterate(text: str) -> str:
    """Latin letters for a text, case-folded and without accents: the name tables first,
    anyascii for the rest."""
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
    """The Latin form of each word of a name, in order ("Al-Hassan" -> ["al", "hassan"]): its
    letters transliterated, anything but a-z and 0-9 a separator."""
    return [w for w in _NOT_WORD.split(_transliterate(text or "")) if w]
