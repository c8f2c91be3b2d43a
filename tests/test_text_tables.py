"""extract.text.tables: the one table reader, a named case per flattened form.

Each case gives a flattened table (written for this test; the layouts are those of real
reports) and the rows the reader must return; every non-empty cell's raw span must be
exactly its text in the raw input.
"""
from __future__ import annotations

import doctest

import pytest

from extract.normalize import make_document
from extract.text import tables as T
from extract.text.layout import analyze

def squeeze(s: str) -> str:
    return "".join(s.split())


BUDGET_HEADER = "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"


def budget_rows(raw: str):
    doc = make_document(raw)
    tables = analyze(doc).tables_of("budget")
    for t in tables:
        for row in t.rows:
            for c in row:
                if c.text:  # a cell wrapped over lines keeps the line break in its raw span
                    assert squeeze(doc.raw[c.span.start:c.span.end]) == squeeze(c.text), (c, doc.raw[c.span.start:c.span.end])
    return [(t.columns, t.unit, [[c.text for c in row] for row in t.body]) for t in tables]


BUDGET_ROLES = ("label", "budget", "adjusted", "final", "ignore", "rate", "ignore")

BUDGET_CASES = {
    "pipe_rows_with_empty_cells": (
        "项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
        "年度资金总额 | 86.00 | | 84.30 | 10 | 98.02% | 9.8\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "86.00", "", "84.30", "10", "98.02%", "9.8"]])]),
    "row_on_one_line_spaces_only": (
        BUDGET_HEADER + "年度资金总额 86.00 86.00 84.30 10 98.02% 9.8\n其中：当年财政拨款 80.00 80.00 78.30 - - -\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "86.00", "86.00", "84.30", "10", "98.02%", "9.8"],
                                 ["其中：当年财政拨款", "80.00", "80.00", "78.30", "-", "-", "-"]])]),
    "whole_table_on_one_line": (
        "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额 50 60 45 10 75% 7.5 "
        "其中：当年财政拨款 50 60 45 - - - 其他资金 0 0 0 - - -\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "50", "60", "45", "10", "75%", "7.5"],
                                 ["其中：当年财政拨款", "50", "60", "45", "-", "-", "-"],
                                 ["其他资金", "0", "0", "0", "-", "-", "-"]])]),
    "one_cell_per_line_header_first": (
        "项目资金\n（万元）\n年初预算数\n全年预算数\n全年执行数\n分值\n执行率\n得分\n"
        "年度资金总额\n12.5\n12.5\n12\n10\n96%\n9.6\n上年结转资金\n2\n2\n2\n-\n-\n-\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "12.5", "12.5", "12", "10", "96%", "9.6"],
                                 ["上年结转资金", "2", "2", "2", "-", "-", "-"]])]),
    "captions_on_their_own_lines": (
        "年初预算数\n(A)\n全年预算数\n(B)\n全年执行数\n(C)\n分值\n执行率\n(C/B)\n得分\n（万元）\n"
        "年度资金总额 30 30 27 10 90% 9\n",
        [(BUDGET_ROLES[1:] and ("label", "budget", "adjusted", "final", "ignore", "rate", "ignore"), "万元",
          [["年度资金总额", "30", "30", "27", "10", "90%", "9"]])]),
    "label_with_a_space_inside": (
        BUDGET_HEADER + "上年结转 资金 3 3 3 - - -\n",
        [(BUDGET_ROLES, "万元", [["上年结转 资金", "3", "3", "3", "-", "-", "-"]])]),
    "header_far_above_its_rows": (
        BUDGET_HEADER + "（说明：资金按项目进度拨付，下表为全年数。）\n\n\n年度资金总额 5 5 5 10 100% 10\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "5", "5", "5", "10", "100%", "10"]])]),
    "glued_cells_split": (
        BUDGET_HEADER + "年度资金总额 9 9 9 10 100% 10\n其他资金 0 0 0 10 -上年结转资金 1 1 1\n",
        [(BUDGET_ROLES, "万元", [["年度资金总额", "9", "9", "9", "10", "100%", "10"],
                                 ["其他资金", "0", "0", "0", "10", "-"],
                                 ["上年结转资金", "1", "1", "1"]])]),
    "pipe_header_naming_only_the_value_columns": (
        "资金投入情况 (万元) |\n全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | |||\n"
        "年度资金总额: | 120.5 | 110.2 | 91% | |||\n其中:中央财政资金 | 100 | 100 | 100% | |||\n",
        [(("label", "adjusted", "final", "rate"), "万元",
          [["年度资金总额:", "120.5", "110.2", "91%"], ["其中:中央财政资金", "100", "100", "100%"]])]),
    "a_sentence_is_no_header": (
        "收入预算数100万元，年初预算数90万元，执行数80万元。\n",
        []),
}


@pytest.mark.parametrize("raw,expected", BUDGET_CASES.values(), ids=BUDGET_CASES.keys())
def test_budget_tables(raw, expected):
    assert budget_rows(raw) == expected


