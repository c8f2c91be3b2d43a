"""Read a gold or prediction set: a folder of ``<doc_id>.json`` files, or JSON/JSONL file(s).

Reading is tolerant: a file that cannot be read or parsed is named in a problem line and
left out, so the scorer counts its document as empty and the rest is still scored.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple


class Item(NamedTuple):
    """One annotation object as read: ``where`` names its file (``file:line`` in JSONL);
    ``obj`` is ``None`` when it could not be read, and ``problem`` then says why."""

    where: str
    obj: dict | None
    problem: str | None = None


def _paths(path: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(path, (str, Path)):
        return [Path(path)]
    return [Path(p) for p in path]


def read_items(path: str | Path | Iterable[str | Path]) -> Iterator[Item]:
    """Every annotation object under ``path`` (a folder, a ``.json`` file, a ``.jsonl`` file,
    or a list of these), in a stable order, with where it came from."""
    for p in _paths(path):
        if p.is_dir():
            for f in sorted(p.glob("*.json")):
                yield _read_json(f)
        elif p.is_file() and p.suffix == ".json":
            yield _read_json(p)
        elif p.is_file():
            yield from _read_jsonl(p)
        else:
            yield Item(str(p), None, "no such file or folder")


def _read_json(f: Path) -> Item:
    try:
        obj = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return Item(str(f), None, f"malformed JSON ({e.__class__.__name__}: {e})")
    return _checked(str(f), obj)


def _read_jsonl(f: Path) -> Iterator[Item]:
    try:
        lines = f.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        yield Item(str(f), None, f"unreadable ({e.__class__.__name__}: {e})")
        return
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield Item(f"{f}:{n}", None, f"malformed JSON line ({e})")
                continue
            yield _checked(f"{f}:{n}", obj)


def _checked(where: str, obj) -> Item:
    if not isinstance(obj, dict) or not isinstance(obj.get("doc_id"), str) or not obj["doc_id"]:
        return Item(where, None, "not a SPEC object with a doc_id")
    return Item(where, obj)


def load_set(path: str | Path | Iterable[str | Path]) -> tuple[dict[str, dict], list[str]]:
    """Return ``({doc_id: annotation}, problems)``; each problem line names its file.

    A malformed file is left out (its document then scores as empty); when two objects
    share a ``doc_id`` the first is kept and the second is reported.
    """
    docs: dict[str, dict] = {}
    where_of: dict[str, str] = {}
    problems: list[str] = []
    for it in read_items(path):
        if it.obj is None:
            problems.append(f"{it.where}: {it.problem}; scored as empty")
        elif it.obj["doc_id"] in docs:
            problems.append(f"{it.where}: doc_id {it.obj['doc_id']} already read from {where_of[it.obj['doc_id']]}; "
                            "ignored")
        else:
            docs[it.obj["doc_id"]] = it.obj
            where_of[it.obj["doc_id"]] = it.where
    return docs, problems


def load_texts(docs_dir: str | Path | None, doc_ids) -> dict[str, str]:
    """Raw texts ``<docs_dir>/<doc_id>.txt`` that exist, decoded from their bytes without
    newline translation, so spans index them as SPEC.md says."""
    out = {}
    if docs_dir is None:
        return out
    for d in doc_ids:
        f = Path(docs_dir) / f"{d}.txt"
        if f.is_file():
            out[d] = read_raw(f)
    return out


def read_raw(f: str | Path) -> str:
    """A document as received: UTF-8 bytes decoded as they are (``\\r\\n`` stays two characters)."""
    return Path(f).read_bytes().decode("utf-8", errors="replace")
