"""One naming rule for outputs in every command, and names that cannot leave their folder.

``doc_id`` is the input's file stem; when two different documents share a stem
(``a/附件3.txt`` and ``b/附件3.txt``, or ``r.pdf`` and ``r.docx``) the later one in sorted
order gets ``<stem>__<first 8 hex digits of its content sha256>``. The suffix depends on
the content, not on the path, so a moved or renamed corpus folder keeps its ids. Two inputs
with the same content are one document.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..core import JixiaoError

#: Characters a name must not contain: path separators, NUL and other control characters.
_UNSAFE = re.compile(r"[/\\\x00-\x1f\x7f]")
MAX_NAME = 150  # characters; file systems allow 255 bytes and a CJK character takes 3


class UnsafeName(JixiaoError):
    """A name taken from input data (an export's doc_id…) that would write outside the output folder."""


def file_sha256(path: Path) -> str | None:
    """sha256 of the file's bytes, or None when it cannot be read (the reader will say why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def assign_doc_ids(paths: list[Path], shas: dict[str, str | None] | None = None) -> dict[str, str]:
    """``{str(path): doc_id}`` for inputs in the order given (see the module doc).

    ``shas`` maps ``str(path)`` to the content sha256 (computed here when not given);
    inputs with the same content get the same doc_id.

    >>> ids = assign_doc_ids([Path("a/r.txt"), Path("b/r.txt"), Path("c/r.txt")],
    ...                      {"a/r.txt": "11" * 32, "b/r.txt": "ab" * 32, "c/r.txt": "11" * 32})
    >>> ids["a/r.txt"], ids["b/r.txt"], ids["c/r.txt"]
    ('r', 'r__abababab', 'r')
    """
    ids: dict[str, str] = {}
    by_content: dict[str, str] = {}
    taken: set[str] = set()
    for p in paths:
        key = str(p)
        sha = shas[key] if shas is not None and key in shas else file_sha256(p)
        if sha is not None and sha in by_content:
            ids[key] = by_content[sha]
            continue
        stem = safe_name(p.stem)
        doc_id = stem
        if doc_id in taken:
            doc_id = f"{stem}__{(sha or hashlib.sha256(key.encode()).hexdigest())[:8]}"
            n = 2
            while doc_id in taken:  # same stem and same 8 digits: vanishingly rare, still unique
                doc_id = f"{stem}__{(sha or key)[:8]}_{n}"
                n += 1
        taken.add(doc_id)
        ids[key] = doc_id
        if sha is not None:
            by_content[sha] = doc_id
    return ids


def safe_name(name: str) -> str:
    """``name`` made usable as one file name: separators and control characters replaced by ``_``,
    no leading dot, at most :data:`MAX_NAME` characters, never empty.

    >>> safe_name("../x"), safe_name("报告#1"), safe_name(""), safe_name("a/b\\x00c")
    ('_.._x', '报告#1', 'doc', 'a_b_c')
    """
    name = unicodedata.normalize("NFC", str(name))
    name = _UNSAFE.sub("_", name).strip()
    if name.startswith("."):
        name = "_" + name
    return name[:MAX_NAME] or "doc"


def output_path(folder: Path, name: str, suffix: str) -> Path:
    """``folder/<name><suffix>``, refusing a name that is not a plain file name (``..``, ``a/b``…)."""
    if safe_name(name) != name:
        raise UnsafeName(f"{name!r}: not usable as a file name (path separators, control characters or a "
                         f"leading dot); nothing written for it")
    path = folder / f"{name}{suffix}"
    if path.resolve().parent != folder.resolve():
        raise UnsafeName(f"{name!r}: would be written outside {folder}; nothing written for it")
    return path
