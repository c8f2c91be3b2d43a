"""Report metadata: named cases on small hand-written openings."""
from __future__ import annotations

import pytest

from extract.facts import meta
from extract.normalize import make_document


def fields(raw: str) -> dict:
    doc = make_document(raw)
    out = {}
    for m in meta.extract(doc):
        out[m.name] = m.value
        if m.span is not None:
            assert 0 <= m.span.start < m.span.end <= len(raw)
    return out


OPENING = ("整体绩效自评报告\n评价年度：2024年度\n评价单位：中共某县委组织部本级及非独立核算的下属单位某中心\n"
           "填报日期：2025年9月8日\n根据《某县财政局关于开展2025年财政资金绩效自评工作的通知》（某财〔2025〕149号）要求，我单位开展自评。\n")

NOTICE_CASES = [
    ("square_brackets", "（湛财[2018]12号）", "湛财〔2018〕12号"),
    ("lenticular", "（湛财【2024】3号）", "湛财〔2024〕3号"),
    ("parentheses", "（湛财(2022)7号）", "湛财〔2022〕7号"),
    ("small_tortoise", "（湛财﹝2021﹞5号）", "湛财〔2021〕5号"),
    ("spaces_inside", "（湛霞财〔2024〕 68 号）", "湛霞财〔2024〕68号"),
    ("bare_after_根据", "", None),
]


@pytest.mark.parametrize("ref,expected", [c[1:] for c in NOTICE_CASES], ids=[c[0] for c in NOTICE_CASES])
def test_notice_ref_brackets(ref, expected):
    raw = f"根据《关于开展绩效自评工作的通知》{ref}要求，开展自评。" if ref else "根据湛财〔2020〕9号要求，完成全年工作。"
    assert fields(raw).get("notice_ref") == expected


def test_opening_fields():
    f = fields(OPENING)
    assert f["title"] == "整体绩效自评报告" and f["report_kind"] == "overall"
    assert f["fiscal_year"] == 2024 and f["unit"] == "中共某县委组织部"
    assert f["filing_date"] == "2025-09-08" and f["notice_ref"] == "某财〔2025〕149号"


def test_the_units_own_document_number_is_not_the_notice():
    raw = OPENING + "落实湛发〔2018〕4号文相关政策。"
    assert fields("落实湛发〔2018〕4号文相关政策。" + OPENING)["notice_ref"] == "某财〔2025〕149号"
    assert fields(raw)["notice_ref"] == "某财〔2025〕149号"


TABLE_TITLE = "2022年度中国共产党某区委员会组织部（本级）部门整体支出绩效自评表\n部门名称 中国共产党某区委员会组织部 单位数：1\n"

SCORE_CASES = [
    ("self_score_words", "对照评分表自评得分97.5分。", 97.5),
    ("self_score_points", "自评分数为100分，自评等级为优秀。", 100),
    ("score_line_break", "自评得\n\n分 94 分。", 94),
    ("total_row", "“三公”经费控制情况 2 2 - -\n总分 100 99\n", 99),
]


@pytest.mark.parametrize("text,score", [c[1:] for c in SCORE_CASES], ids=[c[0] for c in SCORE_CASES])
def test_self_score(text, score):
    assert fields(text)["self_score"] == score


GRADE_CASES = [
    ("excellent_is_you", "自评分数为100分，自评等级为优秀。", "优"),
    ("stated", "自评得分94分，自评等级为优。", "优"),
    ("ticked_box", "评价等级\nþ优90分≤得分≤100分；¨良80分≤得分<90分；\n", "优"),
    ("ticked_second_box", "评价等级\n¨优90分≤得分≤100分；þ良80分≤得分<90分；\n", "良"),
    ("good_scale", "评价等级为较好。", "较好"),
    ("none", "自评情况较好。", None),
]


@pytest.mark.parametrize("text,grade", [c[1:] for c in GRADE_CASES], ids=[c[0] for c in GRADE_CASES])
def test_grade(text, grade):
    assert fields(text).get("grade") == grade


def test_table_title_drops_year_and_unit():
    f = fields(TABLE_TITLE)
    assert f["title"] == "部门整体支出绩效自评表" and f["fiscal_year"] == 2022
    assert f["unit"] == "中国共产党某区委员会组织部"


def test_project_report_keeps_project_name():
    f = fields("2023年度乡村振兴专项资金项目支出绩效自评报告\n项目单位：某县农业农村局\n")
    assert f["report_kind"] == "project" and "乡村振兴专项资金" in f["title"] and f["unit"] == "某县农业农村局"


def test_month_only_date_is_not_a_filing_date():
    assert "filing_date" not in fields("填报日期：2025年9月\n")


def test_no_title_line_when_the_report_opens_with_the_notice():
    f = fields("根据《关于开展绩效评价工作的通知》（湛霞财〔2024〕68号）要求，现将2023年度中共某区委办公室整体绩效自我评价报告如下：\n")
    assert "title" not in f and f["fiscal_year"] == 2023 and f["unit"] == "中共某区委办公室"
