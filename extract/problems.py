"""PLACEHOLDER: problem statements (problems issue)."""
from __future__ import annotations


def extract_problems(doc, sections, indicators=()) -> list:
    return []
