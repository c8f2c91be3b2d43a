"""Money figures: named cases on small hand-written report sentences and tables, plus
the seeds end to end."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.facts import finance
from extract.normalize import make_document

ROOT = Path(__file__).resolve().parents[1]
PROJECT_HEAD = "2023年度基层党建工作经费项目支出绩效自评报告\n一、项目基本情况\n"


def fin(raw: str):
    doc = make_document(raw)
    return [(f.name, f.stage, f.qualifier, float(f.value), doc.raw[f.span.start:f.span.end])
            for f in finance.extract(doc)]


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
    ("parts_in_brackets", "本年度支出总额1,200万元，其中基本支出800万元（人员经费700万元，公用经费100万元），项目支出400万元。",
     [("expenditure", None, None, 12000000.0, "1,200万元"), ("basic_expenditure", None, None, 8000000.0, "800万元"),
      ("personnel_expenditure", None, None, 7000000.0, "700万元"), ("public_expenditure", None, None, 1000000.0, "100万元"),
      ("project_expenditure", None, None, 4000000.0, "400万元")]),
    ("stage_carries_to_next_sentence_of_the_paragraph", "支出决算4529.04万元。支出按功能划分:基本支出936.82万元，项目支出3592.22万元。",
     [("expenditure", "final", None, 45290400.0, "4529.04万元"),
      ("basic_expenditure", "final", None, 9368200.0, "936.82万元"),
      ("project_expenditure", "final", None, 35922200.0, "3592.22万元")]),
    ("budget_word_beats_total_word", "2023年年初预算收入合计500万元，其中财政拨款500万元。",
     [("income", "budget", None, 5000000.0, "500万元"), ("income", "budget", "fiscal", 5000000.0, "500万元")]),
    ("grand_total_is_final", "2023年部门收入总计1,234.56万元，其中：财政拨款收入1,200.00万元，其他收入34.56万元。",
     [("income", "final", None, 12345600.0, "1,234.56万元"), ("income", "final", "fiscal", 12000000.0, "1,200.00万元"),
      ("income", "final", "other", 345600.0, "34.56万元")]),
    ("bare_stage_words_are_the_spending", "年初预算数为1,234.56万元，全年预算数为1,500.00万元，全年执行数为1,450.00万元。",
     [("expenditure", "budget", None, 12345600.0, "1,234.56万元"),
      ("expenditure", "adjusted", None, 15000000.0, "1,500.00万元"),
      ("expenditure", "final", None, 14500000.0, "1,450.00万元")]),
    ("budget_arrangement_and_actual", "2022年度部门预算安排1,000万元，实际支出980万元。",
     [("expenditure", "budget", None, 10000000.0, "1,000万元"), ("expenditure", "final", None, 9800000.0, "980万元")]),
    ("functional_classes", "各项支出合计100万元，按功能分类：一般公共服务支出60万元、住房保障支出40万元。",
     [("expenditure", "final", None, 1000000.0, "100万元"),
      ("expenditure", "final", "一般公共服务支出", 600000.0, "60万元"),
      ("expenditure", "final", "住房保障支出", 400000.0, "40万元")]),
    ("functional_class_with_level_tag_and_short_name",
     "2023年部门整体支出决算2,000万元，其中一般公共服务支出（类）1,500万元，社会保障和就业（类）300万元，医疗卫生与计划生育支出200万元。",
     [("expenditure", "final", None, 20000000.0, "2,000万元"),
      ("expenditure", "final", "一般公共服务支出", 15000000.0, "1,500万元"),
      ("expenditure", "final", "社会保障和就业支出", 3000000.0, "300万元"),
      ("expenditure", "final", "卫生健康支出", 2000000.0, "200万元")]),
    ("yuan_stays_yuan", "各项支出共计295.82万元，其中一般公共服务支出215.15元。",
     [("expenditure", "final", None, 2958200.0, "295.82万元"),
      ("expenditure", "final", "一般公共服务支出", 215.15, "215.15元")]),
    ("figures_in_yuan", "本年收入1234567.89元，本年支出1200000元。",
     [("income", None, None, 1234567.89, "1234567.89元"), ("expenditure", None, None, 1200000.0, "1200000元")]),
    ("figures_in_yi_yuan", "部门决算收入2.3亿元，支出2.1亿元。",
     [("income", "final", None, 230000000.0, "2.3亿元"), ("expenditure", "final", None, 210000000.0, "2.1亿元")]),
    ("carry_over", "上年结余2.89万元，年末权责发生制结转32.53万元，年初结转和结余1亿元。",
     [("carryover_begin", None, None, 28900.0, "2.89万元"), ("carryover_end", None, None, 325300.0, "32.53万元"),
      ("carryover_begin", None, None, 100000000.0, "1亿元")]),
    ("three_public_but_not_its_items", "“三公”经费支出12.3万元，比上年减少2.1万元。其中：公务接待费支出3.2万元，公务用车运行维护费9.1万元。",
     [("three_public", None, None, 123000.0, "12.3万元")]),
    ("fiscal_income_at_two_stages", "财政拨款收入决算数588.55万元，收入预算数731.80万元。",
     [("income", "final", "fiscal", 5885500.0, "588.55万元"), ("income", "budget", "fiscal", 7318000.0, "731.80万元")]),
    ("formula_names_its_figures", "财政拨款收入预决算差异率=（588.55万元-731.80万元）/731.80万元*100%=19.58%。",
     [("income", "final", "fiscal", 5885500.0, "588.55万元"), ("income", "budget", "fiscal", 7318000.0, "731.80万元"),
      ("income", "budget", "fiscal", 7318000.0, "731.80万元")]),
    ("pdf_line_break_inside_figure", "收入决算4500.43\n\n万元。", [("income", "final", None, 45004300.0, "4500.43\n\n万元")]),
    ("ascii_punctuation", "收入预算100万元,其中:一般公共预算拨款100万元.支出预算100万元,其中:基本支出60万元,项目支出40万元.",
     [("income", "budget", None, 1000000.0, "100万元"), ("income", "budget", "general_public", 1000000.0, "100万元"),
      ("expenditure", "budget", None, 1000000.0, "100万元"), ("basic_expenditure", "budget", None, 600000.0, "60万元"),
      ("project_expenditure", "budget", None, 400000.0, "40万元")]),
    ("spaces_inside_words_from_reflow", "收 入 预 算 100 万元，其 中：一 般 公 共 预 算 拨 款 100 万元。",
     [("income", "budget", None, 1000000.0, "100 万元"), ("income", "budget", "general_public", 1000000.0, "100 万元")]),
    ("full_width_figures", "收入预算１２．５万元。", [("income", "budget", None, 125000.0, "１２．５万元")]),
    ("traditional_characters", "2023年收入預算100萬元，其中：一般公共預算撥款100萬元。支出決算95萬元。",
     [("income", "budget", None, 1000000.0, "100萬元"), ("income", "budget", "general_public", 1000000.0, "100萬元"),
      ("expenditure", "final", None, 950000.0, "95萬元")]),
    ("inline_pinyin", "收入預(yù)算100萬元。", [("income", "budget", None, 1000000.0, "100萬元")]),
    ("spam_and_masks_inside_a_page", "点击下载APP 免费领取100元红包 ****** 收入预算****万元 www.xxx.com 支出预算200万元",
     [("expenditure", "budget", None, 2000000.0, "200万元")]),
    ("adjusted_budget_words", "年初预算1,523万元，调整预算1,600万元，实际支出1,574万元。",
     [("expenditure", "budget", None, 15230000.0, "1,523万元"), ("expenditure", "adjusted", None, 16000000.0, "1,600万元"),
      ("expenditure", "final", None, 15740000.0, "1,574万元")]),
    ("bare_stage_after_an_item_is_that_item", "2023年“三公”经费预算数15万元，决算数12.5万元；基本支出预算100万元，决算数95万元。",
     [("three_public", "budget", None, 150000.0, "15万元"), ("three_public", "final", None, 125000.0, "12.5万元"),
      ("basic_expenditure", "budget", None, 1000000.0, "100万元"),
      ("basic_expenditure", "final", None, 950000.0, "95万元")]),
    ("carry_over_inside_totals", "2023年度收入总计3,456.78万元。其中：本年收入3,400.00万元，年初结转和结余56.78万元。",
     [("income", "final", None, 34567800.0, "3,456.78万元"), ("income", "final", None, 34000000.0, "3,400.00万元"),
      ("carryover_begin", None, None, 567800.0, "56.78万元")]),
    ("break_before_a_full_stop_keeps_the_paragraph",
     "部门支出合计100万元，其中：项目支出60万元，占60%\n。按支出功能分类：一般公共服务支出100万元。",
     [("expenditure", "final", None, 1000000.0, "100万元"), ("project_expenditure", "final", None, 600000.0, "60万元"),
      ("expenditure", "final", "一般公共服务支出", 1000000.0, "100万元")]),
    ("shares_are_not_money", "2023年度部门收入合计1,523.45万元，其中：财政拨款收入1,500.00万元，占98.46%；事业收入0万元。",
     [("income", "final", None, 15234500.0, "1,523.45万元"), ("income", "final", "fiscal", 15000000.0, "1,500.00万元")]),
    ("class_tag_between_name_and_expenditure",
     "一般公共预算财政拨款支出决算1500万元，主要用于：一般公共服务（类）支出1200万元，占80%；住房保障（类）支出300万元。",
     [("expenditure", "final", "general_public", 15000000.0, "1500万元"),
      ("expenditure", "final", "一般公共服务支出", 12000000.0, "1200万元"),
      ("expenditure", "final", "住房保障支出", 3000000.0, "300万元")]),
    ("personnel_inside_basic", "本年支出合计1500万元，其中：基本支出1200万元。基本支出中人员经费1100万元，公用经费100万元。",
     [("expenditure", "final", None, 15000000.0, "1500万元"), ("basic_expenditure", "final", None, 12000000.0, "1200万元"),
      ("personnel_expenditure", "final", None, 11000000.0, "1100万元"),
      ("public_expenditure", "final", None, 1000000.0, "100万元")]),
    ("one_figure_for_both_totals", "2024年度收、支总计均为1523.26万元。收支总预算100万元。",
     [("income", "final", None, 15232600.0, "1523.26万元"), ("expenditure", "final", None, 15232600.0, "1523.26万元"),
      ("income", "budget", None, 1000000.0, "100万元"), ("expenditure", "budget", None, 1000000.0, "100万元")]),
    # not facts
    ("three_public_items_in_brackets", "因公出国（境）费支出0万元，公务用车购置及运行费9万元。", []),
    ("economic_classes_are_not_spec_names",
     "2023年决算支出1000万元，按经济分类：工资福利支出600万元，商品和服务支出300万元，对个人和家庭的补助支出100万元。",
     [("expenditure", "final", None, 10000000.0, "1000万元")]),
    ("income_types_spec_does_not_name",
     "2023年收入决算1000万元，其中：财政拨款收入900万元，上级补助收入50万元，事业收入30万元，其他收入20万元。",
     [("income", "final", None, 10000000.0, "1000万元"), ("income", "final", "fiscal", 9000000.0, "900万元"),
      ("income", "final", "other", 200000.0, "20万元")]),
    ("one_projects_spending_is_not_project_expenditure", "全年安排党建项目支出50万元，用于开展培训。", []),
    ("changes_are_not_levels", "支出决算比上年增加50万元，收入同比下降12万元。", []),
    ("work_output_money_is_not_a_fact", "帮助企业获得政策扶持资金超过2.33亿元，发放补贴50万元，带动村集体经济收入20万元。", []),
    ("number_split_by_a_line_break_is_refused", "主要包括人员经费 986.2 1万元。", []),
    ("masked_amount", "收入预算****万元，支出预算x万元，年末结转20XX万元。", []),
    ("funding_levels_in_an_overall_report", "中央资金60万元、省级资金20万元。", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in FIN_CASES], ids=[c[0] for c in FIN_CASES])
def test_finance_cases(raw, expected):
    assert fin(raw) == expected


PROJECT_CASES = [
    ("levels_inherit_the_project_budget",
     "该项目年初预算资金200万元，其中中央资金100万元、省级资金50万元、市级资金30万元、县级资金20万元。",
     [("expenditure", "budget", None, 2000000.0, "200万元"), ("expenditure", "budget", "central", 1000000.0, "100万元"),
      ("expenditure", "budget", "provincial", 500000.0, "50万元"),
      ("expenditure", "budget", "municipal", 300000.0, "30万元"),
      ("expenditure", "budget", "county", 200000.0, "20万元")]),
    ("bare_stage_after_a_part_is_the_total",
     "本项目年初预算数为500万元，其中中央财政资金200万元，区级资金300万元；全年预算数为520万元，全年执行数为498.6万元。",
     [("expenditure", "budget", None, 5000000.0, "500万元"), ("expenditure", "budget", "central", 2000000.0, "200万元"),
      ("expenditure", "budget", "county", 3000000.0, "300万元"),
      ("expenditure", "adjusted", None, 5200000.0, "520万元"), ("expenditure", "final", None, 4986000.0, "498.6万元")]),
    ("adjusted_and_final", "全年预算数为220万元，全年执行数为210万元。",
     [("expenditure", "adjusted", None, 2200000.0, "220万元"), ("expenditure", "final", None, 2100000.0, "210万元")]),
    ("funds_received_with_levels", "项目资金到位200万元，其中中央资金到位100万元，省级资金到位50万元，自筹资金到位50万元。",
     [("funds_received", None, None, 2000000.0, "200万元"), ("funds_received", None, "central", 1000000.0, "100万元"),
      ("funds_received", None, "provincial", 500000.0, "50万元"), ("funds_received", None, "other", 500000.0, "50万元")]),
    ("arrived_after_the_figure", "项目资金100万元已全部到位。", [("funds_received", None, None, 1000000.0, "100万元")]),
    ("planned_arrived_spent",
     "本项目计划投入资金120万元，实际到位120万元。截至2023年12月31日，项目实际支出110万元，其中：培训费50万元，印刷费60万元。",
     [("expenditure", "budget", None, 1200000.0, "120万元"), ("funds_received", None, None, 1200000.0, "120万元"),
      ("expenditure", "final", None, 1100000.0, "110万元")]),
    ("project_budget_total", "本项目预算总额100万元。", [("expenditure", "budget", None, 1000000.0, "100万元")]),
    ("a_count_does_not_end_the_cue",
     "年初批复预算8个项目985万元，调整预算后项目预算861.46万元，实际到位资金334.67万元。",
     [("expenditure", "budget", None, 9850000.0, "985万元"), ("expenditure", "adjusted", None, 8614600.0, "861.46万元"),
      ("funds_received", None, None, 3346700.0, "334.67万元")]),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in PROJECT_CASES], ids=[c[0] for c in PROJECT_CASES])
def test_project_report_cases(body, expected):
    assert fin(PROJECT_HEAD + body) == expected


GRID = [("budget", None, 1000000.0, "100"), ("adjusted", None, 1200000.0, "120"), ("final", None, 1100000.0, "110"),
        ("budget", "fiscal", 1000000.0, "100"), ("adjusted", "fiscal", 1200000.0, "120"),
        ("final", "fiscal", 1100000.0, "110")]
TABLE_CASES = [
    ("pipe_rows",
     "项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
     " | 年度资金总额 | 100 | 120 | 110 | 10 | 91.67% | 9.17\n"
     " | 其中：当年财政拨款 | 100 | 120 | 110 | - | 91.67% | -\n"
     " | 上年结转资金 | 0 | 0 | 0 | - | - | -\n"
     " | 其他资金 |  |  |  | - | - | -\n年度总体目标 | 预期目标 | 实际完成情况\n", GRID),
    ("one_cell_per_line",
     "项目资金\n（万元）\n年初预算数\n全年预算数\n全年执行数\n分值\n执行率\n得分\n年度资金总额\n100\n120\n110\n10\n91.67%\n9.17\n"
     "其中：当年财政拨款\n100\n120\n110\n-\n91.67%\n-\n上年结转资金\n0\n0\n0\n-\n-\n-\n年度总体目标\n", GRID),
    ("whole_row_on_one_line",
     "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 100 120 110 10 91.67% 9.17\n"
     "其中：当年财政拨款 100 120 110 - 91.67% -\n上年结转资金 0 0 0 - - -\n其他资金 0 0 0 - - -\n年度总体目标\n",
     GRID + [("budget", "other", 0.0, "0"), ("adjusted", "other", 0.0, "0"), ("final", "other", 0.0, "0")]),
    ("only_money_columns_filled",
     "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 100 120 110\n绩效目标\n", GRID[:3]),
    ("a_lost_money_cell_is_ambiguous",
     "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 100 120\n绩效目标\n", []),
    ("no_unit_no_money", "年初预算数 全年预算数 全年执行数\n年度资金总额 100 120 110\n", []),
]


@pytest.mark.parametrize("table,expected", [c[1:] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES])
def test_budget_execution_tables(table, expected):
    got = fin(PROJECT_HEAD.replace("报告", "表") + table)
    assert got == [("expenditure", s, q, v, t) for s, q, v, t in expected]


#: A table exported cell by cell, each cell on its own line ending in " |" (a layout
#: published project self-evaluation tables use); the 原因 column stays empty.
CELL_LINES = (ROOT / "tests" / "fixtures" / "tables" / "project_cell_lines.txt").read_text(encoding="utf-8")


def test_table_of_cell_lines_with_pipes():
    assert fin(CELL_LINES) == [
        ("expenditure", "budget", None, 3005000.0, "300.50"), ("expenditure", "adjusted", None, 3207500.0, "320.75"),
        ("expenditure", "final", None, 3180000.0, "318.00"), ("expenditure", "budget", "fiscal", 3005000.0, "300.50"),
        ("expenditure", "adjusted", "fiscal", 3207500.0, "320.75"),
        ("expenditure", "final", "fiscal", 3180000.0, "318.00")]


def test_overall_table_with_header_far_above_its_rows():
    raw = ("部门整体支出绩效自评表\n年度预算申请\n单位：万元\n"
           "项目 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
           "年度资金总额 | 1,000.00 | 1,200.00 | 1,150.00 | 10 | 95.83% | 9.58\n"
           "按收入性质分 | | | | | |\n其中：一般公共预算 | 900.00 | 1,100.00 | 1,050.00 | - | - | -\n"
           "政府性基金预算 | 100.00 | 100.00 | 100.00 | - | - | -\n国有资本经营预算 | | | | | |\n"
           "按支出性质分 | | | | | |\n基本支出 | 600.00 | 650.00 | 640.00 | - | - | -\n"
           "项目支出 | 400.00 | 550.00 | 510.00 | - | - | -\n区级资金 | 10 | 10 | 10 | - | - | -\n一级指标 | 二级指标 | 三级指标\n")
    got = {(n, s, q, v) for n, s, q, v, _ in fin(raw)}
    assert ("expenditure", "adjusted", None, 12000000.0) in got
    assert ("expenditure", "final", "general_public", 10500000.0) in got
    assert ("expenditure", "budget", "government_fund", 1000000.0) in got
    assert ("project_expenditure", "final", None, 5100000.0) in got
    assert len(got) == 15  # the funding-level row is not a fact in an overall report


def test_functional_class_carries_its_code():
    doc = make_document("各项支出合计100万元：社会保障和就业支出40万元，医疗卫生与计划生育支出10万元。")
    got = [(f.qualifier, f.extra["class_code"], f.extra.get("class_written"))
           for f in finance.extract(doc) if f.qualifier]
    assert got == [("社会保障和就业支出", "208", None), ("卫生健康支出", "210", "医疗卫生与计划生育支出")]


def test_class_list_is_the_official_class_level():
    data = json.loads(finance.DATA.read_text(encoding="utf-8"))
    codes = {c["code"]: c["name"] for c in data["classes"]}
    assert codes["201"] == "一般公共服务支出" and codes["224"] == "灾害防治及应急管理支出" and codes["233"] == "债务发行费用支出"
    assert all(len(c) == 3 and c.startswith("2") for c in codes)
    assert all(a["code"] in codes and a["name"] not in codes.values() for a in data["aliases"])


def test_flattened_table_with_the_unit_in_a_header():
    raw = "年度部门\n预算情况\n总预算\n（万元）\n年度预算资金类别\n基本支出 项目支出 专项资金\n1,297.59 1,155.12 142.47 0\n"
    assert fin(raw) == [("expenditure", "budget", None, 12975900.0, "1,297.59"),
                        ("basic_expenditure", "budget", None, 11551200.0, "1,155.12"),
                        ("project_expenditure", "budget", None, 1424700.0, "142.47")]


def test_contents_page_has_no_money():
    assert fin("目 录\n一、部门整体支出情况……………3\n二、收入预算100万元……………4\n三、支出预算200万元.......5\n") == []


def test_spans_are_the_raw_evidence_on_the_seeds():
    for path in sorted((ROOT / "annotations" / "docs").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        doc = make_document(raw)
        for f in finance.extract(doc):
            assert f.type == "finance" and f.evidence.extractor == "finance.rules.v1"
            text = raw[f.span.start:f.span.end]
            assert text.strip() == text and any(ch.isdigit() or "０" <= ch <= "９" for ch in text)


def _gold_keys(ftype: str) -> dict[str, set]:
    out = {}
    for path in sorted((ROOT / "annotations" / "gold").glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        out[g["doc_id"]] = {(f["name"], f.get("stage"), f.get("qualifier"), round(float(f["value"]), 2),
                             tuple(f["span"])) for f in g["facts"] if f["type"] == ftype}
    return out


def test_seed_finance_mentions_match_gold():
    for doc_id, gold in _gold_keys("finance").items():
        raw = (ROOT / "annotations" / "docs" / f"{doc_id}.txt").read_text(encoding="utf-8")
        got = {(f.name, f.stage, f.qualifier, round(float(f.value), 2), (f.span.start, f.span.end))
               for f in finance.extract(make_document(raw))}
        assert got == gold, doc_id


# Layout families of money in reports from other provinces (issue 13), written for these tests.
PROSE_CASES = [
    ("stage_from_a_final_accounts_heading",
     "部门整体支出绩效自评报告\n二、2023年度部门决算收支情况\n本年收入402.5万元，其中：财政拨款收入396.5万元。本年支出388.2万元。\n",
     [("income", "final", None, 4025000.0), ("income", "final", "fiscal", 3965000.0),
      ("expenditure", "final", None, 3882000.0)]),
    ("class_led_explanation_line",
     "部门决算\n（一）一般公共服务支出（类）：年初预算为210.00万元，支出决算为198.40万元。\n",
     [("expenditure", "budget", "一般公共服务支出", 2100000.0), ("expenditure", "final", "一般公共服务支出", 1984000.0)]),
    ("project_money_planned_then_paid",
     "2023年某县桥梁维修项目绩效自评报告\n一、项目概况\n项目计划投资600万元，其中中央资金400万元，县级配套资金200万元。全年应执行数为600万元，已支付588万元。\n",
     [("expenditure", "budget", None, 6000000.0), ("expenditure", "budget", "central", 4000000.0),
      ("expenditure", "budget", "county", 2000000.0), ("expenditure", "adjusted", None, 6000000.0),
      ("expenditure", "final", None, 5880000.0)]),
    ("funds_received_with_levels",
     "2023年某县优待金补助资金绩效自评报告\n一、资金情况\n2023年收到财政资金共120万元，其中：中央资金80万元，自治区资金40万元。\n",
     [("funds_received", None, None, 1200000.0), ("funds_received", None, "central", 800000.0),
      ("funds_received", None, "provincial", 400000.0)]),
    ("allocation_broken_down_without_a_title_name",
     "项目绩效自评报告\n一、基本情况\n上级下达农村供水维修补助经费320万元，其中中央资金200万元，本级配套资金120万元。\n",
     [("expenditure", "budget", None, 3200000.0), ("expenditure", "budget", "central", 2000000.0),
      ("expenditure", "budget", "local", 1200000.0)]),
    ("project_money_stated_as_a_sum_is_its_allocation",
     "2023年某县河道清淤项目绩效自评报告\n一、项目概况\n河道清淤项目资金共计86万元。\n",
     [("expenditure", "budget", None, 860000.0)]),
    ("transfer_payment_form_amount_lines",
     "某县2024年度农村公路养护补助资金绩效自评表\n资金合计（万元）\n年度预算资金总额： 520.00\n其中：中央补助 300.00\n"
     "县级资金（含结转结余） 220.00\n其中：\n桥梁检测经费（万元）\n年度预算资金总额： 120.00\n全年执行数（万元）： 498.30\n",
     [("expenditure", "budget", None, 5200000.0), ("expenditure", "budget", "central", 3000000.0),
      ("expenditure", "budget", "county", 2200000.0), ("expenditure", "final", None, 4983000.0)]),
    ("grand_totals_of_final_accounts_are_no_totals",
     "某县档案馆2023年度部门决算\n2023年度收、支总计均为237.47万元。\n",
     []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in PROSE_CASES], ids=[c[0] for c in PROSE_CASES])
def test_prose_layouts(raw, expected):
    doc = make_document(raw)
    got = [(f.name, f.stage, f.qualifier, float(f.value)) for f in finance.extract(doc)]
    assert got == expected
