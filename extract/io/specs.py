"""Load SPEC results from JSON files/folders, or extract them from report files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator


def load_specs(paths: Iterable[str | Path], docs: Path) -> Iterator[tuple[dict, str]]:
    """Yield ``(spec, raw_text)``. JSON inputs take their text from ``docs/<doc_id>.txt``
    (else their ``source.path``); report files are extracted now."""
    from ..ingest import read_document
    from ..runner import collect_inputs

    for p in map(Path, paths):
        jsons = sorted(p.glob("*.json")) if p.is_dir() else ([p] if p.suffix == ".json" else [])
        if jsons or (p.is_dir() and not list(collect_inputs([p]))):
            for j in jsons:
                spec = json.loads(j.read_text(encoding="utf-8"))
                src = docs / f"{spec['doc_id']}.txt"
                raw = read_document(src if src.exists() else spec["source"]["path"]).raw
                yield spec, raw
            continue
        from ..pipeline import run_stages

        for f in collect_inputs([p]):
            doc = read_document(f)
            yield run_stages(doc).to_spec(), doc.raw


def write_gold(golds: Iterable[dict], out: Path) -> list[Path]:
    from ..runner import write_atomic

    written = []
    for g in golds:
        path = out / f"{g['doc_id']}.json"
        write_atomic(path, json.dumps(g, ensure_ascii=False, indent=1) + "\n")
        written.append(path)
    return written
