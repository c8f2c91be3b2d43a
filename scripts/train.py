#!/usr/bin/env python
"""Train the problem classifier (the same function as `jixiao train`), or simulate a round
of active learning on the written statements.

    python scripts/train.py [--gold annotations/gold ...] [--extra DIR ...] [--out models/problem_classifier]
                            [--ablation eval/results/classification.md]
    python scripts/train.py --active-learning OUT.md [--validation] [--strategy margin] [--seeds 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.train import (STRATEGIES, active_learning_markdown, active_learning_round, cv_table,  # noqa: E402
                           heldout_table, train)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", nargs="*", default=["annotations/gold"], help="gold folders (LODO over all of them)")
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--eval-gold", nargs="*", default=[], help="gold folders only evaluated, never trained on")
    ap.add_argument("--out", default="models/problem_classifier")
    ap.add_argument("--docs", default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ablation", default=None, help="also write the evaluation report here")
    ap.add_argument("--active-learning", default=None, metavar="OUT.md",
                    help="simulate one round of active learning per start seed and write its table here")
    ap.add_argument("--validation", action="store_true",
                    help="with --active-learning: score on a validation part of the written training split")
    ap.add_argument("--strategy", default="margin", choices=STRATEGIES)
    ap.add_argument("--seeds", type=int, default=3, help="with --active-learning: start sets 0..SEEDS-1")
    ap.add_argument("--n", type=int, default=40, help="with --active-learning: statements per round")
    a = ap.parse_args(argv)
    if a.active_learning:
        with tempfile.TemporaryDirectory() as tmp:
            rounds = [active_learning_round(Path(tmp) / str(s), n=a.n, seed=s, gold_dirs=a.gold,
                                            strategy=a.strategy, validation=a.validation)
                      for s in range(a.seeds)]
        Path(a.active_learning).write_text(active_learning_markdown(rounds), encoding="utf-8")
        print(active_learning_markdown(rounds))
        return 0
    r = train(a.gold, a.out, extra=a.extra, docs_dir=a.docs, seed=a.seed, ablation=a.ablation, eval_gold=a.eval_gold)
    print(f"trained on {r.n_gold} gold problems from {r.n_gold_docs} documents + {r.n_written_train} written + "
          f"{r.n_synthetic} synthetic; {r.n_written_test} written held out; wrote {r.out}")
    print(cv_table(r.cv))
    print(heldout_table(r.heldout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
