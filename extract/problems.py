"""Problem statements (SPEC ``problems``): section items, inline shortcomings, table cells.

Three sources, each with its own evidence rule:

- ``section``: the 存在问题 section split into list items (``1.`` / ``（一）`` / ``(1)`` /
  ``一是…二是…`` / unnumbered paragraphs); the span is the item without its list
  marker, through its final punctuation. An explicit non-answer (``无``, ``暂无``,
  ``-``) yields no problem.
- ``inline``: a shortcoming admitted elsewhere (``但……还不够完善``): the clause after the
  contrast conjunction up to the end of the clause holding the shortcoming cue, so the
  following remedy clause (``后续仍需…``) is left out. A trained shortcoming detector,
  when a model exists, rescores each candidate clause.
- ``table``: an indicator row's 未达标原因 cell (``Indicator.reason_span``) unless ``-``/``无``.

Everything here searches the normalized ``doc.text`` and reports raw spans via
``doc.to_raw``. Categories come from ``extract.classify`` (ensemble, or rules when
no trained model is available).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .core import Document, Evidence, Indicator, Problem, Span
from .core.registry import register
from .sections import Section, SectionTree, sections_of
from .text.lines import is_page_number
from .text.lines import lines as split_lines
from .text import markers
from .text.markers import MARKER, inline_markers
from .text.split import clauses, sentences
from .text.tables import pipe_parts

EXTRACTOR = "problems.rules.v1"

# ---------------------------------------------------------------------------- list items
NON_ANSWER = re.compile(r"""
    ^[\s]*(?:
        [-－—–/／]+                                 # a dash or slash in an empty cell
      | (?:暂)?无(?:明显|重大|其他|相关)?(?:问题|不足|措施|情况)?  # 无 / 暂无 / 无明显问题
      | 没有|不存在(?:问题)? | 未发现(?:问题)?
    )[。.；;]?\s*$
    """, re.VERBOSE)
#: A top-level marker run on right after text (a one-line page): the next part of the report.
TOP_RUN_ON = re.compile(r"(?<=[\u4e00-\u9fff])[一二三四五六七八九十]{1,2}、(?=[\u4e00-\u9fff]{2,20}[。：:，（(]|[\u4e00-\u9fff]{2,20}暂?无)")
INTRO = re.compile(r"[：:]\s*$|如下|以下(?:几|方面|问题|措施)|主要(?:存在|有|表现)")
FINAL_PUNCT = "。！？；;!?"


#: Where a remedy starts after its cause inside one item or cell: 下一步将…, 今后…, 整改措施：…
REMEDY = re.compile(r"""
    (?<=[，,；;。])\s*                                    # after a clause or sentence break
    (?P<remedy>
        (?:下一步|下步|今后|下年度?|拟|建议|计划于|将于|力争)      # the remedy's lead word
      | (?:改进|整改)?(?:措施|建议)[:：]                         # or a label: 整改措施：
    )
    """, re.VERBOSE)
#: A cause clause shorter than this is no statement of its own.
MIN_CAUSE = 4


def split_remedy(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(cause_end, remedy_start)`` when ``text[start:end]`` states a cause and then its
    remedy (``市级配套资金下达偏晚，下一步将提请…``): the cause ends before a clause break (a
    full stop stays with it), the remedy starts at its lead word (after a ``措施：`` label).
    ``None`` otherwise.

    >>> t = "市级配套资金下达偏晚，下一步将提请财政在上半年安排到位。"
    >>> ce, rs = split_remedy(t, 0, len(t)); t[:ce], t[rs:]
    ('市级配套资金下达偏晚', '下一步将提请财政在上半年安排到位。')
    """
    for m in REMEDY.finditer(text, start, end):
        cause_end = m.start() - 1 if text[m.start() - 1] not in "。！？!?" else m.start()  # a full stop stays
        while cause_end > start and text[cause_end - 1] in " \t\n":
            cause_end -= 1
        if cause_end - start < MIN_CAUSE or end - m.start("remedy") < MIN_CAUSE:
            continue
        rs = m.start("remedy")
        label = re.match(r"(?:改进|整改)?(?:措施|建议)[:：]\s*", text[rs:end])
        return cause_end, rs + (label.end() if label else 0)
    return None


