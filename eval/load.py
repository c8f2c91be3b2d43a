"""Read a gold or prediction set: a folder of ``<doc_id>.json`` files or one JSONL file."""
from __future__ import annotations

import json
from pathlib import Path


def load_set(path: str | Path) -> tuple[dict[str, dict], list[str]]:
    """Return ``({doc_id: annotation}, problems)``.

    A file that cannot be read or parsed, or has no ``doc_id``, is named in
    ``problems`` and left out, so the scorer counts that document as empty.
    """
    path = Path(path)
    docs: dict[str, dict] = {}
    problems: list[str] = []

    def add(obj, where: str) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("doc_id"), str):
            problems.append(f"{where}: not a SPEC object with a doc_id; scored as empty")
            return
        docs[obj["doc_id"]] = obj

    if path.is_dir():
        for f in sorted(path.glob("*.json")):
            try:
                add(json.loads(f.read_text(encoding="utf-8")), str(f))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                problems.append(f"{f}: malformed JSON ({e.__class__.__name__}: {e}); scored as empty")
    elif path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            return {}, [f"{path}: unreadable ({e}); every document scored as empty"]
        if path.suffix == ".json":
            try:
                add(json.loads("\n".join(lines)), str(path))
            except json.JSONDecodeError as e:
                problems.append(f"{path}: malformed JSON ({e}); scored as empty")
        else:
            for n, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        add(json.loads(line), f"{path}:{n}")
                    except json.JSONDecodeError as e:
                        problems.append(f"{path}:{n}: malformed JSON line ({e}); scored as empty")
    else:
        problems.append(f"{path}: no such file or folder")
    return docs, problems


def load_texts(docs_dir: str | Path | None, doc_ids) -> dict[str, str]:
    """Raw texts ``<docs_dir>/<doc_id>.txt`` that exist (for showing evidence)."""
    out = {}
    if docs_dir is None:
        return out
    for d in doc_ids:
        f = Path(docs_dir) / f"{d}.txt"
        if f.is_file():
            out[d] = f.read_text(encoding="utf-8")
    return out
