"""Rules component: cue phrases per category, kept as data in ``extract/data/category_lexicon.json``.

Every matched cue is reported in the explanation (category, cue id, matched text,
weight), so a label can be traced to the phrase that produced it.

>>> c = RuleClassifier().classify(["专项资金使用出现前松后紧的情况"])[0]
>>> c.primary, "be_uneven" in c.evidence.explanation
('budget_execution', True)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..core import ConfigError, Evidence
from ..core.registry import register
from .types import LABELS, Classification

EXTRACTOR = "classify.rules.v1"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Cue:
    category: str
    id: str
    weight: float
    pattern: re.Pattern


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    start: int
    text: str


def load_lexicon(path: str | None = None) -> tuple[list[Cue], float, float]:
    """Read the lexicon JSON; unknown categories or bad regexes fail loudly, naming the cue."""
    data = json.loads(Path(path or DATA_DIR / "category_lexicon.json").read_text(encoding="utf-8"))
    cues = []
    for category, entries in data["categories"].items():
        if category not in LABELS:
            raise ConfigError(f"lexicon category {category!r} is not a SPEC label; valid: {', '.join(LABELS)}")
        for e in entries:
            try:
                cues.append(Cue(category, e["id"], float(e["weight"]), re.compile(e["pattern"])))
            except re.error as err:
                raise ConfigError(f"lexicon cue {e['id']!r}: bad pattern: {err}") from None
    return cues, float(data.get("min_score", 0.5)), float(data.get("min_secondary", 0.8))


@register(EXTRACTOR)
class RuleClassifier:
    """Multi-label by lexicon: a label's score is its strongest matching cue's weight."""

    name = "rules"

    def __init__(self, lexicon_path: str | None = None) -> None:
        self.cues, self.min_score, self.min_secondary = load_lexicon(lexicon_path)

    def matches(self, text: str) -> list[CueMatch]:
        out = []
        for cue in self.cues:
            m = cue.pattern.search(text)
            if m:
                out.append(CueMatch(cue, m.start(), m.group(0)))
        return out

    def classify_one(self, text: str) -> Classification:
        found = self.matches(text)
        best: dict[str, CueMatch] = {}
        for m in found:
            cur = best.get(m.cue.category)
            if cur is None or (m.cue.weight, -m.start) > (cur.cue.weight, -cur.start):
                best[m.cue.category] = m
        ranked = sorted(best.values(), key=lambda m: (-m.cue.weight, m.start))
        ranked = [m for m in ranked if m.cue.weight >= self.min_score]
        if not ranked:
            return Classification(("other",), {"other": 0.3},
                                  Evidence(EXTRACTOR, "no_cue", 0.3, "no lexicon cue matched -> other"))
        labels = [ranked[0].cue.category]
        labels += [m.cue.category for m in ranked[1:] if m.cue.weight >= self.min_secondary]
        scores = {m.cue.category: m.cue.weight for m in ranked}
        expl = "; ".join(f"{m.cue.category} <- {m.cue.id}「{m.text}」({m.cue.weight:.2f})" for m in ranked)
        return Classification(tuple(labels), scores,
                              Evidence(EXTRACTOR, ranked[0].cue.id, ranked[0].cue.weight, expl))

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        return [self.classify_one(t) for t in texts]