#: An item that says there is nothing: 本项目运转正常，暂无问题 / 未发现明显问题 (a good state, then none).
NOTHING_FOUND = re.compile(r"^[^，,。；;]{0,24}?(?:正常|良好|顺利|到位|规范)[，,]?\s*"
                           r"(?:暂无|无|没有|未发现|不存在)(?:明显|重大|其他|相关|突出)?(?:的)?(?:问题|不足)[。.；;]?\s*$")


def is_non_answer(text: str) -> bool:
    """``无`` / ``暂无`` / ``无。`` / ``-`` / empty: an explicit statement that there is nothing.

    >>> [is_non_answer(t) for t in ("无", "暂无", "无。", "-", "", "预算执行进度慢")]
    [True, True, True, True, True, False]
    >>> is_non_answer("本项目运转正常，暂无问题"), is_non_answer("资金拨付滞后，暂无其他问题")
    (True, False)
    """
    return not text.strip() or bool(NON_ANSWER.match(text)) or bool(NOTHING_FOUND.match(text.strip()))


@dataclass(frozen=True)
class ListItem:
    """An item in normalized offsets: ``[start, end)`` is the body without the marker."""

    marker: str
    style: str  # paren_cn | paren_ar | cn | arabic | circled | shi | paragraph
    start: int
    end: int


@dataclass(frozen=True)
class _Line:
    start: int  # normalized offset of the first non-space character
    end: int  # after the last non-space character
    text: str  # stripped


