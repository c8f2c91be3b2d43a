"""Run the pipeline over many inputs: collect paths, extract, write atomically.

Bad inputs produce one line each and never stop the run; outputs are written to a
temporary name and renamed, so an interrupted run leaves no half-written file.
"""
from __future__ import annotations

import glob
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")


def collect_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files, folders (recursively, report suffixes only) and globs, in sorted order.

    A path that matches nothing is yielded as is, so the reader reports it by name.
    """
    seen: set[Path] = set()
    for p in paths:
        p = str(p)
        matches = sorted(glob.glob(p, recursive=True)) if glob.has_magic(p) else [p]
        for m in matches or [p]:
            path = Path(m)
            if path.is_dir():
                found = sorted(q for q in path.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
            else:
                found = [path]
            for q in found:
                if q not in seen:
                    seen.add(q)
                    yield q


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps(obj: dict, indent: int | None = 1) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def extract_paths(paths: Iterable[str | Path], out: Path, fmt: str = "json",
                  echo: Callable[[str], None] | None = None,
                  echo_err: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Extract every input to ``out``; returns ``(written, failed)``."""
    from .core import JixiaoError
    from .pipeline import extract_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ok = failed = 0
    lines: list[str] = []
    for path in collect_inputs(paths):
        try:
            result = extract_file(path).to_spec()
        except JixiaoError as e:
            failed += 1
            if echo_err:
                echo_err(f"error: {e}")
            continue
        except Exception as e:  # an extractor bug must not stop the batch
            failed += 1
            if echo_err:
                echo_err(f"error: {path}: internal error {type(e).__name__}: {e}")
            continue
        ok += 1
        if fmt == "jsonl":
            lines.append(dumps(result, indent=None))
        else:
            write_atomic(out / f"{result['doc_id']}.json", dumps(result) + "\n")
        if echo:
            echo(f"{path} -> {result['doc_id']}: {len(result['facts'])} facts, "
                 f"{len(result['problems'])} problems, {len(result['measures'])} measures")
    if fmt == "jsonl":
        write_atomic(out / "predictions.jsonl", "".join(l + "\n" for l in lines))
    return ok, failed
