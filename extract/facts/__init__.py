"""Fact extractors. Each submodule exposes ``extract(doc, sections) -> list``.

- ``meta``: report metadata (MetaField)
- ``staffing``: staffing and organisation counts (Fact type staffing / org)
- ``finance``: money figures (Fact type finance)
- ``rates``: percentages (Fact type rate)
- ``indicators``: scoring-table rows (Indicator)
"""
from __future__ import annotations

from ..core import Document, Fact, Indicator, MetaField, registry
from ..sections import SectionTree
from . import finance, indicators, meta, rates, staffing


def extract_meta(doc: Document, sections: SectionTree) -> list[MetaField]:
    return meta.extract(doc, sections)


#: The fact extractors the pipeline runs, by their registered, versioned names.
FACT_EXTRACTORS = (staffing.EXTRACTOR, finance.EXTRACTOR, rates.EXTRACTOR)


def extract_facts(doc: Document, sections: SectionTree) -> list[Fact]:
    facts = [f for name in FACT_EXTRACTORS for f in registry.get(name)(doc, sections)]
    return sorted(facts, key=lambda f: (f.span.start, f.span.end, f.type, f.name))


def extract_indicators(doc: Document, sections: SectionTree | None = None) -> list[Indicator]:
    """Scoring-table rows (read from the tables of the document's layout)."""
    return indicators.extract(doc, sections)
