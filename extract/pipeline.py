"""The extraction pipeline as plain functions: Document -> Result.

This is the fast path used by the CLI and batch runs (no full-text jieba pass).
``extract.load()`` wraps the same stages as spaCy components (see ``extract.spacy_pipeline``).
"""
from __future__ import annotations

from pathlib import Path

from . import __version__
from .core import Document, Result
from .sections import SectionTree, parse_sections


def run_stages(doc: Document, sections: SectionTree | None = None) -> Result:
    """Run every extractor over one document and return the frozen result."""
    from .checks import run_checks
    from .facts import extract_facts, extract_indicators, extract_meta
    from .measures import extract_measures
    from .problems import extract_problems

    sections = sections if sections is not None else parse_sections(doc)
    meta = tuple(extract_meta(doc, sections))
    facts = tuple(extract_facts(doc, sections))
    indicators = tuple(extract_indicators(doc, sections))
    from .facts.final_accounts import extract_final_accounts, merge

    final_accounts = extract_final_accounts(doc, sections)  # None unless a 部门决算
    meta, facts = merge(final_accounts, meta, facts)
    problems = tuple(extract_problems(doc, sections, indicators))
    measures = tuple(extract_measures(doc, sections, problems, indicators))
    result = Result(
        doc_id=doc.doc_id,
        text_sha256=doc.source.sha256,
        meta=meta,
        facts=facts,
        problems=problems,
        measures=measures,
        indicators=indicators,
        source={"path": doc.source.path, "format": doc.source.format, "encoding": doc.source.encoding,
                "pages": len(doc.source.pages) or None},
        versions={"jixiao": __version__},
        raw=doc.raw,
        pages=doc.source.pages,
    )
    from dataclasses import replace

    return replace(result, checks=tuple(run_checks(result, doc)) + (final_accounts.checks if final_accounts else ()))


def extract_text(raw: str, doc_id: str = "doc") -> Result:
    """Extract from a string of report text."""
    from .normalize import make_document

    return run_stages(make_document(raw, doc_id=doc_id))


def extract_file(path: str | Path) -> Result:
    """Read a file (txt, pdf, docx, html) and extract; raises IngestError on bad input."""
    from .ingest import read_document

    return run_stages(read_document(path))
