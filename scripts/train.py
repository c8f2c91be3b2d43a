#!/usr/bin/env python
"""Train the problem classifier: the same function as `jixiao train`.

    python scripts/train.py [--gold annotations/gold] [--extra DIR ...] [--out models/problem_classifier]
                            [--ablation eval/results/classification.md]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.train import cv_table, train  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default="annotations/gold")
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--out", default="models/problem_classifier")
    ap.add_argument("--docs", default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ablation", default=None, help="also write the LODO ablation table here")
    a = ap.parse_args(argv)
    r = train(a.gold, a.out, extra=a.extra, docs_dir=a.docs, seed=a.seed, ablation=a.ablation)
    print(f"trained on {r.n_gold} gold problems from {r.n_gold_docs} documents + {r.n_synthetic} synthetic; wrote {r.out}")
    print(cv_table(r.cv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
