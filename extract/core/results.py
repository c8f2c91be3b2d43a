"""Frozen result types. Every result carries its raw span and its evidence.

Money and counts are ``Decimal`` inside jixiao; they become JSON numbers only in
``to_spec()``, the SPEC boundary. Use ``dataclasses.replace`` to derive a changed
copy; results are never edited in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from .. import spec
from .span import Span


@dataclass(frozen=True)
class Evidence:
    """Who produced a result and why.

    ``extractor`` is a registered, versioned name (``finance.rules.v1``); ``rule`` the
    pattern id or model name inside it; ``score`` in [0, 1]; ``explanation`` one line.
    """

    extractor: str
    rule: str
    score: float = 1.0
    explanation: str = ""

    def to_json(self) -> dict:
        return {"extractor": self.extractor, "rule": self.rule, "score": round(float(self.score), 4),
                "explanation": self.explanation}


def _num(value: Decimal | int | float | None) -> float | int | None:
    """JSON number for a Decimal: an int when integral, else a float."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class Fact:
    """One mention of a figure (SPEC ``facts``).

    ``value`` is in the SPEC unit (yuan, persons, count, percent); ``amount_text``,
    ``unit`` and ``scale`` keep the figure as written (``"1,200"``, ``"万元"``, 10000:
    value = number × scale), so the checks never re-parse the text. In SPEC JSON
    ``amount_text`` is written as ``raw_value``.
    """

    type: str
    name: str
    value: Decimal
    span: Span
    evidence: Evidence
    stage: str | None = None
    qualifier: str | None = None
    entity: str | None = None
    amount_text: str = ""
    unit: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    scale: Decimal | None = None

    @classmethod
    def from_figure(cls, type: str, name: str, figure: Any, span: Span, evidence: Evidence, **fields: Any) -> "Fact":
        """A fact for a parsed figure (:class:`extract.numbers.Figure`): value, written
        amount, unit and scale from the figure; ``fields`` may override ``value``."""
        fields.setdefault("value", figure.value)
        return cls(type, name, span=span, evidence=evidence, amount_text=figure.amount_text, unit=figure.unit,
                   scale=figure.scale, **fields)

    def key(self) -> tuple:
        return (self.type, self.name, self.stage, self.qualifier, self.entity, self.value)

    def to_spec(self) -> dict:
        out: dict[str, Any] = {"type": self.type, "name": self.name}
        if self.type == "finance":
            out["stage"] = self.stage
            out["qualifier"] = self.qualifier
        elif self.stage is not None or self.qualifier is not None:
            out["stage"], out["qualifier"] = self.stage, self.qualifier
        value = _num(self.value)
        out["value"] = float(value) if self.type in ("finance", "rate") else value
        out["entity"] = self.entity
        out["span"] = self.span.to_list()
        out["raw_value"] = self.amount_text
        out["unit"] = self.unit
        if self.scale is not None:
            out["scale"] = _num(self.scale)
        out.update(dict(self.extra))
        out["evidence"] = self.evidence.to_json()
        return out


@dataclass(frozen=True)
class Problem:
    """A shortcoming the unit admits to (SPEC ``problems``)."""

    id: str
    span: Span
    source: str  # section | inline | table
    evidence: Evidence
    categories: tuple[str, ...] = ()
    category_scores: Mapping[str, float] = field(default_factory=dict)
    category_evidence: Evidence | None = None
    #: the remedy the same item or cell states after the cause (…偏晚，下一步将…): a measure answering it
    remedy: Span | None = None

    def to_spec(self) -> dict:
        out = {"id": self.id, "span": self.span.to_list(), "categories": list(self.categories),
               "source": self.source, "evidence": self.evidence.to_json()}
        if self.remedy is not None:
            out["remedy_span"] = self.remedy.to_list()
        if self.category_scores:
            out["category_scores"] = {k: round(float(v), 4) for k, v in self.category_scores.items()}
        if self.category_evidence is not None:
            out["category_evidence"] = self.category_evidence.to_json()
        return out


