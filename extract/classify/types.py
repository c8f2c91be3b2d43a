"""The one result type shared by every classifier component (rules, model, ensemble)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from ..core import Evidence
from ..spec import CATEGORIES

#: SPEC problem categories, in the order of the SPEC table (``other`` last).
LABELS = CATEGORIES


@dataclass(frozen=True)
class Classification:
    """Labels for one text, primary first, with per-label scores in [0, 1] and evidence.

    ``evidence.explanation`` says why: the lexicon cues that matched (rules), the top
    probabilities and their confidence band (model), or which component the ensemble
    trusted and why.
    """

    labels: tuple[str, ...]
    scores: Mapping[str, float] = field(default_factory=dict)
    evidence: Evidence = Evidence("classify", "none")
    calibrated: bool = False  # scores are calibrated model probabilities (not rule cue weights)

    @property
    def primary(self) -> str:
        return self.labels[0] if self.labels else "other"

    @property
    def confidence(self) -> float:
        """The primary label's score (a calibrated probability when ``calibrated``)."""
        return float(self.scores.get(self.primary, 0.0))

    @property
    def band(self) -> str | None:
        """``high`` / ``medium`` / ``low`` for calibrated scores, else None."""
        from .confidence import band

        return band(self.confidence) if self.calibrated else None


class Classifier(Protocol):
    """What every component implements: ``classify(texts) -> list[Classification]``."""

    name: str

    def classify(self, texts: Sequence[str]) -> list[Classification]: ...
