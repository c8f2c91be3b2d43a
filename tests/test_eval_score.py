"""Scorer unit tests on hand-made gold/prediction pairs (issue 3 acceptance cases)."""
from __future__ import annotations

import copy
import json

import pytest

from jixiao_eval.score import char_overlap, entity_match, score_sets, span_of, value_match

RAW = ("行政编制20名，在职19人。收入预算2724.71万元。区党建指导中心编制5名。"
       "问题一：评价体系不完善，结果应用不充分。问题二：预算执行进度偏慢。"
       "措施一：完善评价体系。措施二：加强学习培训。")


def at(s: str, nth: int = 0) -> list[int]:
    """The span of the nth occurrence of ``s`` in RAW (offsets are found, never typed)."""
    i = -1
    for _ in range(nth + 1):
        i = RAW.index(s, i + 1)
    return [i, i + len(s)]


def gold_doc() -> dict:
    return {
        "doc_id": "d1",
        "meta": {"title": "整体绩效自评报告", "report_kind": "overall", "fiscal_year": 2024, "unit": "某部门",
                 "filing_date": None, "notice_ref": "湛财〔2025〕1号", "self_score": 97.5, "grade": None},
        "facts": [
            {"type": "staffing", "name": "authorized_admin", "value": 20, "entity": None, "span": at("20名")},
            {"type": "staffing", "name": "active_total", "value": 19, "entity": None, "span": at("19人")},
            {"type": "finance", "name": "income", "stage": "budget", "qualifier": None, "value": 27247100.0,
             "entity": None, "span": at("2724.71万元")},
            {"type": "staffing", "name": "authorized_total", "value": 5, "entity": "区党建指导中心", "span": at("5名")},
        ],
        "problems": [
            {"id": "p1", "span": at("评价体系不完善，结果应用不充分"), "source": "section",
             "categories": ["evaluation_and_use", "rules_and_process"]},
            {"id": "p2", "span": at("预算执行进度偏慢"), "source": "section", "categories": ["budget_execution"]},
        ],
        "measures": [{"id": "m1", "span": at("完善评价体系"), "addresses": ["p1"]},
                     {"id": "m2", "span": at("加强学习培训"), "addresses": []}],
        "indicators": [{"level1": "产出", "level2": "数量", "level3": "支出率", "weight": 10, "score": 9}],
    }


def get(rep: dict, path: str):
    for k in path.split("."):
        rep = rep[k]
    return rep


# --------------------------------------------------------------------------- acceptance cases

def _same(p):
    return p


def _empty(p):
    return {"doc_id": "d1"}


def _duplicated_mention(p):
    p["facts"].append(dict(p["facts"][0], span=at("行政编制")))  # the same tuple again, elsewhere
    return p


def _value(factor):
    def mutate(p):
        p["facts"][2]["value"] = 27247100.0 * factor
        return p
    return mutate


def _wrong_stage(p):
    p["facts"][2]["stage"] = "final"
    return p


def _sub_unit_written_differently(p):
    p["facts"][3]["entity"] = "坡头区党建指导中心"
    return p


def _problem_span(span_fn):
    def mutate(p):
        p["problems"][0]["span"] = span_fn(p["problems"][0]["span"])
        return p
    return mutate


def _categories(labels):
    def mutate(p):
        p["problems"][0]["categories"] = labels
        return p
    return mutate


def _link_to_unmatched_problem(p):
    p["problems"][0]["span"] = at("行政编制20名")  # predicted p1 now matches no gold problem
    return p


ONES = ["meta.accuracy", "facts.fact.overall.f1", "facts.mention.overall.f1", "problems.f1", "measures.f1",
        "indicators.f1", "categories.micro.f1", "categories.macro_f1", "categories.primary_accuracy",
        "links.accuracy", "links.measure_accuracy", "links.f1"]
RECALLS = ["facts.fact.overall.recall", "facts.mention.overall.recall", "problems.recall", "measures.recall",
           "indicators.recall", "links.recall"]

