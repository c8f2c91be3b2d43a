"""PLACEHOLDER reader (UTF-8 .txt only) until the foundation issue lands.

Contract: ``read_document(path) -> Document`` for txt/pdf/docx/html, raising
``IngestError`` (one-line message naming the file) on bad input.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..core import Document, IngestError, Source
from ..normalize import make_document

SUFFIXES = (".txt",)


def read_document(path: str | Path) -> Document:
    path = Path(path)
    data = path.read_bytes()
    if not data:
        raise IngestError(path, "empty file", "empty")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(path, f"not UTF-8 text ({e.reason})", "encoding") from None
    src = Source(str(path), "txt", "utf-8", hashlib.sha256(data).hexdigest())
    return make_document(raw, src, doc_id=path.stem)
