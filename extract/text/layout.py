"""A document's layout, computed once: lines, contents lines, folded text and tables.

:func:`analyze` is called once per document (by :func:`extract.sections.parse_sections`);
every extractor reads the result from the section tree it is given
(``sections.layout``) instead of re-splitting or re-finding tables.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core import Document, Table
from ..normalize import fold_traditional, fold_width
from . import tables as T
from .lines import Line, contents_ranges, lines


@dataclass(frozen=True, eq=False)
class Layout:
    """The shape of one document.

    ``text`` is ``doc.text`` with traditional characters folded to simplified ones (same
    length, same offsets); ``lines`` its lines; ``contents`` the ``[start, end)`` of its
    table-of-contents lines; ``tables`` every table, real ones from the ingest format
    first, then those read back from flattened text (see :mod:`extract.text.tables`).
    ``raw`` is the raw text folded one character for one character (full-width forms and
    traditional characters; offsets are raw offsets, line structure intact) and
    ``raw_lines`` its non-blank lines: what tables and the title block are read from.
    """

    text: str
    lines: tuple[Line, ...]
    contents: tuple[tuple[int, int], ...]
    tables: tuple[Table, ...]
    raw: str = ""
    raw_lines: tuple[Line, ...] = ()

    def tables_of(self, kind: str) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]

    def in_contents(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.contents)


def analyze(doc: Document) -> Layout:
    """Build the :class:`Layout` of ``doc``."""
    text = fold_traditional(doc.text)
    found: list[Table] = list(doc.tables)
    # Flattened tables are read on the raw text folded one character for one character
    # (full-width digits, traditional characters): its line structure, which separates
    # cells and rows, is what reflow removes; its offsets are raw offsets.
    folded_raw = fold_traditional(fold_width(doc.raw))
    foldable = len(folded_raw) == len(doc.raw)
    if not foldable:
        folded_raw = doc.raw  # a folding that is not one for one: read the raw text as it is
    raw_lines = [ln for ln in lines(folded_raw) if ln.text]
    if foldable:
        if any(w in folded_raw for w in T.BUDGET_HINTS):  # a cheap test before the header search
            found += T.budget_tables(folded_raw, raw_lines)
        if "元）" in folded_raw or "元)" in folded_raw:
            found += T.name_tables(folded_raw, raw_lines)
            found += T.amount_tables(folded_raw, raw_lines)
        if "行次" in folded_raw:
            found += T.ledger_tables(folded_raw, raw_lines)
        if any(w in "".join(doc.text.split()) for w in T.LEVEL3_WORDS):
            found += T.scoring_tables(doc.raw, folded_raw)
    text_lines = lines(text)
    return Layout(text, tuple(text_lines), tuple(contents_ranges(text, text_lines)), tuple(found), folded_raw,
                  tuple(raw_lines))
