"""Section parser: heading styles, false-heading traps, table row headers, seeds end to end."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.core import Document, Source
from extract.normalize import make_document
from extract.sections import label_of, parse_sections

DOCS = Path(__file__).resolve().parents[1] / "annotations" / "docs"


def tree(raw: str):
    """The parser on an already-normalized text (identity offset map), so these cases
    test headings, not line reflow."""
    doc = Document("t", raw, raw, list(range(len(raw))), list(range(1, len(raw) + 1)), Source.for_string(raw))
    return doc, parse_sections(doc)


def labels(raw: str):
    return [(s.label, s.level, s.heading) for s in tree(raw)[1].walk()]


STYLE_CASES = [
    ("chinese_top", "一、单位基本情况\n本单位设三个科室。", [("basic_info", 1, "单位基本情况")]),
    ("paren_chinese", "（一）部门整体支出情况\n收入预算。", [("spending_overview", 2, "部门整体支出情况")]),
    ("ascii_paren", "(一)存在问题\n问题。", [("problems", 2, "存在问题")]),
    ("arabic_dot", "1.预算编制情况\n合理。", [("spending_overview", 3, "预算编制情况")]),
    ("arabic_dunhao", "1、单位机构设置\n设9个组。", [("organization", 3, "单位机构设置")]),
    ("paren_arabic", "（1）信息公开情况。\n已公开。", [("spending_overview", 4, "信息公开情况")]),
    ("part", "第一部分 基本情况\n设三个科室。", [("basic_info", 1, "基本情况")]),
    ("bare_heading", "改进措施\n加强培训。", [("measures", 2, "改进措施")]),
    ("heading_with_body_on_the_line", "（二）自评工作过程。我办成立工作小组。", [("self_evaluation_process", 2, "自评工作过程")]),
]


@pytest.mark.parametrize("raw,expected", [c[1:] for c in STYLE_CASES], ids=[c[0] for c in STYLE_CASES])
def test_heading_styles(raw, expected):
    assert labels(raw) == expected


TRAP_CASES = [
    ("long_numbered_sentence_is_an_item", "1.绩效评价结果的应用还不够充分，评价结果未能与预算安排有效结合。"),
    ("decimal_is_not_a_marker", "1.2万个自然村完成整顿"),
    ("year_is_not_a_marker", "2024.年度工作顺利"),
    ("sentence_with_commas", "部门基本情况良好，预算执行规范，存在问题较少。"),
    ("contents_page", "目 录\n一、单位基本情况……………………1\n二、存在问题………………5"),
]


@pytest.mark.parametrize("raw", [c[1] for c in TRAP_CASES], ids=[c[0] for c in TRAP_CASES])
def test_false_headings(raw):
    assert labels(raw) == []


def test_nesting_and_items():
    raw = "三、绩效自评情况\n（一）存在问题\n1.预算编制不够精细，偏差较大。\n2.执行进度偏慢，前松后紧。\n（二）改进措施\n1.细化预算。\n四、其他\n无。"
    doc, t = tree(raw)
    top = t.sections[0]
    assert [s.label for s in t.sections] == ["self_evaluation_result", "other"]
    assert [c.label for c in top.children] == ["problems", "measures"]
    probs = top.children[0]
    assert [doc.text[i.start:i.end] for i in probs.items] == ["预算编制不够精细，偏差较大。", "执行进度偏慢，前松后紧。"]
    assert [i.marker for i in probs.items] == ["1.", "2."]
    assert probs.end == top.children[1].start


def test_table_row_headers_are_rejoined():
    raw = "2022年度某部（本级）部门整体支出绩效自评表\n部门基本情况\n年度整体\n绩效目标\n1.完成工作。\n未能完成原因\n-\n一级指标 分值 二级指标"
    got = [(s.label, s.heading, s.kind) for s in tree(raw)[1].walk()]
    assert ("performance_goals", "年度整体绩效目标", "table_row") in got
    assert ("problems", "未能完成原因", "table_row") in got


@pytest.mark.parametrize("title,label", [("部门整体支出绩效管理存在问题", "problems"), ("其他自评情况", "other"),
                                         ("部门整体支出绩效指标分析", "indicator_analysis"), ("无关的话", "other")])
def test_label_of(title, label):
    assert label_of(title) == label


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_seeds_have_basic_info_problems_and_measures_starting_at_their_heading(path):
    raw = path.read_text(encoding="utf-8")
    doc = make_document(raw)
    t = parse_sections(doc)
    for label in ("basic_info", "problems", "measures"):
        found = t.find(label)
        assert found, f"{path.name}: no {label} section"
        for s in found:
            span = doc.to_raw(s.start, max(s.end, s.start + 1))
            assert 0 <= span.start < span.end <= len(raw)
            if s.kind != "table_cell":
                first = "".join(s.heading.split())[:2]
                assert "".join(raw[span.start:span.start + 12].split()).find(first) <= 4
