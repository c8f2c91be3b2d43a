"""The JSON Schema of the SPEC shape (gold and predictions share it).

``annotations/schema.json`` is generated from :data:`SCHEMA` (``python -m eval.schema
> annotations/schema.json``) and a test keeps the two equal. Closed vocabularies are
enums: fact names per type, stages, finance qualifiers per name (an expenditure qualifier
may also be a functional class name ending in 支出), problem categories and sources, grades.
``stage`` and ``qualifier`` may be omitted outside finance (and must then be null when
given); carry-over and funds-received figures have no stage. Extra fields (``evidence``,
``text``, ``checks``, ``meta_evidence`` …) are allowed, as SPEC.md says.
"""
from __future__ import annotations

import json

from extract.spec import (CATEGORIES, FACT_TYPES, FINANCE, FUND_TYPES, FUNCTIONAL_CLASS, FUNDING_LEVELS, GRADES,  # noqa: F401
                          NO_STAGE, ORG, QUALIFIERS, RATE, REPORT_KINDS, STAFFING, STAGES)
from extract.spec import PROBLEM_SOURCES as SOURCES
# the 1-based page of an item in a paginated source (SPEC extension, annotations/SPEC_EXTENSIONS.md)
_page = {"type": ["integer", "null"], "minimum": 1}


_span = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2}
_null_span = {"oneOf": [_span, {"type": "null"}]}
_str_or_null = {"type": ["string", "null"]}
_num_or_null = {"type": ["number", "null"]}


def _when(cond: dict, then: dict) -> dict:
    """``if`` every property in ``cond`` is present and matches, ``then`` applies."""
    return {"if": {"required": list(cond), "properties": cond}, "then": {"properties": then}}


_FACT = {
    "type": "object",
    "required": ["type", "name", "value", "span"],
    "properties": {"type": {"enum": FACT_TYPES}, "name": {"type": "string"},
                   "value": {"type": "number"}, "entity": _str_or_null, "span": _span,
                   "stage": {"enum": STAGES}, "qualifier": _str_or_null, "page": _page},
    "allOf": [
        _when({"type": {"const": "staffing"}}, {"name": {"enum": STAFFING}}),
        _when({"type": {"const": "org"}}, {"name": {"enum": ORG}}),
        _when({"type": {"const": "rate"}}, {"name": {"enum": RATE}}),
        _when({"type": {"const": "finance"}}, {"name": {"enum": FINANCE}}),
        # stage and qualifier belong to finance; elsewhere they may be omitted or null
        _when({"type": {"enum": ["staffing", "org", "rate"]}},
              {"stage": {"const": None}, "qualifier": {"const": None}}),
        _when({"type": {"const": "finance"}, "name": {"enum": NO_STAGE}}, {"stage": {"const": None}}),
        _when({"type": {"const": "finance"}, "name": {"const": "income"}},
              {"qualifier": {"enum": QUALIFIERS["income"]}}),
        _when({"type": {"const": "finance"}, "name": {"const": "expenditure"}},
              {"qualifier": {"anyOf": [{"enum": QUALIFIERS["expenditure"]},
                                       {"type": "string", "pattern": FUNCTIONAL_CLASS}]}}),
        _when({"type": {"const": "finance"}, "name": {"const": "funds_received"}},
              {"qualifier": {"enum": QUALIFIERS["funds_received"]}}),
        _when({"type": {"const": "finance"}, "name": {"enum": [n for n in FINANCE if n not in QUALIFIERS]}},
              {"qualifier": {"const": None}}),
    ],
}


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/jixiao/jixiao/annotations/schema.json",
    "title": "jixiao gold / prediction file (SPEC.md)",
    "type": "object",
    "required": ["doc_id", "text_sha256", "meta", "facts", "problems", "measures"],
    "properties": {
        "doc_id": {"type": "string", "minLength": 1},
        "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "meta": {
            "type": "object",
            "properties": {
                "title": _str_or_null,
                "report_kind": {"enum": REPORT_KINDS},
                "fiscal_year": {"type": ["integer", "null"], "minimum": 1990, "maximum": 2100},
                "unit": _str_or_null,
                "filing_date": {"oneOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, {"type": "null"}]},
                "notice_ref": _str_or_null,
                "self_score": _num_or_null,
                "grade": {"enum": GRADES},
            },
        },
        "facts": {"type": "array", "items": _FACT},
        "problems": {"type": "array", "items": {
            "type": "object", "required": ["id", "span", "categories", "source"],
            "properties": {"id": {"type": "string"}, "span": _span, "source": {"enum": SOURCES}, "page": _page,
                           "categories": {"type": "array", "items": {"enum": CATEGORIES}, "uniqueItems": True}}}},
        "measures": {"type": "array", "items": {
            "type": "object", "required": ["id", "span", "addresses"],
            "properties": {"id": {"type": "string"}, "span": _span, "page": _page,
                           "addresses": {"type": "array", "items": {"type": "string"}},
                           "actions": {"type": "array", "items": {"type": "string"}},
                           "targets": {"type": "array", "items": {"type": "string"}},
                           "deadline": _str_or_null, "owner": _str_or_null}}},
        "indicators": {"type": "array", "items": {
            "type": "object", "required": ["level3", "weight", "score"],
            "properties": {"level1": _str_or_null, "level2": _str_or_null, "level3": _str_or_null,
                           "weight": _num_or_null, "score": _num_or_null,
                           "reason_span": _null_span, "measure_span": _null_span}}},
    },
}


def dump() -> str:
    return json.dumps(SCHEMA, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(dump(), end="")
