"""Tidy tables from SPEC results: one row per document, fact, problem, measure, check, indicator.

Every row carries ``doc_id`` and, where the item has one, its raw span
(``span_start``, ``span_end``) and evidence text. Column sets are fixed here
(``COLUMNS``) so an empty corpus still yields typed, empty tables.

Figures read from a report (money, counts, rates, scores and weights) are exact decimals
(``decimal(38, 6)`` in Parquet, ``DECIMAL(38,6)`` in DuckDB): a SUM over a corpus of yuan
amounts is exact, where doubles would give ``12650905408.999987``. The JSON's float is read
through its shortest repr, which is the figure as the extractor computed it.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

META = ("title", "report_kind", "fiscal_year", "unit", "filing_date", "notice_ref", "self_score", "grade")

COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string", "path": "string", "format": "string", "encoding": "string", "text_sha256": "string",
        **{f: ("int64" if f == "fiscal_year" else "decimal" if f == "self_score" else "string") for f in META},
        "n_facts": "int64", "n_problems": "int64", "n_measures": "int64", "n_indicators": "int64",
        "checks_pass": "int64", "checks_fail": "int64", "checks_na": "int64",
        "sections": "string", "has_problems_section": "bool", "has_measures_section": "bool",
        "boilerplate_score": "float64", "jixiao_version": "string",
    },
    "facts": {
        "doc_id": "string", "type": "string", "name": "string", "stage": "string", "qualifier": "string",
        "entity": "string", "value": "decimal", "raw_value": "string", "unit": "string", "code": "string",
        "span_start": "int64", "span_end": "int64", "text": "string", "page": "int64",
        "extractor": "string", "rule": "string", "score": "float64",
    },
    "problems": {
        "doc_id": "string", "id": "string", "source": "string", "primary_category": "string",
        "categories": "string", "span_start": "int64", "span_end": "int64", "text": "string", "page": "int64",
        "extractor": "string", "rule": "string", "score": "float64",
    },
    "measures": {
        "doc_id": "string", "id": "string", "addresses": "string", "actions": "string", "targets": "string",
        "deadline": "string", "owner": "string", "span_start": "int64", "span_end": "int64", "text": "string",
        "page": "int64", "extractor": "string", "rule": "string", "score": "float64",
    },
    "checks": {
        "doc_id": "string", "name": "string", "identity": "string", "status": "string",
        "computed": "string", "stated": "string", "message": "string", "inputs": "string",
    },
    "indicators": {
        "doc_id": "string", "level1": "string", "level2": "string", "level3": "string",
        "weight": "decimal", "score": "decimal", "reason_start": "int64", "reason_end": "int64",
        "measure_start": "int64", "measure_end": "int64",
    },
}
TABLES = tuple(COLUMNS)
#: Digits after the decimal point kept for the ``decimal`` columns (yuan to the fen, rates, scores).
SCALE = 6
_QUANTUM = Decimal(1).scaleb(-SCALE)


def to_decimal(v) -> Decimal | None:
    """A JSON number (or numeric string) as an exact Decimal with :data:`SCALE` places; None stays None.

    >>> to_decimal(12650905.41), to_decimal(None), to_decimal("97.5")
    (Decimal('12650905.410000'), None, Decimal('97.500000'))
    """
    if v is None or isinstance(v, bool):
        return None
    try:
        return Decimal(str(v)).quantize(_QUANTUM)
    except (InvalidOperation, ValueError):
        return None


def _dtype(kind: str):
    import pandas as pd

    if kind == "decimal":
        import pyarrow as pa

        return pd.ArrowDtype(pa.decimal128(38, SCALE))
    return {"int64": "Int64", "float64": "Float64", "bool": "boolean", "string": "string"}[kind]


def _span(item: dict, key: str = "span") -> tuple[int | None, int | None]:
    span = item.get(key)
    return (span[0], span[1]) if span else (None, None)


def _ev(item: dict) -> dict:
    ev = item.get("evidence") or {}
    return {"extractor": ev.get("extractor"), "rule": ev.get("rule"), "score": ev.get("score")}


def rows_for(result: dict) -> dict[str, list[dict]]:
    """Split one SPEC result into rows for every table."""
    d = result["doc_id"]
    meta = result.get("meta") or {}
    src = result.get("source") or {}
    checks = Counter(c.get("status") for c in result.get("checks", []))
    secs = result.get("sections") or []
    labels = sorted({s.get("label") for s in secs if s.get("label")})
    doc_row = {
        "doc_id": d, "path": src.get("path"), "format": src.get("format"), "encoding": src.get("encoding"),
        "text_sha256": result.get("text_sha256"), **{f: meta.get(f) for f in META},
        "n_facts": len(result.get("facts", [])), "n_problems": len(result.get("problems", [])),
        "n_measures": len(result.get("measures", [])), "n_indicators": len(result.get("indicators", [])),
        "checks_pass": checks["pass"], "checks_fail": checks["fail"], "checks_na": checks["not_applicable"],
        "sections": ",".join(labels), "has_problems_section": "problems" in labels,
        "has_measures_section": "measures" in labels,
        "boilerplate_score": (result.get("boilerplate") or {}).get("score"),
        "jixiao_version": (result.get("versions") or {}).get("jixiao"),
    }
    facts = [{"doc_id": d, **{k: f.get(k) for k in ("type", "name", "stage", "qualifier", "entity", "value",
                                                   "raw_value", "unit", "text", "page")},
              "code": f.get("class_code"),  # the functional class's 政府收支分类科目 code (finance writes class_code)
              "span_start": _span(f)[0], "span_end": _span(f)[1], **_ev(f)} for f in result.get("facts", [])]
    problems = [{"doc_id": d, "id": p.get("id"), "source": p.get("source"),
                 "primary_category": (p.get("categories") or [None])[0],
                 "categories": ",".join(p.get("categories") or []), "text": p.get("text"), "page": p.get("page"),
                 "span_start": _span(p)[0], "span_end": _span(p)[1], **_ev(p)} for p in result.get("problems", [])]
    measures = [{"doc_id": d, "id": m.get("id"), "addresses": ",".join(m.get("addresses") or []),
                 "actions": ",".join(m.get("actions") or []), "targets": ";".join(m.get("targets") or []),
                 "deadline": m.get("deadline"), "owner": m.get("owner"), "text": m.get("text"), "page": m.get("page"),
                 "span_start": _span(m)[0], "span_end": _span(m)[1], **_ev(m)} for m in result.get("measures", [])]
    check_rows = [{"doc_id": d, **{k: c.get(k) for k in ("name", "identity", "status", "computed", "stated", "message")},
                   "inputs": json.dumps(c.get("inputs", []), ensure_ascii=False)} for c in result.get("checks", [])]
    indicators = [{"doc_id": d, **{k: i.get(k) for k in ("level1", "level2", "level3", "weight", "score")},
                   "reason_start": _span(i, "reason_span")[0], "reason_end": _span(i, "reason_span")[1],
                   "measure_start": _span(i, "measure_span")[0], "measure_end": _span(i, "measure_span")[1]}
                  for i in result.get("indicators", [])]
    return {"documents": [doc_row], "facts": facts, "problems": problems, "measures": measures,
            "checks": check_rows, "indicators": indicators}


def build_tables(results: Iterable[dict]):
    """Return ``{table: pandas.DataFrame}`` with the fixed column types, rows sorted by doc_id."""
    import pandas as pd

    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    for result in sorted(results, key=lambda r: r["doc_id"]):
        for table, part in rows_for(result).items():
            rows[table].extend(part)
    frames = {}
    for table, cols in COLUMNS.items():
        df = pd.DataFrame(rows[table], columns=list(cols))
        for col, kind in cols.items():
            if kind == "decimal":
                df[col] = pd.array([to_decimal(v) for v in df[col]], dtype=_dtype(kind))
            else:
                df[col] = df[col].astype(_dtype(kind))
        frames[table] = df
    return frames


def write_tables(frames: dict, out_dir: Path, csv: bool = False) -> list[Path]:
    """Write each table as Parquet (and CSV) into ``out_dir``; returns the written paths.

    ``out_dir`` is meant to be a fresh folder that the caller swaps in whole
    (``extract.app.files.swap_folder``): tables are never replaced one by one.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table, df in frames.items():
        df.to_parquet(out_dir / f"{table}.parquet", index=False)  # plain files: the umask applies
        written.append(out_dir / f"{table}.parquet")
        if csv:
            df.to_csv(out_dir / f"{table}.csv", index=False)
            written.append(out_dir / f"{table}.csv")
    return written
