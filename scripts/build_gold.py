#!/usr/bin/env python3
"""Compile evidence-form annotation sources into SPEC gold files with spans.

Annotators never type offsets. They write ``<src_dir>/<doc_id>.json`` where every
item names its evidence by *text*; this tool finds that text in the raw document
and writes ``<out_dir>/<doc_id>.json`` in the SPEC shape, with ``raw[start:end]``
checked for every span.

Locating evidence (all matching ignores whitespace, so ``"4500.43万元"`` finds
``"4500.43\\n\\n万元"`` in the raw text, and the span covers the raw characters):

- ``"evidence": "20 名"`` -- the text itself;
- ``"after": "行政编制"`` -- search only after the first occurrence of this anchor
  (anchors may be chained with ``"after": ["(四）改进措施", "2."]``);
- ``"nth": 2`` -- take the n-th match (1-based) after the anchor;
- ``"evidence_start"`` + ``"evidence_end"`` -- for long items: the span runs from
  the start of the first string to the end of the next match of the second.

Problems and measures use the same keys; indicators use ``reason`` / ``measure``
(each an evidence object, or ``null``). Meta is copied as is.

Usage: ``python scripts/build_gold.py annotations/src annotations/gold --docs annotations/docs``
Exit status 1 if any evidence cannot be found.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

LOCATOR_KEYS = ("evidence", "after", "nth", "evidence_start", "evidence_end")


class NotFound(Exception):
    pass


def _pattern(text: str) -> re.Pattern[str]:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        raise NotFound(f"empty evidence {text!r}")
    return re.compile(r"\s*".join(re.escape(c) for c in chars))


def _find(raw: str, text: str, pos: int, nth: int = 1) -> tuple[int, int]:
    pat = _pattern(text)
    for _ in range(nth):
        m = pat.search(raw, pos)
        if m is None:
            raise NotFound(f"{text!r} not found after offset {pos}")
        pos = m.start() + 1
    return m.start(), m.end()


def locate(raw: str, loc: dict) -> list[int]:
    """Return ``[start, end]`` for an evidence locator (see module doc)."""
    pos = 0
    after = loc.get("after")
    for anchor in [after] if isinstance(after, str) else (after or []):
        pos = _find(raw, anchor, pos)[1]
    nth = int(loc.get("nth", 1))
    if "evidence" in loc:
        start, end = _find(raw, loc["evidence"], pos, nth)
    else:
        start, first_end = _find(raw, loc["evidence_start"], pos, nth)
        end = _find(raw, loc["evidence_end"], first_end - 1)[1]
    return [start, end]


def _strip(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in LOCATOR_KEYS and not k.startswith("_")}


def build(src: dict, raw: str, raw_bytes: bytes) -> dict:
    errors: list[str] = []

    def span_of(kind: str, i: int, loc: dict | None):
        if loc is None:
            return None
        try:
            return locate(raw, loc)
        except NotFound as e:
            errors.append(f"{kind}[{i}]: {e}")
            return [0, 1]

    facts = [{**_strip(f), "span": span_of("facts", i, f)} for i, f in enumerate(src.get("facts", []))]
    problems = [{**_strip(p), "span": span_of("problems", i, p)} for i, p in enumerate(src.get("problems", []))]
    measures = [{**_strip(m), "span": span_of("measures", i, m)} for i, m in enumerate(src.get("measures", []))]
    indicators = []
    for i, row in enumerate(src.get("indicators", [])):
        out = {k: v for k, v in row.items() if k not in ("reason", "measure")}
        out["reason_span"] = span_of("indicators.reason", i, row.get("reason"))
        out["measure_span"] = span_of("indicators.measure", i, row.get("measure"))
        indicators.append(out)
    if errors:
        raise NotFound("; ".join(errors))
    return {
        "doc_id": src["doc_id"],
        "text_sha256": hashlib.sha256(raw_bytes).hexdigest(),
        "meta": src.get("meta", {}),
        "facts": facts,
        "problems": problems,
        "measures": measures,
        "indicators": indicators,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=Path, default=Path("annotations/docs"))
    ap.add_argument("--show", action="store_true", help="print each span's raw text")
    args = ap.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    for src_path in sorted(args.src_dir.glob("*.json")):
        src = json.loads(src_path.read_text(encoding="utf-8"))
        raw_bytes = (args.docs / f"{src['doc_id']}.txt").read_bytes()
        raw = raw_bytes.decode("utf-8")
        try:
            gold = build(src, raw, raw_bytes)
        except NotFound as e:
            print(f"{src_path}: {e}", file=sys.stderr)
            status = 1
            continue
        if args.show:
            for kind in ("facts", "problems", "measures"):
                for item in gold[kind]:
                    s, e = item["span"]
                    print(f"{src_path.stem} {kind} {item.get('name', item.get('id'))}: {raw[s:e]!r}")
        out = args.out_dir / src_path.name
        out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}: {len(gold['facts'])} facts, {len(gold['problems'])} problems, "
              f"{len(gold['measures'])} measures, {len(gold['indicators'])} indicators")
    return status


if __name__ == "__main__":
    sys.exit(main())
