"""`eval.validate`: one line per problem, naming the file and the item (issue 3, `jixiao validate`)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from jixiao_eval.validate import schema_errors, validate_doc, validate_path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold"
DOCS = ROOT / "annotations" / "docs"
GOLD_000 = json.loads((GOLD / "000_cf9d040ced9b439b.json").read_text(encoding="utf-8"))


def _first(ann: dict, **kv) -> dict:
    return next(f for f in ann["facts"] if all(f.get(k) == v for k, v in kv.items()))


def _set(path: str, value):
    """A mutation setting ``facts.type=finance.stage``-style paths on a copy of the gold."""
    def mutate(ann):
        head, *rest = path.split(".")
        if head == "facts":
            sel, field = rest[0], rest[1]
            k, v = sel.split("=")
            _first(ann, **{k: v})[field] = value
        elif head == "meta":
            ann["meta"][rest[0]] = value
        else:
            ann[head] = value
    return mutate


def _bad_span(ann):
    ann["problems"][0]["span"] = [10**7, 10**7 + 5]


def _empty_span(ann):
    ann["measures"][0]["span"] = [5, 5]


def _finance_span_without_number(ann):
    f = _first(ann, type="finance")
    f["span"] = [0, 2]  # the title's first characters: no digit, no numeral


def _carryover_with_stage(ann):
    _first(ann, type="finance").update(name="carryover_begin", qualifier=None, stage="final")


def _unknown_address(ann):
    ann["measures"][0]["addresses"] = ["p99"]


def _drop(key):
    def mutate(ann):
        del ann[key]
    return mutate


# (id, mutation of seed 000's gold, a substring the problem line must contain; None = valid)
CASES = [
    ("gold_as_is", lambda a: None, None),
    ("wrong_hash", _set("text_sha256", "0" * 64), "text_sha256"),
    ("missing_hash", _drop("text_sha256"), "'text_sha256' is a required property"),
    ("span_outside_text", _bad_span, "outside the text"),
    ("empty_span", _empty_span, "outside the text (length"),
    ("finance_span_without_number", _finance_span_without_number, "contains no number"),
    ("unknown_category", lambda a: a["problems"][0].update(categories=["corruption"]), "'corruption' is not one of"),
    ("unknown_source", lambda a: a["problems"][0].update(source="appendix"), "'appendix' is not one of"),
    ("unknown_staffing_name", _set("facts.type=staffing.name", "cadres"), "'cadres' is not one of"),
    ("unknown_stage", _set("facts.type=finance.stage", "planned"), "'planned' is not one of"),
    ("income_with_functional_class", _set("facts.name=income.qualifier", "一般公共服务支出"), "is not one of"),
    ("carryover_with_stage", _carryover_with_stage, "None was expected"),
    ("staffing_with_stage", _set("facts.type=staffing.stage", "final"), "None was expected"),
    ("grade_not_on_a_scale", _set("meta.grade", "A"), "'A' is not one of"),
    ("date_not_iso", _set("meta.filing_date", "2025年9月8日"), "filing_date"),
    ("link_to_unknown_problem", _unknown_address, "addresses unknown problem 'p99'"),
    ("value_as_string", _set("facts.type=staffing.value", "20"), "'20' is not of type 'number'"),
]


@pytest.mark.parametrize("name,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_validate_doc(name, mutate, expected):
    ann = copy.deepcopy(GOLD_000)
    mutate(ann)
    lines = validate_doc(ann, "x/000.json", DOCS)
    if expected is None:
        assert lines == []
    else:
        assert any(expected in line for line in lines), lines
        assert all(line.startswith("x/000.json: ") for line in lines)


# qualifiers SPEC.md allows; (id, fact, valid)
QUALIFIER_CASES = [
    ("expenditure_functional_class", {"name": "expenditure", "qualifier": "社会保障和就业支出"}, True),
    ("expenditure_funding_level", {"name": "expenditure", "qualifier": "provincial"}, True),
    ("expenditure_free_word", {"name": "expenditure", "qualifier": "misc"}, False),
    ("funds_received_level", {"name": "funds_received", "qualifier": "central", "stage": None}, True),
    ("income_state_capital", {"name": "income", "qualifier": "state_capital"}, True),
    ("three_public_qualified", {"name": "three_public", "qualifier": "fiscal"}, False),
    ("stage_and_qualifier_omitted", {"name": "basic_expenditure"}, True),
]


@pytest.mark.parametrize("name,fact,valid", QUALIFIER_CASES, ids=[c[0] for c in QUALIFIER_CASES])
def test_finance_qualifier_vocabulary(name, fact, valid):
    ann = copy.deepcopy(GOLD_000)
    ann["facts"] = [{"type": "finance", "value": 1.0, "entity": None, "span": [0, 1], **fact}]
    assert (schema_errors(ann) == []) is valid


def test_prediction_extras_are_allowed():
    ann = copy.deepcopy(GOLD_000)
    ann["checks"] = [{"name": "x"}]
    ann["facts"][0].update(evidence={"extractor": "staffing.rules.v1"}, text="20名")
    assert schema_errors(ann) == []


def test_non_finance_facts_may_omit_stage_and_qualifier():
    assert all("stage" not in f for f in GOLD_000["facts"] if f["type"] != "finance")
    assert schema_errors(GOLD_000) == []


def test_folder_names_malformed_and_misnamed_files(tmp_path):
    (tmp_path / "broken.json").write_text("{oops", encoding="utf-8")
    (tmp_path / "renamed.json").write_text(json.dumps(GOLD_000, ensure_ascii=False), encoding="utf-8")
    n, lines = validate_path(tmp_path, DOCS)
    assert n == 1
    assert any(line.startswith(str(tmp_path / "broken.json")) and "malformed JSON" in line for line in lines)
    assert any("renamed.json" in line and "does not match doc_id" in line for line in lines)


def test_jsonl_lines_are_named_and_duplicates_reported(tmp_path):
    jl = tmp_path / "pred.jsonl"
    row = json.dumps(GOLD_000, ensure_ascii=False)
    jl.write_text(f"{row}\n{row}\nnot json\n", encoding="utf-8")
    n, lines = validate_path(jl, DOCS)
    assert n == 2
    assert any(line.startswith(f"{jl}:2: doc_id") and "also in" in line for line in lines)
    assert any(line.startswith(f"{jl}:3: malformed JSON line") for line in lines)


def test_several_paths_are_separate_sets():
    n, lines = validate_path([GOLD, GOLD / "000_cf9d040ced9b439b.json"], DOCS)
    assert (n, lines) == (6, [])
