"""A document's layout, computed once: lines, contents lines, folded text and tables.

:func:`analyze` is called once per document (by :func:`extract.sections.parse_sections`);
every extractor reads the result from the section tree it is given
(``sections.layout``) instead of re-splitting or re-finding tables.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core import Document, Table
from ..normalize import FOLD, fold_traditional
from . import tables as T
from .lines import Line, contents_ranges, lines


@dataclass(frozen=True, eq=False)
class Layout:
    """The shape of one document.

    ``text`` is ``doc.text`` with traditional characters folded to simplified ones (same
    length, same offsets); ``lines`` its lines; ``contents`` the ``[start, end)`` of its
    table-of-contents lines; ``tables`` every table, real ones from the ingest format
    first, then those read back from flattened text (see :mod:`extract.text.tables`).
    """

    text: str
    lines: tuple[Line, ...]
    contents: tuple[tuple[int, int], ...]
    tables: tuple[Table, ...]

    def tables_of(self, kind: str) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]

    def in_contents(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.contents)


def analyze(doc: Document) -> Layout:
    """Build the :class:`Layout` of ``doc``."""
    text = fold_traditional(doc.text)
    found: list[Table] = list(doc.tables)
    found += T.budget_tables(text, doc.to_raw)
    found += T.name_tables(text, doc.to_raw)
    if any(w in doc.text for w in T.LEVEL3_WORDS):
        folded_raw = doc.raw.translate(FOLD)
        if len(folded_raw) == len(doc.raw):  # folding is one character for one character
            found += T.scoring_tables(doc.raw, fold_traditional(folded_raw))
    return Layout(text, tuple(lines(text)), tuple(contents_ranges(text)), tuple(found))
