"""Report metadata: named cases on small hand-written openings."""
from __future__ import annotations

import json
from pathlib import Path

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


#: (id, field, text, expected): one field read from a small hand-written text.
FIELD_CASES = [
    # notice_ref
    ("budget_allocation_first", "notice_ref",
     "根据《关于下达2024年部门预算的通知》（某财预〔2024〕10号）以及《关于开展2024年度部门整体支出绩效自评工作的通知》"
     "（某财绩〔2024〕3号）要求，开展自评。", "某财绩〔2024〕3号"),
    ("units_own_document_first", "notice_ref",
     "我局印发《绩效评价工作方案》（某农〔2024〕5号），根据《关于开展绩效自评的通知》（某财〔2024〕8号）要求开展自评。",
     "某财〔2024〕8号"),
    ("two_notices_cited_together", "notice_ref",
     "按照《关于开展绩效自评工作的通知》（某财绩〔2024〕1号）和《关于做好绩效评价工作的补充通知》（某财绩〔2024〕2号）要求，开展绩效自评。",
     "某财绩〔2024〕1号"),
    ("ascii_parentheses_around", "notice_ref", "根据某财政局(某财〔2023〕12号)文件精神，开展2022年度绩效自评工作。", "某财〔2023〕12号"),
    ("spaces_inside_brackets", "notice_ref", "根据《关于开展绩效评价工作的通知》（湛财〔 2022 〕 7 号）要求，开展绩效自评。", "湛财〔2022〕7号"),
    ("bureau_name_before_number", "notice_ref", "按照市财政局湛财〔2024〕3号文件要求，开展绩效自评。", "湛财〔2024〕3号"),
    ("sentence_says_only_自评", "notice_ref", "根据湛财绩〔2024〕2号文件要求，我局开展了项目支出自评工作。", "湛财绩〔2024〕2号"),
    ("only_the_units_own", "notice_ref", "我局制定了《绩效评价管理办法》（某农〔2023〕1号）。", None),
    # filing_date
    ("chinese_date", "filing_date", "填报日期：2025年9月8日\n", "2025-09-08"),
    ("dashes", "filing_date", "填报日期：2024-03-15\n", "2024-03-15"),
    ("dots", "filing_date", "报告日期：2024.3.15\n", "2024-03-15"),
    ("month_only", "filing_date", "填报日期：2025年9月\n", None),
    ("signature_at_the_end", "filing_date", "整体绩效自评报告\n正文。\n某县农业农村局\n2024年3月15日", "2024-03-15"),
    ("signature_in_chinese_numerals", "filing_date", "整体绩效自评报告\n正文。\n二〇二四年三月十五日", "2024-03-15"),
    ("web_publication_date", "filing_date", "发布日期：2024-05-20\n整体绩效自评报告\n正文。\n发布时间：2024年5月20日", None),
    ("deadline_is_no_filing_date", "filing_date", "整体绩效自评报告\n请于截止日期：2024年6月30日前完成。", None),
    # report_kind and fiscal_year from a project form's labelled fields
    ("project_name_label", "report_kind", "部门名称（公章）：某县气象局\n项目名称：人工增雨作业经费\n绩效自评结论\n", "project"),
    ("project_name_cell", "report_kind", "| 单位名称 | 某县农技中心 | 单位：万元 |\n| 项目名称 | 病虫害统防统治 | 年度 | 2023 |\n", "project"),
    ("year_cell_of_a_form", "fiscal_year", "| 项目名称 | 病虫害统防统治 | 年度 | 2023 |\n", 2023),
    ("year_word_in_prose_is_no_field", "fiscal_year", "年度目标已经完成，2023年共计培训120人次。", None),
    # self_score
    ("table_cell_number", "self_score", "自评得分\n\n96.5\n\n自评等级\n\n优", 96.5),
    ("cell_then_next_label", "self_score", "自评得分：95.5 自评等级：优", 95.5),
    ("total_then_score", "self_score", "总分100分，得分92分，等级为良。", 92),
    ("overall_score_words", "self_score", "综合得分为88.5分。", 88.5),
    ("indicator_score_is_not_the_total", "self_score", "该指标得分为2分。", None),
    # grade
    ("result_is_excellent", "grade", "评价结果为“优秀”。", "优"),
    ("conclusion_on_the_good_scale", "grade", "自评结论为一般。", "一般"),
    ("rated_as", "grade", "经综合评价，评定为“良”等级。", "良"),
    ("ticked_with_a_check_mark", "grade", "☑优 □良 □中 □差", "优"),
    ("inspection_result_is_no_grade", "grade", "经检查，结果为良好。", None),
    ("bullet_before_a_word", "grade", "■优化审批流程，■良性循环。", None),
    ("grading_scale_is_no_grade", "grade", "评价等级为优、良、中、差四档。", None),
    ("result_is_a_score", "grade", "自评结果为97.5分。", None),
    ("result_word_starts_a_longer_word", "grade", "评价结果为优化预算提供依据。", None),
]


@pytest.mark.parametrize("field,text,expected", [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES])
def test_field_forms(field, text, expected):
    assert fields(text).get(field) == expected


