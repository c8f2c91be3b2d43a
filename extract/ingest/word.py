"""Word 97-2003 (``.doc``) and WPS (``.wps``) reports, read with antiword.

Government offices publish many reports as ``.doc``; a ``.wps`` file is often a Word file
inside (Kingsoft WPS saves either format under that suffix), sometimes a DOCX. The file's
first bytes decide: an OLE compound file goes to antiword (Debian package ``antiword``,
installed by ``scripts/ensure_sysdeps.sh``; output as UTF-8), a ZIP to the DOCX reader, an
HTML page saved as ``.doc`` to the HTML reader. Anything else, antiword missing, or antiword
refusing the file (a native WPS document, an encrypted file) raises ``IngestError`` with
the reason.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..core import Document, IngestError, Source
from ..normalize import make_document
from .base import read_bytes, sha256
from .docx import read_docx
from .html import read_html

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Seconds antiword may take on one file.
TIMEOUT = 60


def antiword_text(path: Path) -> str:
    exe = shutil.which("antiword")
    if exe is None:
        raise IngestError(path, "a Word 97-2003 file needs antiword to be read (apt-get install antiword, "
                                "or save it as .docx)", "unsupported")
    try:
        run = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise IngestError(path, f"antiword took more than {TIMEOUT} s", "format") from None
    if run.returncode != 0:
        why = " ".join(run.stderr.decode("utf-8", "replace").split())[:200] or f"exit code {run.returncode}"
        raise IngestError(path, f"antiword cannot read it ({why}); a native WPS or encrypted file? "
                                "save it as .docx", "format")
    return run.stdout.decode("utf-8", "replace")


def read_word(path: Path) -> Document:
    data = read_bytes(path)
    fmt = path.suffix.lower().lstrip(".")
    if data.startswith(b"PK\x03\x04"):
        return read_docx(path)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"mime-version")) or b"<html" in head[:512]:
        return read_html(path)
    if not data.startswith(OLE_MAGIC):
        raise IngestError(path, f"not a Word 97-2003 or WPS file (no OLE header); cannot read .{fmt}", "format")
    raw = antiword_text(path)
    if not raw.strip():
        raise IngestError(path, f".{fmt} file has no text", "empty")
    return make_document(raw, Source(str(path), fmt, "utf-8", sha256(data)), doc_id=path.stem)
