"""Rates (percent): named cases on small hand-written report sentences and tables, plus
the seeds end to end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.facts import rates
from extract.normalize import make_document

ROOT = Path(__file__).resolve().parents[1]


def rate(raw: str):
    doc = make_document(raw)
    return [(f.name, float(f.value), doc.raw[f.span.start:f.span.end]) for f in rates.extract(doc)]


RATE_CASES = [
    ("execution", "年度实际支出588.55万元，财政下达预算数588.55万元，支出完成率100%。", [("execution_rate", 100.0, "100%")]),
    ("execution_other_words", "预算执行率为96.67%，资金支出率95%。",
     [("execution_rate", 96.67, "96.67%"), ("execution_rate", 95.0, "95%")]),
    ("threshold_is_not_a_rate", "结余结转率为1.13%（小于10%）。", [("carryover_rate", 1.13, "1.13%")]),
    ("not_lower_than_is_a_threshold", "固定资产利用率为98.5%，资产利用率符合要求（不低于90%）。",
     [("asset_utilization", 98.5, "98.5%")]),
    ("target_is_not_a_rate", "预算执行率目标值100%，实际完成95.5%。", [("execution_rate", 95.5, "95.5%")]),
    ("formula_result", "预决算差异率=（1万元-2万元）/2万元*100%=50.00%", [("budget_variance_rate", 50.0, "50.00%")]),
    ("negative_variance", "预决算差异率=(950-1000)/1000×100%=-5%。", [("budget_variance_rate", -5.0, "-5%")]),
    ("in_words", "财政拨款收入预决算差异率为零。", [("budget_variance_rate", 0.0, "零")]),
    ("in_words_other_names", "资金到位率为零。预算执行率为零。", [("funds_arrival_rate", 0.0, "零"), ("execution_rate", 0.0, "零")]),
    ("full_width_percent", "固定资产利用率为100％。", [("asset_utilization", 100.0, "100％")]),
    ("percent_in_words", "预算执行率达到百分之九十五。", [("execution_rate", 95.0, "百分之九十五")]),
    ("procurement_ratio", "政府采购金额与年度政府采购预算的比率为100%。", [("procurement_execution_rate", 100.0, "100%")]),
    ("procurement_named", "政府采购执行率100%，政府采购预算50万元。", [("procurement_execution_rate", 100.0, "100%")]),
    ("funds_arrival", "项目资金已全部到位，资金到位率100%。", [("funds_arrival_rate", 100.0, "100%")]),
    ("carryover_with_money_between", "年末结转结余15万元，本年收入100万元，结转结余率13.04%。",
     [("carryover_rate", 13.04, "13.04%")]),
    ("above_100", "预算执行率102.59%。", [("execution_rate", 102.59, "102.59%")]),
    ("long_decimal", "预算执行率52.800000%。", [("execution_rate", 52.8, "52.800000%")]),
    ("ascii_punctuation", "预算执行率:98%,结转结余率:2%.", [("execution_rate", 98.0, "98%"), ("carryover_rate", 2.0, "2%")]),
    ("reflow_spaces", "预 算 执 行 率 为 98 %。", [("execution_rate", 98.0, "98 %")]),
    ("traditional_characters", "預算執行率95%。", [("execution_rate", 95.0, "95%")]),
    ("inline_pinyin", "預(yù)算執(zhí)行(xíng)率95%。", [("execution_rate", 95.0, "95%")]),
    ("bare_number_right_after_the_cue", "预决算差异率为0。结转结余率：2.5，", [("budget_variance_rate", 0.0, "0"),
                                                                      ("carryover_rate", 2.5, "2.5")]),
    # not rates
    ("scoring_table_weight_is_not_a_rate", "结转结余率 2\n固定资产利用率 2 反映资产使用情况。", []),
    ("bare_money_after_a_cue_is_not_a_rate", "预算执行率为100万元，预决算差异率为2024年。", []),
    ("work_output_percent", "选调生调研报告完成率100%，人才同比增长24.8%。", []),
    ("share_of_total_is_not_a_rate", "财政拨款支出1,100万元，占总支出的91.67%。", []),
    ("masked", "预算执行率XX%，结转结余率**%。", []),
    ("contents_line", "目 录\n一、预算执行率100%……………3\n", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in RATE_CASES], ids=[c[0] for c in RATE_CASES])
def test_rate_cases(raw, expected):
    assert rate(raw) == expected


TABLE = ("2023年度基层党建工作经费项目支出绩效自评表\n一、项目基本情况\n"
         "项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
         " | 年度资金总额 | 100 | 120 | 110 | 10 | 91.67% | 9.17\n"
         " | 其中：当年财政拨款 | 100 | 120 | 110 | - | 90.00% | -\n年度总体目标\n")


def test_table_rates_of_the_total_and_each_sub_row():
    # every row's 执行率 is an execution-rate mention, the 其中 rows' too (rates carry no qualifier)
    assert rate(TABLE) == [("execution_rate", 91.67, "91.67%"), ("execution_rate", 90.0, "90.00%")]


def test_table_rate_without_percent_sign():
    assert rate(TABLE.replace("91.67%", "91.67")) == [("execution_rate", 91.67, "91.67"),
                                                      ("execution_rate", 90.0, "90.00%")]


def test_table_of_cell_lines_rate_and_note_threshold():
    table = (ROOT / "tests" / "fixtures" / "tables" / "project_cell_lines.txt").read_text(encoding="utf-8")
    assert rate(table) == [("execution_rate", 99.14, "99.14%"), ("execution_rate", 99.14, "99.14%")]


def test_seed_rates_match_gold():
    for path in sorted((ROOT / "annotations" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        want = sorted((f["name"], float(f["value"]), tuple(f["span"])) for f in gold["facts"] if f["type"] == "rate")
        raw = (ROOT / "annotations" / "docs" / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")
        got = sorted((f.name, float(f.value), (f.span.start, f.span.end)) for f in rates.extract(make_document(raw)))
        assert got == want, gold["doc_id"]