TITLE_CASES = [
    ("unit_before_the_year", "某县农业农村局2023年度部门整体支出绩效自评报告\n",
     {"title": "部门整体支出绩效自评报告", "fiscal_year": 2023, "unit": "某县农业农村局"}),
    ("chinese_numeral_year", "二〇二三年度部门整体支出绩效自评报告\n", {"title": "部门整体支出绩效自评报告", "fiscal_year": 2023}),
    ("traditional_characters", "2023年度部門整體支出績效自評報告\n",
     {"title": "部門整體支出績效自評報告", "report_kind": "overall", "fiscal_year": 2023}),
    ("traditional_with_pinyin", "2023年度部門整體支出績(jī)效自評報告\n", {"title": "部門整體支出績(jī)效自評報告"}),
    ("the_report_sentence_is_no_title", "现将我局2023年度部门整体支出绩效自评情况报告如下：\n", {"title": None, "fiscal_year": 2023}),
    ("seal_in_the_unit_label", "部门（单位）名称（公章）：某县农业农村局\n", {"unit": "某县农业农村局"}),
    ("year_inside_a_cited_notice_is_not_the_fiscal_year",
     "根据《关于开展2024年度部门整体支出绩效自评工作的通知》（某财绩〔2024〕3号）要求，开展自评。", {"fiscal_year": None}),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in TITLE_CASES], ids=[c[0] for c in TITLE_CASES])
def test_title_year_and_unit(text, expected):
    f = fields(text)
    assert {k: f.get(k) for k in expected} == expected


def test_every_field_carries_its_evidence():
    doc = make_document(OPENING)
    for m in meta.extract(doc):
        assert m.evidence.extractor == "meta.rules.v1" and m.evidence.rule
        if m.name in ("title", "unit", "notice_ref"):
            assert "".join(OPENING[m.span.start:m.span.end].split()) == m.value


SEEDS = sorted((Path(__file__).resolve().parents[1] / "annotations" / "docs").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_seeds_match_gold_meta(path):
    gold = json.loads((path.parents[1] / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["meta"]
    got = {k: None for k in gold}
    for m in meta.extract(make_document(path.read_text(encoding="utf-8"), doc_id=path.stem)):
        got[m.name] = float(m.value) if m.name == "self_score" else m.value
    assert got == gold


# Layout families of real report heads (issue 13); each document is written for this test.
HEAD_CASES = [
    ("caption_title_in_pipe_cells",
     "| 水土保持补助资金绩效自评表 | | |\n| （2022年度） | | |\n| 实施单位 | 711003-某山县水利局 | |\n",
     {"title": "水土保持补助资金绩效自评表", "fiscal_year": 2022, "unit": "某山县水利局", "report_kind": "project"}),
    ("breadcrumb_and_source_lines_are_no_title",
     "首页 > 信息公开 > 绩效评价\n2023年某河县道路养护项目绩效自评报告\n来源：某河县交通运输局 浏览次数：\n一、基本情况\n",
     {"title": "道路养护项目绩效自评报告", "fiscal_year": 2023, "report_kind": "project"}),
    ("title_over_three_lines_unit_above",
     "某江县民政局\n\n2024年度中央、省级转移支付资金\n\n绩效自评报告\n\n一、绩效目标分解下达情况\n",
     {"title": "中央、省级转移支付资金绩效自评报告", "unit": "某江县民政局", "fiscal_year": 2024}),
    ("file_name_line_is_no_title",
     "《2022年度某专项资金绩效目标自评表.docx》由会员分享，可在线阅读\n2022年度县级专项资金绩效目标自评表\n",
     {"title": "县级专项资金绩效目标自评表", "fiscal_year": 2022}),
    ("spam_in_brackets_is_cut",
     "【某某官方平台】2023年度中央财政林业改革发展资金绩效自评报告\n发布单位：林业局\n",
     {"title": "中央财政林业改革发展资金绩效自评报告", "fiscal_year": 2023}),
    ("final_accounts_title",
     "2022年度\n某城县第二中学部门决算\n目 录\n第一部分 单位概况\n",
     {"title": "部门决算", "report_kind": "final_accounts", "fiscal_year": 2022, "unit": "某城县第二中学"}),
    ("traditional_title_stays_traditional",
     "白山縣2022年農村綜合改革轉移支付資金績效自評報告\n一、基本情況\n",
     {"title": "農村綜合改革轉移支付資金績效自評報告", "fiscal_year": 2022}),
    ("internal_section_gives_way_to_its_department",
     "项目支出绩效自评报告\n项目单位：某平县城市管理局环卫股\n主管部门：某平县城市管理局\n",
     {"unit": "某平县城市管理局"}),
    ("masked_unit_is_no_unit",
     "**县2024年度中央水利发展资金\n绩效自评报告\n| 资金使用单位 | **县水务局 | |\n",
     {"title": "中央水利发展资金绩效自评报告", "unit": None}),
    ("unit_from_the_signature",
     "2023年某峰县学生资助资金绩效自评报告\n一、基本情况\n资金已全部发放。\n\n某峰县教育局\n2024年3月2日\n",
     {"unit": "某峰县教育局"}),
    ("year_caption_with_spaces",
     "| 部门整体支出绩效自评表 | | |\n| ( 2019 年度) | | |\n| 部门名称 | 某溪区统计局 | |\n",
     {"title": "部门整体支出绩效自评表", "fiscal_year": 2019, "unit": "某溪区统计局", "report_kind": "overall"}),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in HEAD_CASES], ids=[c[0] for c in HEAD_CASES])
def test_head_layouts(text, expected):
    f = fields(text)
    assert {k: f.get(k) for k in expected} == expected
