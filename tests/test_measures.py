"""Improvement measures: items, links (order / similarity / none / table row), commitments."""
from __future__ import annotations

import pytest

from extract.measures import commitments, extract_measures
from extract.normalize import make_document
from extract.problems import extract_problems
from extract.sections import SectionTree
from tests.test_problems import _indicator, _rules_only, tree_for  # noqa: F401  (autouse fixture)


def run(raw: str):
    doc = make_document(raw)
    tree = tree_for(doc, {"problems": "（三）存在问题", "measures": "（四）改进措施", "other": "四、其他"})
    ps = extract_problems(doc, tree, ())
    return doc, ps, extract_measures(doc, tree, ps, ())


def test_same_count_links_pairwise_by_order():
    raw = ("（三）存在问题\n1.绩效评价结果应用不充分。\n2.专项资金使用计划性欠缺，前松后紧。\n"
           "（四）改进措施\n1.加强专项资金使用的计划性。\n2.建立评价结果与预算联动机制。\n四、其他\n无。\n")
    doc, ps, ms = run(raw)
    assert [doc.raw_text(m.span) for m in ms] == ["加强专项资金使用的计划性。", "建立评价结果与预算联动机制。"]
    assert [m.addresses for m in ms] == [("p1",), ("p2",)]  # order first, even against content
    assert all(m.link_evidence.rule == "order" for m in ms)
    assert all(m.evidence.extractor == "measures.rules.v1" for m in ms)


def test_different_count_links_by_similarity_and_a_measure_may_answer_none():
    raw = ("（三）存在问题\n对部门整体支出绩效管理认识不够到位，绩效管理观念有待增强。\n"
           "（四）改进措施\n（1）提高对部门整体支出绩效管理的认识，强化绩效观念。\n"
           "（2）提高财务人员的业务水平能力，完善报账相关规定及程序。\n四、其他\n无。\n")
    doc, ps, ms = run(raw)
    assert len(ps) == 1 and len(ms) == 2
    assert ms[0].addresses == ("p1",) and ms[0].link_evidence.rule == "similarity"
    assert ms[1].addresses == () and ms[1].link_evidence.rule == "none"
    assert "p1" in ms[1].link_evidence.explanation


def test_measure_with_deadline_target_and_owner():
    raw = ("（三）存在问题\n1.执行进度慢。\n（四）改进措施\n1.财务部门于2025年6月前建立跟踪机制，"
           "为重点项目设定3-5 年中长期效益指标，支出率达到95%以上。\n四、其他\n无。\n")
    doc, ps, ms = run(raw)
    m = ms[0]
    assert m.deadline == "2025年6月前"
    assert m.targets == ("3-5 年中长期效益指标", "95%以上")
    assert m.owner == "财务部门"
    assert m.actions[:1] == ("建立",)


COMMITMENT_CASES = {
    "year_end": ("年底前完成制度修订。", {"deadline": "年底前", "targets": ()}),
    "next_year": ("作为下年度预算调整的依据。", {"deadline": "下年度"}),
    "count_target": ("每年组织培训2次以上。", {"targets": ("2次以上",), "deadline": None}),
    "owners": ("各科室加强规划，财务部门加强跟踪督促。", {"owner": "各科室、财务部门"}),
    "object_is_not_owner": ("提高财务人员的业务水平。", {"owner": None}),
    "mid_term_is_not_deadline": ("设定3-5 年中长期效益指标。", {"deadline": None}),
    "pdf_break_inside_target": ("设定\n\n3-5 年中长期效益指\n\n标。", {"targets": ("3-5 年中长期效益指标",)}),
}


@pytest.mark.parametrize("text,expected", COMMITMENT_CASES.values(), ids=COMMITMENT_CASES.keys())
def test_commitments(text, expected):
    got = commitments(text)
    for k, v in expected.items():
        assert got[k] == v, k


def test_table_measure_answers_its_row_problem():
    raw = "部门预算资金支出率 10 9 各项工作开支设置不够细化。 对各项工作指标设置进行细化。\n"
    doc = make_document(raw)
    ind = _indicator(raw, "各项工作开支设置不够细化。", "对各项工作指标设置进行细化。")
    ps = extract_problems(doc, SectionTree(), [ind])
    ms = extract_measures(doc, SectionTree(), ps, [ind])
    assert [(m.id, doc.raw_text(m.span), m.addresses) for m in ms] == [("m1", "对各项工作指标设置进行细化。", ("p1",))]
    assert ms[0].link_evidence.rule == "table_row" and ms[0].actions == ("细化",)


