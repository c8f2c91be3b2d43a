"""Problem statements: list styles, PDF line breaks, non-answers, inline shortcomings, table cells."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extract.core import Evidence, Indicator, Span
from extract.normalize import make_document
from extract.problems import extract_problems, is_non_answer, split_items
from extract.sections import Section, SectionTree


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch, tmp_path):
    """No trained model: categories come from the rules, inline needs no detector."""
    import extract.classify as c

    monkeypatch.setenv("JIXIAO_MODEL_DIR", str(tmp_path / "no_model"))
    c._cached.cache_clear()
    yield
    c._cached.cache_clear()


def tree_for(doc, headings: dict[str, str]) -> SectionTree:
    """Hand-built sections: each heading's body runs to the next heading (or the end)."""
    found = sorted((doc.text.index(h), label, h) for label, h in headings.items())
    secs = []
    for i, (start, label, h) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(doc.text)
        secs.append(Section(label, h, 2, start, start + len(h), end))
    return SectionTree(tuple(secs))


def problems_of(raw: str, headings=None, indicators=()):
    doc = make_document(raw)
    tree = tree_for(doc, headings or {"problems": "（三）存在问题", "measures": "（四）改进措施"})
    return doc, extract_problems(doc, tree, indicators)


LIST_CASES = {
    "arabic": ("1.预算编制不够细化。\n2.支出进度慢，前松后紧。\n", ["预算编制不够细化。", "支出进度慢，前松后紧。"]),
    "arabic_comma": ("1、预算编制不够细化。\n2、支出进度慢。\n", ["预算编制不够细化。", "支出进度慢。"]),
    "paren_cn": ("（一）预算编制不够细化。\n（二）支出进度慢。\n", ["预算编制不够细化。", "支出进度慢。"]),
    "paren_arabic": ("(1)预算编制不够细化。\n(2)支出进度慢。\n", ["预算编制不够细化。", "支出进度慢。"]),
    "yi_shi_inline": ("主要问题：一是预算编制不够细化；二是支出进度慢。\n", ["预算编制不够细化；", "支出进度慢。"]),
    "unnumbered_paragraph": ("工作人员业务水平有待提高，基础工作有待进一步加强。\n", ["工作人员业务水平有待提高，基础工作有待进一步加强。"]),
    "sub_items_stay_inside": ("1.制度不健全：（1）缺少细则；（2）流程不清。\n2.认识不到位。\n",
                              ["制度不健全：（1）缺少细则；（2）流程不清。", "认识不到位。"]),
    "yi_shi_lines": ("一是预算编制不够细化；\n二是支出进度慢。\n", ["预算编制不够细化；", "支出进度慢。"]),
    "circled": ("①认识不到位。\n②人手紧张。\n", ["认识不到位。", "人手紧张。"]),
    "intro_line_skipped": ("主要存在以下问题：\n1.认识不到位。\n2.人手紧张。\n", ["认识不到位。", "人手紧张。"]),
}


@pytest.mark.parametrize("body,expected", LIST_CASES.values(), ids=LIST_CASES.keys())
def test_list_styles(body, expected):
    raw = f"（三）存在问题\n{body}（四）改进措施\n加强培训。\n"
    doc, ps = problems_of(raw)
    assert [doc.raw_text(p.span) for p in ps] == expected
    assert all(p.source == "section" and p.evidence.extractor == "problems.rules.v1" for p in ps)


def test_items_across_pdf_line_breaks():
    raw = ("（三）存在问题\n\n1.绩效评价结果的应用还不够充分，评价结果未能与部门预\n\n算安排有效结合。\n\n"
           "2.对长期绩效关注不够，多聚焦当年度短期绩效目标完成情\n\n况。\n\n（四）改进措施\n\n加强培训。\n")
    doc, ps = problems_of(raw)
    assert [doc.raw_text(p.span) for p in ps] == [
        "绩效评价结果的应用还不够充分，评价结果未能与部门预\n\n算安排有效结合。",
        "对长期绩效关注不够，多聚焦当年度短期绩效目标完成情\n\n况。"]
    assert ps[0].categories[0] == "evaluation_and_use"


