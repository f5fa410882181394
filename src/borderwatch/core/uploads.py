"""An upload handler that stops storing a file once it passes UPLOAD_MAX_FILE_BYTES.

Django stores every uploaded file whole (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then in a
temporary file) and leaves size checks to the view, after the fact. Placed first in
FILE_UPLOAD_HANDLERS, this handler lets the rest of the body stream past once a file is too large:
the field then holds an empty `OversizedUpload` whose `size` says how much had arrived, so the
form or endpoint refuses it by size, naming the field and the limit, without reading it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(SimpleUploadedFile):
    """Stands for a file that was not stored: no content, `size` the bytes received (> cap)."""

    oversized = True

    def __init__(self, name: str, received: int) -> None:
        super().__init__(name, b"")
        self.size = received


def oversized(upload: object) -> bool:
    """Whether this upload is one the handler stopped storing (too large to keep)."""
    return bool(getattr(upload, "oversized", False))


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.oversized or self.received > int(settings.UPLOAD_MAX_FILE_BYTES):
            self.oversized = True
            return None  # the handlers after this one store nothing more of this file
        return raw_data

    def file_complete(self, file_size: int) -> OversizedUpload | None:
        if self.oversized:
            return OversizedUpload(self.file_name or "file", self.received)
        return None  # the next handler (memory or temporary file) completes it


def data_format(file_name: str) -> str:
    """How an uploaded data file (events, flights) is read: "json" by its name, else "csv"."""
    return "json" if file_name.lower().endswith(".json") else "csv"
