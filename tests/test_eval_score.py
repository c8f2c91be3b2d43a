"""Scorer unit tests on hand-made gold/prediction pairs (issue 3 acceptance cases)."""
from __future__ import annotations

import copy

import pytest

from eval.agree import cohen_kappa
from eval.score import char_overlap, entity_match, score_sets, value_match

RAW = "行政编制20名，在职19人。收入预算2724.71万元。区党建指导中心编制20名。问题一：评价体系不完善，结果应用不充分。措施一：完善评价体系。"


def gold_doc() -> dict:
    return {
        "doc_id": "d1",
        "meta": {"title": "整体绩效自评报告", "report_kind": "overall", "fiscal_year": 2024, "unit": "某部门",
                 "filing_date": None, "notice_ref": "湛财〔2025〕1号", "self_score": 97.5, "grade": None},
        "facts": [
            {"type": "staffing", "name": "authorized_admin", "value": 20, "entity": None, "span": [4, 7]},
            {"type": "staffing", "name": "active_total", "value": 19, "entity": None, "span": [10, 13]},
            {"type": "finance", "name": "income", "stage": "budget", "qualifier": None, "value": 27247100.0,
             "entity": None, "span": [18, 28]},
            {"type": "staffing", "name": "authorized_total", "value": 20, "entity": "区党建指导中心", "span": [38, 41]},
        ],
        "problems": [
            {"id": "p1", "span": [46, 53], "categories": ["evaluation_and_use", "rules_and_process"], "source": "section"},
            {"id": "p2", "span": [54, 61], "categories": ["evaluation_and_use"], "source": "section"},
        ],
        "measures": [{"id": "m1", "span": [66, 73], "addresses": ["p1"]}],
        "indicators": [{"level1": "产出", "level2": "数量", "level3": "支出率", "weight": 10, "score": 9}],
    }


def run(pred: dict) -> dict:
    return score_sets({"d1": gold_doc()}, {"d1": pred})


def f1(rep, level="fact", t="overall"):
    return rep["facts"][level][t]["f1"]


def test_perfect_prediction_scores_one_everywhere():
    rep = run(gold_doc())
    assert rep["meta"]["accuracy"] == 1.0
    assert f1(rep) == f1(rep, "mention") == 1.0
    for k in ("problems", "measures", "indicators"):
        assert rep[k]["f1"] == 1.0
    assert rep["categories"]["micro"]["f1"] == 1.0 and rep["categories"]["primary_accuracy"] == 1.0
    assert rep["links"]["accuracy"] == 1.0


def test_empty_prediction_has_zero_recall():
    rep = run({"doc_id": "d1"})
    assert rep["facts"]["fact"]["overall"]["recall"] == 0 and rep["facts"]["mention"]["overall"]["recall"] == 0
    for k in ("problems", "measures", "indicators", "links"):
        assert rep[k]["recall"] == 0
    assert rep["categories"]["n"] == 0


def test_missing_prediction_document_counts_as_empty():
    rep = score_sets({"d1": gold_doc()}, {})
    assert rep["facts"]["fact"]["overall"]["fn"] == 4 and rep["problems"]["fn"] == 2


def test_duplicated_mention_is_one_fact_but_two_mentions():
    pred = gold_doc()
    pred["facts"].append(dict(pred["facts"][0], span=[100, 103]))  # same tuple, another place
    rep = run(pred)
    assert f1(rep) == 1.0  # deduplicated tuples
    assert rep["facts"]["mention"]["overall"]["fp"] == 1  # the second mention overlaps no gold span


VALUE_CASES = [
    ("off_by_0.4_percent_matches", 27247100.0 * 1.004, True),
    ("off_by_1_percent_does_not", 27247100.0 * 1.01, False),
    ("exact", 27247100.0, True),
]


