"""Shared steps of every reader: read the bytes, hash them, refuse what is not a report.

Error kinds raised here and by the readers (``IngestError.kind``): ``missing`` (no such
file), ``unreadable`` (a folder, no permission), ``empty``, ``binary`` (NUL bytes or
many control characters), ``encoding`` (no confident text decoding), ``format`` (a
corrupt or truncated PDF/DOCX/HTML), ``no_text`` (a PDF without a text layer) and
``not_a_report`` (see :func:`check_report`).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..core import Document, IngestError

#: Words at least one of which every performance self-evaluation report uses.
REPORT_CUES = ("绩效", "预算", "自评", "支出", "评价", "决算", "资金")
#: Fewer CJK characters than this (after normalization) is not a report.
MIN_CJK = 20
#: Share of control bytes (other than tab, newline, CR, form feed, ESC) that marks binary data.
MAX_CONTROL_SHARE = 0.02

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or empty file raises :class:`IngestError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "no such file", "missing") from None
    except IsADirectoryError:
        raise IngestError(path, "is a folder, not a file", "unreadable") from None
    except OSError as e:
        raise IngestError(path, f"cannot read ({e.strerror or type(e).__name__})", "unreadable") from None
    if not data.strip():
        raise IngestError(path, "empty file", "empty")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_binary(path: Path, data: bytes) -> None:
    """Refuse NUL bytes or a high share of control characters (not text)."""
    head = data[:65536]
    if b"\x00" in head:
        raise IngestError(path, "binary data (NUL bytes), not a text file", "binary")
    controls = len(_CONTROL.findall(head))
    if controls > MAX_CONTROL_SHARE * len(head):
        raise IngestError(path, f"binary data ({controls} control bytes in {len(head)}), not a text file", "binary")


def check_report(path: Path, doc: Document) -> Document:
    """Refuse a document that is not a performance report.

    Not a report: fewer than :data:`MIN_CJK` CJK characters after normalization,
    or none of the cue words :data:`REPORT_CUES`.
    """
    cjk = len(_CJK.findall(doc.text))
    if cjk < MIN_CJK:
        raise IngestError(path, f"not a report: only {cjk} Chinese characters of text", "not_a_report")
    if not any(cue in doc.text for cue in REPORT_CUES):
        raise IngestError(path, f"not a report: none of {'/'.join(REPORT_CUES)} occurs", "not_a_report")
    return doc


def one_line(e: BaseException) -> str:
    """An exception as one short line (for wrapping library errors in IngestError)."""
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg[:200]}" if msg else type(e).__name__
