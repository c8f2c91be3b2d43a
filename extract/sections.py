"""Headings -> a labelled section tree.

All offsets here are into the NORMALIZED text (``doc.text``); map with
``doc.to_raw(start, end)``. A section's heading is ``[start, heading_end)``, its
body ``[heading_end, end)``; the body runs to the next heading of the same or a
higher level.

Headings recognised (level in brackets): ``第一部分`` / ``一、`` [1], ``（一）`` [2],
``1.`` ``1、`` [3], ``（1）`` ``(1)`` [4], and bare short lines that name a known part
(``单位基本情况``, ``改进措施``; seed 002 has no numbers) [1 for 基本情况, else 2].
A numbered line is a heading only when its title is short (up to the first 。,
without a comma); a long numbered sentence is a list item of its section. Table-form
reports (自评表) get the same labels from their row headers (``kind="table_row"``,
wrapped headers such as ``年度整体`` / ``绩效目标`` are rejoined) and, for a scoring table
with 未达标原因 / 改进措施 columns, one ``table_cell`` section per filled cell. Lines of
a contents page (dotted leaders, trailing page numbers) are never headings.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

import regex

from .core import Document, Span
from .normalize import fold_traditional
from .text import markers
from .text.layout import Layout, analyze
from .text.lines import ends_a_part, is_contents_line

LABELS = ("basic_info", "organization", "annual_work", "performance_goals", "spending_overview",
          "self_evaluation_process", "self_evaluation_result", "indicator_analysis", "problems",
          "measures", "other")

KEYWORDS: tuple[tuple[str, str], ...] = (
    ("other", r"^其他"),
    ("problems", r"存在(?:的)?(?:主要)?问题|问题(?:与|和|及)不足|存在不足|主要问题|未能完成原因|未达标原因|偏差原因|"
                 r"偏离(?:绩效目标)?的?原因|^(?:主要|存在)?问题$|^不足$"),
    ("measures", r"改进措施|整改措施|改进建议|改进方向|下一步(?:工作)?(?:计划|打算|措施|安排)?|意见建议|相关措施|"
                 r"^(?:改进|几点|相关)?建议$"),
    ("basic_info", r"基本情况|部门概况|单位概况|基本概况"),
    ("organization", r"机构设置|人员情况|人员编制|部门职能|单位职能|机构职能"),
    ("self_evaluation_process", r"自评工作开展|自评工作过程|评价小组|自评材料|自评(?:工作)?组织|准备工作|评价工作开展|分析评价"),
    ("indicator_analysis", r"指标分析|指标完成情况|一级指标|评分表"),
    ("self_evaluation_result", r"自评结果|绩效自评情况|自评情况|评价结论|总体结论|评价等级|目标完成情况|自评结论"),
    ("performance_goals", r"绩效目标"),
    ("annual_work", r"年度总体工作|重点工作|主要工作|履职情况|工作任务"),
    ("spending_overview", r"支出情况|收支|预算情况|执行情况|预算编制|预算监督|使用效益|资产管理|采购管理|信息公开|运行成本|绩效管理情况"),
)
_KW = [(label, regex.compile(p)) for label, p in KEYWORDS]
_ANY_KW = regex.compile("|".join(f"(?:{p})" for _, p in KEYWORDS))

#: Marker styles that make a line a heading candidate, and those that make it a list item.
HEADING_STYLES = ("part", "cn", "paren_cn", "arabic", "paren_ar")
ITEM_STYLES = ("arabic", "paren_ar", "paren_cn", "shi", "circled")
MAX_TITLE = 40
_COMMA = regex.compile(r"[，,；;]")
_COMMA_COLON = regex.compile(r"[，,；;：:]")
_TABLE_NOISE = regex.compile(r"[\d\-（(]")
_PAREN_TITLE = regex.compile(r"[^，。,]{2,30}?[）)]")
_OTHER_PART = regex.compile(r"其他(?:自评)?(?:情况|事项|说明)。?")
_HAN = regex.compile(r"\p{Han}+")


@dataclass(frozen=True)
class Item:
    """A list item inside a section: ``marker`` ("1." / "（一）" / "一是"), the body
    ``[start, end)`` without the marker, and the marker's own ``[marker_start, start)``."""

    marker: str
    marker_start: int
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A section: heading ``[start, heading_end)``, body ``[heading_end, end)``."""

    label: str
    heading: str
    level: int
    start: int
    heading_end: int
    end: int
    children: tuple["Section", ...] = ()
    items: tuple[Item, ...] = ()
    kind: str = "heading"  # heading | table_row (row header in a 自评表) | table_cell (a scoring-table cell)
    #                        | fallback (a short line naming the part, in a document whose headings were not recognised)


@dataclass(frozen=True)
class SectionTree:
    """The labelled sections of a document, with the document's :class:`Layout`
    (lines, tables, contents lines) they were built on: extractors read both from here."""

    sections: tuple[Section, ...] = field(default_factory=tuple)
    layout: Layout | None = None

    def walk(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))

    def find(self, label: str) -> list[Section]:
        return [s for s in self.walk() if s.label == label]


#: A list marker run together right after a heading's words: …改进建议1、… / …存在的问题（1）…
_RUN_ON_ITEM = regex.compile(r"(?<=\p{Han})(?:[（(][1一][)）]|1[、．]|一是)")


@functools.lru_cache(maxsize=4096)
def label_of(title: str) -> str:
    """The canonical label for a heading's words (``other`` when nothing matches); a title
    in traditional characters is read as its simplified words (存在問題). (A pure function
    of its argument, memoized: the same heading words recur across a corpus.)"""
    t = fold_traditional("".join(title.split()))
    if not _ANY_KW.search(t):
        return "other"
    for label, rx in _KW:
        if rx.search(t):
            return label
    return "other"


def _lines(text: str) -> list[tuple[int, str]]:
    """``(start, line)`` for each line of ``text`` (a light form of :func:`extract.text.lines.lines`)."""
    out, pos = [], 0
    for part in text.split("\n"):
        out.append((pos, part))
        pos += len(part) + 1
    return out


@dataclass
class _Head:
    level: int
    start: int
    heading_end: int
    title: str
    kind: str = "heading"
    label: str | None = None
    sentence: bool = False  # the title was cut at a full stop: 1.预算编制不够细化。…


def _is_header_row(line: str) -> bool:
    """| 存在问题 | 改进措施 |: a table's header row naming its columns, not a heading."""
    return "|" in line and sum(label_of(c) != "other" for c in line.split("|") if c.strip()) >= 2


