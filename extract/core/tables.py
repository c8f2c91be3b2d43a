"""Tables as rows of cells, each cell grounded in the raw text.

One shape for every table, whatever it came from: a real table of the ingest format
(DOCX ``doc.tables``, HTML ``<table>``, PDF ruling lines or aligned columns) or a
table the text layer read back from a flattened form (pipe rows, one cell per line,
a row on one line separated by spaces). Extractors read tables only in this shape.
"""
from __future__ import annotations

from dataclasses import dataclass

from .span import Span


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (normalized, stripped) and the raw span it came from.

    ``span`` is a raw half-open span; for an empty cell it is an empty span at the
    place the cell stands. ``merged`` is true for a cell carried down (or across)
    from a merged cell above it: its ``span`` is then the source cell's span.
    ``norm`` is the normalized span when the table was read from ``doc.text``.
    """

    text: str
    span: Span
    merged: bool = False
    norm: Span | None = None  # the cell's span in the normalized text, when read from it


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells. ``header_rows`` counts the leading rows that are the header.

    ``source`` names how the table was obtained: ``docx``, ``html``, ``pdf`` for
    real tables of the format, ``text.<form>`` (e.g. ``text.pipe``) for a table read
    back from flattened text. ``page`` is the 1-based page for paginated formats.

    ``kind`` says what the table is (``budget``: a budget-execution table; ``scoring``: a
    指标评分表; ``names``: a row of figures under a row of names; empty when unknown),
    ``columns`` the role of each column, ``unit`` the money unit its header states,
    ``stage`` the budget stage its caption names, and ``row_rules`` how each body row
    was read (the reader's rule name, for evidence).
    """

    rows: tuple[tuple[Cell, ...], ...]
    span: Span
    source: str
    header_rows: int = 0
    page: int | None = None
    kind: str = ""
    columns: tuple[str, ...] = ()
    unit: str | None = None
    stage: str | None = None
    row_rules: tuple[str, ...] = ()

    @property
    def header(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows[self.header_rows:]
