"""PDF reports: text in reading order rebuilt from character boxes, ruled tables as tables.

pypdfium2 (Google's PDFium) gives every character's box and font size and the page's
path objects; thin paths are ruling lines, which pdfplumber's table-finding functions
(merge edges, intersections, cells, tables; no pdfminer parse) turn into cell boxes.
PDFium reads the four Putuo PDFs about ten times faster than pdfplumber's pdfminer with
the same text (``scripts/bench.py``, README).
:mod:`extract.ingest.pdf_layout` assembles lines with a tolerance relative to font
size (a figure typeset in another font on a lower baseline stays in its sentence),
reads two-column pages column by column and drops running headers, footers and page
numbers. A ruled table is written as one line per row, cells joined by ``" | "`` as
the DOCX reader does (a merged cell once), and also handed over as an
:class:`extract.core.Table` in ``Document.tables`` whose cells carry their raw spans
(``source`` ``pdf``). Lines whose segments stand in the same columns without ruling lines
(:func:`extract.ingest.pdf_layout.aligned_tables`) become a table the same way (``source``
``pdf.aligned``).

A page whose text runs sideways (a landscape table typeset at 90 degrees) is read in its
own frame. The raw text is the pages joined by ``"\\n"``; ``Source.pages`` holds one raw span per
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
from .pdf_layout import Glyph, Line, aligned_tables, assemble_lines, furniture, join_cell_lines, reading_order
from .pdf_tables import box_at, grid, owners

CELL_SEPARATOR = " | "
#: A path object thinner than this (points) is a ruling line.
RULE_WIDTH = 2.0
#: A ruled box with fewer rows or columns than this is a frame, not a table.
MIN_TABLE_ROWS, MIN_TABLE_COLS = 2, 2


@dataclass
class _PageTable:
    top: float
    rows: list[list[tuple[str, int, bool] | None]]  # (cell text, cell id, starts here)
    source: str = "pdf"  # pdf (ruling lines) | pdf.aligned (aligned columns, no rules)


@dataclass
class _Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[_PageTable] = field(default_factory=list)
    n_chars: int = 0
    n_images: int = 0


def _inside(g: Glyph, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (g.x0 + g.x1) / 2, g.middle
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _orientation(textpage, n: int) -> int:
    """The page's dominant text direction as PDFium reports it (0, 90, 180 or 270 degrees)."""
    import math

    import pypdfium2.raw as pdfium_c

    votes: dict[int, int] = {}
    for k in range(0, n, max(1, n // 200)):  # a sample of up to ~200 characters
        angle = pdfium_c.FPDFText_GetCharAngle(textpage, k)
        if angle >= 0:
            q = round(math.degrees(angle) / 90) % 4 * 90
            votes[q] = votes.get(q, 0) + 1
    return max(votes, key=votes.get) if votes else 0


def _reader_frame(angle: int, width: float, height: float):
    """Map PDF boxes ``(left, bottom, right, top)`` into reading coordinates ``(x0, top, x1,
    bottom)`` (x along the lines, top growing down the page) for text running at PDFium's
    ``angle``, and the page's width and height in that frame. A landscape table typeset
    sideways (text at 90 or 270 degrees) is read along its own lines."""
    if angle == 270:  # text reads upwards (rotated counter-clockwise); lines advance rightwards
        return (lambda l, b, r, t: (b, l, t, r)), height, width
    if angle == 90:  # text reads downwards; lines advance leftwards
        return (lambda l, b, r, t: (height - t, width - r, height - b, width - l)), height, width
    if angle == 180:
        return (lambda l, b, r, t: (width - r, b, width - l, t)), width, height
    return (lambda l, b, r, t: (l, height - t, r, height - b)), width, height


def _page_glyphs(textpage, frame) -> list[Glyph]:
    """Characters with their boxes in the reading frame and their font sizes."""
    import pypdfium2.raw as pdfium_c

    glyphs = []
    for k in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage, k))
        if not ch.strip() or ch in "\ufffe\uffff":
            continue
        x0, top, x1, bottom = frame(*textpage.get_charbox(k, loose=True))
        # the loose box spans the font's em (ascent to descent) at its rendered size;
        # FPDFText_GetFontSize ignores the text matrix (300 pt fonts scaled by 0.05 occur)
        glyphs.append(Glyph(ch, x0, x1, top, bottom, max(bottom - top, 1.0)))
    return glyphs


