"""Load SPEC results from JSON files/folders, or extract them from report files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator


def load_specs(paths: Iterable[str | Path], docs: Path) -> Iterator[tuple[dict, str]]:
    """Yield ``(spec, raw_text)``. JSON inputs take their text from ``docs/<doc_id>.txt``
    (UTF-8 as received, SPEC.md: read as is, even a page that is no report, whose gold is
    empty), else from their ``source.path``; report files are extracted now."""
    from ..ingest import read_document
    from ..runner import collect_inputs

    for p in map(Path, paths):
        jsons = sorted(p.glob("*.json")) if p.is_dir() else ([p] if p.suffix == ".json" else [])
        if jsons or (p.is_dir() and not list(collect_inputs([p]))):
            for j in jsons:
                spec = json.loads(j.read_text(encoding="utf-8"))
                src = docs / f"{spec['doc_id']}.txt"
                raw = src.read_bytes().decode("utf-8") if src.exists() else read_document(spec["source"]["path"]).raw
                yield spec, raw
            continue
        from ..pipeline import run_stages

        for f in collect_inputs([p]):
            doc = read_document(f)
            yield run_stages(doc).to_spec(), doc.raw


# Key order of a gold file as scripts/build_gold.py writes it, so an imported gold file
# equals the exported one byte for byte; keys not listed keep their place after these.
GOLD_KEYS = {
    None: ("doc_id", "text_sha256", "meta", "facts", "problems", "measures", "indicators"),
    "facts": ("type", "name", "stage", "qualifier", "value", "entity", "span"),
    "problems": ("id", "source", "categories", "span"),
    "measures": ("id", "addresses", "span"),
}


def _ordered(d: dict, keys: tuple[str, ...]) -> dict:
    return {**{k: d[k] for k in keys if k in d}, **{k: v for k, v in d.items() if k not in keys}}


def gold_ordered(gold: dict) -> dict:
    """``gold`` with its keys (and its items' keys) in the order gold files are written."""
    out = _ordered(gold, GOLD_KEYS[None])
    for part in ("facts", "problems", "measures"):
        if isinstance(out.get(part), list):
            out[part] = [_ordered(it, GOLD_KEYS[part]) for it in out[part]]
    return out


def gold_json(gold: dict) -> str:
    """The text of a gold file (the format of scripts/build_gold.py)."""
    return json.dumps(gold_ordered(gold), ensure_ascii=False, indent=1) + "\n"
