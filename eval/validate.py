"""Check gold or prediction files: schema, document hash, span bounds, finance evidence."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .load import load_set

NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")


def _spans(ann: dict):
    """(where, span, is_finance) for every span-carrying item."""
    for i, f in enumerate(ann.get("facts") or []):
        yield f"facts[{i}] ({f.get('type')}.{f.get('name')})", f.get("span"), f.get("type") == "finance"
    for key in ("problems", "measures"):
        for i, x in enumerate(ann.get(key) or []):
            yield f"{key}[{i}] ({x.get('id')})", x.get("span"), False
    for i, r in enumerate(ann.get("indicators") or []):
        for k in ("reason_span", "measure_span"):
            if r.get(k) is not None:
                yield f"indicators[{i}].{k}", r.get(k), False


def validate_doc(ann: dict, where: str, docs_dir: str | Path | None) -> list[str]:
    from jsonschema import Draft202012Validator

    from .schema import SCHEMA

    out = [f"{where}: schema: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
           for e in sorted(Draft202012Validator(SCHEMA).iter_errors(ann), key=lambda e: list(map(str, e.path)))]
    doc = Path(docs_dir) / f"{ann.get('doc_id')}.txt" if docs_dir else None
    if doc is None or not doc.is_file():
        return out + [f"{where}: document {doc} not found; hash and spans not checked"]
    data = doc.read_bytes()
    if ann.get("text_sha256") and ann["text_sha256"] != hashlib.sha256(data).hexdigest():
        out.append(f"{where}: text_sha256 does not match {doc}")
    raw = data.decode("utf-8", errors="replace")
    ids = {p.get("id") for p in ann.get("problems") or []}
    for item, span, finance in _spans(ann):
        if not (isinstance(span, list) and len(span) == 2 and all(isinstance(v, int) for v in span)):
            continue  # the schema error is already reported
        s, e = span
        if not 0 <= s < e <= len(raw):
            out.append(f"{where}: {item}: span [{s}, {e}) outside the text (length {len(raw)})")
        elif finance and not NUMERAL.search(raw[s:e]):
            out.append(f"{where}: {item}: finance span {raw[s:e]!r} contains no number")
    for i, m in enumerate(ann.get("measures") or []):
        for a in m.get("addresses") or []:
            if a not in ids:
                out.append(f"{where}: measures[{i}] ({m.get('id')}) addresses unknown problem {a!r}")
    return out


def validate_path(path: str | Path, docs_dir: str | Path | None = "annotations/docs") -> tuple[int, list[str]]:
    """Return (number of files checked, one line per problem)."""
    anns, problems = load_set(path)
    lines = list(problems)
    for doc_id, ann in sorted(anns.items()):
        lines += validate_doc(ann, doc_id, docs_dir)
    return len(anns), lines
