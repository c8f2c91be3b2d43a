"""A document: the raw text as received, its normalized copy, and the map between them."""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Sequence

from .span import Span
from .tables import Table


@dataclass(frozen=True)
class Source:
    """Where a document came from.

    ``sha256`` is over the file's bytes (SPEC ``text_sha256``); for text given as a
    string it is over its UTF-8 encoding. ``pages`` holds one raw ``Span`` per page
    for paginated formats (PDF), else is empty.
    """

    path: str | None
    format: str  # txt | pdf | docx | html | string
    encoding: str | None
    sha256: str
    pages: tuple[Span, ...] = ()

    @classmethod
    def for_string(cls, raw: str) -> Source:
        return cls(None, "string", "utf-8", hashlib.sha256(raw.encode("utf-8")).hexdigest())


@dataclass(frozen=True, eq=False)
class Document:
    """Raw text plus a normalized text for parsing, with an offset map.

    ``starts[i]`` / ``ends[i]`` are the raw half-open bounds of the raw characters
    that normalized character ``i`` came from, so a normalized span ``[s, e)`` maps
    back to the raw span ``[starts[s], ends[e-1])``. Extractors search ``text`` and
    report raw spans through :meth:`to_raw`.

    ``tables`` holds the real tables of the ingest format (DOCX, HTML, PDF), with
    raw cell spans; tables written out flat in the text are found by the text layer.
    """

    doc_id: str
    raw: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]
    source: Source
    meta: dict = field(default_factory=dict)
    tables: tuple[Table, ...] = ()

    def __post_init__(self) -> None:
        if not (len(self.starts) == len(self.ends) == len(self.text)):
            raise ValueError("offset map length differs from normalized text length")

    def to_raw(self, start: int, end: int) -> Span:
        """Map a normalized ``[start, end)`` to the raw span it came from."""
        if not (0 <= start < end <= len(self.text)):
            raise ValueError(f"normalized span [{start}, {end}) outside text of length {len(self.text)}")
        return Span(self.starts[start], self.ends[end - 1])

    def to_norm(self, span: Span) -> tuple[int, int]:
        """Smallest normalized ``[s, e)`` whose raw image covers the raw ``span`` (best effort)."""
        s = bisect.bisect_right(self.ends, span.start)
        e = bisect.bisect_left(self.starts, span.end)
        return s, max(e, s)

    def raw_text(self, span: Span) -> str:
        return span.text(self.raw)

    def page_of(self, span: Span) -> int | None:
        """1-based page number holding the start of a raw span, if the source is paginated."""
        for i, page in enumerate(self.source.pages, 1):
            if page.start <= span.start < page.end:
                return i
        return None
