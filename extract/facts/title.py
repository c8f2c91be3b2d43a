"""The title block: title, reporting unit, fiscal year and report kind from a report's head.

Real pages put the title in many places: a line of its own, a caption cell of a form
(``| 项目支出绩效自评表 | | |``), two or three short lines (``临江县民政局`` /
``2024年度中央、市级转移支付资金`` / ``绩效自评报告``), a run-on converted line
(``1、项目支出绩效自评表(2021年度)项目名称…``), with web-page furniture around it
(breadcrumbs, ``来源：`` lines, file names, ``目录``, spam) that is never a title.

Everything here reads the layout's raw lines (``layout.raw``, folded one character for
one character: offsets are raw offsets), because reflow joins exactly the short lines of
a title block. Each finder returns ``(value, start, end, rule, why)`` with raw offsets,
or ``None``.

- **title**: the first head line (or cell) ending in a title core (…绩效自评报告, …自评表,
  …自评价报告, …绩效自评, 部门决算) that is not furniture; a bare core (``绩效自评报告``)
  takes the short lines above it; the value drops a trailing caption (``（2022年度）``,
  ``（本局）``) and leading years, places (``安平县``), masked places and the unit's name,
  and keeps a project or fund name.
- **unit**: a labelled cell (实施单位, 部门名称, 单位名称, 填报单位, 资金使用单位, 项目单位,
  主管部门 …; never 中央主管部门) without codes (``406012-``) and without what follows
  it on the line; an internal section (…股/科/室) gives way to its 主管部门; else the
  organ named before the title's year; a masked name (``**县``) is no unit.
- **fiscal year**: a year caption (``（2023年度）``, ``( 2019 年度)``) in the head, else the
  title's year.
- **report kind**: ``final_accounts`` for a 决算 title, ``project`` for a project or fund
  title or a form with 项目名称, ``overall`` for 整体.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass

import regex

from ..text.layout import Layout
from ..text.lines import DATE_LINE, ORGAN_END, ORGAN_LINE, REPORT_TITLE_END

#: Patterns written inline, compiled once (the regex module's own cache costs ~18 µs a lookup).
_rx = functools.lru_cache(maxsize=None)(regex.compile)

#: How far into the document the title block may stand (non-blank lines).
HEAD_LINES = 30

#: The end of a title: what kind of document the line names.
CORE = REPORT_TITLE_END
#: Web-page furniture and other lines that are never a title.
FURNITURE = regex.compile(r"""
    首页|当前位置|您现在|所在位置|[>＞»]|\.(?:docx?|pdf|xlsx?|wps)|由会员分享|文库|在线阅读
  | 来源[:：]|发布(?:时间|日期|单位|机构)|浏览|索引号|字体|字号|分享|公开时间|生成日期|信息来源
  | ^\s*目\s*[录錄]\s*$|^\s*附件\s*\d*\s*$|竞猜|彩票|百家乐|娱乐|官方平台|博彩
    """, regex.VERBOSE)
#: Spam a page inserted into its title line, in brackets: 【某某官方平台】.
SPAM = regex.compile(r"【[^】]{0,20}(?:竞猜|彩票|百家乐|娱乐|官方平台|博彩)[^】]{0,20}】")
#: A sentence, not a title.
SENTENCE_LIKE = regex.compile(r"[，。；,;]|根据|按照|现将|如下")
#: A caption after a title: its year, or the scope (本局 / 本级 / 汇总).
CAPTION = regex.compile(r"\s*[（(]\s*(?:(?P<y>\d{4})\s*年度?|本局|本级|汇总|本部门|部门本级)\s*[）)]\s*")
YEAR_CAPTION = regex.compile(r"^\s*[（(]\s*(?P<y>\d{4})\s*年度?\s*[）)]\s*$")
LEAD_YEAR = regex.compile(r"^\s*(?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年度?")
MASKED = regex.compile(r"^[*＊xX]{2,}\p{Han}?")
#: A place name: two or more characters and a division (安平县, 白石縣, 青岚省, 松川市).
PLACE = regex.compile(r"^\p{Han}{2,6}?(?:自治区|自治州|省|市|县|縣|区|區|旗|盟)(?![级級委])")
#: An organ at the head of a title, followed by what shows the name has ended.
LEAD_ORGAN = regex.compile(r"^(?P<o>\p{Han}{1,16}?" + ORGAN_END + r")(?=\s*\d{4}|[（(](?:本|汇总)|部门|单位|专项|项目|\S*?资金)")
#: Labels of the cell naming the reporting unit, most specific first.
UNIT_LABELS = (
    ("implementing_unit", r"实施单位|填报单位|资金使用单位|评价单位"),
    ("unit_name", r"部门[（(]单位[）)]名称|单位[（(]部门[）)]名称|部门名称|单位名称|预算单位"),
    ("project_unit", r"项目单位"),
    ("supervising_unit", r"(?<!中央)(?<!省级)主管部门"),
)
UNIT_LABEL = regex.compile("|".join(f"(?P<{n}>{p})" for n, p in UNIT_LABELS))
#: What ends a unit cell's value: the next label, a date, a code, a pipe, a wide gap.
UNIT_STOP = regex.compile(r"\s{2,}|[|｜\t]|本级|及(?:其)?(?:非独立核算的)?下属|单位数|[（(](?:公章|盖章)[）)]|\s+\S{2,8}[:：]|(?:填报日期|自评总分|自评得分|实施单位|"
                          r"主管部门|项目名称|项目资金|联系人|负责人|预算资金|年度|单位[:：]|项目单位|评价机构)")
CODE = regex.compile(r"^\s*\d{3,}\s*[-—－]\s*")
SECTION_UNIT = regex.compile(r"(?:股|科|室|组)$")
SCOPE = regex.compile(r"\s*[（(](?:本级|本局|汇总|本部门|公章|盖章)[）)]\s*$|本级$")


@dataclass(frozen=True)
class Found:
    """A value found in the head, with its raw ``[start, end)``, rule and a one-line why."""

    value: object
    start: int
    end: int
    rule: str
    why: str


def _head(layout: Layout) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of the head's segments: each raw line, or each cell of a
    ``|``-joined line (a cell's text keeps a trailing ``|`` mark: ``"…|"``); at most
    :data:`HEAD_LINES` lines."""
    out = []
    raw = layout.raw
    for ln in layout.raw_lines[:HEAD_LINES]:
        if "|" in ln.text or "｜" in ln.text:
            pos = ln.start
            for part in _rx(r"[|｜]").split(raw[ln.start:ln.end]):
                stripped = part.strip()
                if stripped:
                    a = pos + part.index(stripped)
                    out.append((a, a + len(stripped), stripped, True))
                pos += len(part) + 1
        else:
            out.append((ln.lstart, ln.rend, ln.text, False))
    return out


