"""Inputs: files, folders and globs -> the files to read, and a word for everything left out.

A folder is searched recursively for the suffixes the readers know (:data:`SUFFIXES`,
``.doc``/``.wps`` included: they are read with antiword or fail with a clear reason); files
of other types in it are counted and named in one warning, never skipped silently. A
folder with no report file, or a glob that matches nothing, gets a warning too. A path
that does not exist is kept, so its reader reports it by name.
"""
from __future__ import annotations

import glob
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..ingest import SUFFIXES


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def gather(paths: Iterable[str | Path], suffixes: tuple[str, ...] = SUFFIXES) -> Inputs:
    """Expand ``paths`` in sorted order, without repeats; see the module doc."""
    found = Inputs()
    seen: set[Path] = set()
    for arg in paths:
        arg = str(arg)
        matches = sorted(glob.glob(arg, recursive=True)) if glob.has_magic(arg) else [arg]
        if not matches:
            found.warnings.append(f"{arg}: matches no file")
            continue
        for m in matches:
            path = Path(m)
            if path.is_dir():
                files = sorted(q for q in path.rglob("*") if q.is_file())
                chosen = [q for q in files if q.suffix.lower() in suffixes]
                others = Counter(q.suffix.lower() or "(no suffix)" for q in files
                                 if q.suffix.lower() not in suffixes and not q.name.startswith("."))
                if not chosen:
                    what = "an empty folder" if not files else "a folder"
                    found.warnings.append(f"{path}: {what} with no report file ({', '.join(suffixes)})"
                                          + (f"; not read: {_counts(others)}" if others else ""))
                elif others:
                    found.warnings.append(f"{path}: {sum(others.values())} files of other types not read: "
                                          f"{_counts(others)}")
            else:
                chosen = [path]
            for q in chosen:
                if q not in seen:
                    seen.add(q)
                    found.files.append(q)
    return found


def _counts(c: Counter) -> str:
    return ", ".join(f"{n} {suffix}" for suffix, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:6])


def collect_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files of :func:`gather` (its warnings dropped), for callers that only need the paths."""
    yield from gather(paths).files
