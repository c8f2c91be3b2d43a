"""jixiao: grounded extraction from Chinese performance self-evaluation reports.

Public API (imported lazily so ``jixiao --help`` stays instant)::

    import extract
    result = extract.extract_file("report.pdf")   # -> extract.Result
    result.to_spec()                              # SPEC JSON dict
    nlp = extract.load()                          # spaCy Language (blank zh + jieba + our components)
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "Span": "extract.core", "Document": "extract.core", "Source": "extract.core", "Fact": "extract.core",
    "Problem": "extract.core", "Measure": "extract.core", "Indicator": "extract.core",
    "Evidence": "extract.core", "Result": "extract.core", "Check": "extract.core",
    "JixiaoError": "extract.core", "IngestError": "extract.core",
    "extract_file": "extract.pipeline", "extract_text": "extract.pipeline", "run_stages": "extract.pipeline",
    "read_document": "extract.ingest", "load": "extract.spacy_pipeline",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
