"""Normalization: one named case per rule, the offset map, and a hypothesis property."""
from __future__ import annotations

import doctest
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extract.normalize as normalize_module
from extract.core import Span
from extract.normalize import ARTIFACT, FOLD, NEWLINES, SPACES, ZERO_WIDTH, make_document, normalize

DOCS = Path(__file__).resolve().parent.parent / "annotations" / "docs"

# (case id, raw, normalized)
CASES = [
    # reflow: lines a PDF wrapped mid-sentence are rejoined
    ("wrap-inside-word", "行政编\n\n制 20 名", "行政编制20名"),
    ("wrap-inside-word-2", "农林水支出 2178.62 万元、住\n\n房保障支出 59.81 万元。", "农林水支出2178.62万元、住房保障支出59.81万元。"),
    ("wrap-number-unit", "收入决算4500.43\n\n万元，其中", "收入决算4500.43万元，其中"),
    ("wrap-inside-unit", "卫生健康支出 25 万\n\n元、城乡社区支出", "卫生健康支出25万元、城乡社区支出"),
    ("wrap-single-newline", "经查阅、核实有关账务及项目等执\n行情况", "经查阅、核实有关账务及项目等执行情况"),
    ("wrap-page-break-space", "办理区管干部的任\n 免、工资", "办理区管干部的任免、工资"),
    ("wrap-year-then-unit", "现将 2023\n\n年度中共湛江市", "现将2023年度中共湛江市"),
    ("wrap-latin-keeps-space", "the PDF\nfile", "the PDF file"),
    ("wrap-digits-keep-space", "合计 12\n34 项", "合计 12 34项"),
    # reflow: real breaks are kept (as one newline)
    ("break-after-full-stop", "形成本评价报告。\n\n中共湛江市", "形成本评价报告。\n中共湛江市"),
    ("break-after-semicolon", "政策、规定；\n\n组织协调", "政策、规定；\n组织协调"),
    ("break-after-colon", "报告如下：\n\n单位基本情况", "报告如下：\n单位基本情况"),
    ("break-after-quote", "“知事识人。”\n\n调研", "“知事识人。”\n调研"),
    ("break-before-cn-numeral", "单位基本情况\n\n一、自评工作", "单位基本情况\n一、自评工作"),
    ("break-before-paren-numeral", "情况\n\n（一）评价小组", "情况\n（一）评价小组"),
    ("break-before-arabic-dot", "任务\n\n1.党建工作", "任务\n1.党建工作"),
    ("break-before-arabic-comma", "任务\n\n1、单位机构设置", "任务\n1、单位机构设置"),
    ("break-before-paren-arabic", "情况\n\n（1）制度措施", "情况\n（1）制度措施"),
    ("break-before-ascii-paren", "情况\n\n(1)制度措施", "情况\n(1)制度措施"),
    ("break-before-yishi", "主要职责：\n一是贯彻执行", "主要职责：\n一是贯彻执行"),
    ("no-break-before-decimal", "合计\n\n1.5 万元", "合计1.5万元"),
    ("break-after-heading", "（二）年度总体工作和重点工作任务\n\n2023 年，区委办公室", "（二）年度总体工作和重点工作任务\n2023年，区委办公室"),
    ("break-before-label", "组织部本级\n\n填报日期：2025 年 9 月 8 日", "组织部本级\n填报日期：2025年9月8日"),
    ("break-number-then-text-cell", "单位数： 1\n\n绩效目标", "单位数：1\n绩效目标"),
    ("break-around-numeric-row", "上级补助资金\n\n1,297.59 1,155.12 0\n\n一级指标", "上级补助资金\n1,297.59 1,155.12 0\n一级指标"),
    ("blank-lines-collapse", "一、概况\n\n\n\n\n二、问题", "一、概况\n二、问题"),
    ("crlf", "一、概况\r\n二、问题", "一、概况\n二、问题"),
    # page-break artifacts
    ("drop-attachment-tag", " 附件 3\n\n整体绩效自评报告", "整体绩效自评报告"),
    ("drop-decorated-page-number", "形成报告。\n- 3 -\n现将", "形成报告。\n现将"),
    ("drop-page-x-of-y", "形成报告。\n第 3 页 共 9 页\n现将", "形成报告。\n现将"),
    ("keep-bare-number-without-pages", "分值：\n20\n反映部门", "分值：\n20\n反映部门"),
    ("strip-leading-space", "填报日期：2025 年 9 月 8 日\n 根据通知", "填报日期：2025年9月8日\n根据通知"),
    # spacing
    ("space-number-year", "2024 年度", "2024年度"),
    ("space-date", "截至 2024 年 12 月 31 日，", "截至2024年12月31日，"),
    ("space-amount-unit", "一般公共预算财政拨款收入 4498.11 万元", "一般公共预算财政拨款收入4498.11万元"),
    ("space-doc-number", "（湛坡财〔2025〕149 号）", "（湛坡财〔2025〕149号）"),
    ("space-percent", "支出率 95.5 %", "支出率95.5%"),
    ("space-wan-yuan", "资金 25 万 元", "资金25万元"),
    ("space-before-comma-in-number", "合计 1 ,297.59 万元", "合计1,297.59万元"),
    ("space-after-comma-in-number", "合计 1, 297.59 万元", "合计1,297.59万元"),
    ("space-before-decimal-point", "合计 4498 .11 万元", "合计4498.11万元"),
    ("space-around-cn-punct", "意识 ， 复合型", "意识，复合型"),
    ("space-table-columns-kept", "部门预算 上年结转 其他", "部门预算 上年结转 其他"),
    ("space-number-columns-kept", "1,297.59 1,155.12 142.47", "1,297.59 1,155.12 142.47"),
    ("space-score-column-kept", "履职效能 50 整体效能", "履职效能 50 整体效能"),
    ("space-run-collapses", "部门预算    上年结转", "部门预算 上年结转"),
    ("space-ideographic", "部门\u3000\u3000预算", "部门 预算"),
    ("zero-width-dropped", "预算\u200b执行率", "预算 执行率"),
    # width folding
    ("fold-digits", "支出率９５．５％", "支出率95.5%"),
    ("fold-letters", "ＰＤＦ文件", "PDF文件"),
    ("fold-signs", "增长＋５％，下降－２％", "增长+5%，下降-2%"),
    ("keep-cn-punct", "（一）、，。：；“”〔〕《》", "（一）、，。：；“”〔〕《》"),
]


