"""Build ``gold/<doc_id>.json`` from ``anchors.py`` and the PDFs under ../shared/corpora.

    PYTHONPATH=. python annotations/pdf/build_gold.py

The gold refers to its PDF by path (relative to the repository's parent, where
``shared/`` stands) and by the sha256 of its bytes (``text_sha256``, as for every
SPEC document); spans index the raw text jixiao's PDF reader makes of it, and each
fact records its 1-based ``page`` and its evidence ``text``. The PDFs are never
copied into the repository.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(HERE))

from anchors import DOCS, RATES  # noqa: E402


def locate(raw: str, context: str, figure: str, nth: int) -> tuple[int, int]:
    """Raw span of ``figure`` inside the ``nth`` occurrence of ``context``."""
    pos = -1
    for _ in range(nth + 1):
        pos = raw.find(context, pos + 1)
        if pos < 0:
            raise ValueError(f"context {context!r} occurrence {nth} not found")
    figure, _, k = figure.partition("#")
    at = -1
    for _ in range(int(k or 0) + 1):
        at = context.find(figure, at + 1)
        if at < 0:
            raise ValueError(f"figure {figure!r} not in context {context!r}")
    return pos + at, pos + at + len(figure)


def build(doc_id: str) -> dict:
    from extract.ingest import read_document

    rel, anchors, meta = DOCS[doc_id]
    path = CORPORA / rel
    doc = read_document(path)
    facts = []
    for context, figure, nth, name, stage, qualifier, value in anchors:
        s, e = locate(doc.raw, context, figure, nth)
        from extract.core import Span

        rate = name in RATES
        facts.append({"type": "rate" if rate else "finance", "name": name, "stage": stage, "qualifier": qualifier,
                      "value": float(Decimal(value) * (1 if rate else 10000)), "entity": None, "span": [s, e],
                      "page": doc.page_of(Span(s, e)), "text": doc.raw[s:e]})
    spans = [tuple(f["span"]) for f in facts]
    if len(set(spans)) != len(spans):
        raise ValueError(f"{doc_id}: two facts on one span")
    full = {"title": None, "report_kind": None, "fiscal_year": None, "unit": None, "filing_date": None,
            "notice_ref": None, "self_score": None, "grade": None, **meta}
    return {"doc_id": doc_id, "text_sha256": doc.source.sha256,
            "source": {"path": f"../shared/corpora/{rel}", "format": "pdf", "pages": len(doc.source.pages)},
            "meta": full, "facts": sorted(facts, key=lambda f: f["span"]), "problems": [], "measures": [],
            "indicators": []}


if __name__ == "__main__":
    for doc_id in DOCS:
        out = HERE / "gold" / f"{doc_id}.json"
        out.write_text(json.dumps(build(doc_id), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(out)