@pytest.mark.parametrize("name,value,matches", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_value_tolerance(name, value, matches):
    pred = gold_doc()
    pred["facts"][2]["value"] = value
    assert (run(pred)["facts"]["fact"]["finance"]["tp"] == 1) is matches
    assert value_match(27247100.0, value) is matches


def test_zero_needs_exact_zero():
    assert value_match(0, 0) and not value_match(0, 0.001)


def test_wrong_stage_is_a_false_positive_and_a_miss():
    pred = gold_doc()
    pred["facts"][2]["stage"] = "final"
    fin = run(pred)["facts"]["fact"]["finance"]
    assert (fin["tp"], fin["fp"], fin["fn"]) == (0, 1, 1)


ENTITY_CASES = [
    ("contained", "区党建指导中心", "坡头区党建指导中心", True),
    ("spaces", "区 党建指导中心", "区党建指导中心", True),
    ("overlap_0.6", "区干部人事档案管理中心", "干部档案管理中心", True),
    ("different", "区新闻中心", "区党建指导中心", False),
    ("null_vs_named", None, "区新闻中心", False),
    ("both_null", None, None, True),
]


@pytest.mark.parametrize("name,g,p,ok", ENTITY_CASES, ids=[c[0] for c in ENTITY_CASES])
def test_entity_match(name, g, p, ok):
    assert entity_match(g, p) is ok


def test_sub_unit_written_differently_still_matches():
    pred = gold_doc()
    pred["facts"][3]["entity"] = "坡头区党建指导中心"
    assert run(pred)["facts"]["fact"]["staffing"]["f1"] == 1.0


def test_char_overlap_is_multiset_over_longer():
    assert char_overlap("abcd", "abxy") == 0.5 and char_overlap("", "a") == 0.0


SPAN_CASES = [
    ("shifted_by_two_matches", [48, 55], True),
    ("a_third_of_gold_does_not", [46, 48], False),
]


@pytest.mark.parametrize("name,span,matches", SPAN_CASES, ids=[c[0] for c in SPAN_CASES])
def test_problem_span_iou(name, span, matches):
    pred = gold_doc()
    pred["problems"] = [dict(pred["problems"][0], span=span)]
    assert (run(pred)["problems"]["tp"] == 1) is matches


def test_multi_label_categories_micro_and_primary():
    pred = gold_doc()
    pred["problems"][0]["categories"] = ["rules_and_process"]  # one of two labels, wrong primary
    cat = run(pred)["categories"]
    assert cat["micro"]["tp"] == 2 and cat["micro"]["fn"] == 1 and cat["micro"]["fp"] == 0
    assert cat["primary_accuracy"] == 0.5
    assert cat["confusion"]["evaluation_and_use"]["rules_and_process"] == 1


def test_link_to_unmatched_problem_is_wrong():
    pred = gold_doc()
    pred["problems"][0]["span"] = [0, 3]  # p1 no longer matches gold p1
    links = run(pred)["links"]
    assert links["matched_measures"] == 1 and links["exact"] == 0 and links["accuracy"] == 0.0
    assert links["fp"] == 1 and links["fn"] == 1


def test_measure_that_answers_no_problem():
    g, p = gold_doc(), gold_doc()
    g["measures"][0]["addresses"] = []
    p["measures"][0]["addresses"] = []
    rep = score_sets({"d1": g}, {"d1": p})
    assert rep["links"]["accuracy"] == 1.0


def test_indicator_rows_need_equal_weight_and_score():
    pred = gold_doc()
    pred["indicators"][0]["score"] = 8
    assert run(pred)["indicators"]["tp"] == 0
    pred["indicators"][0].update(score=9, level3="支出 率")  # whitespace is ignored
    assert run(pred)["indicators"]["tp"] == 1


META_CASES = [
    ("nfkc_and_spaces", "notice_ref", "湛财〔2025〕 1号", True),
    ("number_tolerance", "self_score", 97.501, True),
    ("wrong_year", "fiscal_year", 2023, False),
    ("null_vs_value", "grade", "优", False),
]


@pytest.mark.parametrize("name,field,value,ok", META_CASES, ids=[c[0] for c in META_CASES])
def test_meta_fields(name, field, value, ok):
    pred = copy.deepcopy(gold_doc())
    pred["meta"][field] = value
    assert run(pred)["meta"]["per_field"][field]["correct"] == int(ok)


def test_errors_list_the_text_of_misses():
    pred = gold_doc()
    del pred["facts"][0]
    rep = score_sets({"d1": gold_doc()}, {"d1": pred})
    assert rep["facts"]["mention"]["overall"]["fn"] == 1
    missed = [e for e in rep["errors"]["d1"] if e["kind"] == "fact_fn"]
    assert missed and missed[0]["span"] == [4, 7]


KAPPA_CASES = [
    ("perfect_two_labels", ["a", "b", "a"], ["a", "b", "a"], 1.0),
    ("perfect_one_label", ["a", "a"], ["a", "a"], 1.0),
    ("chance", ["a", "b", "a", "b"], ["a", "a", "b", "b"], 0.0),
]


@pytest.mark.parametrize("name,a,b,k", KAPPA_CASES, ids=[c[0] for c in KAPPA_CASES])
def test_cohen_kappa(name, a, b, k):
    assert cohen_kappa(a, b) == pytest.approx(k)
