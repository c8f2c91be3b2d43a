"""PDF reports: text in reading order rebuilt from character boxes, ruled tables as tables.

pdfplumber (over pdfminer) gives every character's box and font size, and the ruling
lines its table finder turns into cell boxes; one parse of each page serves both.
:mod:`extract.ingest.pdf_layout` assembles lines with a tolerance relative to font
size (a figure typeset in another font on a lower baseline stays in its sentence),
reads two-column pages column by column and drops running headers, footers and page
numbers. A ruled table is written as one line per row, cells joined by ``" | "`` as
the DOCX reader does (a merged cell once), and also handed over as an
:class:`extract.core.Table` in ``Document.tables`` whose cells carry their raw spans.

The raw text is the pages joined by ``"\\n"``; ``Source.pages`` holds one raw span per
page, so ``Document.page_of`` names the page of any span.

Refused (``IngestError``): a password-protected PDF (``encrypted``), a PDF without a
text layer on any page (``no_text``: image-only, needs OCR), a PDF with scanned pages
among text pages (``partly_scanned``, naming the pages without text), a corrupt file.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import Cell, Document, IngestError, Source, Span, Table
from ..normalize import make_document
from .base import one_line, read_bytes, sha256
from .pdf_layout import Glyph, Line, assemble_lines, furniture, join_cell_lines, reading_order
from .pdf_tables import grid

CELL_SEPARATOR = " | "
#: A ruled box with fewer rows or columns than this is a frame, not a table.
MIN_TABLE_ROWS, MIN_TABLE_COLS = 2, 2


@dataclass
class _PageTable:
    top: float
    rows: list[list[tuple[str, int, bool] | None]]  # (cell text, cell id, starts here)


@dataclass
class _Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[_PageTable] = field(default_factory=list)
    n_chars: int = 0
    n_images: int = 0


def _glyphs(chars: list[dict]) -> list[Glyph]:
    return [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c.get("size") or 10.0) for c in chars]


def _inside(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (g.x0 + g.x1) / 2, g.middle
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _read_page(page) -> _Page:
    """Lines outside tables (reading order) and ruled tables of one pdfplumber page."""
    glyphs = _glyphs(page.chars)
    out = _Page(float(page.width), float(page.height), n_chars=len(glyphs), n_images=len(page.images))
    boxes = []
    for t in page.find_tables():
        cells = grid(t.cells)
        if len(cells) < MIN_TABLE_ROWS or len(cells[0]) < MIN_TABLE_COLS:
            continue
        inside = [g for g in glyphs if _inside(g, t.bbox)]
        texts = {}
        for i, box in enumerate(t.cells):
            texts[i] = join_cell_lines(l.text for l in assemble_lines(g for g in inside if _inside(g, box)))
        rows = [[(texts[c[0]], c[0], c[1]) if c else None for c in row] for row in cells]
        out.tables.append(_PageTable(float(t.bbox[1]), rows))
        boxes.append(t.bbox)
    flow = [g for g in glyphs if not any(_inside(g, b) for b in boxes)]
    out.lines = reading_order(assemble_lines(flow), out.width)
    return out


def _open_pages(path: Path, data: bytes) -> list[_Page]:
    import io

    import pdfplumber  # imported here: slow to import, only PDFs need it

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append(_read_page(page))
                page.close()  # drop the page's cached objects: memory stays flat over long files
            return pages
    except Exception as e:  # pdfminer raises many types for corrupt, truncated and encrypted files
        inner = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e
        if type(inner).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
            raise IngestError(path, "password-protected PDF, cannot read its text without the password",
                              "encrypted") from None
        raise IngestError(path, f"cannot read PDF, corrupt or truncated ({one_line(inner)})", "format") from None


def _check_text(path: Path, pages: list[_Page]) -> None:
    if not pages:
        raise IngestError(path, "PDF has no pages (corrupt or truncated)", "format")
    empty = [i for i, p in enumerate(pages, 1) if not p.n_chars]
    if len(empty) == len(pages):
        raise IngestError(path, f"image-only PDF: no text layer on any of its {len(pages)} pages "
                                f"(scanned? needs OCR)", "no_text")
    scanned = [i for i in empty if pages[i - 1].n_images]
    if scanned:
        raise IngestError(path, f"partly scanned PDF: page{'s' if len(scanned) > 1 else ''} "
                                f"{', '.join(map(str, scanned))} of {len(pages)} have no text layer "
                                f"(images only, need OCR)", "partly_scanned")


class _Writer:
    """Raw text under construction, with the position of what is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def write(self, s: str) -> Span:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return Span(start, self.pos)


def _write_table(w: _Writer, t: _PageTable, page_no: int) -> Table:
    start = w.pos
    spans: dict[int, Span] = {}
    rows = []
    for r, row in enumerate(t.rows):
        if r:
            w.write("\n")
        first = True
        for c in row:
            if c is None or not c[2]:
                continue
            if not first:
                w.write(CELL_SEPARATOR)
            first = False
            spans[c[1]] = w.write(c[0])
    for row in t.rows:
        cells = []
        for c in row:
            if c is None:
                cells.append(Cell("", Span(w.pos, w.pos), merged=True))
            else:
                span = spans.get(c[1], Span(w.pos, w.pos))
                cells.append(Cell(c[0], span, merged=not c[2]))
        rows.append(tuple(cells))
    header = 1 if rows and not any(_is_number(c.text) for c in rows[0]) else 0
    return Table(tuple(rows), Span(start, w.pos), "pdf", header_rows=header, page=page_no)


def _is_number(s: str) -> bool:
    s = s.replace(",", "").replace(" ", "")
    return bool(s) and s.replace(".", "", 1).lstrip("-").isdigit()


def compose(pages: list[_Page]) -> tuple[str, tuple[Span, ...], tuple[Table, ...]]:
    """The raw text (pages joined by ``"\\n"``), one raw span per page, and the tables."""
    drops = furniture([p.lines for p in pages], [p.height for p in pages])
    w = _Writer()
    page_spans: list[Span] = []
    tables: list[Table] = []
    for no, (page, drop) in enumerate(zip(pages, drops), 1):
        if no > 1:
            w.write("\n")
        start = w.pos
        lines = [l for i, l in enumerate(page.lines) if i not in drop]
        blocks: list[tuple[str, object]] = []
        todo = sorted(page.tables, key=lambda t: t.top)
        for line in lines:
            while todo and todo[0].top <= line.top:
                blocks.append(("table", todo.pop(0)))
            blocks.append(("line", line))
        blocks += [("table", t) for t in todo]
        for k, (kind, block) in enumerate(blocks):
            if k:
                w.write("\n")
            if kind == "line":
                w.write(block.text)  # type: ignore[union-attr]
            else:
                tables.append(_write_table(w, block, no))  # type: ignore[arg-type]
        page_spans.append(Span(start, w.pos))
    return "".join(w.parts), tuple(page_spans), tuple(tables)


def read_pdf(path: Path) -> Document:
    data = read_bytes(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(path, "not a PDF file (no %PDF- header)", "format")
    pages = _open_pages(path, data)
    _check_text(path, pages)
    raw, page_spans, tables = compose(pages)
    doc = make_document(raw, Source(str(path), "pdf", None, sha256(data), page_spans), doc_id=path.stem)
    return replace(doc, tables=tables)