def test_unnumbered_paragraph_across_line_breaks_is_one_problem():
    raw = "（三）存在问题\n\n对绩效管理认识不够到位，预决算绩效管理观\n\n念有待进一步增强。\n\n（四）改进措施\n\n加强培训。\n"
    doc, ps = problems_of(raw)
    assert [doc.raw_text(p.span) for p in ps] == ["对绩效管理认识不够到位，预决算绩效管理观\n\n念有待进一步增强。"]
    assert ps[0].evidence.rule == "section_paragraph" and ps[0].categories[0] == "awareness"


@pytest.mark.parametrize("body", ["无", "暂无", "无。", "-", "暂无问题。"])
def test_non_answer_section_has_no_problem(body):
    _, ps = problems_of(f"（三）存在问题\n{body}\n（四）改进措施\n无。\n")
    assert ps == []


def test_is_non_answer():
    assert is_non_answer("暂无") and is_non_answer(" - ") and not is_non_answer("无法按期完成")


def test_inline_shortcoming_in_positive_paragraph():
    raw = ("（4）绩效管理情况。\n我单位制定了预算绩效管理制度，确保绩效管理工作有效运行。但整体评价体系和相\n\n"
           "关考核机制还不够完善，后续仍需根据新要求对该制度进行调整。\n（三）存在问题\n无。\n（四）改进措施\n无。\n")
    doc, ps = problems_of(raw)
    assert len(ps) == 1
    p = ps[0]
    assert p.source == "inline" and p.evidence.rule == "inline_contrast_cue"
    assert doc.raw_text(p.span) == "整体评价体系和相\n\n关考核机制还不够完善"
    assert p.categories[0] == "evaluation_and_use"
    assert "不够" in p.evidence.explanation


DEDUCTION_CASES = [  # the explanation after a score below its maximum, in an evaluation part
    ("figures_then_the_reason",
     "（二）过程指标。满分30分，得26分。全年预算数120万元，全年执行数104万元，执行率86.67%，设备招标流标一次，支出进度偏慢。\n",
     ["设备招标流标一次，支出进度偏慢"]),
    ("reason_then_filler", "2、过程25分，自评得分22分。工程款拨付集中在年末，影响得分。\n", ["工程款拨付集中在年末"]),
    ("reason_after_a_comma", "（二）项目过程。满分20分，得17分，监理合同签订较晚，全年支出进度滞后于计划。\n",
     ["监理合同签订较晚，全年支出进度滞后于计划"]),
    ("deduction_lead_words", "（三）项目产出。满分40分，得38分，扣分原因：部分培训课时未按计划开展。\n", ["部分培训课时未按计划开展"]),
    ("full_marks_explain_nothing", "（一）项目决策。满分15分，得15分。立项依据充分，程序规范。\n", []),
    ("the_total_is_no_deduction", "二、绩效评价情况（分值100分，自评得分92分）\n", []),
    ("only_figures_after_the_score", "（四）效益指标。满分20分，得18分。受益人口3.2万人。\n", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in DEDUCTION_CASES], ids=[c[0] for c in DEDUCTION_CASES])
def test_deduction_reasons(raw, expected):
    from extract.problems import deduction_candidates

    got = [raw[c.start:c.end] for c in deduction_candidates(raw, [(0, len(raw))])]
    assert got == expected


def test_deduction_reason_is_a_problem_with_its_evidence():
    doc, ps = problems_of("（二）过程指标。满分30分，得26分。全年执行数104万元，设备招标流标一次，支出进度滞后。\n"
                          "（三）存在问题\n无。\n（四）改进措施\n无。\n")
    assert [(doc.raw_text(p.span), p.evidence.rule) for p in ps] == [("设备招标流标一次，支出进度滞后", "score_deduction_reason")]
    assert "30分，得26分" in ps[0].evidence.explanation


def test_positive_paragraph_without_contrast_yields_nothing_without_model():
    raw = "我单位不断提高工作质量，补齐薄弱环节。\n（三）存在问题\n无。\n（四）改进措施\n无。\n"
    assert problems_of(raw)[1] == []


def _indicator(raw: str, reason: str | None, measure: str | None = None) -> Indicator:
    def span(t):
        if t is None:
            return None
        s = raw.index(t)
        return Span(s, s + len(t))
    return Indicator("履职效能", "整体效能", "部门预算资金支出率", Decimal(10), Decimal(9),
                     Evidence("indicators.test", "hand"), reason_span=span(reason), measure_span=span(measure))