# (id, mutation of a copy of the gold into the prediction, {report path: expected value})
ACCEPTANCE = [
    ("perfect_prediction_all_one", _same, dict.fromkeys(ONES, 1.0)),
    ("empty_prediction_recall_zero", _empty,
     {**dict.fromkeys(RECALLS, 0.0), "categories.n": 0, "meta.correct": 2}),  # the two null meta fields agree
    ("duplicated_mention", _duplicated_mention,
     {"facts.fact.overall.f1": 1.0, "facts.mention.overall.fp": 1, "facts.mention.overall.tp": 4}),
    ("value_off_by_0.4_percent_matches", _value(1.004),
     {"facts.fact.finance.tp": 1, "facts.mention.finance.tp": 1}),
    ("value_off_by_1_percent_does_not", _value(1.01),
     {"facts.fact.finance.tp": 0, "facts.fact.finance.fp": 1, "facts.fact.finance.fn": 1,
      "facts.mention.finance.tp": 0}),
    ("wrong_stage", _wrong_stage,
     {"facts.fact.finance.tp": 0, "facts.fact.finance.fp": 1, "facts.fact.finance.fn": 1}),
    ("sub_unit_entity_written_differently", _sub_unit_written_differently,
     {"facts.fact.staffing.f1": 1.0, "facts.mention.staffing.f1": 1.0}),
    ("problem_span_shifted_matches", _problem_span(lambda s: [s[0] + 3, s[1] + 3]),
     {"problems.tp": 2, "problems.fp": 0}),
    ("problem_span_a_third_of_gold_does_not", _problem_span(lambda s: [s[0], s[0] + (s[1] - s[0]) // 3]),
     {"problems.tp": 1, "problems.fp": 1, "problems.fn": 1}),
    ("multi_label_same_set_other_primary", _categories(["rules_and_process", "evaluation_and_use"]),
     {"categories.micro.f1": 1.0, "categories.primary_accuracy": 0.5,
      "categories.confusion.evaluation_and_use.rules_and_process": 1}),
    ("multi_label_one_label_missed", _categories(["evaluation_and_use"]),
     {"categories.micro.tp": 2, "categories.micro.fn": 1, "categories.micro.fp": 0,
      "categories.per_label.rules_and_process.recall": 0.0, "categories.primary_accuracy": 1.0}),
    ("link_to_a_problem_that_was_not_matched", _link_to_unmatched_problem,
     {"links.accuracy": 0.0, "links.measure_accuracy": 0.5, "links.correct": 0, "links.fp": 1, "links.fn": 1,
      "links.matched_measures": 2}),
]


@pytest.mark.parametrize("name,mutate,expected", ACCEPTANCE, ids=[c[0] for c in ACCEPTANCE])
def test_acceptance(name, mutate, expected):
    rep = score_sets({"d1": gold_doc()}, {"d1": mutate(gold_doc())})
    got = {path: get(rep, path) for path in expected}
    assert got == pytest.approx(expected)


def test_missing_prediction_document_counts_as_empty():
    rep = score_sets({"d1": gold_doc()}, {})
    assert rep["facts"]["fact"]["overall"]["fn"] == 4 and rep["problems"]["fn"] == 2


def test_prediction_for_a_document_without_gold_is_listed_not_scored():
    rep = score_sets({"d1": gold_doc()}, {"d1": gold_doc(), "zz": gold_doc()})
    assert rep["unscored_predictions"] == ["zz"] and rep["documents"] == 1


# --------------------------------------------------------------------------- rules one by one

VALUE_CASES = [
    ("exact", 100.0, 100.0, True),
    ("up_0.4_percent", 100.0, 100.4, True),
    ("down_0.5_percent_edge", 100.0, 99.5, True),
    ("up_1_percent", 100.0, 101.0, False),
    ("zero_exact", 0, 0, True),
    ("zero_vs_tiny", 0, 0.001, False),
    ("not_a_number", 100.0, "100万", False),
]


@pytest.mark.parametrize("name,g,p,ok", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_value_match(name, g, p, ok):
    assert value_match(g, p) is ok


ENTITY_CASES = [
    ("contained", "区党建指导中心", "坡头区党建指导中心", True),
    ("spaces", "区 党建指导中心", "区党建指导中心", True),
    ("overlap_0.73", "区干部人事档案管理中心", "干部档案管理中心", True),
    ("different", "区新闻中心", "区党建指导中心", False),
    ("null_vs_named", None, "区新闻中心", False),
    ("both_null", None, None, True),
]


@pytest.mark.parametrize("name,g,p,ok", ENTITY_CASES, ids=[c[0] for c in ENTITY_CASES])
def test_entity_match(name, g, p, ok):
    assert entity_match(g, p) is ok


OVERLAP_CASES = [
    ("half", "abcd", "abxy", 0.5),
    ("multiset_counts_repeats_once", "aab", "abb", 2 / 3),
    ("over_the_longer", "干部档案管理中心", "区干部人事档案管理中心", 8 / 11),
    ("empty", "", "a", 0.0),
]


@pytest.mark.parametrize("name,a,b,v", OVERLAP_CASES, ids=[c[0] for c in OVERLAP_CASES])
def test_char_overlap_is_multiset_over_longer(name, a, b, v):
    assert char_overlap(a, b) == pytest.approx(v) == pytest.approx(char_overlap(b, a))


META_CASES = [
    ("nfkc_and_spaces", "notice_ref", "湛财〔２０２５〕 1号", True),
    ("number_within_0.01", "self_score", 97.501, True),
    ("number_as_string", "fiscal_year", "2024", True),
    ("number_off_by_0.1", "self_score", 97.6, False),
    ("wrong_year", "fiscal_year", 2023, False),
    ("null_vs_value", "grade", "优", False),
]


@pytest.mark.parametrize("name,field,value,ok", META_CASES, ids=[c[0] for c in META_CASES])
def test_meta_fields(name, field, value, ok):
    pred = copy.deepcopy(gold_doc())
    pred["meta"][field] = value
    rep = score_sets({"d1": gold_doc()}, {"d1": pred})
    assert rep["meta"]["per_field"][field]["correct"] == int(ok)


INDICATOR_CASES = [
    ("same_row", {}, 1),
    ("other_score", {"score": 8}, 0),
    ("whitespace_in_name_ignored", {"level3": "支出 率"}, 1),
    ("other_name", {"level3": "完成率"}, 0),
]


@pytest.mark.parametrize("name,change,tp", INDICATOR_CASES, ids=[c[0] for c in INDICATOR_CASES])
def test_indicator_rows(name, change, tp):
    pred = gold_doc()
    pred["indicators"][0].update(change)
    assert score_sets({"d1": gold_doc()}, {"d1": pred})["indicators"]["tp"] == tp


def test_link_accuracy_counts_gold_links_of_matched_measures():
    gold, pred = gold_doc(), gold_doc()
    gold["measures"][0]["addresses"] = ["p1", "p2"]
    links = score_sets({"d1": gold}, {"d1": pred})["links"]
    assert (links["correct"], links["matched_gold_links"], links["accuracy"]) == (1, 2, 0.5)
    assert (links["exact"], links["matched_measures"]) == (1, 2)  # m2 (answers nothing) is exact


SPAN_OF_CASES = [
    ("list", {"span": [1, 3]}, (1, 3)),
    ("missing", {}, None),
    ("strings", {"span": ["1", "3"]}, None),
    ("reversed", {"span": [3, 1]}, None),
    ("three_numbers", {"span": [1, 2, 3]}, None),
    ("bools", {"span": [True, False]}, None),
]


@pytest.mark.parametrize("name,item,span", SPAN_OF_CASES, ids=[c[0] for c in SPAN_OF_CASES])
def test_span_of(name, item, span):
    assert span_of(item) == span


def test_malformed_prediction_items_are_tolerated():
    pred = gold_doc()
    pred["facts"] = ["not a fact", {"type": "staffing", "name": "active_total", "value": 19, "span": "here"}]
    pred["problems"] = {"p1": "wrong shape"}
    pred["measures"][0]["addresses"] = "p1"
    pred["meta"] = None
    rep = score_sets({"d1": gold_doc()}, {"d1": pred})
    assert rep["facts"]["fact"]["overall"]["tp"] == 1  # the fact tuple still counts at fact level
    assert rep["facts"]["mention"]["overall"]["tp"] == 0  # ... but without a span it is no mention
    assert rep["problems"]["fn"] == 2


def test_every_error_carries_its_text_from_the_document(tmp_path):
    (tmp_path / "d1.txt").write_text(RAW, encoding="utf-8")
    pred = gold_doc()
    del pred["facts"][0]
    pred["problems"][1]["span"] = at("措施二：加强")
    rep = score_sets({"d1": gold_doc()}, {"d1": pred}, docs=tmp_path)
    errs = {e["kind"]: e for e in rep["errors"]["d1"]}
    assert errs["fact_fn"]["text"] == "20名" and errs["fact_fn_dedup"]["text"] == "20名"
    assert errs["problem_fn"]["text"] == "预算执行进度偏慢"
    assert errs["problem_fp"]["text"] == "措施二：加强"
    json.dumps(rep, ensure_ascii=False)  # the whole report is JSON-serializable


def test_error_text_falls_back_to_the_items_text_field():
    pred = gold_doc()
    pred["facts"].append({"type": "rate", "name": "execution_rate", "value": 95.0, "span": [0, 2], "text": "95%"})
    rep = score_sets({"d1": gold_doc()}, {"d1": pred})  # no docs folder
    fp = [e for e in rep["errors"]["d1"] if e["kind"] == "fact_fp"]
    assert [e["text"] for e in fp] == ["95%"]
