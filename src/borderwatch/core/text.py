"""Characters no field of ours holds: the one check for names, references and units."""

from __future__ import annotations

import unicodedata

# Direction overrides and isolates: they make a name or reference read differently from what
# is stored (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_characters(text: str, *, line_breaks: bool = False) -> str:
    """The control and direction characters in `text` as 'U+0000, U+202E' ('' if none).

    Control characters (NUL and the like) break exports and PostgreSQL; `line_breaks`:
    newlines and tabs are allowed (a description).
    """
    if text.isprintable():  # no Cc and no Cf character: the common case, checked at C speed
        return ""
    allowed = "\n\r\t" if line_breaks else ""
    found = sorted(
        {
            ch
            for ch in text
            if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI_CONTROLS
        }
    )
    return ", ".join(f"U+{ord(ch):04X}" for ch in found)
