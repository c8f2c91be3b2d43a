"""Money figures and rates: named cases on small hand-written report sentences."""
from __future__ import annotations

import pytest

from extract.facts import finance, rates
from extract.normalize import make_document


def fin(raw: str):
    doc = make_document(raw)
    return [(f.name, f.stage, f.qualifier, float(f.value), doc.raw[f.span.start:f.span.end])
            for f in finance.extract(doc)]


def rate(raw: str):
    doc = make_document(raw)
    return [(f.name, float(f.value), doc.raw[f.span.start:f.span.end]) for f in rates.extract(doc)]


FIN_CASES = [
    ("total_then_parts_inherit_stage",
     "本部门收入预算2724.71万元，其中：一般公共预算拨款2724.71万元，政府性基金预算拨款0万元。",
     [("income", "budget", None, 27247100.0, "2724.71万元"),
      ("income", "budget", "general_public", 27247100.0, "2724.71万元"),
      ("income", "budget", "government_fund", 0.0, "0万元")]),
    ("source_words_are_not_a_stage", "收入决算4500.43万元，其中：一般公共预算财政拨款收入4498.11万元，其他收入2.32万元。",
     [("income", "final", None, 45004300.0, "4500.43万元"),
      ("income", "final", "general_public", 44981100.0, "4498.11万元"),
      ("income", "final", "other", 23200.0, "2.32万元")]),
    ("expenditure_parts", "支出预算588.55万元，支出按经济分类划分：1.基本支出预算534.72万元，其中：人员经费支出515.96万元，"
     "公用经费支出18.76万元；2.项目支出预算53.83万元。",
     [("expenditure", "budget", None, 5885500.0, "588.55万元"),
      ("basic_expenditure", "budget", None, 5347200.0, "534.72万元"),
      ("personnel_expenditure", "budget", None, 5159600.0, "515.96万元"),
      ("public_expenditure", "budget", None, 187600.0, "18.76万元"),
      ("project_expenditure", "budget", None, 538300.0, "53.83万元")]),
    ("stage_carries_to_next_sentence_of_the_paragraph", "支出决算4529.04万元。支出按功能划分:基本支出936.82万元，项目支出3592.22万元。",
     [("expenditure", "final", None, 45290400.0, "4529.04万元"),
      ("basic_expenditure", "final", None, 9368200.0, "936.82万元"),
      ("project_expenditure", "final", None, 35922200.0, "3592.22万元")]),
    ("functional_classes", "各项支出合计100万元，按功能分类：一般公共服务支出60万元、住房保障支出40万元。",
     [("expenditure", "final", None, 1000000.0, "100万元"),
      ("expenditure", "final", "一般公共服务支出", 600000.0, "60万元"),
      ("expenditure", "final", "住房保障支出", 400000.0, "40万元")]),
    ("yuan_stays_yuan", "各项支出共计295.82万元，其中一般公共服务支出215.15元。",
     [("expenditure", "final", None, 2958200.0, "295.82万元"),
      ("expenditure", "final", "一般公共服务支出", 215.15, "215.15元")]),
    ("carry_over", "上年结余2.89万元，年末权责发生制结转32.53万元，年初结转和结余1亿元。",
     [("carryover_begin", None, None, 28900.0, "2.89万元"), ("carryover_end", None, None, 325300.0, "32.53万元"),
      ("carryover_begin", None, None, 100000000.0, "1亿元")]),
    ("fiscal_income_at_two_stages", "财政拨款收入决算数588.55万元，收入预算数731.80万元。",
     [("income", "final", "fiscal", 5885500.0, "588.55万元"), ("income", "budget", "fiscal", 7318000.0, "731.80万元")]),
    ("formula_names_its_figures", "财政拨款收入预决算差异率=（588.55万元-731.80万元）/731.80万元*100%=19.58%。",
     [("income", "final", "fiscal", 5885500.0, "588.55万元"), ("income", "budget", "fiscal", 7318000.0, "731.80万元"),
      ("income", "budget", "fiscal", 7318000.0, "731.80万元")]),
    ("pdf_line_break_inside_figure", "收入决算4500.43\n\n万元。", [("income", "final", None, 45004300.0, "4500.43\n\n万元")]),
    ("ascii_punctuation", "收入预算100万元,其中:一般公共预算拨款100万元.",
     [("income", "budget", None, 1000000.0, "100万元"), ("income", "budget", "general_public", 1000000.0, "100万元")]),
    ("work_output_money_is_not_a_fact", "帮助企业获得政策扶持资金超过2.33亿元，发放补贴50万元。", []),
    ("masked_amount", "收入预算****万元，支出预算x万元。", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in FIN_CASES], ids=[c[0] for c in FIN_CASES])
def test_finance_cases(raw, expected):
    assert fin(raw) == expected


def test_functional_class_carries_its_code():
    doc = make_document("各项支出合计100万元：社会保障和就业支出40万元。")
    (f,) = [f for f in finance.extract(doc) if f.qualifier]
    assert f.extra["class_code"] == "208"


def test_flattened_table_with_the_unit_in_a_header():
    raw = "年度部门\n预算情况\n总预算\n（万元）\n年度预算资金类别\n基本支出 项目支出 专项资金\n1,297.59 1,155.12 142.47 0\n"
    assert fin(raw) == [("expenditure", "budget", None, 12975900.0, "1,297.59"),
                        ("basic_expenditure", "budget", None, 11551200.0, "1,155.12"),
                        ("project_expenditure", "budget", None, 1424700.0, "142.47")]


def test_contents_page_has_no_money():
    assert fin("目 录\n一、部门整体支出情况……………3\n二、收入预算……………4\n") == []


RATE_CASES = [
    ("execution", "年度实际支出588.55万元，财政下达预算数588.55万元，支出完成率100%。", [("execution_rate", 100.0, "100%")]),
    ("threshold_is_not_a_rate", "结余结转率为1.13%（小于10%）。", [("carryover_rate", 1.13, "1.13%")]),
    ("formula_result", "预决算差异率=（1万元-2万元）/2万元*100%=50.00%", [("budget_variance_rate", 50.0, "50.00%")]),
    ("in_words", "财政拨款收入预决算差异率为零。", [("budget_variance_rate", 0.0, "零")]),
    ("full_width_percent", "固定资产利用率为100％。", [("asset_utilization", 100.0, "100％")]),
    ("procurement_ratio", "政府采购金额与年度政府采购预算的比率为100%。", [("procurement_execution_rate", 100.0, "100%")]),
    ("above_100", "预算执行率102.59%。", [("execution_rate", 102.59, "102.59%")]),
    ("work_output_percent", "选调生调研报告完成率100%，人才同比增长24.8%。", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in RATE_CASES], ids=[c[0] for c in RATE_CASES])
def test_rate_cases(raw, expected):
    assert rate(raw) == expected
