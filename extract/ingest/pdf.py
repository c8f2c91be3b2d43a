"""PDF reports via pdfplumber: page texts joined with ``"\\n"``, one raw ``Span`` per page.

``Source.pages`` lets ``Document.page_of`` name the page of any raw span, and lets
normalization drop bare page numbers at a page's top or bottom.
"""
from __future__ import annotations

from pathlib import Path

from ..core import Document, IngestError, Source, Span
from ..normalize import make_document
from .base import one_line, read_bytes, sha256


def read_pdf(path: Path) -> Document:
    data = read_bytes(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(path, "not a PDF file (no %PDF- header)", "format")
    import io

    import pdfplumber  # imported here: slow to import, only PDFs need it

    texts: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                texts.append(page.extract_text() or "")
    except Exception as e:  # pdfminer raises many types for corrupt and truncated files
        raise IngestError(path, f"cannot read PDF, corrupt or truncated ({one_line(e)})", "format") from None
    if not texts:
        raise IngestError(path, "PDF has no pages (corrupt or truncated)", "format")
    if not any(t.strip() for t in texts):
        raise IngestError(path, f"PDF has no text layer on any of its {len(texts)} pages (scanned? needs OCR)",
                          "no_text")
    pages, pos = [], 0
    for t in texts:
        pages.append(Span(pos, pos + len(t)))
        pos += len(t) + 1
    raw = "\n".join(texts)
    return make_document(raw, Source(str(path), "pdf", None, sha256(data), tuple(pages)), doc_id=path.stem)
