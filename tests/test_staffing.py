"""Staffing and organisation counts: named cases on small hand-written reports."""
from __future__ import annotations

import pytest

from extract.facts import staffing
from extract.normalize import make_document

HEAD = "一、单位基本情况\n"
TAIL = "\n二、年度总体工作\n全年培训干部300人，召开会议12次，指导3个县级人才驿站。"


def facts(body: str, head: str = HEAD, tail: str = TAIL):
    doc = make_document(head + body + tail)
    return [(f.type, f.name, f.entity, int(f.value), doc.raw[f.span.start:f.span.end]) for f in staffing.extract(doc)]


CASES = [
    ("posts_then_people", "本部门行政编制20名，实有在职人数19人，离休人数0人，退休人数13人。",
     [("staffing", "authorized_admin", None, 20, "20名"), ("staffing", "active_total", None, 19, "19人"),
      ("staffing", "retired_cadre", None, 0, "0人"), ("staffing", "retired", None, 13, "13人")]),
    ("worker_posts_before_admin", "总编制70名，其中：行政编制61名，行政工勤编制9名。",
     [("staffing", "authorized_total", None, 70, "70名"), ("staffing", "authorized_admin", None, 61, "61名"),
      ("staffing", "authorized_worker", None, 9, "9名")]),
    ("retired_all_vs_early", "离退休人数19人，离岗退养1人。",
     [("staffing", "retired_all", None, 19, "19人"), ("staffing", "early_retired", None, 1, "1人")]),
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
