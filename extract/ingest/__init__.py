"""Readers: ``read_document(path) -> Document`` for .txt, .pdf, .docx, .html/.htm, .doc/.wps.

Each reader returns ``make_document(raw, Source(...))`` where ``raw`` is the text as
read (the decoded file, or the text extracted from a PDF/DOCX/HTML file) and
``Source.sha256`` is over the file's bytes. Bad input raises ``IngestError`` with a
one-line message naming the file and ending with its ``[kind]`` (see :mod:`extract.ingest.base`);
nothing else escapes, so a batch can report the file and go on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..core import Document, IngestError
from .base import check_report, one_line


def _readers() -> dict[str, Callable[[Path], Document]]:
    from .docx import read_docx
    from .html import read_html
    from .pdf import read_pdf
    from .txt import read_txt
    from .word import read_word

    return {".txt": read_txt, ".pdf": read_pdf, ".docx": read_docx, ".html": read_html, ".htm": read_html,
            ".doc": read_word, ".wps": read_word}


SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm", ".doc", ".wps")


def read_document(path: str | Path, check: bool = True) -> Document:
    """Read a report file into a :class:`Document`.

    ``check=False`` skips the not-a-report test (for reading arbitrary text on purpose).
    """
    path = Path(path)
    try:
        if not path.exists():
            raise IngestError(path, "no such file", "missing")
        if path.is_dir():
            raise IngestError(path, "is a folder, not a file (give the folder itself to read the reports in it)",
                              "unreadable")
        reader = _readers().get(path.suffix.lower())
        if reader is None:
            raise IngestError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                    f"supported: {', '.join(SUFFIXES)}", "format")
        doc = reader(path)
        return check_report(path, doc) if check else doc
    except IngestError as e:  # the message names the kind too: "a.pdf: cannot read PDF … [format]"
        raise IngestError(e.path, f"{e.reason} [{e.kind}]", e.kind) from None
    except Exception as e:  # a reader bug or an unforeseen library error: still one line naming the file
        raise IngestError(path, f"cannot read ({one_line(e)}) [unreadable]", "unreadable") from None