@dataclass(frozen=True)
class Measure:
    """An improvement measure the unit commits to (SPEC ``measures``)."""

    id: str
    span: Span
    evidence: Evidence
    addresses: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    deadline: str | None = None
    owner: str | None = None
    link_evidence: Evidence | None = None

    def to_spec(self) -> dict:
        out = {"id": self.id, "span": self.span.to_list(), "addresses": list(self.addresses),
               "actions": list(self.actions), "targets": list(self.targets),
               "deadline": self.deadline, "owner": self.owner, "evidence": self.evidence.to_json()}
        if self.link_evidence is not None:
            out["link_evidence"] = self.link_evidence.to_json()
        return out


@dataclass(frozen=True)
class Indicator:
    """One row of a scoring table (指标评分表)."""

    level1: str | None
    level2: str | None
    level3: str
    weight: Decimal | None
    score: Decimal | None
    evidence: Evidence
    span: Span | None = None
    reason_span: Span | None = None
    measure_span: Span | None = None

    def to_spec(self) -> dict:
        return {"level1": self.level1, "level2": self.level2, "level3": self.level3,
                "weight": _num(self.weight), "score": _num(self.score),
                "reason_span": self.reason_span.to_list() if self.reason_span else None,
                "measure_span": self.measure_span.to_list() if self.measure_span else None,
                "span": self.span.to_list() if self.span else None,
                "evidence": self.evidence.to_json()}


@dataclass(frozen=True)
class MetaField:
    """One metadata value with the raw span it was read from."""

    name: str
    value: Any
    span: Span | None
    evidence: Evidence


@dataclass(frozen=True)
class Check:
    """An arithmetic cross-check: the identity, the figures used, computed vs stated."""

    name: str
    identity: str
    status: str  # pass | fail | not_applicable
    inputs: tuple[tuple[str, str, Span], ...] = ()  # (label, value as text, raw span)
    computed: Decimal | None = None
    stated: Decimal | None = None
    message: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "identity": self.identity, "status": self.status,
                "inputs": [{"label": l, "value": v, "span": s.to_list()} for l, v, s in self.inputs],
                "computed": str(self.computed) if self.computed is not None else None,
                "stated": str(self.stated) if self.stated is not None else None,
                "message": self.message}


META_FIELDS = spec.META_FIELDS


@dataclass(frozen=True)
class Result:
    """Everything extracted from one document; ``to_spec()`` gives the SPEC JSON."""

    doc_id: str
    text_sha256: str
    meta: tuple[MetaField, ...] = ()
    facts: tuple[Fact, ...] = ()
    problems: tuple[Problem, ...] = ()
    measures: tuple[Measure, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    checks: tuple[Check, ...] = ()
    source: Mapping[str, Any] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    raw: str = field(default="", repr=False, compare=False)
    pages: tuple[Span, ...] = field(default=(), repr=False, compare=False)  # raw span per page (PDF)

    def page_of(self, start: int) -> int | None:
        """1-based page holding raw offset ``start``, ``None`` when the source has no pages."""
        for i, page in enumerate(self.pages, 1):
            if page.start <= start < page.end:
                return i
        return None

    def _with_text(self, item: dict) -> dict:
        """Add the raw evidence text of an item's span (optional SPEC field ``text``) and,
        for a paginated source, its 1-based ``page`` (SPEC extension)."""
        if self.raw and item.get("span"):
            s, e = item["span"]
            item["text"] = self.raw[s:e]
        if self.pages and item.get("span"):
            item["page"] = self.page_of(item["span"][0])
        return item

    def to_spec(self) -> dict:
        meta = {name: None for name in META_FIELDS}
        meta_evidence = {}
        for m in self.meta:
            meta[m.name] = _num(m.value) if isinstance(m.value, Decimal) else m.value
            meta_evidence[m.name] = {"span": m.span.to_list() if m.span else None, **m.evidence.to_json()}
        return {
            "doc_id": self.doc_id,
            "text_sha256": self.text_sha256,
            "meta": meta,
            "facts": [self._with_text(f.to_spec()) for f in self.facts],
            "problems": [self._with_text(p.to_spec()) for p in self.problems],
            "measures": [self._with_text(m.to_spec()) for m in self.measures],
            "indicators": [i.to_spec() for i in self.indicators],
            "checks": [c.to_json() for c in self.checks],
            "meta_evidence": meta_evidence,
            "source": dict(self.source),
            "versions": dict(self.versions),
        }
