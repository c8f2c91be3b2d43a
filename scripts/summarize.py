#!/usr/bin/env python3
"""Print a short summary of a folder of SPEC JSON results (used by `make demo`)."""
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a CJK character takes two)."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cols)


def main(folder: str) -> None:
    files = sorted(Path(folder).glob("*.json"))
    print(f"\n{len(files)} documents in {folder}/")
    print(f"{'doc_id':<24} {'year':>4}  {'unit':<28} {'facts':>5} {'probl':>5} {'meas':>5} {'checks ok/fail':>14}")
    for f in files:
        d = json.loads(f.read_text(encoding="utf-8"))
        m = d.get("meta", {})
        checks = Counter(c.get("status") for c in d.get("checks", []))
        unit = (m.get("unit") or "-")[:14]
        print(f"{d['doc_id']:<24} {str(m.get('fiscal_year') or '-'):>4}  {pad(unit, 28)} {len(d['facts']):>5} "
              f"{len(d['problems']):>5} {len(d['measures']):>5} {checks['pass']:>7}/{checks['fail']:<6}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo-out")