def _lines(text: str, start: int, end: int) -> list[_Line]:
    """The non-blank lines of ``text[start:end]``, page numbers left out."""
    return [_Line(ln.lstart, ln.rend, ln.text) for ln in split_lines(text, start, end)
            if ln.text and not is_page_number(ln.text)]


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines into paragraphs. A PDF wraps lines at a fixed width, so a line that
    ends a sentence and is clearly shorter than the widest line ends a paragraph;
    in reflowed text (one line per paragraph) every line ends one."""
    if not lines:
        return []
    widest = max(len(l.text) for l in lines)
    paras, cur = [], []
    for line in lines:
        cur.append(line)
        if line.text[-1] in FINAL_PUNCT + "：:" and (len(line.text) < widest - 1 or len(lines) == 1
                                                     or line.text[-1] in "：:"):
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def _trim(text: str, marker: str, style: str, start: int, end: int) -> ListItem | None:
    while start < end and text[start] in " \t\u3000\n，,：:":
        start += 1
    while end > start and text[end - 1] in " \t\u3000\n":
        end -= 1
    return ListItem(marker, style, start, end) if end > start else None


def split_items(text: str, start: int, end: int) -> list[ListItem]:
    """Split ``text[start:end]`` (a section body) into list items, markers excluded.

    The style of the first marker (at a line start, or run together mid-line in a
    numbered run: ``（1）…（2）…``, ``一是…；二是…``) is the list's level; markers of other
    styles (sub-items) and unmarked lines continue the current item, so an item wrapped
    over PDF line breaks stays whole. Without markers, each paragraph is an item. Text
    before the first marker is kept as paragraphs unless it is an intro (``…如下：``);
    a non-answer body yields no items.

    >>> t = "1.预算编制不够细化，\\n\\n偏差较大。\\n2.执行进度慢。"
    >>> [t[i.start:i.end] for i in split_items(t, 0, len(t))]
    ['预算编制不够细化，\\n\\n偏差较大。', '执行进度慢。']
    >>> t = "（1）资金拨付滞后。（2）目标不细。"
    >>> [t[i.start:i.end] for i in split_items(t, 0, len(t))]
    ['资金拨付滞后。', '目标不细。']
    """
    if is_non_answer(text[start:end]):
        return []
    lines = _lines(text, start, end)
    cuts: list[tuple[int, int, str, str]] = []  # (marker start, body start, marker, style)
    for line in lines:
        m = MARKER.match(text, line.start)
        if m:
            cuts.append((m.start(m.lastgroup), m.end(), m.group(m.lastgroup), m.lastgroup))
    first = markers.match(text, lines[0].start) if lines else None
    for mk in inline_markers(text, start, end, first):
        cuts.append((mk.start, mk.body, mk.text, mk.style))
    if cuts:
        cuts.sort()
        style = cuts[0][3]
        mine = []
        for c in cuts:
            if c[3] == style and (not mine or c[0] >= mine[-1][1]):
                mine.append(c)
        items: list[ListItem] = []
        for k, (ms, bs, marker, _) in enumerate(mine):
            body_end = mine[k + 1][0] if k + 1 < len(mine) else end
            top = TOP_RUN_ON.search(text, bs, body_end)
            if top:  # run-on text: …委托专业机构编制预算七、其他需要说明的问题 — the next part starts
                body_end = top.start()
            items.append(_trim(text, marker, style, bs, body_end))
        pre = [ln for ln in lines if ln.end <= mine[0][0]]
        lead = [it for p in _paragraphs(pre) if not INTRO.search(text[p[0].start:p[-1].end])
                for it in [_trim(text, "", "paragraph", p[0].start, p[-1].end)]]
        return [it for it in lead + items if it is not None and not is_non_answer(text[it.start:it.end])]
    out = []
    for para in _paragraphs(lines):
        s, e = para[0].start, para[-1].end
        if text[e - 1] not in "：:":
            out.append(_trim(text, "", "paragraph", s, e))
    return [it for it in out if it is not None and not is_non_answer(text[it.start:it.end])]


# ---------------------------------------------------------------------------- sections
def find_sections(doc: Document, tree: SectionTree | None, label: str) -> list[Section]:
    """Sections labelled ``label`` (headings, or the tree's fallback search for a document
    whose headings are unrecognised); scoring-table cells are read from the indicators."""
    return [s for s in sections_of(doc, tree).find(label) if s.kind != "table_cell"]


def section_items(doc: Document, tree: SectionTree | None, label: str, extractor: str
                  ) -> list[tuple[Section, Span, Evidence]]:
    """Each list item of the sections labelled ``label``: its section, raw span and evidence."""
    out = []
    for sec in find_sections(doc, tree, label):
        body_end = sec.children[0].start if sec.children else sec.end  # sub-parts give their own items
        items = split_items(doc.text, sec.heading_end, body_end)
        for n, it in enumerate(items, 1):
            rule = "section_paragraph" if it.style == "paragraph" else f"section_item_{it.style}"
            out.append((sec, doc.to_raw(it.start, it.end), Evidence(
                extractor, rule, 0.95 if it.style != "paragraph" else 0.9,
                f"item {n}/{len(items)} ({it.marker or 'paragraph'}) of「{sec.heading.strip()[:30]}」")))
    return out


def _exclusions(doc: Document, tree: SectionTree | None) -> list[tuple[int, int]]:
    """Normalized ranges that are not searched for inline shortcomings."""
    return [(s.start, s.end) for label in ("problems", "measures") for s in find_sections(doc, tree, label)]


# ---------------------------------------------------------------------------- inline
CONTRAST = re.compile(r"(?<!不)(?:但是|但|然而|不过|可是)")
SHORTCOMING = re.compile(r"""
    还?(?:不够|不足|欠缺|有待|不到位|不完善|不健全|不充分|不明显|不高|不强|较弱|偏弱|滞后)  # 还不够完善, 有待
  | (?:仍|尚|还)(?:需|须|要|存在|有)                                               # 仍需, 尚存在
  | 存在.{0,8}(?:问题|不足|短板|差距|偏差)                                          # 存在一定差距
    """, re.VERBOSE)
STRONG = re.compile(r"还?(?:不够|不足|欠缺|有待|不到位|不完善|不健全|不充分)")
CLAUSE_END = "，,；;。！？!?：:"


@dataclass(frozen=True)
class InlineCandidate:
    start: int  # normalized
    end: int
    rule: str
    score: float
    cue: str


def inline_candidates(text: str, ranges: Iterable[tuple[int, int]]) -> list[InlineCandidate]:
    """Clauses stating a shortcoming after a contrast conjunction (``但……还不够完善``),
    plus strong-cue clauses without one (kept only if the detector agrees)."""
    out = []
    for lo, hi in ranges:
        for s, e in sentences(text, lo, hi, semicolons=True):
            out += _sentence_candidates(text, s, e)
    return out


#: A score below its maximum: 满分30分，得25分 / 过程25分，自评得分23分 / 分值20分，得分18分.
SCORE_LOST = re.compile(r"(\d+(?:\.\d+)?)\s*分\s*[，,；;]?\s*(?:自评)?得分?\s*(\d+(?:\.\d+)?)\s*分")
#: What follows an explanation and says nothing more: 影响得分 / 故扣2分 / 扣分.
_SCORE_FILLER = re.compile(r"^(?:因此|故|从而|所以)?(?:影响|导致)?(?:了)?(?:得分|扣分|扣\d+(?:\.\d+)?分|扣减\d+(?:\.\d+)?分)")
_REASON_LEAD = re.compile(r"^(?:扣分|扣\d+(?:\.\d+)?分)?(?:原因|理由)?(?:是|为|主要是|：|:)?")


def deduction_candidates(text: str, ranges: Iterable[tuple[int, int]]) -> list[InlineCandidate]:
    """The explanation after a score below its maximum (``满分30分，得25分。……，防疫物资采购集中
    在下半年，支出进度偏慢。``): the clauses to the end of the line that hold no figure,
    without a closing ``影响得分``. An explanation with a contrast conjunction is left to the
    contrast rule."""
    out = []
    for lo, hi in ranges:
        for m in SCORE_LOST.finditer(text, lo, hi):
            if float(m.group(2)) >= float(m.group(1)):
                continue
            eol = text.find("\n", m.end(), hi)
            eol = hi if eol < 0 else eol
            start = end = None
            for a, b in clauses(text, m.end(), eol):
                words = text[a:b].strip().rstrip(CLAUSE_END)
                if not words or re.search(r"\d", words) or _SCORE_FILLER.match(words):
                    if start is not None:
                        break  # figures or filler after the explanation end it
                    continue
                if start is None:
                    lead = _REASON_LEAD.match(text, a) if text[a:b].lstrip().startswith(("扣", "原因", "理由")) else None
                    start = lead.end() if lead else a
                end = b
            if start is None:
                continue
            start, end = _lstrip(text, start, end), _rstrip(text, start, end)
            while end > start and text[end - 1] in CLAUSE_END:
                end -= 1
            if end - start >= 6 and not CONTRAST.search(text, start, end):
                cue = SHORTCOMING.search(text, start, end)
                out.append(InlineCandidate(start, end, "score_deduction_reason", 0.8 if cue else 0.5,
                                           f"{m.group(1)}分，得{m.group(2)}分"))
    return out


def _sentence_candidates(text: str, s: int, e: int) -> list[InlineCandidate]:
    conj = CONTRAST.search(text, s, e)
    if conj:
        cue = SHORTCOMING.search(text, conj.end(), e)
        if cue:
            start = conj.end()
            while start < e and text[start] in " \t\u3000\n，,":
                start += 1
            end = cue.end()
            while end < e and text[end] not in CLAUSE_END:
                end += 1
            end = _rstrip(text, start, end)
            if end > start:
                strong = bool(STRONG.search(text, start, end))
                return [InlineCandidate(start, end, "inline_contrast_cue", 0.85 if strong else 0.7, cue.group(0))]
    out = []
    for cue in STRONG.finditer(text, s, e):
        start = cue.start()
        while start > s and text[start - 1] not in CLAUSE_END:
            start -= 1
        end = cue.end()
        while end < e and text[end] not in CLAUSE_END:
            end += 1
        start = _lstrip(text, start, end)
        end = _rstrip(text, start, end)
        if end > start and not any(c.start == start for c in out):
            out.append(InlineCandidate(start, end, "inline_cue_only", 0.3, cue.group(0)))
    return out


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \t\u3000\n":
        start += 1
    return start


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\u3000\n":
        end -= 1
    return end


def _free_ranges(n: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for s, e in sorted(blocked):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < n:
        out.append((pos, n))
    return out


# ---------------------------------------------------------------------------- extractor
def _detector():
    """The trained shortcoming detector, or None (no model, or an incompatible one)."""
    from .classify import get_classifier

    clf = get_classifier("ensemble")
    model = getattr(clf, "model", None)
    return model if model is not None and model.has_detector else None


@register(EXTRACTOR)
def extract_problems(doc: Document, sections: SectionTree | None = None,
                     indicators: Sequence[Indicator] = (), classify: bool = True,
                     inline: bool = True) -> list[Problem]:
    """All problems of a document, ids ``p1…`` in text order, categorized."""
    sections = sections_of(doc, sections)
    found: list[Problem] = []
    # 1. the 存在问题 section(s)
    for sec, span, ev in section_items(doc, sections, "problems", EXTRACTOR):
        found.append(with_remedy(doc, Problem("", span, "table" if sec.kind == "table_row" else "section", ev)))
    # 2. scoring-table 未达标原因 cells
    for ind, span in table_cells(doc, indicators, "reason_span", [p.span for p in found]):
        found.append(with_remedy(doc, Problem("", span, "table", Evidence(
            EXTRACTOR, "table_reason_cell", 0.9, f"未达标原因 cell of indicator「{ind.level3}」"))))
    # 3. the 存在问题 column of other tables (资金管理情况 | 情况说明 | 存在问题和改进措施), whether
    #    |-joined or one cell per line, and a form row labelled 偏离绩效目标的原因和下一步改进措施
    taken = [p.span for p in found]
    for rule, cells, why in (("table_problem_column", problem_column_cells(doc, sections.layout, taken),
                              "cell of the「{}」column"),
                             ("table_problem_column", problem_column_lines(sections.layout, taken),
                              "cell of the「{}」column (one cell per line)"),
                             ("form_row_label", form_row_cells(sections.layout, taken), "text of the row「{}」")):
        for span, header, remedy in cells:
            found.append(with_remedy(doc, Problem("", span, "table", Evidence(
                EXTRACTOR, rule, 0.85, why.format(header)), remedy=remedy)))
    # 4. inline shortcomings outside the problem/measure sections and table cells
    if inline:
        found += _inline(doc, sections, indicators, found)
    found.sort(key=lambda p: (p.span.start, p.span.end))
    found = [replace(p, id=f"p{i}") for i, p in enumerate(found, 1)]
    return categorize(doc, found) if classify else found


def with_remedy(doc: Document, p: Problem) -> Problem:
    """The problem cut to its cause when its item or cell goes on with the remedy
    (:func:`split_remedy`); the remedy's span is kept on the problem for the measures."""
    cut = split_remedy(doc.raw, p.span.start, p.span.end) if p.remedy is None else None
    if cut is None:
        return p
    cause_end, remedy_start = cut
    ev = replace(p.evidence, rule=p.evidence.rule + "+cause_remedy",
                 explanation=p.evidence.explanation + "; the remedy after the cause is a measure")
    return replace(p, span=Span(p.span.start, cause_end), evidence=ev, remedy=Span(remedy_start, p.span.end))


