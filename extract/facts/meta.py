"""PLACEHOLDER: extractor not implemented yet (facts issue)."""
from __future__ import annotations


def extract(doc, sections) -> list:
    return []
