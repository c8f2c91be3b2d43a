"""jixiao's scorer: compares SPEC-shaped predictions with gold, reading only JSON.

It never imports ``extract`` (an import-linter contract checks this), so it scores any
system's output: ours, a peer's, an LLM's. Entry points::

    from jixiao_eval import agreement, load_set, score_sets, validate_path
    gold, _ = load_set("annotations/gold")
    pred, problems = load_set("eval/results/pred")
    report = score_sets(gold, pred, docs="annotations/docs")
    report["facts"]["fact"]["overall"]          # {"tp", "fp", "fn", "precision", "recall", "f1"}
    n, lines = validate_path("annotations/gold")  # one line per problem, naming file and item
    agreement(pass_a, pass_b, docs="annotations/docs")["kappa_primary"]

The scoring rules are SPEC.md's "Scoring" section; ``eval/score.py`` documents each one.
"""
from __future__ import annotations

from .agree import agreement
from .load import load_set
from .score import score_sets
from .validate import validate_path

__all__ = ["agreement", "load_set", "score_sets", "validate_path"]