#: A table header cell naming a column of problems (and perhaps their remedies).
PROBLEM_COLUMN = re.compile(r"存在(?:的)?问题|问题(?:和|及|与)(?:改进|整改)?(?:措施|建议)|偏差原因|未完成原因|未达标原因|偏差大或目标未完成原因")


#: The first cell of a form's next block, which ends a problems column.
TABLE_BLOCK = re.compile(r"(?:年度)?总体目标|绩效指标|一级指标|资金投入|项目名称|预算执行|项目资金|年度资金")


#: A table header cell naming a column of measures beside the problems column.
MEASURE_COLUMN = re.compile(r"^(?:改进|整改)(?:措施|建议)$|^下一步(?:改进)?措施$")


def problem_column_cells(doc: Document, layout, taken: Sequence[Span] = ()
                         ) -> list[tuple[Span, str, Span | None]]:
    """Filled cells under a header cell naming problems, in ``|``-joined tables that are not
    scoring tables (those are read as indicators): one problem per cell, with the same
    row's cell of a measures column beside it when the header has one (``| 存在问题 |
    改进措施 |``); ``-``, ``无``, ``暂无`` cells are nothing."""
    scoring = [t.span for t in layout.tables_of("scoring")]
    out: list[tuple[Span, str, Span | None]] = []
    column, header, remedy_column = None, "", None
    raw = layout.raw
    for ln in layout.raw_lines:
        if "|" not in ln.text or any(sp.start <= ln.start < sp.end for sp in scoring):
            column = None
            continue
        parts = pipe_parts(raw, ln.start, ln.end)
        heads = [k for k, (a, b) in enumerate(parts) if PROBLEM_COLUMN.search("".join(raw[a:b].split()))]
        others = [raw[a:b].strip() for k, (a, b) in enumerate(parts) if b > a and k not in heads]
        if heads and (not others or any(is_non_answer(o) or len(o) > 10 or re.search(r"[，。；]", o) for o in others)):
            heads = []  # | 存在问题 | 暂无 |: a row labelled with the words, not a header naming a column
        first = next(("".join(raw[a:b].split()) for a, b in parts if b > a), "")
        if not heads and TABLE_BLOCK.match(first):
            column = None  # another block of the form (总体目标, 绩效指标…) starts: the column ends
            continue
        if heads:
            column, header = heads[0], "".join(raw[parts[heads[0]][0]:parts[heads[0]][1]].split())
            remedy_column = next((k for k, (a, b) in enumerate(parts)
                                  if k != column and MEASURE_COLUMN.match("".join(raw[a:b].split()))), None)
            continue
        if column is None or column >= len(parts):
            continue
        a, b = parts[column]
        span = Span(a, b)
        if b > a and not is_non_answer(raw[a:b]) and not any(t.overlaps(span) for t in taken):
            remedy = None
            if remedy_column is not None and remedy_column < len(parts):
                ra, rb = parts[remedy_column]
                remedy = Span(ra, rb) if rb > ra and not is_non_answer(raw[ra:rb]) else None
            out.append((span, header, remedy))
    return out