def _heading(pos: int, line: str, table: bool) -> _Head | None:
    if not line.strip() or is_contents_line(line):
        return None
    if _is_header_row(line):
        return None
    m = markers.match(line)
    if m is not None and m.style in HEADING_STYLES:
        level = m.level
        rest = line[m.body:]
        run_on = _RUN_ON_ITEM.search(rest)
        if run_on:
            rest = rest[:run_on.start()]  # 三、存在的问题和改进建议1、存在的问题（1）…: the heading stops at the item
        stop = rest.find("。")
        title = rest if stop < 0 else rest[:stop]
        if stop < 0 and len(rest) > MAX_TITLE:  # 部门整体支出情况（包括…）2023年收入…: cut after a closing paren
            pm = _PAREN_TITLE.match(rest)
            title = pm.group(0) if pm else rest
        if not title or len(title) > MAX_TITLE or _COMMA.search(title):
            return None
        if level >= 3 and stop >= 0 and label_of(title) == "other":
            return None  # 1.党建工作。突出… / 5.做好基层党建工作。: a list item, not a part of the report
        if label_of(title) == "basic_info":
            level = 1  # 1、单位基本情况 (a report numbering its first part like a sub-item)
        end = pos + m.body + len(title) + (1 if stop >= 0 and len(title) == stop else 0)
        return _Head(level, pos, end, title, sentence=stop >= 0 and bool(rest[stop + 1:].strip()))
    t = line.strip()
    if table and (len(t) > 12 or _TABLE_NOISE.search(t)):
        return None  # a table's row headers are short label cells, not wrapped explanation text
    if len(t) <= 24 and not _COMMA_COLON.search(t) and (not t.endswith("。") or len(t) <= 16):
        label = label_of(t)
        if label != "other" or _OTHER_PART.fullmatch(t):
            start = pos + line.index(t[0])
            kind = "table_row" if table else "heading"
            level = 1 if label == "basic_info" else 2
            return _Head(level, start, start + len(t), t.rstrip("。"), kind, label)
    return None


