"""Export batch results as a Hugging Face ``datasets.Dataset`` with a declared schema.

One row per document: meta fields, the raw text, and nested lists of facts,
problems and measures with their raw spans. Saved with ``save_to_disk`` (loadable
with ``datasets.load_from_disk``) and as Parquet shards.
"""
from __future__ import annotations

import json
from pathlib import Path


def features():
    from datasets import Features, Sequence, Value

    span = Sequence(Value("int64"), length=2)
    return Features({
        "doc_id": Value("string"), "text_sha256": Value("string"), "text": Value("string"),
        "title": Value("string"), "report_kind": Value("string"), "fiscal_year": Value("int32"),
        "unit": Value("string"), "filing_date": Value("string"), "notice_ref": Value("string"),
        "self_score": Value("float64"), "grade": Value("string"),
        "facts": [{"type": Value("string"), "name": Value("string"), "stage": Value("string"),
                   "qualifier": Value("string"), "entity": Value("string"), "value": Value("float64"),
                   "span": span}],
        "problems": [{"id": Value("string"), "source": Value("string"),
                      "categories": Sequence(Value("string")), "span": span}],
        "measures": [{"id": Value("string"), "addresses": Sequence(Value("string")), "span": span}],
    })


def _row(result: dict, raw: str | None) -> dict:
    meta = result.get("meta") or {}
    return {
        "doc_id": result["doc_id"], "text_sha256": result.get("text_sha256"), "text": raw,
        **{k: meta.get(k) for k in ("title", "report_kind", "fiscal_year", "unit", "filing_date",
                                    "notice_ref", "self_score", "grade")},
        "facts": [{k: f.get(k) for k in ("type", "name", "stage", "qualifier", "entity", "value", "span")}
                  for f in result.get("facts", [])],
        "problems": [{"id": p.get("id"), "source": p.get("source"), "categories": p.get("categories") or [],
                      "span": p.get("span")} for p in result.get("problems", [])],
        "measures": [{"id": m.get("id"), "addresses": m.get("addresses") or [], "span": m.get("span")}
                     for m in result.get("measures", [])],
    }


def export_hf(batch_dir: str | Path, to: str | Path, shard_size: int = 1000) -> Path:
    """Write ``to/`` (save_to_disk) and ``to/parquet/*.parquet`` from ``batch_dir/docs``."""
    from datasets import Dataset

    from ..ingest import read_document
    from ..core import JixiaoError

    batch_dir, to = Path(batch_dir), Path(to)
    rows = []
    for path in sorted((batch_dir / "docs").glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        raw = None
        src = (result.get("source") or {}).get("path")
        if src:
            try:
                raw = read_document(src).raw
            except (JixiaoError, OSError):
                raw = None
        rows.append(_row(result, raw))
    ds = Dataset.from_list(rows, features=features())
    ds.save_to_disk(str(to))
    shards = to / "parquet"
    shards.mkdir(parents=True, exist_ok=True)
    for i in range(0, max(len(ds), 1), shard_size):
        ds.select(range(i, min(i + shard_size, len(ds)))).to_parquet(str(shards / f"part-{i // shard_size:05d}.parquet"))
    return to
