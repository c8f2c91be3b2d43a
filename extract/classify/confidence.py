"""Confidence bands and uncertainty from calibrated category probabilities.

A band names what a calibrated top probability means, so an explanation never calls
0.85 "unsure"; the bands' measured accuracy on held-out statements is in the model
card. ``uncertainty`` is what ``--select uncertain`` ranks by.

>>> band(0.85), band(0.6), band(0.3)
('high', 'medium', 'low')
>>> round(uncertainty({"assets": 0.9, "procurement": 0.2}), 2)
0.3
"""
from __future__ import annotations

from typing import Mapping

#: (name, lowest calibrated top probability, wording), highest band first.
BANDS = (
    ("high", 0.8, "high confidence: the top label is usually right"),
    ("medium", 0.5, "medium confidence: more likely right than wrong, check it"),
    ("low", 0.0, "low confidence (unsure): check the label"),
)


def band(p: float) -> str:
    """The band of a calibrated top probability ``p``."""
    return next(name for name, lo, _ in BANDS if p >= lo)


def describe(p: float) -> str:
    """One phrase for an explanation, e.g. ``top 0.85 = high confidence: …``."""
    name = band(p)
    return f"top {p:.2f} = {next(w for n, _, w in BANDS if n == name)}"


def uncertainty(scores: Mapping[str, float] | None) -> float:
    """Margin uncertainty ``1 - (p1 - p2)`` of per-label probabilities: 1.0 when the two
    best labels tie (or there are no scores), 0.0 for one certain label and no rival."""
    if not scores:
        return 1.0
    top = sorted(scores.values(), reverse=True)[:2]
    second = top[1] if len(top) > 1 else 0.0
    return max(0.0, min(1.0, 1.0 - (top[0] - second)))