def _items(text: str, start: int, end: int) -> tuple[Item, ...]:
    out = []
    for pos, line in _lines(text[start:end]):
        m = markers.match(line)
        if m is not None and m.style in ITEM_STYLES:
            body_end = start + pos + len(line.rstrip())
            out.append(Item(m.text, start + pos + m.start, start + pos + m.body, body_end))
    return tuple(out)


def _table_cells(doc: Document, layout: Layout) -> list[Section]:
    """One section per filled reason / measure cell of a scoring table (``-``, ``无`` are empty)."""
    out = []
    for table in layout.tables_of("scoring"):
        roles = table.columns
        for row in table.body:
            level3 = row[roles.index("level3")].text
            for role, label in (("reason", "problems"), ("measure", "measures")):
                cell = row[roles.index(role)]
                if not cell.text.strip() or cell.text.strip() in ("-", "—", "无", "/", "暂无"):
                    continue
                s, e = doc.to_norm(cell.span)
                if e <= s:
                    continue
                out.append(Section(label, f"{level3}: {'未达标原因' if label == 'problems' else '改进措施'}",
                                   3, s, s, e, kind="table_cell"))
    return out


def parse_sections(doc: Document, layout: Layout | None = None) -> SectionTree:
    """The labelled section tree of ``doc``, built on its :class:`Layout` (computed here
    unless given)."""
    layout = layout if layout is not None else analyze(doc)
    text = doc.text
    first = text[: max(text.find("\n"), 0) or len(text)]
    table = bool(regex.search(r"自评表$", first.strip())) or bool(regex.search(r"^一级指标", text, regex.M))
    heads: list[_Head] = []
    lines = list(_lines(text))
    skip = in_scores = False
    for i, (pos, line) in enumerate(lines):
        if skip:
            skip = False
            continue
        h = _heading(pos, line, table)
        if h is None and table and i + 1 < len(lines) and 0 < len(line.strip()) <= 6:
            nxt_pos, nxt = lines[i + 1]
            joined = line.strip() + nxt.strip()
            if len(nxt.strip()) <= 8 and _HAN.fullmatch(joined) and label_of(joined) != "other" \
                    and label_of(line) == "other":
                h = _Head(2, pos + line.index(line.strip()[0]), nxt_pos + len(nxt.rstrip()), joined, "table_row",
                          label_of(joined))
                skip = True
        if table and line.startswith("一级指标"):
            h = _Head(2, pos, pos + len(line), "指标评分表", "table_row", "indicator_analysis")
            in_scores = True
        elif h is not None and table and in_scores and h.label != "self_evaluation_result":
            h = None  # a wrapped indicator name inside the scoring table, not a row header
        if h is not None:
            heads.append(h)
    heads += _inline_heads(text, heads)
    heads.sort(key=lambda h: h.start)
    heads = _items_not_heads(heads)
    tables = [t.span for t in layout.tables if t.kind in ("scoring", "budget")]
    heads = [h for h in heads if not (label_of(h.title) in ("problems", "measures") and any(
        sp.start < doc.starts[h.start] < sp.end for sp in tables))]  # table header words (偏差原因/分析及/改进措施)
    stops = _stoppers(doc, layout)
    # ends: next heading of the same or a higher level (smaller number), or a stopper
    flat = []
    for k, h in enumerate(heads):
        end = next((x for x in stops if x > h.heading_end), len(text))
        for nxt in heads[k + 1:]:
            if nxt.level <= h.level:
                end = min(end, nxt.start)
                break
        label = h.label or label_of(h.title)
        flat.append((h, label, end))
    tree = _nest(text, flat)
    found = {s.label for s in SectionTree(tuple(tree)).walk()}
    fallback = [s for label in ("problems", "measures") if label not in found for s in _fallback(doc, layout, label, stops)]
    cells = _table_cells(doc, layout)
    return SectionTree(tuple(tree) + tuple(fallback) + tuple(cells), layout)


#: A problems or measures heading run together with its text mid-line: after a sentence break
#: or a line start, an optional marker, a short title, then 。/：or the first item's marker.
INLINE_HEAD = regex.compile(r"""
    (?:(?<=[。；;！？\n])|^|(?<=\p{Han})(?=[一二三四五六七八九十]{1,2}、))\s*
    (?P<marker>[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．])?\s*
    (?P<title>[^\n，,。；;：:（()）]{0,14}?(?:问题|不足|措施|建议|原因|打算|计划|方向|下一步)[^\n，,。；;：:（()）]{0,8}?)
    (?:[。：:]|(?=[（(][1一][)）]|1[、.．]|一是|①))
    """, regex.VERBOSE | regex.MULTILINE)