@pytest.mark.parametrize("cell", ["暂无", "-", "无"])
def test_table_non_answer_cell_is_no_problem(cell):
    raw = f"部门预算资金支出率 10 9 {cell} 暂不\n"
    doc = make_document(raw)
    assert extract_problems(doc, SectionTree(), [_indicator(raw, cell)]) == []


def test_table_reason_cell_is_a_problem():
    raw = "部门预算资金支出率 10 9 各项工作开支设置不够细化。 对各项工作指标设置进行细化。\n"
    doc = make_document(raw)
    ps = extract_problems(doc, SectionTree(), [_indicator(raw, "各项工作开支设置不够细化。")])
    assert [(p.id, p.source, doc.raw_text(p.span)) for p in ps] == [("p1", "table", "各项工作开支设置不够细化。")]
    assert ps[0].categories[0] == "budget_preparation"
    assert ps[0].category_evidence is not None and "bp_detail" in ps[0].category_evidence.explanation


def test_ids_in_text_order_and_spans_are_evidence():
    raw = ("情况良好。但预算执行进度还不够均衡。\n（三）存在问题\n1.认识不到位。\n2.人手紧张。\n（四）改进措施\n1.加强学习。\n")
    doc, ps = problems_of(raw)
    assert [p.id for p in ps] == ["p1", "p2", "p3"]
    assert [p.source for p in ps] == ["inline", "section", "section"]
    for p in ps:
        assert doc.raw[p.span.start:p.span.end] == doc.raw_text(p.span) and p.evidence.explanation


def test_split_items_offsets_exclude_marker():
    t = "x（一）认识不到位。\n（二）人手紧张。"
    items = split_items(t, 1, len(t))
    assert [(i.marker, t[i.start:i.end]) for i in items] == [("（一）", "认识不到位。"), ("（二）", "人手紧张。")]


def test_fallback_sections_when_tree_has_none():
    from extract.sections import _fallback
    from extract.text.layout import analyze

    raw = "三、绩效自评情况\n（三）部门整体支出绩效管理存在问题\n1.认识不到位。\n（四）改进措施\n1.加强学习。\n四、其他自评情况\n无。\n"
    doc = make_document(raw)
    found = _fallback(doc, analyze(doc), "problems")  # the sections' one fallback search
    assert [(s.kind, s.heading) for s in found] == [("fallback", "（三）部门整体支出绩效管理存在问题")]
    tree = SectionTree(tuple(found))
    ps = extract_problems(doc, tree, ())
    assert [doc.raw_text(p.span) for p in ps] == ["认识不到位。"]


# Layout families of problems and measures in reports from other provinces (issue 14);
# each text is written for this test.
RUN_ON_CASES = [
    ("headings_mid_line_run_on",
     "三、存在的问题和改进建议1、存在的问题（1）资金拨付滞后。（2）效益指标量化不足。2、改进建议（1）按进度拨付资金。（2）设置可量化指标。\n",
     ["资金拨付滞后。", "效益指标量化不足。"], ["按进度拨付资金。", "设置可量化指标。"]),
    ("enumeration_run_on_with_inline_measures_heading",
     "四、主要问题及改进措施\n（一）存在的主要问题。一是预算编制偏粗；二是支出进度前松后紧。（二）改进措施。一是细化预算测算；二是按月调度支出进度。\n",
     ["预算编制偏粗；", "支出进度前松后紧。"], ["细化预算测算；", "按月调度支出进度。"]),
    ("labels_with_colons_on_one_line",
     "三、存在的问题和改进措施\n存在的问题：一是配套资金到位晚；二是台账比对不及时。改进措施：一是将配套资金纳入年初预算；二是每季度比对台账。\n",
     ["配套资金到位晚；", "台账比对不及时。"], ["将配套资金纳入年初预算；", "每季度比对台账。"]),
    ("cause_then_remedy_in_one_paragraph",
     "四、偏离绩效目标的原因和下一步改进措施\n配套资金到位较晚，部分工程未在年内结算。下一步将在汛前完成配套资金拨付。\n",
     ["配套资金到位较晚，部分工程未在年内结算。"], ["下一步将在汛前完成配套资金拨付。"]),
    ("run_on_page_top_level_marker_after_text",
     "教学楼防水改造已完工五、存在的问题及原因分析（1）结算审计周期长（2）预算测算偏粗六、几点建议（1）提前介入结算审计（2）委托专业机构编制预算七、其他需要说明的问题暂无\n",
     ["结算审计周期长", "预算测算偏粗"], ["提前介入结算审计", "委托专业机构编制预算"]),
    ("problems_and_measures_columns_side_by_side",
     "| 存在问题 | 改进措施 | | |\n| 数据报送偶有延迟 | 建立报送提醒机制 | | |\n| 无 | - | | |\n",
     ["数据报送偶有延迟"], ["建立报送提醒机制"]),
    ("a_row_labelled_problems_is_no_column",
     "| 存在问题 | 暂无 | | |\n| 改进措施 | - | | |\n",
     [], []),
    ("run_on_known_heading_phrases_and_a_good_state_is_no_problem",
     "四、预算支出绩效情况保证了学校的正常运转五、存在的问题及原因分析本项目运转正常,暂无问题六、几点建议拨款应及时一点七、其他需要说明的问题暂无\n",
     [], ["拨款应及时一点"]),
    ("section_ends_at_signature",
     "五、改进措施\n加强财务人员培训。\n\n某县统计局\n2024年3月2日\n",
     [], ["加强财务人员培训。"]),
    ("section_ends_at_the_next_reports_title",
     "五、改进措施\n加强财务人员培训。\n某县统计局2023年度项目支出绩效自评报告\n一、项目概况\n",
     [], ["加强财务人员培训。"]),
]