def scoring_rows(raw: str):
    doc = make_document(raw)
    tables = analyze(doc).tables_of("scoring")
    out = []
    for t in tables:
        for row, rule in zip(t.body, t.row_rules):
            for c in row[:-1]:
                if c.text and not c.merged:
                    assert squeeze(doc.raw[c.span.start:c.span.end]) == squeeze(c.text), (c, doc.raw[c.span.start:c.span.end])
            out.append(tuple(c.text for c in row[:7]) + (tuple(c.merged for c in row[:2]), rule))
    return out


SCORING_CASES = {
    "classic_stream_one_cell_per_line": (
        "一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施\n"
        "履职效能 50 整体效能 50\n部门预算资金支\n出率\n10\n反映支出进度。\n9 支出偏慢。 加快支出。\n总分 100 9\n",
        [("履职效能", "整体效能", "部门预算资金支出率", "10", "9", "支出偏慢。", "加快支出。", (False, False), "flat_row")]),
    "pipe_rows_value_columns_merged_levels": (
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施\n"
        "产出指标 | 数量指标 | 修缮校舍面积 | ≥800平方米 | 860平方米 | 15 | 15 | 无\n"
        " | 质量指标 | 验收合格率 | 100% | 100% | 15 | 15 | \n"
        " |  | 返工率 | ≤2% | 3% | 10 | 8 | 一处墙面返工，已督促施工方整改\n",
        [("产出指标", "数量指标", "修缮校舍面积", "15", "15", "", "", (False, False), "pipe_row"),
         ("产出指标", "质量指标", "验收合格率", "15", "15", "", "", (True, False), "pipe_row"),
         ("产出指标", "质量指标", "返工率", "10", "8", "一处墙面返工，已督促施工方整改", "", (True, True), "pipe_row")]),
    "stream_value_columns_one_cell_per_line": (
        "一级指标\n二级指标\n三级指标\n年度指标值\n实际完成值\n分值\n得分\n偏差原因分析及改进措施\n"
        "产出指标\n时效指标\n补贴发放及时率\n100%\n100%\n10\n10\n无\n"
        "效益指标\n满意度\n农户满意度\n≥90%\n88%\n10\n8\n宣传不到位，部分农户不了解政策。\n",
        [("产出指标", "时效指标", "补贴发放及时率", "10", "10", "", "", (False, False), "valued_row"),
         ("效益指标", "满意度", "农户满意度", "10", "8", "宣传不到位，部分农户不了解政策。", "", (False, False),
          "valued_row")]),
    "numeric_targets_before_weight_and_score": (
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
        "产出指标 数量指标 检测批次 120 126 20 20\n 时效指标 完成时限 12 12 10 10\n",
        [("产出指标", "数量指标", "检测批次", "20", "20", "", "", (False, False), "valued_row"),
         ("产出指标", "时效指标", "完成时限", "10", "10", "", "", (True, False), "valued_row")]),
    "spaced_header_labels": (
        "一级 指标 二级 指标 三级 指标 年度指标值 实际完成值 分值 得分\n产出指标 数量指标 巡查次数 24次 26次 10 10\n",
        [("产出指标", "数量指标", "巡查次数", "10", "10", "", "", (False, False), "valued_row")]),
    "no_weight_column_weight_in_name": (
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 得分\n"
        "产出指标(50分) 数量指标（20 分） 新建公厕数（20分） 6座 6座 20\n",
        [("产出指标", "数量指标", "新建公厕数", "20", "20", "", "", (False, False), "valued_row+weight_in_name")]),
    "header_wrapped_one_label_per_line": (
        "一级指标\n二级指标\n三级指标\n分值\n得分\n偏差原因\n分析及\n改进措施\n"
        "产出指标 数量指标 义诊场次 10 9 受天气影响取消一场，下年提前安排。\n",
        [("产出指标", "数量指标", "义诊场次", "10", "9", "受天气影响取消一场，下年提前安排。", "", (False, False),
          "flat_row")]),
}


@pytest.mark.parametrize("raw,expected", SCORING_CASES.values(), ids=SCORING_CASES.keys())
def test_scoring_tables(raw, expected):
    assert scoring_rows(raw) == expected


def test_name_table_row_of_numbers_under_names():
    raw = "年度部门预算情况\n总预算\n（万元）\n基本支出 项目支出\n320.5 300 20.5\n"
    doc = make_document(raw)
    (table,) = analyze(doc).tables_of("names")
    assert table.columns == ("总预算", "基本支出", "项目支出") and table.unit == "万元" and table.stage == "budget"
    assert [(c.text, doc.raw[c.span.start:c.span.end]) for c in table.body[0]] == [
        ("320.5", "320.5"), ("300", "300"), ("20.5", "20.5")]