_HEAD_WORD = regex.compile(r"问题|不足|措施|建议|原因|打算|计划|方向|下一步")
#: In run-on text, a top-level marker and a known heading phrase with its text right after it
#: (五、存在的问题及原因分析我校…, 六、几点建议拨款应…): the phrase is the whole title.
INLINE_LABEL_AT = regex.compile(r"""
    (?P<marker>[一二三四五六七八九十]{1,2}、)
    (?P<title>存在的?(?:主要)?问题(?:及原因分析|和不足|及不足|及原因)?|主要问题(?:及改进措施)?
      |(?:几点|相关|改进|意见)建议|改进措施(?:及建议)?|整改措施|下一步(?:工作)?(?:计划|打算|措施|安排)
      |其他(?:需要)?(?:说明|需说明)的?(?:问题|事项|情况))
    (?=[\p{Han}（(])
    """, regex.VERBOSE)
_TOP_RUN_ON = regex.compile(r"(?<=\p{Han})[一二三四五六七八九十]{1,2}、")
#: The same, right where another heading ended (no break before it).
INLINE_HEAD_AT = regex.compile(INLINE_HEAD.pattern.replace(
    r"(?:(?<=[。；;！？\n])|^|(?<=\p{Han})(?=[一二三四五六七八九十]{1,2}、))\s*", "", 1),
                               regex.VERBOSE | regex.MULTILINE)


def _inline_heads(text: str, heads: list[_Head]) -> list[_Head]:
    """Problems and measures headings standing mid-line (run-on text:
    ``三、存在的问题和改进建议1、存在的问题（1）…2、改进建议（1）…``, ``（二）改进措施。一是…``,
    ``存在的问题：一是…。改进措施：一是…``), where no line heading already stands.
    Their level is their marker's (9 without one: below every numbered heading)."""
    at = {h.start for h in heads}
    out = []
    found, starts = [], set()
    for hit in _HEAD_WORD.finditer(text):  # only where a problem or measure word stands
        lo = max(0, hit.start() - 24)
        brk = max(text.rfind(c, lo, hit.start()) for c in "。；;！？\n")
        if brk < 0:  # run-on text: a top-level marker right after other text (…已完工五、存在的问题…)
            top = [t for t in _TOP_RUN_ON.finditer(text, lo, hit.start())]
            brk = top[-1].start() - 1 if top else -1
        at_pos = brk + 1 if brk >= 0 else lo
        m = INLINE_HEAD_AT.match(text, at_pos) if brk >= 0 or lo == 0 else None
        if m is None and (brk >= 0 or lo == 0):  # 六、几点建议拨款应及时…: a known heading phrase, no stop after it
            m = INLINE_LABEL_AT.match(text, at_pos)
        if m is not None and m.start() not in starts and m.end() > hit.start():
            found.append(m)
            starts.add(m.start())
    found.sort(key=lambda f: f.start())
    k = 0
    while k < len(found):  # a head right after another (存在的问题和改进建议1、存在的问题…) is matched from its end
        nxt = INLINE_HEAD_AT.match(text, found[k].end())
        if nxt is not None and nxt.end() > found[k].end() and nxt.start() not in starts:
            found.insert(k + 1, nxt)
            starts.add(nxt.start())
        k += 1
    for m in found:
        title = m.group("title").strip()
        start = m.start("marker") if m.group("marker") else m.start("title")
        if not m.group("marker") and (len(title) <= 3 or text[m.end() - 1] not in "：:"):
            continue  # without a marker, only a label with a colon (存在的问题：); a bare 问题 needs its marker
        label = label_of(title)
        if label not in ("problems", "measures") and not (m.group("marker") and markers.is_top(m.group("marker"))):
            continue  # (another top-level part, 七、其他需要说明的问题, is kept: it ends the one before)
        if start in at or is_contents_line(
                text[start:text.find("\n", start) if text.find("\n", start) >= 0 else len(text)]):
            continue
        mk = markers.match(m.group("marker")) if m.group("marker") else None
        level = mk.level if mk is not None else 9
        end = m.end()
        out.append(_Head(level, start, end, title, "inline", label))
    return out