#: A form's row whose label cell names problems and their remedies, its text on the same
#: line: 偏离绩效目标的原因和下一步改进措施 参保人数未达目标…；下一步将…
FORM_ROW = re.compile(r"\|?\s*(?P<label>偏离(?:绩效)?目标的?原因(?:和|及|与)(?:下一步)?(?:改进|整改)措施"
                      r"|偏差原因(?:分析)?(?:和|及|与)(?:改进|整改)措施|未(?:完成|达标)(?:的)?原因(?:和|及|与)(?:改进|整改)措施"
                      r"|存在(?:的)?问题(?:和|及|与)(?:改进|整改)措施)\s*[|：:\s]\s*(?P<body>\S.*?)\s*\|?\s*$")
_CELL_LINE = re.compile(r"^[^\d，,。；;：:|]{2,10}$")
#: Words of a column label in such a header (资金管理情况, 情况说明, 存在问题, 改进措施).
_COLUMN_WORD = re.compile(r"情况|说明|问题|措施|原因|建议|内容|要点|结果|事项|类别|依据")


def form_row_cells(layout, taken: Sequence[Span] = ()) -> list[tuple[Span, str, Span | None]]:
    """The text beside a 偏离绩效目标的原因和下一步改进措施 label on its line: one problem,
    its remedy split off by :func:`with_remedy`."""
    out = []
    raw = layout.raw
    for ln in layout.raw_lines:
        m = FORM_ROW.match(raw, ln.lstart, ln.rend)
        if m is None or is_non_answer(m.group("body")):
            continue
        span = Span(m.start("body"), m.end("body"))
        if not any(t.overlaps(span) for t in taken):
            out.append((span, m.group("label"), None))
    return out