def _strip_lead(value: str, unit: str | None) -> str:
    """Drop leading years, places, masked places, the unit's name and scope words."""
    while True:
        before = value
        if unit and value.startswith(unit):
            value = value[len(unit):]
        value = _rx(r"^\s*[（(](?:本级|本局|汇总)[）)]").sub("", value)
        for rx in (LEAD_YEAR, MASKED):
            m = rx.match(value)
            if m and m.end() < len(value):
                value = value[m.end():]
        m = CAPTION.match(value)
        if m and m.end() < len(value):
            value = value[m.end():]
        m = PLACE.match(value)
        if m and not CORE.match(value, m.end()):
            value = value[m.end():]
        m = LEAD_ORGAN.match(value)
        if m and not CORE.match(value):
            value = value[m.end():]
        value = value.strip(" \t、：:")
        if value == before:
            return value


@functools.lru_cache(maxsize=16)
def find_title(layout: Layout, raw: str, unit: str | None = None) -> Found | None:
    """The report's title (see the module docstring); ``raw`` is the document's raw text,
    from which the value is taken (a traditional-character title stays traditional).
    Memoized per (layout, raw, unit): meta, finance and rates all ask for it; the layout is
    frozen, so the answer cannot change."""
    head = _head(layout)
    for k, (a, b, text, _) in enumerate(head):
        spam = SPAM.match(text)
        if spam:
            a, text = a + spam.end(), text[spam.end():]
        if FURNITURE.search(text):
            continue
        core = None
        for m in CORE.finditer(text):
            before = text[:m.start()]
            if SENTENCE_LIKE.search(before) or len(before) > 60:
                break
            core = m
            break
        if core is None:
            continue
        end = core.end()
        rest = text[end:]
        cap = CAPTION.match(rest)
        if rest.strip() and not cap and not regex.match(r"\s*(?:\d+[、.．]|[（(]|项目名称|专项资金名称|部门名称|"
                                                      r"一、|单位|$)", rest):
            continue  # the core inside a longer line that goes on as text
        segments = [(a, a + end)]  # raw [start, end) of the pieces the title is joined from
        value = text[:end]
        if not _strip_lead(value, unit)[:-len(core.group(0)) or None] and k > 0:
            # a bare core (绩效自评报告): the short lines just above belong to the title
            for pa, pb, ptext, cell in reversed(head[max(0, k - 2):k]):
                if cell or FURNITURE.search(ptext) or SENTENCE_LIKE.search(ptext) or CORE.search(ptext) or len(ptext) > 40 \
                        or layout.raw[pb:segments[0][0]].count("\n") > 2:
                    break
                if not _strip_lead(ptext, unit):
                    break  # the unit's or the year's own line (某局 / 2022年度某局（本级）)
                value, segments = ptext + value, [(pa, pb), *segments]
        lead = _rx(r"\d+[、.．]\s*").match(value)
        shown = _strip_lead(value[lead.end():] if lead else value, unit)
        if not shown:
            continue
        # the value is the joined text's last len(shown) characters, taken from the raw text
        written = "".join(raw[x:y] for x, y in segments)[-len(shown):]
        skip, start = len(value) - len(shown), None
        for x, y in segments:
            if skip < y - x:
                start = x + skip
                break
            skip -= y - x
        return Found(written, start, segments[-1][1], "title_line", f"head line {text[:60]!r}")
    return None