def _items_not_heads(heads: list[_Head]) -> list[_Head]:
    """Inside a problems or measures part, a numbered line that goes on after its first
    full stop (``1.预算编制精细化程度不高。部分专项…``) is one of its items, not a sub-heading."""
    out: list[_Head] = []
    stack: list[_Head] = []  # the kept heads not followed by one of their level or above: levels rise
    for h in heads:
        parent = next((p for p in reversed(stack) if p.level < h.level), None)  # at most one per level
        if h.sentence and h.level >= 3 and parent is not None and (parent.label or label_of(parent.title)) in (
                "problems", "measures"):
            continue
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        out.append(h)
    return out


def _stoppers(doc: Document, layout: Layout) -> list[int]:
    """Normalized offsets at which every section ends: another report's title, an
    attachment line, a signature (:func:`extract.text.lines.ends_a_part`)."""
    lns = list(layout.raw_lines)
    out = []
    for k in range(len(lns)):
        if k and ends_a_part(lns, k):
            s, _ = doc.to_norm(Span(lns[k].lstart, lns[k].rend))
            out.append(s)
    return out


_FINAL_PUNCT = "。！？；;!?"
#: Words of a heading that ends a problems or measures part found by the fallback search.
_NEXT_PART = regex.compile(r"其他(?:自评)?(?:情况|事项|需要说明)|附件|自评结论|评价结论")


def _fallback(doc: Document, layout: Layout, label: str, stops: list[int] | None = None) -> list[Section]:
    """For a document whose headings were not recognised: a short line naming the part
    (存在问题 / 改进措施, numbered or not) starts a section that runs to the next short
    heading-like line (another part's words, a top-level marker, 附件, or a short unmarked line)."""
    tables = [t.span for t in layout.tables if t.kind in ("scoring", "budget")]
    lns = [ln for ln in layout.lines if ln.text and not any(sp.start < doc.starts[ln.lstart] < sp.end for sp in tables)]
    stops = stops if stops is not None else _stoppers(doc, layout)
    out = []
    for i, line in enumerate(lns):
        t = line.text
        if len(t) > 32 or t[-1] in _FINAL_PUNCT or "，" in t or "," in t or is_contents_line(t) \
                or _is_header_row(t) or label_of(t) != label:
            continue
        if not (markers.match(t) or len(t) <= 20):
            continue
        end = next((x for x in stops if x > line.rend), len(layout.text))
        for nxt in lns[i + 1:]:
            t = nxt.text
            other = label_of(t) in ("problems", "measures")
            top = markers.is_top(t)
            short = len(t) <= 16 and t[-1] not in _FINAL_PUNCT + "，,、" and not markers.match(t)
            if len(t) <= 32 and t[-1] not in _FINAL_PUNCT and (other or top or _NEXT_PART.search(t) or short):
                end = nxt.lstart
                break
        out.append(Section(label, line.text, 2, line.lstart, line.rend, end, kind="fallback"))
    return out


def sections_of(doc: Document, sections: SectionTree | None = None) -> SectionTree:
    """``sections`` when given (its layout computed now if it has none), else the
    document's tree built now: the one way an extractor called on its own gets the
    structure the pipeline passes."""
    if sections is None:
        return parse_sections(doc)
    return sections if sections.layout is not None else replace(sections, layout=analyze(doc))


def _nest(text: str, flat) -> list[Section]:
    """Build the tree from (head, label, end) in document order."""
    def build(i: int, limit: int) -> tuple[list[Section], int]:
        out = []
        while i < len(flat) and flat[i][0].start < limit:
            h, label, end = flat[i]
            end = min(end, limit)
            children, j = build(i + 1, end)
            first_child = children[0].start if children else end
            items = _items(text, h.heading_end, first_child)
            out.append(Section(label, h.title, h.level, h.start, h.heading_end, end, tuple(children), items, h.kind))
            i = j
        return out, i

    return build(0, len(text))[0]


def format_tree(doc: Document, tree: SectionTree) -> str:
    """A readable tree: one line per section, indented by level, with raw offsets."""
    lines = []
    for s in tree.walk():
        raw = doc.to_raw(s.start, max(s.end, s.start + 1))
        tag = "" if s.kind == "heading" else f" ({s.kind})"
        lines.append(f"{'  ' * (s.level - 1)}{s.label:<24} [{raw.start}, {raw.end})  {s.heading}{tag}")
    return "\n".join(lines) or "(no sections found)"