def problem_column_lines(layout, taken: Sequence[Span] = ()) -> list[tuple[Span, str, Span | None]]:
    """A table printed one cell per line (资金管理情况 / 情况说明 / 存在问题 / 改进措施, then
    each row's cells, ``—`` for an empty one): the 存在问题 cell of every row, the 改进措施
    cell beside it as the remedy. A row whose first cell is not a short label, or the first
    cell of the form's next block, ends the table (the cells are then out of step)."""
    lns = layout.raw_lines
    out: list[tuple[Span, str, Span | None]] = []
    i = 0
    while i < len(lns):
        k = 0
        while i + k < len(lns) and k < 6 and _CELL_LINE.match(lns[i + k].text) and not markers.match(lns[i + k].text) \
                and _COLUMN_WORD.search(lns[i + k].text):
            k += 1
        names = ["".join(ln.text.split()) for ln in lns[i:i + k]]
        col = next((c for c, n in enumerate(names) if PROBLEM_COLUMN.fullmatch(n)), None)
        if k < 3 or col is None or col == 0:
            i += max(k, 1)
            continue
        rem = next((c for c, n in enumerate(names) if c != col and MEASURE_COLUMN.match(n)), None)
        r = i + k
        while r + k <= len(lns):
            row = lns[r:r + k]
            first = "".join(row[0].text.split())
            if not _CELL_LINE.match(first) or TABLE_BLOCK.match(first) or markers.match(row[0].text) \
                    or any(PROBLEM_COLUMN.fullmatch("".join(x.text.split())) for x in row):
                break
            cell = row[col]
            span = Span(cell.lstart, cell.rend)
            if not is_non_answer(cell.text) and not any(t.overlaps(span) for t in taken):
                remedy = None
                if rem is not None and not is_non_answer(row[rem].text):
                    remedy = Span(row[rem].lstart, row[rem].rend)
                out.append((span, names[col], remedy))
            r += k
        i = r
    return out