def find_unit(layout: Layout, raw: str) -> Found | None:
    """The reporting unit (see the module docstring); the value is taken from ``raw``."""
    raw = layout.raw
    found: dict[str, Found] = {}
    for ln in layout.raw_lines[:HEAD_LINES + 20]:
        line = raw[ln.start:ln.end]
        for m in UNIT_LABEL.finditer(line):
            rule = m.lastgroup
            if rule in found:
                continue
            s = ln.start + m.end()
            tail = raw[s:ln.end]
            lead = len(tail) - len(tail.lstrip(" \t：:|｜　（）()公章盖"))
            if not tail[lead:].strip():  # the value in the next line (one cell per line)
                nxt = next((x for x in layout.raw_lines if x.start > ln.end), None)
                if nxt is None:
                    continue
                s, tail, lead = nxt.lstart, raw[nxt.lstart:nxt.end], 0
            s += lead
            tail = raw[s:s + 60]
            code = CODE.match(tail)
            if code:
                s, tail = s + code.end(), tail[code.end():]
            stop = UNIT_STOP.search(tail)
            value = tail[:stop.start()] if stop else tail.split("\n")[0]
            value = SCOPE.sub("", value.split("\n")[0]).strip(" \t：:")
            if len(value) < 3 or MASKED.match(value) or "*" in value or not regex.search(ORGAN_END + r"$|股$|科$|室$|会$",
                                                                                        value):
                continue
            s += tail.find(value)
            found[rule] = Found(raw[s:s + len(value)], s, s + len(value), rule, f"{m.group(0)} cell")
    for rule, _ in UNIT_LABELS:
        f = found.get(rule)
        if f is None:
            continue
        if SECTION_UNIT.search(f.value):
            sup = found.get("supervising_unit")
            if sup is not None and layout.raw[f.start:f.end].startswith(layout.raw[sup.start:sup.end]):
                return sup  # an internal section of the supervising department
        return f
    return None