def _page_edges(page, frame) -> tuple[list[dict], int]:
    """Ruling edges (pdfplumber's edge dicts) from the page's path objects, and its image count.

    A thin path (under :data:`RULE_WIDTH` points across) is one horizontal or vertical
    ruling line; a small path of a few segments is a rectangle and gives its four sides.
    """
    import pypdfium2.raw as pdfium_c

    edges: list[dict] = []
    images = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE), max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        x0, top, x1, bottom = frame(*obj.get_bounds())
        w, h = x1 - x0, bottom - top
        if h < RULE_WIDTH and w >= RULE_WIDTH:
            y = (top + bottom) / 2
            edges.append(_edge("h", x0, x1, y, y))
        elif w < RULE_WIDTH and h >= RULE_WIDTH:
            x = (x0 + x1) / 2
            edges.append(_edge("v", x, x, top, bottom))
        elif w >= RULE_WIDTH and h >= RULE_WIDTH and pdfium_c.FPDFPath_CountSegments(obj.raw) <= 5:
            edges += [_edge("h", x0, x1, top, top), _edge("h", x0, x1, bottom, bottom),
                      _edge("v", x0, x0, top, bottom), _edge("v", x1, x1, top, bottom)]
    return edges, images


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}


def _table_cells(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes of each ruled table: pdfplumber's table finder ('lines' strategy) over the edges."""
    if len(edges) < 4:
        return []
    from pdfplumber import table as tf

    edges = tf.merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    cells = tf.intersections_to_cells(tf.edges_to_intersections(edges, 3, 3))
    return tf.cells_to_tables(cells)


def _read_page(page) -> _Page:
    """Lines outside tables (reading order) and ruled tables of one pypdfium2 page."""
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):  # get_size is the displayed size; boxes are in user space
        width, height = height, width
    textpage = page.get_textpage()
    try:
        frame, width, height = _reader_frame(_orientation(textpage, textpage.count_chars()), width, height)
        glyphs = _page_glyphs(textpage, frame)
    finally:
        textpage.close()
    edges, images = _page_edges(page, frame)
    out = _Page(float(width), float(height), n_chars=len(glyphs), n_images=images)
    boxes = []
    for cell_boxes in _table_cells(edges):
        cells = grid(cell_boxes)
        if len(cells) < MIN_TABLE_ROWS or len(cells[0]) < MIN_TABLE_COLS:
            continue
        bbox = (min(b[0] for b in cell_boxes), min(b[1] for b in cell_boxes),
                max(b[2] for b in cell_boxes), max(b[3] for b in cell_boxes))
        lines_of = owners(cell_boxes)
        members: dict[int, list[Glyph]] = {i: [] for i in range(len(cell_boxes))}
        for g in glyphs:
            if _inside(g, bbox):
                i = box_at(lines_of, (g.x0 + g.x1) / 2, g.middle)
                if i is not None:
                    members[i].append(g)
        texts = {i: join_cell_lines(l.text for l in assemble_lines(gs)) for i, gs in members.items()}
        rows = [[(texts[c[0]], c[0], c[1]) if c else None for c in row] for row in cells]
        out.tables.append(_PageTable(float(bbox[1]), rows))
        boxes.append(bbox)
    flow = [g for g in glyphs if not any(_inside(g, b) for b in boxes)]
    out.lines = reading_order(assemble_lines(flow), out.width)
    ids = iter(range(10**9))
    for i, j, rows in reversed(aligned_tables(out.lines)):
        out.tables.append(_PageTable(out.lines[i].top, [[(t, next(ids), True) for t in row] for row in rows],
                                     "pdf.aligned"))
        del out.lines[i:j]
    return out


def _open_pages(path: Path, data: bytes) -> list[_Page]:
    import pypdfium2 as pdfium  # imported here: only PDFs need it

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise IngestError(path, "password-protected PDF, cannot read its text without the password",
                              "encrypted") from None
        raise IngestError(path, f"cannot read PDF, corrupt or truncated ({one_line(e)})", "format") from None
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                pages.append(_read_page(page))
            finally:
                page.close()  # pages are read one at a time: memory stays flat over long files
        return pages
    except pdfium.PdfiumError as e:
        raise IngestError(path, f"cannot read PDF, corrupt or truncated ({one_line(e)})", "format") from None
    finally:
        pdf.close()


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
    # the header: the rows above the first row holding a figure (one row when none holds one)
    header = next((i for i, row in enumerate(rows) if any(_is_number(c.text) for c in row)), min(1, len(rows)))
    return Table(tuple(rows), Span(start, w.pos), t.source, header_rows=header, page=page_no)


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
