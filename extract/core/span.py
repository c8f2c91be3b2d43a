"""The one span type of jixiao."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character interval ``[start, end)``: start inclusive, end exclusive.

    Offsets are Python ``str`` indices (code points). Unless a docstring says
    otherwise, a ``Span`` on a result points into the **raw** text as received,
    so ``raw[span.start:span.end]`` is the evidence.

    >>> Span(2, 5).text("0123456")
    '234'
    >>> Span(2, 5).overlaps(Span(4, 9)), Span(2, 5).overlaps(Span(5, 9))
    (True, False)
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, raw: str) -> str:
        if self.end > len(raw):
            raise ValueError(f"span [{self.start}, {self.end}) beyond text of length {len(raw)}")
        return raw[self.start:self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def iou(self, other: Span) -> float:
        inter = max(0, min(self.end, other.end) - max(self.start, other.start))
        union = max(self.end, other.end) - min(self.start, other.start)
        return inter / union if union else 0.0

    def to_list(self) -> list[int]:
        return [self.start, self.end]