def unit_before_year(layout: Layout, raw: str, title: Found | None) -> Found | None:
    """The organ named at the head of the title line, before its year, 部门决算 or a project
    or fund name (某县农业农村局2023年度部门整体…, 某小学专项资金…), or on a line of its own
    just above the title block (某县民政局 / 2024年度…资金 / 绩效自评报告)."""
    if title is None:
        return None
    ls = layout.raw.rfind("\n", 0, title.start) + 1
    line = layout.raw[ls:title.end]
    m = regex.match(r"\s*(?:\d+[、.．])?\s*(?P<o>\p{Han}{3,24}?" + ORGAN_END + r")\s*(?:[（(](?:本级|本局|汇总)[）)])?\s*"
                    r"(?:\d{4}\s*年|部门决算|单位决算|专项资金|部门整体|单位整体)", line)
    if m and "*" not in m.group("o"):
        a, b = ls + m.start("o"), ls + m.end("o")
        return Found(raw[a:b], a, b, "title_prefix", "organ before the title's year")
    above = [ln for ln in layout.raw_lines if ln.end < ls][-2:]
    for ln in reversed(above):
        m = ORGAN_LINE.match(ln.text)
        if m and "*" not in m.group("o") and not FURNITURE.search(ln.text):
            a = ln.lstart + m.start("o")
            return Found(raw[a:a + len(m.group("o"))], a, a + len(m.group("o")), "title_block_organ",
                         "organ on its own line above the title")
    return None


def signature_unit(layout: Layout, raw: str) -> Found | None:
    """The organ signing the report: a line holding only an organ's name, right before a
    date line, among the last lines."""
    tail = layout.raw_lines[-6:]
    for ln, nxt in zip(tail, tail[1:]):
        m = ORGAN_LINE.match(ln.text)
        if m and DATE_LINE.match(nxt.text) and "*" not in m.group("o"):
            a = ln.lstart + m.start("o")
            return Found(raw[a:a + len(m.group("o"))], a, a + len(m.group("o")), "signature", "organ signing the report")
    return None


def find_fiscal_year(layout: Layout, title: Found | None) -> Found | None:
    """A year caption in the head (``（2023年度）``), else the year in the title block."""
    head = _head(layout)
    for a, b, text, _ in head[:12]:
        m = YEAR_CAPTION.match(text) or _rx(r"[（(]\s*(?P<y>\d{4})\s*年度\s*[）)]").search(text)
        if m and not FURNITURE.search(text):
            return Found(int(m.group("y")), a + m.start("y"), a + m.end("y"), "year_caption", text[:30])
    if title is not None:
        ls = layout.raw.rfind("\n", 0, max(0, layout.raw.rfind("\n", 0, title.start))) + 1
        for m in _rx(r"(?P<y>(?:19|20)\d{2})\s*年").finditer(layout.raw[ls:title.end]):
            return Found(int(m.group("y")), ls + m.start("y"), ls + m.end("y"), "title_year", m.group(0))
    return None


PROJECT_WORDS = regex.compile(r"项目|资金|专项|经费|补助|补贴|转移支付|奖补")


def find_kind(layout: Layout, title: Found | None) -> Found | None:
    """``final_accounts`` / ``project`` / ``overall`` from the title (and the head's labels)."""
    if title is None:
        return None
    t = layout.raw[title.start:title.end]
    if _rx(r"决算").search(t):
        return Found("final_accounts", title.start, title.end, "final_accounts_title", "部门决算 title")
    if _rx(r"整体").search(t):
        return Found("overall", title.start, title.end, "overall_title", "整体 in the title")
    if PROJECT_WORDS.search(t):
        return Found("project", title.start, title.end, "project_title", "a project or fund title")
    return None
