"""Reading an uploaded CSV (or JSON) file the same way in every import: UTF-8 text, a header
checked against the columns the import knows, and problems named by their line."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def line_error(line: int, problem: object) -> str:
    """A problem of one line (row) of the file."""
    return _("line %(line)d: %(problem)s") % {"line": line, "problem": problem}


def utf8_text(content: bytes) -> str:
    """The file's text (a byte-order mark dropped); not UTF-8 names the first bad byte."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text (byte %(byte)d).") % {"byte": exc.start}
        ) from exc


def checked_reader(
    text: str, required: Collection[str], allowed: Collection[str]
) -> csv.DictReader[str]:
    """A reader over the rows whose header (trimmed) has every required column and no column
    the import does not know; a bad header is refused as a problem of line 1."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = set(required) - set(header)
    if missing:
        problem = _("missing column(s) %(columns)s") % {"columns": ", ".join(sorted(missing))}
        raise ValidationError(line_error(1, problem))
    unknown = set(header) - set(allowed)
    if unknown:
        problem = _("unknown column(s) %(columns)s") % {"columns": ", ".join(sorted(unknown))}
        raise ValidationError(line_error(1, problem))
    reader.fieldnames = header
    return reader
