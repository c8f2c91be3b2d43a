"""Export batch results as a Hugging Face ``datasets.Dataset`` with a declared schema.

One self-contained row per document: the raw text, the source, meta fields with their
evidence, and nested lists of every SPEC item with all its fields: facts (value, the
figure as written, unit, an integer ``count`` for staffing and org figures, evidence),
problems (categories, category scores, evidence), measures (addresses, actions,
targets, deadline, owner, evidence, link evidence), scoring-table rows and
cross-checks; document-level counts are integers. Saved with ``save_to_disk``
(``datasets.load_from_disk``), as Parquet shards, and with a dataset card (README.md).

A result's source path is as the batch was given it, often relative to the folder the
batch ran in. The export finds each text wherever it is run from: the path as written
(absolute, or relative to the current folder), then relative to the folder recorded in
the batch manifest (``cwd``), the batch folder's parent and the batch folder, taking the
first file whose SHA-256 is the result's ``text_sha256``. A result whose text cannot be
found is an error naming it (all such results in one message), never a row without text.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..core import JixiaoError

META_FIELDS = ("title", "report_kind", "fiscal_year", "unit", "filing_date", "notice_ref", "self_score", "grade")
COUNTED = ("staffing", "org")  # fact types whose value is a number of people or units


def features():
    from datasets import Features, Sequence, Value

    span = Sequence(Value("int64"), length=2)
    evidence = {"extractor": Value("string"), "rule": Value("string"), "score": Value("float64"),
                "explanation": Value("string")}
    return Features({
        "doc_id": Value("string"), "text_sha256": Value("string"), "text": Value("string"),
        "source": {"path": Value("string"), "format": Value("string"), "encoding": Value("string"),
                   "pages": Value("int32")},
        "jixiao_version": Value("string"),
        "title": Value("string"), "report_kind": Value("string"), "fiscal_year": Value("int32"),
        "unit": Value("string"), "filing_date": Value("string"), "notice_ref": Value("string"),
        "self_score": Value("float64"), "grade": Value("string"),
        "meta_evidence": [{"field": Value("string"), "span": span, **evidence}],
        "n_facts": Value("int32"), "n_problems": Value("int32"), "n_measures": Value("int32"),
        "n_indicators": Value("int32"), "checks_pass": Value("int32"), "checks_fail": Value("int32"),
        "checks_not_applicable": Value("int32"),
        "facts": [{"type": Value("string"), "name": Value("string"), "stage": Value("string"),
                   "qualifier": Value("string"), "entity": Value("string"), "value": Value("float64"),
                   "count": Value("int64"), "raw_value": Value("string"), "unit": Value("string"),
                   "code": Value("string"), "text": Value("string"), "span": span, "evidence": evidence}],
        "problems": [{"id": Value("string"), "source": Value("string"), "categories": Sequence(Value("string")),
                      "category_scores": [{"label": Value("string"), "score": Value("float64")}],
                      "text": Value("string"), "span": span, "evidence": evidence}],
        "measures": [{"id": Value("string"), "addresses": Sequence(Value("string")),
                      "actions": Sequence(Value("string")), "targets": Sequence(Value("string")),
                      "deadline": Value("string"), "owner": Value("string"), "text": Value("string"),
                      "span": span, "evidence": evidence, "link_evidence": evidence}],
        "indicators": [{"level1": Value("string"), "level2": Value("string"), "level3": Value("string"),
                        "weight": Value("float64"), "score": Value("float64"), "reason_span": span,
                        "measure_span": span, "span": span, "evidence": evidence}],
        "checks": [{"name": Value("string"), "identity": Value("string"), "status": Value("string"),
                    "computed": Value("string"), "stated": Value("string"), "message": Value("string"),
                    "inputs": Value("string")}],
    })


def _ev(item: dict, key: str = "evidence") -> dict | None:
    ev = item.get(key)
    return {k: ev.get(k) for k in ("extractor", "rule", "score", "explanation")} if isinstance(ev, dict) else None


def _count(f: dict) -> int | None:
    v = f.get("value")
    return int(v) if f.get("type") in COUNTED and v is not None and float(v).is_integer() else None


def row(result: dict, raw: str) -> dict:
    """One dataset row from a SPEC result and its raw text."""
    meta = result.get("meta") or {}
    src = result.get("source") or {}
    checks = [c.get("status") for c in result.get("checks", [])]
    facts = result.get("facts", [])
    return {
        "doc_id": result["doc_id"], "text_sha256": result.get("text_sha256"), "text": raw,
        "source": {k: src.get(k) for k in ("path", "format", "encoding", "pages")},
        "jixiao_version": (result.get("versions") or {}).get("jixiao"),
        **{k: meta.get(k) for k in META_FIELDS},
        "meta_evidence": [{"field": k, "span": e.get("span"), **_ev({"evidence": e})}
                          for k, e in (result.get("meta_evidence") or {}).items() if isinstance(e, dict)],
        "n_facts": len(facts), "n_problems": len(result.get("problems", [])),
        "n_measures": len(result.get("measures", [])), "n_indicators": len(result.get("indicators", [])),
        "checks_pass": checks.count("pass"), "checks_fail": checks.count("fail"),
        "checks_not_applicable": checks.count("not_applicable"),
        "facts": [{**{k: f.get(k) for k in ("type", "name", "stage", "qualifier", "entity", "value", "raw_value",
                                          "unit", "code", "text", "span")},
                   "count": _count(f), "evidence": _ev(f)} for f in facts],
        "problems": [{"id": p.get("id"), "source": p.get("source"), "categories": p.get("categories") or [],
                      "category_scores": [{"label": k, "score": v} for k, v in (p.get("category_scores") or {}).items()],
                      "text": p.get("text"), "span": p.get("span"), "evidence": _ev(p)}
                     for p in result.get("problems", [])],
        "measures": [{"id": m.get("id"), "addresses": m.get("addresses") or [], "actions": m.get("actions") or [],
                      "targets": m.get("targets") or [], "deadline": m.get("deadline"), "owner": m.get("owner"),
                      "text": m.get("text"), "span": m.get("span"), "evidence": _ev(m),
                      "link_evidence": _ev(m, "link_evidence")} for m in result.get("measures", [])],
        "indicators": [{**{k: i.get(k) for k in ("level1", "level2", "level3", "weight", "score", "reason_span",
                                                 "measure_span", "span")}, "evidence": _ev(i)}
                       for i in result.get("indicators", [])],
        "checks": [{**{k: c.get(k) for k in ("name", "identity", "status", "computed", "stated", "message")},
                    "inputs": json.dumps(c.get("inputs", []), ensure_ascii=False)} for c in result.get("checks", [])],
    }


def source_file(result: dict, batch_dir: Path, manifest: dict) -> Path:
    """The file a result was extracted from (see the module docstring); raises JixiaoError."""
    src = (result.get("source") or {}).get("path")
    if not src:
        raise JixiaoError(f"{result.get('doc_id')}: the result records no source path")
    p = Path(src)
    bases = [Path.cwd()] + ([Path(manifest["cwd"])] if manifest.get("cwd") else []) + [batch_dir.parent, batch_dir]
    candidates = [p] if p.is_absolute() else [b / p for b in bases]
    for c in candidates:
        if c.is_file() and hashlib.sha256(c.read_bytes()).hexdigest() == result.get("text_sha256"):
            return c
    raise JixiaoError(f"{result.get('doc_id')}: no file with its text_sha256 at {src} "
                      f"(looked in {', '.join(str(c.parent) for c in candidates)})")


def card(rows: list[dict], batch_dir: Path) -> str:
    """The dataset card: YAML header (huggingface_hub's DatasetCardData) and a description."""
    from huggingface_hub import DatasetCardData

    n = {k: sum(r[f"n_{k}"] for r in rows) for k in ("facts", "problems", "measures", "indicators")}
    header = DatasetCardData(language=["zh"], pretty_name="jixiao extractions of performance self-evaluation reports",
                             task_categories=["token-classification", "text-classification"],
                             size_categories=["n<1K" if len(rows) < 1000 else "1K<n<10K" if len(rows) < 10_000
                                              else "10K<n<100K"]).to_yaml()
    versions = sorted({r["jixiao_version"] or "?" for r in rows})
    return f"""---
{header}
---

# jixiao extractions

Grounded data extracted by jixiao {", ".join(versions)} from {len(rows)}
Chinese government performance self-evaluation reports (绩效自评报告), exported from the batch
folder `{batch_dir.name}`: {n["facts"]} facts, {n["problems"]} problems, {n["measures"]} improvement
measures, {n["indicators"]} scoring-table rows.

Load with `datasets.load_from_disk(PATH)` or from the Parquet shards in `parquet/`.

## Fields

One row per report. `text` is the report's raw text; every `span` is `[start, end)` in
Python string indices into it, and `text[start:end]` is the item's evidence. `evidence`
says which extractor and rule produced an item, with a score and a one-line explanation.

- document: `doc_id`, `text_sha256` (of the file's bytes), `source` (path as given to
  the batch, format, encoding, pages), `jixiao_version`, the meta fields `title`,
  `report_kind`, `fiscal_year`, `unit`, `filing_date`, `notice_ref`, `self_score`,
  `grade` with `meta_evidence`, and integer counts `n_facts`, `n_problems`, `n_measures`,
  `n_indicators`, `checks_pass`, `checks_fail`, `checks_not_applicable`;
- `facts`: `type`, `name`, `stage`, `qualifier`, `entity`, `value` (yuan for money, percent
  for rates), `count` (the same value as an integer for staffing and org figures),
  `raw_value` and `unit` as written, `code`, `text`, `span`, `evidence`;
- `problems`: `id`, `source`, `categories` (primary first), `category_scores`, `text`,
  `span`, `evidence`;
- `measures`: `id`, `addresses` (problem ids), `actions`, `targets`, `deadline`, `owner`,
  `text`, `span`, `evidence`, `link_evidence`;
- `indicators`: scoring-table rows `level1`-`level3`, `weight`, `score`, `reason_span`,
  `measure_span`, `span`, `evidence`;
- `checks`: arithmetic cross-checks `name`, `identity`, `status`, `computed`, `stated`,
  `message`, `inputs` (JSON).

The field definitions and vocabularies are jixiao's SPEC.md. Figures are machine
extractions: check them against `text` through their spans before relying on them.
"""


def export_hf(batch_dir: str | Path, to: str | Path, shard_size: int = 1000) -> Path:
    """Write ``to/`` (save_to_disk), ``to/parquet/*.parquet`` and ``to/README.md`` from ``batch_dir/docs``."""
    from datasets import Dataset

    from ..ingest import read_document

    batch_dir, to = Path(batch_dir).resolve(), Path(to)
    manifest_path = batch_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    rows, missing = [], []
    for path in sorted((batch_dir / "docs").glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        try:
            rows.append(row(result, read_document(source_file(result, batch_dir, manifest)).raw))
        except (JixiaoError, OSError) as e:
            missing.append(f"{path.name}: {e}")
    if missing:
        raise JixiaoError(f"{batch_dir}: {len(missing)} results without their text, no dataset written: "
                          + "; ".join(missing))
    ds = Dataset.from_list(rows, features=features())
    ds.save_to_disk(str(to))
    shards = to / "parquet"
    shards.mkdir(parents=True, exist_ok=True)
    for i in range(0, max(len(ds), 1), shard_size):
        ds.select(range(i, min(i + shard_size, len(ds)))).to_parquet(str(shards / f"part-{i // shard_size:05d}.parquet"))
    (to / "README.md").write_text(card(rows, batch_dir), encoding="utf-8")
    return to
