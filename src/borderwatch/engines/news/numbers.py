"""Numbers written as digits ("3,027", "14.3 million") or words ("four", "thirty-five")."""

from __future__ import annotations

import re

from word2number import w2n

_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
_WORD_RE = "|".join(sorted(_WORDS, key=len, reverse=True))
SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000}

#: digits (with thousands separators or a decimal part) optionally followed by a scale word,
#: or a run of number words ("thirty-five", "two hundred and eighty-seven").
NUMBER_RE = re.compile(
    r"(?<![\w.])(?:(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<scale>thousand|million|billion|bn)\b)?"
    rf"|(?P<words>(?:{_WORD_RE})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD_RE}))*)\b)",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None if it is not one."""
    match = NUMBER_RE.fullmatch(text.strip())
    if match is None:
        return None
    return _value(match)


def _value(match: re.Match[str]) -> float | None:
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        scale = match.group("scale")
        return value * SCALE[scale.lower()] if scale else value
    words = match.group("words")
    try:
        return float(w2n.word_to_num(words.lower().replace("-", " ")))
    except ValueError:
        return None


def find_numbers(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) for each number in the text."""
    found = []
    for match in NUMBER_RE.finditer(text):
        value = _value(match)
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found
