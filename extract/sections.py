"""Headings -> labelled section tree.

PLACEHOLDER until the foundation issue lands; the types and signatures below are
the contract the extractors rely on. All offsets here are into the NORMALIZED
text (``doc.text``); map with ``doc.to_raw(start, end)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .core import Document

LABELS = ("basic_info", "organization", "annual_work", "performance_goals", "spending_overview",
          "self_evaluation_process", "self_evaluation_result", "indicator_analysis", "problems",
          "measures", "other")


@dataclass(frozen=True)
class Item:
    """A list item inside a section: ``marker`` ("1." / "（一）" / "一是"), the body
    ``[start, end)`` without the marker, and the marker's own ``[marker_start, start)``."""

    marker: str
    marker_start: int
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A section: heading ``[start, heading_end)``, body ``[heading_end, end)``."""

    label: str
    heading: str
    level: int
    start: int
    heading_end: int
    end: int
    children: tuple["Section", ...] = ()
    items: tuple[Item, ...] = ()
    kind: str = "heading"  # heading | table_row (row header in a 自评表)


@dataclass(frozen=True)
class SectionTree:
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def walk(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))

    def find(self, label: str) -> list[Section]:
        return [s for s in self.walk() if s.label == label]


def parse_sections(doc: Document) -> SectionTree:
    return SectionTree()


def format_tree(doc: Document, tree: SectionTree) -> str:
    """A readable tree: one line per section, indented by level, with raw offsets."""
    lines = []
    for s in tree.walk():
        raw = doc.to_raw(s.start, max(s.end, s.start + 1))
        lines.append(f"{'  ' * (s.level - 1)}{s.label:<24} [{raw.start}, {raw.end})  {s.heading}")
    return "\n".join(lines) or "(no sections found)"
