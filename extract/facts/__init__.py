"""Fact extractors. Each submodule exposes ``extract(doc, sections) -> list``.

- ``meta``: report metadata (MetaField)
- ``staffing``: staffing and organisation counts (Fact type staffing / org)
- ``finance``: money figures (Fact type finance)
- ``rates``: percentages (Fact type rate)
- ``indicators``: scoring-table rows (Indicator)
"""
from __future__ import annotations

from ..core import Document, Fact, Indicator, MetaField
from ..sections import SectionTree


def extract_meta(doc: Document, sections: SectionTree) -> list[MetaField]:
    from . import meta

    return meta.extract(doc, sections)


def extract_facts(doc: Document, sections: SectionTree) -> list[Fact]:
    from . import finance, rates, staffing

    facts = [*staffing.extract(doc, sections), *finance.extract(doc, sections), *rates.extract(doc, sections)]
    return sorted(facts, key=lambda f: (f.span.start, f.span.end, f.type, f.name))


def extract_indicators(doc: Document, sections: SectionTree | None = None) -> list[Indicator]:
    """Scoring-table rows (read from the tables of the document's layout)."""
    from . import indicators

    return indicators.extract(doc, sections)