def test_real_tables_of_the_ingest_format_come_first():
    from dataclasses import replace

    from extract.core import Cell, Span, Table

    doc = make_document("年初预算数 全年预算数 全年执行数\n年度资金总额 1 1 1\n")
    real = Table(((Cell("x", Span(0, 1)),),), Span(0, 1), "docx")
    layout = analyze(replace(doc, tables=(real,)))
    assert layout.tables[0] is real


@pytest.mark.parametrize("cell,kind", [("86.00", "N"), ("98.02%", "N"), ("1,297.59", "N"), ("20分", "N"), ("", "E"),
                                       ("-", "E"), ("—", "E"), ("无", "E"), ("/", "E"), ("年度资金总额", "T"),
                                       ("≥95%", "T"), ("(A)", "T")])
def test_cell_kinds(cell, kind):
    assert T.cell_kind(cell) == kind


def test_doctests():
    assert doctest.testmod(T).failed == 0


LEDGER_CASES = {
    "two_sides_on_a_line": (
        "收入支出决算总表\n金额单位：万元\n项目 行次 金额 项目（按功能分类） 行次 金额\n"
        "一、一般公共预算财政拨款收入 1 300.50 一、一般公共服务支出 31 280.10\n"
        "二、其他收入 2 一、教育支出 32 20.40\n本年收入合计 5 300.50 本年支出合计 35 300.50\n",
        ("万元", [["一、一般公共预算财政拨款收入", "300.50"], ["一、一般公共服务支出", "280.10"],
                 ["二、其他收入", ""], ["一、教育支出", "20.40"], ["本年收入合计", "300.50"],
                 ["本年支出合计", "300.50"]])),
    "one_cell_per_line_blank_amounts": (
        "金额单位：元\n项目\n行次\n金额\n一、一般公共预算财政拨款收入\n1\n1,200.00\n二、政府性基金预算财政拨款收入\n2\n \n"
        "本年收入合计\n3\n1,200.00\n",
        ("元", [["一、一般公共预算财政拨款收入", "1,200.00"], ["二、政府性基金预算财政拨款收入", ""],
               ["本年收入合计", "1,200.00"]])),
    "whole_table_on_one_line": (
        "收入支出决算总表 金额单位：元 收入 项目 行次 金额 一、一般公共预算财政拨款收入 1 5,000.00 本年收入合计 7 5,000.00 "
        "年初结转和结余 8 100.00 总计 9 5,100.00\n",
        ("元", [["一、一般公共预算财政拨款收入", "5,000.00"], ["本年收入合计", "5,000.00"], ["年初结转和结余", "100.00"],
               ["总计", "5,100.00"]])),
}


@pytest.mark.parametrize("raw,expected", LEDGER_CASES.values(), ids=LEDGER_CASES.keys())
def test_ledger_tables(raw, expected):
    doc = make_document(raw)
    (table,) = analyze(doc).tables_of("ledger")
    for row in table.body:
        for c in row:
            assert doc.raw[c.span.start:c.span.end] == c.text
    assert (table.unit, [[c.text for c in row] for row in table.body]) == expected


# The 资金情况 block of the transfer-payment self-evaluation form: label–amount lines under
# a caption with the unit, components after a bare 其中：, the year's spending with its own unit.
AMOUNT_CASES = [
    ("total_block_then_components",
     "资金合计（万元）\n年度预算资金总额： 520.00\n其中：中央补助 300.00\n县级资金（含结转结余） 220.00\n其中：\n"
     "设备购置经费（万元）\n年度预算资金总额： 120.00\n全年执行数（万元）： 498.30\n",
     [("万元", [("年度预算资金总额", "520.00"), ("中央补助", "300.00"), ("县级资金（含结转结余）", "220.00")]),
      ("万元", [("全年执行数", "498.30")])]),
    ("spending_inside_the_block_in_its_unit",
     "补助经费合计（亿元）\n年度预算资金总额： 2.10\n其中：中央补助 1.50\n市县资金 0.60\n全年执行数： 2.05\n执行率： 97.62%\n",
     [("亿元", [("年度预算资金总额", "2.10"), ("中央补助", "1.50"), ("市县资金", "0.60"), ("全年执行数", "2.05")])]),
    ("spending_with_unit_mid_line", "资金执行 全年执行数（万元） 88.20 预算执行率 98.00% 支付凭证\n",
     [("万元", [("全年执行数", "88.20")])]),
    ("a_component_caption_alone_is_no_total", "培训经费（万元）\n其他支出 12.00\n", []),
    ("prose_is_no_block", "资金合计（万元）\n本年度共安排资金500万元，全部用于设备购置。\n年度预算资金总额： 500.00\n", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in AMOUNT_CASES], ids=[c[0] for c in AMOUNT_CASES])
def test_amount_tables(raw, expected):
    got = [(t.unit, [(label.text, raw[a.span.start:a.span.end]) for label, a in t.body]) for t in T.amount_tables(raw)]
    assert got == expected
