"""Names made comparable: any script to one Latin form, prefixes and order settled, keys derived.

Framework-free. The Latin form of each word is the names engine's (`engines.names.latin_words`,
shared with registration's search keys). On top of it the linkage needs:

- **prefixes** written many ways made one: "al-", "el-", "ul-", "Al " and a glued "Alhassan" all
  become the article "al" joined to its word ("alhassan"), and "Abd al-Rahman", "Abdul Rahman",
  "Abdelrahman", "Abdurrahman" all become "abdalrahman", so that a space or a hyphen does not
  split one name part into two;
- a **consonant skeleton** per part (vowels and doubled letters dropped, look-alike spellings
  made one), so that "Mohammed", "Muhammad", "Mohamad" and "محمد" share "mhmd";
- a **sorted key** of all parts, so that swapped name order ("Hassan Ali" / "Ali Hassan") and a
  part recorded in the other field still meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderwatch.engines.names import latin_words

__all__ = ["NameKeys", "latin_parts", "name_keys", "skeleton"]

_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLED = re.compile(r"(.)\1+")
_SOUNDS = (("ph", "f"), ("kh", "h"), ("gh", "g"), ("x", "ks"), ("q", "k"), ("ck", "k"),
           ("c", "k"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ou", "u"), ("ee", "i"))  # fmt: skip
_ARTICLES = {"al", "el", "ul", "ol", "il", "ad", "ar", "as", "at", "az", "an", "ash", "ed", "er"}
# "abd" (servant of) and its spellings; the article after it is folded into it
_ABD = re.compile(r"^(abd|abdu|abdel|abdal|abdul|abdol|abdil|abdur|abdus|abdul)")
_ABD_GLUED = re.compile(r"^(abd|abdu)(?:a|e|u|o|i)?(?:l|r|s|n|t|d|z)?(?=[a-z]{3})")


def _fold_abd(word: str) -> str:
    """'abdulrahman', 'abdelrahman', 'abdurrahman' -> 'abdalrahman'."""
    match = _ABD_GLUED.match(word)
    if match:
        return "abdal" + word[match.end() :]
    return word


def latin_parts(text: str) -> list[str]:
    """The parts of a name in one Latin form, in written order, prefixes joined to their word.

    "Abd al-Rahman El Hassan" -> ["abdalrahman", "alhassan"]; "عبد الرحمن" -> ["abdalrahman"].
    """
    words = latin_words(text)
    parts: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if _ABD.fullmatch(w) and nxt:
            # "abd al rahman", "abdul rahman", "abd rahman"
            j = i + 1
            if words[j] in _ARTICLES and j + 1 < len(words):
                j += 1
            word = words[j]
            if word.startswith("al") and len(word) > 4:  # "عبد الرحمن": the article glued on
                word = word[2:]
            parts.append("abdal" + word)
            i = j + 1
            continue
        if w in _ARTICLES and nxt:
            parts.append("al" + nxt)
            i += 2
            continue
        if len(w) > 4 and w[:2] in {"al", "el"} and w.startswith(("al", "el")):
            # a glued article ("alhassan", "elsayed") keeps one spelling
            w = "al" + w[2:]
        parts.append(_fold_abd(w))
        i += 1
    return parts


def skeleton(part: str) -> str:
    """The consonants of a Latin part, look-alike spellings made one and no doubled letters.

    The article is dropped first ("alhassan" and "hassan" share "hsn"): whether a clerk wrote it
    is noise, not identity.
    """
    if part.startswith("al") and len(part) > 4:
        part = part[2:]
    for spelled, sound in _SOUNDS:
        part = part.replace(spelled, sound)
    part = part.replace("dj", "j")
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", part))


@dataclass(frozen=True, slots=True)
class NameKeys:
    """What the comparisons and blocking rules read of one person's names."""

    given: str  # Latin parts of the given names, space-separated
    family: str
    given_first: str  # the first given part (the one spellings vary most on)
    given_skel: str  # skeleton of the first given part
    family_skel: str  # skeleton of the last family part (the one most often kept)
    full_sorted: str  # every part, sorted: order-free
    skel_sorted: str  # every part's skeleton, sorted
    parts: tuple[str, ...]


def name_keys(given: str, family: str) -> NameKeys:
    """Keys for a person's given and family names as written, in any script; either may be ""."""
    g = latin_parts(given)
    f = latin_parts(family)
    if not g and len(f) > 1:
        g, f = f[:-1], f[-1:]  # all in one field: the last part is taken as the family name
    if not f and len(g) > 1:
        g, f = g[:-1], g[-1:]
    parts = tuple(g + f)
    return NameKeys(
        given=" ".join(g),
        family=" ".join(f),
        given_first=g[0] if g else "",
        given_skel=skeleton(g[0]) if g else "",
        family_skel=skeleton(f[-1]) if f else "",
        full_sorted=" ".join(sorted(parts)),
        skel_sorted=" ".join(sorted(s for s in (skeleton(p) for p in parts) if s)),
        parts=parts,
    )
