"""Normalization with an offset map back to the raw text.

PLACEHOLDER (identity normalization) until the foundation issue lands; the
signatures below are the contract other modules rely on.
"""
from __future__ import annotations

import hashlib

from .core import Document, Source


def normalize(raw: str) -> tuple[str, list[int], list[int]]:
    """Return ``(text, starts, ends)``: the normalized text and, for each of its
    characters, the raw half-open bounds it came from."""
    n = len(raw)
    return raw, list(range(n)), list(range(1, n + 1))


def make_document(raw: str, source: Source | None = None, doc_id: str = "doc") -> Document:
    """Build a :class:`Document` from raw text (the one entry point every reader uses)."""
    text, starts, ends = normalize(raw)
    return Document(doc_id=doc_id, raw=raw, text=text, starts=starts, ends=ends,
                    source=source or Source.for_string(raw))