@pytest.mark.parametrize("raw, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(raw, expected):
    text, starts, ends = normalize(raw)
    assert text == expected
    assert len(starts) == len(ends) == len(text)


def test_case_ids_unique():
    assert len({c[0] for c in CASES}) == len(CASES)


def test_doctests():
    result = doctest.testmod(normalize_module)
    assert result.attempted >= 8 and result.failed == 0


def test_bare_page_number_dropped_at_page_edge_only():
    raw = "形成报告。\n3\n现将年度\n20\n反映部门"
    page1, page2 = Span(0, 7), Span(8, len(raw))  # "形成报告。\n3" | "现将年度\n20\n反映部门"
    text, _, _ = normalize(raw, pages=(page1, page2))
    assert text == "形成报告。\n现将年度\n20\n反映部门"


def test_map_points_at_source_characters():
    raw = " 附件 3\n\n截至 2024 年 12 月 31 日，行政编\n\n制 20 名，收入决算４５００．４３\n\n万元"
    doc = make_document(raw)
    assert doc.text == "截至2024年12月31日，行政编制20名，收入决算4500.43万元"
    i = doc.text.index("行政编制20名")
    span = doc.to_raw(i, i + len("行政编制20名"))
    assert span.text(raw) == "行政编\n\n制 20 名"
    j = doc.text.index("4500.43万元")
    assert doc.to_raw(j, j + len("4500.43万元")).text(raw) == "４５００．４３\n\n万元"
    assert all(e == s + 1 for s, e in zip(doc.starts, doc.ends))
    assert all(a < b for a, b in zip(doc.starts, doc.starts[1:]))  # strictly increasing
    assert doc.to_norm(span) == (i, i + len("行政编制20名"))


def test_whitespace_tables_match_python():
    """Every character ``str.isspace`` calls whitespace is folded, and nothing else."""
    ours = set(NEWLINES + SPACES)
    assert {chr(c) for c in range(0x110000) if chr(c).isspace()} == ours
    assert all(len(v) == 1 for v in FOLD.values())


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.glob("*.txt")))
def test_seed_documents_round_trip(name):
    raw = (DOCS / name).read_text(encoding="utf-8")
    doc = make_document(raw)
    assert "\n\n" not in doc.text and not doc.text.startswith((" ", "\n"))
    kept = "".join(raw[i] for i in doc.starts)
    assert _squash(kept) == _squash(doc.text)


@pytest.mark.parametrize("name, phrase", [
    ("000_cf9d040ced9b439b.txt", "行政编制20名"),
    ("000_cf9d040ced9b439b.txt", "住房保障支出59.81万元"),
    ("000_cf9d040ced9b439b.txt", "收入决算4500.43万元"),
    ("000_cf9d040ced9b439b.txt", "一般公共预算财政拨款收入4498.11万元"),
    ("000_cf9d040ced9b439b.txt", "（湛坡财〔2025〕149号）"),
    ("004_23cede63a71d413d.txt", "现将2023年度中共湛江市霞山区委办公室整体绩效自我评价报告如下："),
    ("004_23cede63a71d413d.txt", "雇员制后勤服务人员3人"),
])
def test_seed_phrases(name, phrase):
    raw = (DOCS / name).read_text(encoding="utf-8")
    doc = make_document(raw)
    i = doc.text.index(phrase)
    span = doc.to_raw(i, i + len(phrase))
    assert _squash(span.text(raw)) == _squash(phrase)


