"""Ensemble component: the model where it is confident, the rules elsewhere."""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..core import Evidence
from ..core.registry import register
from .confidence import band
from .model import ModelClassifier
from .rules import RuleClassifier
from .types import Classification

EXTRACTOR = "classify.ensemble.v1"
DEFAULT_THRESHOLD = 0.6


@register(EXTRACTOR)
class EnsembleClassifier:
    """Take the model's labels when its top probability >= ``threshold``; otherwise the
    rules' labels when a cue matched; otherwise the model's best guess.

    The result's scores are always the model's probabilities, so its ``confidence`` is
    the model's probability of the label chosen; the explanation names the band of the
    model's own top probability and says which component decided and why."""

    name = "ensemble"

    def __init__(self, model: ModelClassifier, rules: RuleClassifier | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.model = model
        self.rules = rules or RuleClassifier()
        self.threshold = threshold

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        return [self.combine(m, r) for m, r in zip(self.model.classify(texts), self.rules.classify(texts))]

    def combine(self, m: Classification, r: Classification) -> Classification:
        """One text's result from the model's (``m``) and the rules' (``r``) results."""
        t = self.threshold
        p = m.scores.get(m.primary, 0.0)
        conf = f"{band(p)} confidence" if m.calibrated else "uncalibrated"
        if p >= t:
            chosen, why = m, f"model decides: {m.primary} {p:.2f} ({conf}) >= threshold {t:.2f}"
        elif r.evidence.rule != "no_cue":
            agree = (f"the model agrees ({m.primary} {p:.2f}, {conf})" if r.primary == m.primary
                     else f"the model's top is {m.primary} {p:.2f} ({conf})")
            rule = "a rule cue always wins" if t > 1 else f"a cue matched and the model's top {p:.2f} < threshold {t:.2f}"
            chosen, why = r, f"rules decide ({rule}); {agree}"
        else:
            chosen, why = m, f"model decides (no rule cue): {m.primary} {p:.2f} ({conf})"
        ev = Evidence(EXTRACTOR, f"{chosen.evidence.extractor}:{chosen.evidence.rule}", chosen.evidence.score,
                      f"{why}. {chosen.evidence.explanation}")
        return replace(chosen, scores=dict(m.scores), evidence=ev, calibrated=m.calibrated)
