"""Ensemble component: the model where it is confident, the rules elsewhere."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..core import Evidence
from ..core.registry import register
from .model import ModelClassifier
from .rules import RuleClassifier
from .types import Classification

EXTRACTOR = "classify.ensemble.v1"
DEFAULT_THRESHOLD = 0.6


@register(EXTRACTOR)
class EnsembleClassifier:
    """Take the model's labels when its top probability >= ``threshold``; otherwise the
    rules' labels when a cue matched; otherwise the model's best guess."""

    name = "ensemble"

    def __init__(self, model: ModelClassifier, rules: RuleClassifier | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.model = model
        self.rules = rules or RuleClassifier()
        self.threshold = threshold

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        out = []
        for m, r in zip(self.model.classify(texts), self.rules.classify(texts)):
            p = m.scores.get(m.primary, 0.0)
            if p >= self.threshold:
                chosen, why = m, f"model confident ({p:.2f} >= {self.threshold:.2f})"
            elif r.evidence.rule != "no_cue":
                chosen, why = r, f"model unsure ({m.primary} {p:.2f}), rules"
            else:
                chosen, why = m, f"model unsure ({p:.2f}) and no rule cue"
            ev = Evidence(EXTRACTOR, f"{chosen.evidence.extractor}:{chosen.evidence.rule}", chosen.evidence.score,
                          f"{why}: {chosen.evidence.explanation}")
            out.append(replace(chosen, scores=dict(m.scores), evidence=ev))
        return out
