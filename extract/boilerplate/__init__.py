"""Boilerplate analysis across a corpus of reports: template language, specificity, stickiness.

``run(inputs, out, options, fields)`` reads report files or JSONL / CSV / Parquet corpora,
and writes per-sentence, per-report, per-section, per-pair (stickiness), per-year and
per-template tables and the plots; see ``README.md`` beside this file for every
measure's formula and source, and ``analysis.py`` for how it stays within bounded memory.
"""
from __future__ import annotations

from .analysis import Options, Summary, run
from .sources import Fields

__all__ = ["Options", "Fields", "Summary", "run"]