def test_table_measure_dash_is_no_measure():
    raw = "部门预算资金支出率 10 10 - -\n"
    doc = make_document(raw)
    i = raw.index("-")
    from extract.core import Span
    from dataclasses import replace

    ind = replace(_indicator(raw, None), reason_span=Span(i, i + 1), measure_span=Span(i + 2, i + 3))
    assert extract_measures(doc, SectionTree(), [], [ind]) == []


def test_commitments_command_writes_csv(tmp_path):
    import csv

    from typer.testing import CliRunner

    from extract.cli import app

    f = tmp_path / "r.txt"
    f.write_text("（三）存在问题\n1.执行进度慢。\n（四）改进措施\n1.财务部门年底前加快支出进度，支出率达到95%以上。\n"
                 "四、其他自评情况\n无。\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["commitments", str(f), "--csv", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8")))
    assert [(r["id"], r["addresses"], r["deadline"], r["owner"], r["targets"]) for r in rows] == [
        ("m1", "p1", "年底前", "财务部门", "95%以上")]


def test_a_measure_sharing_only_generic_words_answers_nothing():
    from extract.core import Evidence, Problem, Span
    from extract.measures import link

    problems = [Problem("p1", Span(0, 1), "section", Evidence("t", "t"))]
    texts = ["对部门整体支出绩效管理认识不够到位，预决算绩效管理观念有待进一步增强。"]
    measures = ["进一步完善绩效评价工作制度，全面加强绩效管理，规范绩效管理流程，使其制度化、规范化。",
                "提高对部门整体支出绩效管理的认识，充分理解整体绩效评价指标体系，注重绩效目标。",
                "提高财务人员的业务水平能力，完善报账相关规定及程序。"]
    got = link(measures, problems, texts)
    assert [a for a, _ in got] == [(), ("p1",), ()]
    assert "more closely" in got[0][1].explanation


# (case id, problem, measures, index of the measure that remedies it or None)
REMEDY_CASES = {
    "incomplete_remedied_by_completion": ("内部控制制度还不够完善",
                                          ["加强预算执行监控。", "完善内部控制制度，规范审批流程。"], 1),
    "absent_answered_by_establishment": ("尚未建立固定资产台账", ["定期盘点资产。", "建立固定资产管理台账。"], 1),
    "incomplete_is_not_answered_by_establishment": ("考核机制还不够完善", ["建立考核机制。"], None),
    "remedy_applied_to_another_thing": ("内部控制制度不健全", ["完善绩效目标申报流程。"], None),
    "generic_subject_still_links": ("绩效管理不够规范", ["加强学习。", "规范绩效管理，按期报送。"], 1),
    "no_deficiency_stated": ("预算执行率偏低", ["提高预算执行率。"], None),
    "most_shared_words_win": ("评价结果应用机制有待进一步完善",
                              ["完善评价制度。", "完善评价结果应用机制，与预算挂钩。"], 1),
    "pdf_line_breaks_inside": ("整体评价体系和相\n\n关考核机制还不够完善",
                               ["建立评价结果与预算、考核联动机制。", "完善绩效评价制度细\n\n则。"], 1),
    "long_word_parts_match": ("评价体系不够完善", ["完善绩效评价办法。"], 0),
    "no_measures": ("评价体系不够完善", [], None),
}


@pytest.mark.parametrize("problem,measures,expected", REMEDY_CASES.values(), ids=REMEDY_CASES.keys())
def test_remedy(problem, measures, expected):
    from extract.measures import remedy

    got = remedy(problem, measures)
    assert (got[0] if got else None) == expected
    if got:
        assert "remedied by" in got[1] and "shared:" in got[1]


def test_inline_shortcoming_is_answered_by_the_measure_remedying_it():
    """Section problems link by order; the inline shortcoming no measure answers gets the
    measure whose action remedies it, and the link evidence says both."""
    raw = ("（二）工作成效\n单位预算执行较好，但内部控制制度还不够完善。\n"
           "（三）存在问题\n1.绩效评价结果应用不充分。\n2.专项资金使用计划性欠缺，前松后紧。\n"
           "（四）改进措施\n1.建立评价结果与预算联动机制。\n2.加强资金使用的计划性，完善内部控制制度。\n四、其他\n无。\n")
    doc, ps, ms = run(raw)
    inline = [p for p in ps if p.source == "inline"]
    assert [doc.raw_text(p.span) for p in inline] == ["内部控制制度还不够完善"]
    section = [p for p in ps if p.source == "section"]
    assert [m.addresses for m in ms] == [(section[0].id,), (section[1].id, inline[0].id)]
    ev = ms[1].link_evidence
    assert ev.rule == "order+remedy" and f"also answers {inline[0].id}" in ev.explanation
    assert ms[0].link_evidence.rule == "order"


def test_doctests():
    import doctest

    import extract.measures as measures_module

    result = doctest.testmod(measures_module)
    assert result.attempted >= 4 and result.failed == 0