def table_cells(doc: Document, indicators: Sequence[Indicator], field: str, taken: Sequence[Span] = ()
                ) -> list[tuple[Indicator, Span]]:
    """Filled scoring-table cells (``reason_span`` / ``measure_span``): not ``-``/``无``, not
    overlapping an already-found span, trimmed of surrounding whitespace."""
    out = []
    for ind in indicators:
        cell = getattr(ind, field)
        if cell is None or is_non_answer(doc.raw_text(cell)):
            continue
        span = _strip_raw(doc.raw, cell)
        if not any(t.overlaps(span) for t in taken):
            out.append((ind, span))
    return out


def _strip_raw(raw: str, span: Span) -> Span:
    s, e = span.start, span.end
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    return Span(s, e) if e > s else span


def _inline(doc: Document, sections: SectionTree | None, indicators: Sequence[Indicator],
            found: Sequence[Problem]) -> list[Problem]:
    blocked = _exclusions(doc, sections)
    for ind in indicators:
        for sp in (ind.reason_span, ind.measure_span, ind.span):
            if sp is not None:
                blocked.append(doc.to_norm(sp))
    free = _free_ranges(len(doc.text), blocked)
    lost = deduction_candidates(doc.text, free)
    cands = lost + [c for c in inline_candidates(doc.text, free)
                    if not any(c.start < d.end and d.start < c.end for d in lost)]
    if not cands:
        return []
    det = _detector()
    probs = det.shortcoming_scores([doc.text[c.start:c.end] for c in cands]) if det else None
    out = []
    for i, c in enumerate(cands):
        p = probs[i] if probs is not None else None
        if c.rule == "inline_contrast_cue":
            score = c.score if p is None else (c.score + p) / 2
            keep = score >= 0.5
        elif c.rule == "score_deduction_reason":  # points lost: a cue, or a fairly sure detector
            score = c.score if p is None else max(c.score, p)
            keep = c.score >= 0.8 or (p is not None and p >= 0.85)
        else:  # no conjunction: only a confident detector admits it
            score = p if p is not None else c.score
            keep = p is not None and p >= 0.9
        if not keep:
            continue
        span = doc.to_raw(c.start, c.end)
        if any(q.span.overlaps(span) for q in found):
            continue
        det_note = f", detector p={p:.2f}" if p is not None else ""
        why = (f"explains the points lost ({c.cue})" if c.rule == "score_deduction_reason" else
               f"shortcoming cue「{c.cue}」{' after a contrast conjunction' if c.rule == 'inline_contrast_cue' else ''}")
        out.append(Problem("", span, "inline", Evidence(EXTRACTOR, c.rule, score, why + det_note)))
    return out


def categorize(doc: Document, problems: Sequence[Problem], component: str = "ensemble") -> list[Problem]:
    """Attach categories, per-label scores and the classifier's evidence to each problem."""
    if not problems:
        return list(problems)
    from .classify import get_classifier

    results = get_classifier(component).classify([doc.raw_text(p.span) for p in problems])
    return [replace(p, categories=c.labels, category_scores=dict(c.scores), category_evidence=c.evidence)
            for p, c in zip(problems, results)]
