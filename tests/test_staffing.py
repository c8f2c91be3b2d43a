"""Staffing and organisation counts: named cases on small hand-written reports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.facts import staffing
from extract.normalize import make_document

HEAD = "一、单位基本情况\n"
TAIL = "\n二、年度总体工作\n全年培训干部300人，召开会议12次，指导3个县级人才驿站。"


def facts(body: str, head: str = HEAD, tail: str = TAIL):
    doc = make_document(head + body + tail)
    return [(f.type, f.name, f.entity, int(f.value), doc.raw[f.span.start:f.span.end]) for f in staffing.extract(doc)]


CASES = [
    ("school_staff_on_establishment", "核定事业编制40名，在编教职工数为38人。",
     [("staffing", "authorized_institution", None, 40, "40名"), ("staffing", "active_total", None, 38, "38人")]),
    ("posts_then_people", "本部门行政编制20名，实有在职人数19人，离休人数0人，退休人数13人。",
     [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人"),
      ("staffing", "retired_cadre", None, 0, "0人"), ("staffing", "retired", None, 13, "13人")]),
    ("worker_posts_before_admin", "总编制70名，其中：行政编制61名，行政工勤编制9名。",
     [("staffing", "authorized_total", None, 70, "70名"), ("staffing", "authorized_admin", None, 61, "61名"),
      ("staffing", "authorized_worker", None, 9, "9名")]),
    ("retired_all_vs_early", "离退休人数19人，离岗退养1人。",
     [("staffing", "retired_all", None, 19, "19人"), ("staffing", "early_retired", None, 1, "1人")]),
    # layout families of reports from other provinces (issue 13), written for these tests
    ("in_post_actual_is_active", "在职实有 14 人，其中县调查队在职实有 4 人。",
     [("staffing", "active_total", None, 14, "14 人"), ("staffing", "active_total", "县调查队", 4, "4 人")]),
    ("cadres_and_workers_now_is_active", "现有干部职工128人。",
     [("staffing", "active_total", None, 128, "128人")]),
    ("label_and_value_on_separate_lines", "人员编制\n\n21\n\n其中行政编制\n\n14\n",
     [("staffing", "authorized_total", None, 21, "21"), ("staffing", "authorized_admin", None, 14, "14")]),
    ("subordinate_units_with_grade_and_farms", "下设2个副科级事业单位，辖4个国有林场。",
     [("org", "subordinate_units", None, 2, "2个"), ("org", "subordinate_units", None, 4, "4个")]),
    ("named_sub_unit_keeps_its_entity", "所属林场在职82人，所属林场退休46人。",
     [("staffing", "active_total", "所属林场", 82, "82人"), ("staffing", "retired", "所属林场", 46, "46人")]),
    ("no_internal_departments", "本馆无内设机构，编制5名。",
     [("staffing", "authorized_total", None, 5, "5名"), ("org", "internal_departments", None, 0, "无")]),
    ("chinese_numeral_org", "本部门设置综合股、人事股四个内设机构。",
     [("org", "internal_departments", None, 4, "四个")]),
    ("count_before_noun", "内设办公室、研究室等13个组室，下属事业单位（含参公）2个，下属二级预算单位0个。",
     [("org", "internal_departments", None, 13, "13个"), ("org", "subordinate_units", None, 2, "2个"),
      ("org", "secondary_budget_units", None, 0, "0个")]),
    ("sub_units_in_one_paragraph", "本部行政编制20名；区党建指导中心编制20名，实有在职人数19人；区档案管理中心编制5名。",
     [("staffing", "authorized_admin", None, 20, "20名"),
      ("staffing", "authorized_total", "区党建指导中心", 20, "20名"),
      ("staffing", "active_total", "区党建指导中心", 19, "19人"),
      ("staffing", "authorized_total", "区档案管理中心", 5, "5名")]),
    ("sub_group_inside_a_figure", "机关行政编制人数20人（含区委深改办秘书组1人）。",
     [("staffing", "authorized_admin", None, 20, "20人"),
      ("staffing", "authorized_admin", "区委深改办秘书组", 1, "1人")]),
    ("non_establishment_kinds", "合同制工作人员3名，编外人员1人，雇员制后勤服务人员2人。",
     [("staffing", "non_establishment", None, 3, "3名"), ("staffing", "non_establishment", None, 1, "1人"),
      ("staffing", "non_establishment", None, 2, "2人")]),
    ("ascii_punctuation", "行政编制20名,在职人数19人;退休人数3人.",
     [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人"),
      ("staffing", "retired", None, 3, "3人")]),
    ("pdf_spaces_inside_words", "设 17 个内设 机构，行政编 制 20 名。",
     [("org", "internal_departments", None, 17, "17 个"), ("staffing", "authorized_admin", None, 20, "20 名")]),
    ("masked_values", "行政编制**名，在职人数x人。", []),
    ("actual_vs_active", "单位实有人数34人，其中行政在职17人，事业在职2人。",
     [("staffing", "actual_total", None, 34, "34人"), ("staffing", "active_admin", None, 17, "17人"),
      ("staffing", "active_institution", None, 2, "2人")]),
    ("in_post_before_noun", "在职行政人员15人，在职事业人员3人。",
     [("staffing", "active_admin", None, 15, "15人"), ("staffing", "active_institution", None, 3, "3人")]),
    ("staffing_counted_in_ge", "核定行政编制5个，实有人员4个。",
     [("staffing", "authorized_admin", None, 5, "5个"), ("staffing", "actual_total", None, 4, "4个")]),
    ("chinese_numerals", "行政编制十三名，在职人数十二人，退休两人，离休零人。",
     [("staffing", "authorized_admin", None, 13, "十三名"), ("staffing", "active_total", None, 12, "十二人"),
      ("staffing", "retired", None, 2, "两人"), ("staffing", "retired_cadre", None, 0, "零人")]),
    ("headcount_before_posts", "现有在职人员19人，核定编制20名。",
     [("staffing", "active_total", None, 19, "19人"), ("staffing", "authorized_total", None, 20, "20名")]),
    ("retired_split", "离退休人员19人（其中离休1人，退休18人）。",
     [("staffing", "retired_all", None, 19, "19人"), ("staffing", "retired_cadre", None, 1, "1人"),
      ("staffing", "retired", None, 18, "18人")]),
    ("worker_posts_vs_people", "工勤编制2名，工勤人员3人。",
     [("staffing", "authorized_worker", None, 2, "2名"), ("staffing", "worker", None, 3, "3人")]),
    ("temporary_and_dispatched", "临聘人员5人，劳务派遣人员2名。",
     [("staffing", "non_establishment", None, 5, "5人"), ("staffing", "non_establishment", None, 2, "2名")]),
    ("in_establishment_people", "编制内人员30人，政府购买服务人员5人，公益性岗位人员2人。",
     [("staffing", "active_total", None, 30, "30人"), ("staffing", "non_establishment", None, 5, "5人"),
      ("staffing", "non_establishment", None, 2, "2人")]),
    ("colon_between_cue_and_figure", "行政编制:20人;实有人数：18人",
     [("staffing", "authorized_admin", None, 20, "20人"), ("staffing", "actual_total", None, 18, "18人")]),
    ("pipe_table_bare_numbers", "编制人数 | 20 | 实有人数 | 18\n",
     [("staffing", "authorized_total", None, 20, "20"), ("staffing", "actual_total", None, 18, "18")]),
    ("table_cell_per_line", "在职人数\n19\n退休人数\n3\n",
     [("staffing", "active_total", None, 19, "19"), ("staffing", "retired", None, 3, "3")]),
    ("bare_number_in_prose_is_no_count", "行政编制20，在职19。", []),
    ("entity_without_place_prefix", "本级行政编制10名；所属事业单位党建指导中心事业编制5名，在职4人。",
     [("staffing", "authorized_admin", None, 10, "10名"),
      ("staffing", "authorized_institution", "党建指导中心", 5, "5名"),
      ("staffing", "active_total", "党建指导中心", 4, "4人")]),
    ("reporting_unit_is_no_entity", "区委组织部行政编制20名，在职19人。",
     [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人")]),
    ("total_after_a_list", "内设股室：办公室、财务股、人事股，共3个。",
     [("org", "internal_departments", None, 3, "3个")]),
    ("subordinate_after_下设", "本局下设2个事业单位。", [("org", "subordinate_units", None, 2, "2个")]),
    ("bureau_units_and_a_total_word", "内设股室8个，局属二级单位3个，编制共计58人（行政编制12人，事业编制46人）。",
     [("org", "internal_departments", None, 8, "8个"), ("org", "subordinate_units", None, 3, "3个"),
      ("staffing", "authorized_total", None, 58, "58人"), ("staffing", "authorized_admin", None, 12, "12人"),
      ("staffing", "authorized_institution", None, 46, "46人")]),
    ("units_after_下设_and_所属", "局机关下设7个职能股室和1个事业单位，核定领导职数5名。整体支出包括本级及所属2家单位。",
     [("org", "internal_departments", None, 7, "7个"), ("org", "subordinate_units", None, 1, "1个"),
      ("org", "subordinate_units", None, 2, "2家")]),
    ("party_members_are_no_staff", "本单位共有在职党员15人，退休党员4人。", []),
    ("work_group_is_no_staff", "成立自评工作小组，由在职人员5人组成。", []),
    ("other_bodies_posts", "全区核定中小学教职工编制3213名，全区镇街共设9个内设机构。", []),
    ("name_words_inside_a_list", "内设办公室、干部培训组、乡镇工作股等3个股室。",
     [("org", "internal_departments", None, 3, "3个")]),
    ("traditional_with_pinyin", "績(jī)效管理，行政編(biān)制20名，在職人員19人。",
     [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人")]),
    ("fractional_or_masked", "在职人数**人，编制X名，退休1.5人。", []),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_staffing_cases(body, expected):
    assert facts(body) == expected


def test_work_output_outside_basic_info_is_not_staffing():
    assert facts("行政编制20名。") == [("staffing", "authorized_admin", None, 20, "20名")]  # tail's 300人 etc. ignored


def test_contents_page_yields_nothing():
    toc = "目 录\n一、单位基本情况……………………1\n二、年度总体工作……………………3\n三、存在问题……………………5\n"
    assert facts("", head=toc, tail="") == []


def test_no_subordinate_units_anywhere_is_zero():
    got = facts("区委编办为正科级单位。", tail="\n二、自评工作\n评价对象为本级，无下属单位。")
    assert got == [("org", "subordinate_units", None, 0, "无")]


def test_new_office_with_posts_is_its_own_entity():
    got = facts("行政编制20名。", tail="\n二、年度工作\n八是成立区乡村振兴工作办公室，新增行政编制5名，并增设综合组、督查组两个内设机构。")
    assert ("staffing", "authorized_admin", "区乡村振兴工作办公室", 5, "5名") in got
    assert ("org", "internal_departments", "区乡村振兴工作办公室", 2, "两个") in got


def test_traditional_characters_with_pinyin_do_not_crash():
    assert isinstance(facts("績(jī)效管理，行政編制20名。"), list)


def test_contents_page_then_body_reads_the_body():
    toc = "目 录\n一、单位基本情况……………………1\n二、年度总体工作……………………3\n"
    got = facts("行政编制20名，在职19人。", head=toc + "一、单位基本情况\n")
    assert got == [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人")]


def test_a_budget_heading_does_not_start_a_staffing_part():
    got = facts("行政编制20名。", tail="\n二、预算执行\n（1）预算编制情况。\n编制人数20人的项目预算，新增编制5名。")
    assert got == [("staffing", "authorized_admin", None, 20, "20名")]


def test_without_a_basic_information_heading_the_opening_is_read():
    got = facts("本局内设5个股室，行政编制12名，在职11人。", head="某县某局2023年度部门整体支出绩效自评报告\n")
    assert got == [("org", "internal_departments", None, 5, "5个"), ("staffing", "authorized_admin", None, 12, "12名"),
                   ("staffing", "active_total", None, 11, "11人")]


def test_no_secondary_budget_units_is_zero_of_that_kind():
    got = facts("本部门无下属二级预算单位。", tail="")
    assert got == [("org", "secondary_budget_units", None, 0, "无")]


def test_spans_are_raw_evidence_with_pdf_breaks():
    raw = "一、单位基本情况\n\n中共某县委组织部行政编\n\n制 20 名,实有在职人数 19 人。\n二、年度总体工作\n"
    doc = make_document(raw)
    got = staffing.extract(doc)
    assert [raw[f.span.start:f.span.end] for f in got] == ["20 名", "19 人"]
    assert all(f.evidence.extractor == "staffing.rules.v1" and f.evidence.rule for f in got)


def test_kinds_named_only_after_a_total_and_qizhong():
    assert facts("在职人员20人，其中行政人员15人，事业人员5人。") == [
        ("staffing", "active_total", None, 20, "20人"), ("staffing", "active_admin", None, 15, "15人"),
        ("staffing", "active_institution", None, 5, "5人")]
    assert facts("编制25名，其中行政12名、事业13名；退休3人，其中行政人员2人。") == [
        ("staffing", "authorized_total", None, 25, "25名"), ("staffing", "authorized_admin", None, 12, "12名"),
        ("staffing", "authorized_institution", None, 13, "13名"), ("staffing", "retired", None, 3, "3人")]


SEEDS = sorted((Path(__file__).resolve().parents[1] / "annotations" / "docs").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_seeds_match_gold_staffing_and_org(path):
    gold = json.loads((path.parents[1] / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    raw = path.read_text(encoding="utf-8")
    want = sorted((f["type"], f["name"], f["entity"] or "", f["value"], tuple(f["span"])) for f in gold["facts"]
                  if f["type"] in ("staffing", "org"))
    got = sorted((f.type, f.name, f.entity or "", int(f.value), (f.span.start, f.span.end))
                 for f in staffing.extract(make_document(raw, doc_id=path.stem)))
    assert got == want


def test_a_report_in_traditional_characters_with_pinyin():
    raw = ("2023年度部門整體支出績(jī)效自評報告\n一、單位基本情況\n本單位內設3個科室，行政編制20名，在職人員19人，退休人員5人。\n"
           "二、年度工作\n培訓幹部300人。")
    doc = make_document(raw)
    assert [(f.name, int(f.value), raw[f.span.start:f.span.end]) for f in staffing.extract(doc)] == [
        ("internal_departments", 3, "3個"), ("authorized_admin", 20, "20名"), ("active_total", 19, "19人"),
        ("retired", 5, "5人")]


def test_the_title_line_does_not_end_the_opening():
    got = facts("本局行政编制12名。\n二、年度工作\n", head="某县某局2023年度部门整体支出绩效自评报告\n", tail="")
    assert got == [("staffing", "authorized_admin", None, 12, "12名")]
