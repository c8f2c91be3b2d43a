"""PLACEHOLDER: improvement measures (problems issue)."""
from __future__ import annotations


def extract_measures(doc, sections, problems=(), indicators=()) -> list:
    return []
