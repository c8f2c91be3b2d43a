"""DOCX reports via python-docx, paragraphs and tables in document reading order.

The body XML is walked in order (``w:p``, ``w:tbl``, and the content of ``w:sdt``
controls), so a table stands where it stands in the document. A table row becomes
one line, its cells joined by ``" | "`` (a merged cell counts once; the paragraphs
inside a cell are joined by a space), so the row stays one unit for the table and
indicator parsers. Headers and footers (page furniture) are not read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..core import Document, IngestError, Source
from ..normalize import make_document
from .base import one_line, read_bytes, sha256

CELL_SEPARATOR = " | "


def _blocks(parent, body) -> Iterator[str]:
    """Lines of text of a body (or ``w:sdtContent``) element, in order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            for row in Table(child, parent).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text for p in cell.paragraphs if p.text.strip()))
                yield CELL_SEPARATOR.join(cells)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(parent, content)


def read_docx(path: Path) -> Document:
    data = read_bytes(path)
    import io

    import docx  # imported here: only DOCX files need it

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_blocks(document, document.element.body))
    except Exception as e:  # not a zip, missing parts, bad XML
        raise IngestError(path, f"cannot read DOCX, corrupt or not a Word file ({one_line(e)})", "format") from None
    raw = "\n".join(lines)
    if not raw.strip():
        raise IngestError(path, "DOCX has no text", "empty")
    return make_document(raw, Source(str(path), "docx", None, sha256(data)), doc_id=path.stem)
