"""Names engine: a name in any script as words in one Latin form (`latin_words`).

Framework-free (no Django). Shared by registration's name search keys and the linkage engine's
name keys, so that both read a name the same way.
"""

from borderwatch.engines.names.latin import latin_words

__all__ = ["latin_words"]