@pytest.mark.parametrize("raw,problems_want,measures_want", [c[1:] for c in RUN_ON_CASES],
                         ids=[c[0] for c in RUN_ON_CASES])
def test_run_on_layouts(raw, problems_want, measures_want):
    from extract.measures import extract_measures
    from extract.sections import parse_sections

    doc = make_document(raw)
    tree = parse_sections(doc)
    ps = extract_problems(doc, tree, (), classify=False, inline=False)
    ms = extract_measures(doc, tree, ps)
    assert [doc.raw_text(p.span) for p in ps] == problems_want
    assert [doc.raw_text(m.span) for m in ms] == measures_want


# Forms of the transfer-payment self-evaluation table (issue 13), written for these tests.
FORM_CASES = [
    ("label_row_with_cause_and_remedy",
     "偏离绩效目标的原因和下一步改进措施 培训人数未达目标，主要是部分学员外出务工；下一步将改为夜间集中授课。\n",
     [("培训人数未达目标，主要是部分学员外出务工", "下一步将改为夜间集中授课。")]),
    ("label_row_with_a_non_answer", "偏离绩效目标的原因和下一步改进措施 无\n", []),
    ("label_row_in_pipes", "| 偏差原因分析及改进措施 | 设备到货延迟，验收推迟到次年 |\n", [("设备到货延迟，验收推迟到次年", None)]),
    ("one_cell_per_line_table",
     "资金管理情况\n情况说明\n存在问题\n改进措施\n分配科学性\n按因素法分配\n—\n—\n下达及时性\n省级资金于三月下达\n"
     "县级配套资金到位偏晚\n提请县财政上半年安排配套\n拨付合规性\n国库集中支付\n—\n—\n",
     [("县级配套资金到位偏晚", "提请县财政上半年安排配套")]),
    ("cells_out_of_step_end_the_table",
     "资金管理情况\n情况说明\n存在问题\n改进措施\n分配科学性\n按因素法分配，分配结果经集体研究并在政府网站公开\n—\n", []),
    ("headings_then_prose_are_no_table",
     "存在问题\n改进措施\n项目实施总体顺利，但个别乡镇进度偏慢，将加强督导。\n", []),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in FORM_CASES], ids=[c[0] for c in FORM_CASES])
def test_form_layouts(raw, expected):
    from extract.problems import form_row_cells, problem_column_lines, with_remedy
    from extract.sections import sections_of
    from extract.core import Evidence, Problem

    doc = make_document(raw)
    layout = sections_of(doc).layout
    got = []
    for span, _, remedy in problem_column_lines(layout) + form_row_cells(layout):
        p = with_remedy(doc, Problem("", span, "table", Evidence("t", "t"), remedy=remedy))
        got.append((doc.raw_text(p.span), doc.raw_text(p.remedy) if p.remedy else None))
    assert got == expected
