"""jixiao: grounded extraction from Chinese performance self-evaluation reports.

Public API (imported lazily so ``jixiao --help`` stays instant)::

    import extract
    result = extract.extract_file("report.pdf")   # -> extract.Result
    result.to_spec()                              # SPEC JSON dict
    nlp = extract.load()                          # spaCy Language (zh + jixiao's jieba + the jixiao component)
    doc = nlp(text); doc._.jixiao, doc.spans["facts"][0]._.value
"""
from __future__ import annotations

from pathlib import Path as _Path

__version__ = "0.1.0"


def models_dir() -> _Path:
    """The folder of the trained models shipped with jixiao.

    An installed wheel carries them inside the package (``extract/models/``, copied from
    the repository's top-level ``models/`` by ``setup.py``), and that copy is looked at
    first; a source checkout or an editable install uses ``models/`` beside ``extract/``.
    """
    here = _Path(__file__).resolve().parent
    installed = here / "models"
    return installed if installed.is_dir() else here.parent / "models"


_LAZY = {
    "Span": "extract.core", "Document": "extract.core", "Source": "extract.core", "Fact": "extract.core",
    "Problem": "extract.core", "Measure": "extract.core", "Indicator": "extract.core",
    "Evidence": "extract.core", "Result": "extract.core", "Check": "extract.core",
    "JixiaoError": "extract.core", "IngestError": "extract.core",
    "extract_file": "extract.pipeline", "extract_text": "extract.pipeline", "run_stages": "extract.pipeline",
    "read_document": "extract.ingest", "load": "extract.spacy_pipeline",
}

__all__ = ["__version__", "models_dir", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