@pytest.mark.parametrize("name, headings", [
    ("000_cf9d040ced9b439b.txt", ["整体绩效自评报告", "一、单位基本情况", "（二）年度总体工作和重点工作任务", "二、自评工作开展情况"]),
    ("004_23cede63a71d413d.txt", ["一、单位基本情况", "1、单位机构设置", "（二）年度总体工作和重点工作任务", "（四）改进措施"]),
])
def test_seed_headings_stay_on_their_own_line(name, headings):
    lines = make_document((DOCS / name).read_text(encoding="utf-8")).text.split("\n")
    for h in headings:
        assert h in lines


# --------------------------------------------------------------------------- property

_INVISIBLE = re.compile(f"[\\s{ZERO_WIDTH}]")


def _squash(s: str) -> str:
    """NFKC, then whitespace (and zero-width format characters) removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", s))


# No character that can form a page-furniture line (附件 3, - 3 -, 第3页, 3/9): every
# raw character must then be kept or be whitespace.
_TEXT = st.lists(
    st.sampled_from(list("编制名年万元支出预算绩效住房一二三是（）()、，。：；！？“”〔〕《》.,%")
                             + list("0123456789０１２３４５６７８９ＡＺａ．％＋") + list("abAZ")
                             + [" ", "  ", "\u3000", "\t", "\n", "\n\n", "\r\n", "\u200b", "\xa0"]),
    max_size=100).map("".join)
_TEXT_WITH_ARTIFACTS = st.text(alphabet=st.sampled_from(list("附件第页共/-—－编制年万元。：12 \n")), max_size=80)


@settings(max_examples=400, deadline=None)
@given(raw=_TEXT, data=st.data())
def test_property_spans_map_back(raw, data):
    doc = make_document(raw)
    n = len(doc.text)
    assert len(doc.starts) == len(doc.ends) == n
    if n == 0:
        assert _squash(raw) == ""
        return
    s = data.draw(st.integers(0, n - 1))
    e = data.draw(st.integers(s + 1, n))
    span = doc.to_raw(s, e)
    assert _squash(span.text(raw)) == _squash(doc.text[s:e])
    assert _squash(raw) == _squash(doc.text)


@settings(max_examples=300, deadline=None)
@given(raw=_TEXT_WITH_ARTIFACTS)
def test_property_only_whitespace_and_artifact_lines_are_dropped(raw):
    text, starts, ends = normalize(raw)
    kept = set(starts)
    folded = raw.translate(FOLD)
    for i, ch in enumerate(raw):
        if i in kept or _INVISIBLE.fullmatch(ch) or ch in ZERO_WIDTH:
            continue
        a = folded.rfind("\n", 0, i) + 1
        b = folded.find("\n", i)
        line = folded[a:len(folded) if b < 0 else b].strip(" ")
        assert ARTIFACT.fullmatch(line), f"dropped {ch!r} from line {line!r}"
    assert _INVISIBLE.sub("", "".join(raw[i].translate(FOLD) for i in starts)) == _INVISIBLE.sub("", text)


# (case id, text, folded): traditional characters of report vocabulary, one to one
TRADITIONAL_CASES = [
    ("money-words", "收入預算100萬元", "收入预算100万元"),
    ("heading-words", "一、基本情況", "一、基本情况"),
    ("title-with-pinyin", "績(jī)效自評報告", "绩(jī)效自评报告"),
    ("staffing-words", "內設機構3個，在職人員12人", "内设机构3个，在职人员12人"),
    ("simplified-unchanged", "行政编制20名", "行政编制20名"),
    ("ascii-unchanged", "2024 PDF (x)", "2024 PDF (x)"),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in TRADITIONAL_CASES], ids=[c[0] for c in TRADITIONAL_CASES])
def test_fold_traditional(text, expected):
    folded = normalize_module.fold_traditional(text)
    assert folded == expected
    assert len(folded) == len(text)  # offsets into the folded text are offsets into the text


def test_layout_text_is_folded_once_and_doc_meta_stays_empty():
    from extract.pipeline import run_stages
    from extract.sections import parse_sections

    doc = make_document("支出決算35萬元。")
    tree = parse_sections(doc)
    assert tree.layout.text == "支出决算35万元。"  # folded once, in the layout the extractors read
    run_stages(doc, tree)
    assert doc.meta == {}  # no extractor caches anything on the document


def test_pinyin_pattern():
    assert normalize_module.PINYIN.sub("", "績(jī)效（xiào）評價") == "績效評價"
    assert normalize_module.PINYIN.sub("", "支出(2024)") == "支出(2024)"  # digits are no pinyin
