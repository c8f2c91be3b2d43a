"""Check gold or prediction files before trusting them.

Each check yields one line naming the file and the item:

- the JSON Schema (``annotations/schema.json``, see :mod:`eval.schema`);
- a folder file is named ``<doc_id>.json`` and no ``doc_id`` appears twice;
- ``text_sha256`` is the sha256 of the document file's bytes (``<docs>/<doc_id>.txt``);
- every span is ``[s, e)`` with ``0 <= s < e <= len(raw)``;
- every finance span contains a digit or a Chinese numeral;
- every measure addresses problem ids that exist.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterable

from .load import read_items

NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")


def _spans(ann: dict):
    """(item name, span, is_finance) for every span-carrying item."""
    for i, f in enumerate(ann.get("facts") or []):
        if isinstance(f, dict):
            yield f"facts[{i}] ({f.get('type')}.{f.get('name')})", f.get("span"), f.get("type") == "finance"
    for key in ("problems", "measures"):
        for i, x in enumerate(ann.get(key) or []):
            if isinstance(x, dict):
                yield f"{key}[{i}] ({x.get('id')})", x.get("span"), False
    for i, r in enumerate(ann.get("indicators") or []):
        if isinstance(r, dict):
            for k in ("reason_span", "measure_span"):
                if r.get(k) is not None:
                    yield f"indicators[{i}].{k}", r.get(k), False


def schema_errors(ann) -> list[str]:
    """``path: message`` for every schema violation, in document order."""
    from jsonschema import Draft202012Validator

    from .schema import SCHEMA

    errs = sorted(Draft202012Validator(SCHEMA).iter_errors(ann), key=lambda e: list(map(str, e.absolute_path)))
    return [f"schema: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errs]


def validate_doc(ann: dict, where: str, docs_dir: str | Path | None) -> list[str]:
    """Problems of one annotation object; ``where`` (its file) starts every line."""
    out = [f"{where}: {e}" for e in schema_errors(ann)]
    doc = Path(docs_dir) / f"{ann.get('doc_id')}.txt" if docs_dir else None
    if doc is None or not doc.is_file():
        return out + [f"{where}: document {doc} not found; hash and spans not checked"]
    data = doc.read_bytes()
    if isinstance(ann.get("text_sha256"), str) and ann["text_sha256"] != hashlib.sha256(data).hexdigest():
        out.append(f"{where}: text_sha256 does not match {doc} ({ann['text_sha256'][:12]}… given)")
    raw = data.decode("utf-8", errors="replace")
    for item, span, finance in _spans(ann):
        if not (isinstance(span, list) and len(span) == 2 and all(type(v) is int for v in span)):
            continue  # the schema line already reports it
        s, e = span
        if not 0 <= s < e <= len(raw):
            out.append(f"{where}: {item}: span [{s}, {e}) outside the text (length {len(raw)}) or empty")
        elif finance and not NUMERAL.search(raw[s:e]):
            out.append(f"{where}: {item}: finance span {raw[s:e]!r} contains no number")
    ids = {p.get("id") for p in ann.get("problems") or [] if isinstance(p, dict)}
    for i, m in enumerate(ann.get("measures") or []):
        if isinstance(m, dict):
            for a in m.get("addresses") or []:
                if a not in ids:
                    out.append(f"{where}: measures[{i}] ({m.get('id')}) addresses unknown problem {a!r}")
    return out


def validate_path(path: str | Path | Iterable[str | Path],
                  docs_dir: str | Path | None = "annotations/docs") -> tuple[int, list[str]]:
    """Validate a folder, a JSON/JSONL file or several of them (each its own set: a
    ``doc_id`` may appear once per set).

    Returns (number of annotation objects read, one line per problem)."""
    n, lines = 0, []
    for one in ([path] if isinstance(path, (str, Path)) else path):
        seen: dict[str, str] = {}
        for it in read_items(one):
            if it.obj is None:
                lines.append(f"{it.where}: {it.problem}")
                continue
            n += 1
            doc_id = it.obj["doc_id"]
            if doc_id in seen:
                lines.append(f"{it.where}: doc_id {doc_id} also in {seen[doc_id]}")
            seen.setdefault(doc_id, it.where)
            if it.where.endswith(".json") and Path(it.where).stem != doc_id:
                lines.append(f"{it.where}: file name does not match doc_id {doc_id!r} (expected {doc_id}.json)")
            lines += validate_doc(it.obj, it.where, docs_dir)
    return n, lines
