"""Staffing (编制, 在职, 退休 …) and organisation counts (内设机构, 下属单位 …).

Where: the unit's basic-information parts (基本情况 / 机构设置 / 人员情况, each up to the
next heading about work, goals or money; contents-page lines are no headings), where
a report describes itself; with no such heading, the opening up to the first such
heading. Figures about the unit's work elsewhere (people trained, posts approved for
other bodies) are not staffing. Two statements are read anywhere because they can
only be about the unit itself: ``无下属单位`` (no subordinate units) and
``成立X，新增行政编制N名`` (a new internal office and its posts).

How: each count figure (``20 名``, ``四个``; a bare number right after a cue ending in
数 or a colon, as in a table row ``在职人数 19``) takes its name from the cue just
before it (``行政编制20名``) or, for organisation counts, the noun just after it
(``13个组室``); a count in 个 with a staffing cue is staffing (``编制5个``). Cues are
tried most specific first (``行政工勤编制`` before ``行政编制``; ``实有在职`` is people in
post, not the actual total), and only filler words may stand between a cue and its
figure (``在职人数为``, not ``在职党员``). A clause about other bodies (全区, 各镇, 镇街,
中小学 …) or about work (培训, 小组, 招聘 …) gives no facts. A named unit before the cue
(``区党建指导中心编制20名``) becomes the ``entity`` of the figures after it in the same
``；``-separated segment unless it is the reporting unit itself; ``（含X 1人）`` gives
the enclosing figure's name to X; after a total, ``其中行政人员19人`` names a part by
its kind (active_admin after 实有/在职, authorized_admin after 编制). A table cell's
cue on the line above its number (``在职人数\n19``) counts as before it. Traditional
characters and inline pinyin (``編(biān)制``) are read as their simplified words.
"""
from __future__ import annotations

import bisect
import functools
from typing import Sequence

from decimal import Decimal

import regex

from ..core import Document, Evidence, Fact
from ..core.registry import register
from ..normalize import PINYIN
from ..numbers import find_figures
from ..sections import SectionTree, sections_of
from ..text import markers
from ..text.lines import Line, is_contents_line
from ..text.lines import lines as split_lines
from ..text.patterns import Pattern
from ..text.split import sentences
from .meta import same_unit, unit_name

#: Patterns written inline, compiled once (the regex module's own cache costs ~18 µs a lookup).
_rx = functools.lru_cache(maxsize=None)(regex.compile)

EXTRACTOR = "staffing.rules.v1"

STAFF_CUES: tuple[tuple[str, str], ...] = (  # on a tie (same end) the earlier, more specific cue wins
    ("early_retired", r"离岗退养|离岗待退|内退"),
    ("retired_all", r"离退休"),
    ("retired_cadre", r"离休"),
    ("retired", r"退休"),
    ("authorized_worker", r"(?:工勤编制|工勤人员编制|工勤岗位编制)(?:人数|数)?"),
    ("authorized_admin", r"(?:行政编制|公务员编制)(?:人数|数)?"),
    ("authorized_institution", r"(?:事业编制|参公编制)(?:人数|数)?"),
    ("active_admin", r"行政在职|在职行政"),
    ("active_institution", r"事业在职|在职事业"),
    ("active_total", r"在职实有|实有在职|现有在职(?:教职工|教师|干部职工|人员)?|现有(?:干部职工|教职工)|在职|在编|编制内"),
    ("actual_total", r"实有"),
    ("non_establishment", r"合同制|编外|雇员|临聘|聘用|劳务派遣|后勤服务人员|临时工|购买服务|公益性岗位"),
    ("worker", r"工勤"),
    ("authorized_total", r"总编制|核定人数|核定编制|编制(?:数|人数)?|定编"),
)
#: Words that may stand between a cue and its figure: 在职人数为, 退休人员, 合同制工作人员.
GAP = regex.compile(r"(?:的)?(?:工作人员|人员|干部|教职工|教师|职工|员工|总人数|人数|总数|数|名额|人)*(?:为|共计|共有|共|有|计|合计|总计|是|达)?")
ORG_AFTER = (  # noun right after a count: 13个组室
    ("internal_departments", r"(?:内设|职能|业务)?(?:机构|组室|股室|科室|处室|职能组)"),
    ("secondary_budget_units", r"二级预算单位"),
    ("subordinate_units", r"(?:下属|直属|所属)(?:事业|二级)?单位|二级单位"),
)
ORG_BEFORE = (  # cue right before a count: 下属二级预算单位0个
    ("secondary_budget_units", r"二级预算单位(?:数)?"),
    ("accounting_units", r"独立核算(?:机构|单位)(?:数)?"),
    ("subordinate_units", r"(?:下属|直属|所属|[局委厅院办]属)(?:事业|二级)?单位(?:数)?"),
    ("internal_departments", r"内设(?:机构|科室|股室|处室)?(?:数)?|组室|股室|科室|处室"),
)
_STAFF = [(n, regex.compile(p)) for n, p in STAFF_CUES]
_ORG_AFTER = [(n, regex.compile(rf"^(?:{p})")) for n, p in ORG_AFTER]
_ORG_BEFORE = [(n, regex.compile(rf"(?:{p})(?:为|共|有|合计)?$")) for n, p in ORG_BEFORE]
_ORG_ANY = [(n, regex.compile(p)) for n, p in ORG_BEFORE]
#: 下设2个事业单位, 所属2家单位: a bare 单位 after a count is subordinate when the clause says 下设/所属.
SUB_AFTER = regex.compile(r"^(?:副?[科处股]级|正[科处]级|全额拨款|差额拨款|自收自支)?(?:事业|二级)?单位|^(?:国有)?林场"
                          r"|^\p{Han}{1,8}?(?:站|所|中心)(?!\p{Han})")
SUB_LEAD = regex.compile(r"下设|下辖|辖|下属|所属|直属|[局委厅院办]属")
#: 共5个 / 合计5个 after a list: the organisation noun is earlier in the sentence.
TOTAL_WORD = regex.compile(r"^(?:共|共计|合计|计|总计|等)$")
#: A clause about other bodies (an 编办 describing 镇街, 教职工编制) or about work output.
#: A word inside a body's name (干部培训组, 乡镇工作股) says nothing about the clause.
NOT_IN_NAME = r"(?![\p{Han}]{0,6}?(?:[股室科组处队]|中心|办公室))"
SCOPE = regex.compile(r"(?:全区|全市|全县|全省|全镇|各镇|镇街|乡镇|街道|各单位|各部门|各机关|中小学|学校|挂牌)" + NOT_IN_NAME)
WORK = regex.compile(r"(?:小组|工作组|培训|会议|招录|招聘|录用|引进|选调|考录|遴选|表彰|慰问|调研|党员)" + NOT_IN_NAME)
#: A sentence about a working group counts its members, not the unit's staff (自评工作小组由在职人员5人组成).
GROUP = regex.compile(r"(?:(?:工作|领导|评价|自评|考核|专项)小组|工作组|工作专班)" + NOT_IN_NAME)
RIGHT_WORK = regex.compile(r"^[^，。；,;]{0,6}?(?:组成|参加|参与|参训|出席|受训|获评|获得)")
#: A named body before a cue: 区党建指导中心编制20名, 所属事业单位党建指导中心事业编制5名.
ENTITY = regex.compile(r"[\p{Han}“”\"]{2,30}?(?:中心|办公室|秘书组|分局|站|所|队|馆|院|局|委员会|学校|医院|组|室|处|科|股|"
                       r"林场|场)")
ENTITY_LEAD = regex.compile(r"^(?:其中|另有|另|以及|及|和|与|本级|所属事业单位|下属事业单位|所属单位|下属单位|"
                            r"截至|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|年末|年底)+")
#: 实有人数43人，其中行政人员19人、事业人员24人: kinds named only after a total and 其中.
KIND = regex.compile(r"(?:其中)?(?P<kind>行政|公务员|事业|工勤)(?:人员|干部|职工)?(?:编制)?(?:为|共|有)?")
KIND_PART = {"行政": "admin", "公务员": "admin", "事业": "institution", "工勤": "worker"}
TOTALS = ("active_total", "actual_total", "authorized_total")


def _part(total: str, kind: str) -> str:
    """The name of a part of a total: 实有 … 其中行政 → active_admin, 编制 … 其中工勤 → authorized_worker."""
    part = KIND_PART[kind]
    if total == "authorized_total":
        return f"authorized_{part}"
    return "worker" if part == "worker" else f"active_{part}"


PARENS = regex.compile(r"[（(][^（）()]*[）)]")
DELIM = "，,、；;：:（("
CLAUSE_DELIM = "，,；;"
UNITS = ("人", "名", "个", "家", "位")

#: A heading naming the unit's own description: 一、部门（单位）基本情况, 3、人员情况, 单位机构设置…
START = regex.compile(r"^(?:" + markers.MARKER.pattern + r")?\s*(?:本?(?:单位|部门)(?:[（(](?:单位|部门)[）)])?)?"
                      r"(?:基本情况|概况|基本概况|机构设置|人员情况|人员编制|人员构成)", regex.M | regex.VERBOSE)
END_WORDS = regex.compile(r"年度总体工作|重点工作|主要工作|年度工作|绩效目标|整体支出|收支|自评|预算|资金|履职")
NO_UNITS = regex.compile(r"(无|没有)(?:下属|直属|所属)?(二级预算|事业)?单位")
#: 无内设机构 / 未设内设机构: no internal departments.
NO_DEPARTMENTS = regex.compile(r"(无|没有|未设)(?:内设机构|内设科室|内设股室|内设处室)")
FOUNDED = regex.compile(r"(?:成立|组建|新设|设立)([\p{Han}“”\"]{2,30}?(?:办公室|中心|秘书组|组|局|站|所|队))[，,][^。]*?新增[^。]*?。")
SENTENCE_MARK = regex.compile(r"[，。；,;]")
# Patterns that scan the whole document are named and time-limited (extract.text.patterns).
START, FOUNDED, NO_UNITS, NO_DEPARTMENTS = (Pattern(n, rx) for n, rx in (
    ("basic_info_heading", START), ("new_office", FOUNDED), ("no_units", NO_UNITS), ("no_departments", NO_DEPARTMENTS)))


def _squeeze(s: str) -> str:
    """Drop spaces a PDF left inside words (行政编 制, 内设 机构) and inline pinyin
    (編(biān)制) before matching cues."""
    return "".join(PINYIN.sub("", s).split())


def _is_heading(line: str) -> bool:
    """A numbered line, or a short line without sentence punctuation."""
    if is_contents_line(line):
        return False
    m = markers.match(line)
    if m is not None and m.style in ("part", "cn", "paren_cn", "paren_ar", "arabic"):
        return True
    body = line.strip().rstrip("。：:")
    return 0 < len(body) <= 30 and not SENTENCE_MARK.search(body)


def _regions(text: str, lns: Sequence[Line] = ()) -> list[tuple[int, int]]:
    """The basic-information parts: from each 基本情况/机构设置/人员情况 heading to the
    next heading about work, goals or money (``lns``: the text's lines, from the layout)."""
    out: list[tuple[int, int]] = []
    pos = 0
    ends = [ln.start for ln in (lns or split_lines(text)) if ln.end > ln.start and END_WORDS.search(text, ln.start, min(
        ln.end, ln.start + 24)) and not START.match(text[ln.start:ln.end]) and _is_heading(text[ln.start:ln.end])]
    while True:
        m = START.search(text, pos)
        if not m:
            break
        line_end = text.find("\n", m.start())
        line = text[m.start(): len(text) if line_end < 0 else line_end]
        if not _is_heading(line):
            pos = m.end()
            continue
        k = bisect.bisect_right(ends, m.start())
        end = ends[k] if k < len(ends) else len(text)
        out.append((m.start(), end))
        pos = max(end, m.end())
    first_line = text.find("\n", len(text) - len(text.lstrip()))
    ends = [e for e in ends if e > first_line]  # the title line (…绩效自评报告) ends nothing
    if not out and ends:  # no basic-information heading: the opening part
        out.append((0, ends[0]))
    return out


def _staff_cue(left: str) -> tuple[str, str] | None:
    """(name, cue) of the staffing cue ending ``left``, only filler words after it."""
    best = None  # the cue ending last wins; on a tie the more specific (earlier) one
    for n, rx in _STAFF:
        for m in rx.finditer(left):
            if best is None or m.end() > best[1].end():
                best = (n, m)
    if best is None or not GAP.fullmatch(left, best[1].end()):
        return None
    return best[0], best[1].group(0)


def _name_for(left: str, right: str, unit: str | None, sentence_left: str, clause: str,
              cell_cue: bool = False) -> tuple[str, str, str] | None:
    """(type, name, cue) for a figure from the text before and after it; ``cell_cue``: the
    cue is a label on a line of its own above the figure (人员编制 / 21)."""
    if unit in ("个", "家", None):
        for n, rx in _ORG_AFTER:
            m = rx.match(right)
            if m and unit is not None:
                return "org", n, m.group(0)
        sub = SUB_AFTER.match(right) if unit is not None and SUB_LEAD.search(clause) else None
        if sub:
            return "org", "subordinate_units", sub.group(0)
        for n, rx in _ORG_BEFORE:
            m = rx.search(left)
            if m and (unit is not None or m.group(0).endswith("数")):
                return "org", n, m.group(0)
        if unit is not None and TOTAL_WORD.match(left):
            found = [(m.end(), n, m.group(0)) for n, rx in _ORG_ANY for m in rx.finditer(sentence_left)]
            if found:
                _, n, cue = max(found, key=lambda t: t[0])
                return "org", n, cue
        if unit == "家":
            return None
    staff = _staff_cue(left)
    if staff is None:
        return None
    if unit is None and not cell_cue and not staff[1].endswith("数") and not left.endswith(("人数", "数")):
        return None  # a bare number counts only after a cue ending in 数 (在职人数 19) or a label line
    return "staffing", staff[0], staff[1]


def _about_others(clause: str, right: str, segment: str) -> bool:
    """Is a figure about other bodies or about work (全区…编制, 培训…人, 自评工作小组…人组成)?"""
    return bool(SCOPE.search(clause) or WORK.search(clause) or RIGHT_WORK.match(right) or GROUP.search(segment))


def _entity(before_cue: str, unit: str | None) -> tuple[bool, str | None]:
    """Does ``before_cue`` name a body, and which: (named, entity); the reporting unit
    itself is (True, None)."""
    cut = max(before_cue.rfind(c) for c in DELIM + "含")
    cand = ENTITY_LEAD.sub("", before_cue[cut + 1:])
    if not cand or not ENTITY.fullmatch(cand):
        return False, None
    if unit is not None:
        return True, None if same_unit(cand, unit) else cand
    # without a known unit name, a top-level body (…局, …委员会) is taken to be the unit
    return True, None if _rx(r"(?:局|委员会|部|办公室)$").search(cand) and not regex.match(
        r"[区市县省镇]", cand) else cand


def _facts_in(doc: Document, text: str, start: int, end: int, entity0: str | None, unit: str | None,
              rule: str) -> list[Fact]:
    out: list[Fact] = []
    cell = ""  # a line without figures: the cue of a table cell whose value is on the next line
    for s0, s1 in sentences(text, start, end):
        sentence = text[s0:s1]
        figures = [f for f in find_figures(sentence) if f.unit in UNITS or f.unit is None]
        entity, seg_start, prev_end, prev_name = entity0, 0, 0, None
        total = None  # (name, end) of the last total figure: 其中 after it names its parts
        for f in figures:
            if f.number != f.number.to_integral_value() or f.number < 0:
                continue
            seg_break = max(sentence.rfind("；", 0, f.start), sentence.rfind(";", 0, f.start))
            if seg_break + 1 > seg_start:
                seg_start, entity = seg_break + 1, entity0
            raw_left = sentence[max(prev_end, seg_start):f.start]
            from_cell = not raw_left.strip(" |") and prev_end == 0 and bool(cell)
            if from_cell:
                raw_left = cell + " "  # 在职人数\n19: the cue is the line above
            left_full = _squeeze(PARENS.sub("", raw_left)).rstrip("：:|")
            prev_end = f.end
            if f.unit is None and raw_left.rstrip() == raw_left and not raw_left.endswith(("：", ":")):
                continue  # a bare number stands apart from its cue (在职人数 19, 在职人数：19)
            cut = max(left_full.rfind(c) for c in DELIM)
            left = left_full[cut + 1:] if cut >= 0 else left_full
            clause_full = _squeeze(PARENS.sub("", sentence[seg_start:f.start]))
            clause = clause_full[max(clause_full.rfind(c) for c in CLAUSE_DELIM) + 1:]
            right = _squeeze(sentence[f.end:f.end + 16])
            if _about_others(clause, right, _squeeze(sentence[seg_start:])):
                continue
            named = _name_for(left, right, f.unit, _squeeze(sentence[seg_start:f.start]), clause,
                              cell_cue=from_cell and not sentence[f.end:].strip())
            ent_here = None
            if named is None and left.startswith("含") and prev_name is not None and len(left) > 1 and f.unit:
                named, ent_here = prev_name, left[1:]  # 20人（含区委深改办秘书组1人）
            kind = KIND.fullmatch(left) if named is None and total and f.unit else None
            if kind and "其中" in sentence[total[1]:f.start]:
                named = ("staffing", _part(total[0], kind["kind"]), left)
            if named is None:
                continue
            ftype, name, cue = named
            if ent_here is None and ftype == "staffing" and cue in left_full:
                has_name, ent = _entity(left_full[: left_full.rfind(cue)], unit)
                if has_name:
                    entity = ent if ent is not None else entity0
            out.append(Fact.from_figure(ftype, name, f, doc.to_raw(s0 + f.start, s0 + f.end),
                                        Evidence(EXTRACTOR, rule, 0.9 if f.unit else 0.75, f"{cue!r} + {f.text!r}"),
                                        value=Decimal(int(f.number)), entity=ent_here or entity))
            prev_name = named
            if name in TOTALS and ent_here is None:
                total = (name, f.end)
            elif total and not kind and not ent_here:
                total = None  # 退休3人，其中行政人员2人: the parts of another figure
        cell = "" if figures else sentence[-24:]
    return out


@register(EXTRACTOR)
def extract(doc: Document, sections: SectionTree | None = None) -> list[Fact]:
    layout = sections_of(doc, sections).layout
    text = layout.text
    unit = unit_name(doc, text)
    facts: list[Fact] = []
    for s, e in _regions(text, layout.lines):
        facts += _facts_in(doc, text, s, e, None, unit, "basic_info_cue")
    for m in FOUNDED.finditer(text):
        facts += _facts_in(doc, text, m.start(), m.end(), m.group(1), unit, "new_office")
    for m in NO_UNITS.finditer(text):
        name = "secondary_budget_units" if m.group(2) == "二级预算" else "subordinate_units"
        if name == "subordinate_units" and not _rx(r"(?:无|没有)(?:下属|直属|所属)").match(m.group(0)):
            continue  # 无单位 alone is no statement about subordinate units
        facts.append(Fact("org", name, Decimal(0), doc.to_raw(m.start(1), m.end(1)),
                          Evidence(EXTRACTOR, "no_units", 0.9, f"{m.group(0)!r}: none"), amount_text=m.group(1)))
    for m in NO_DEPARTMENTS.finditer(text):
        facts.append(Fact("org", "internal_departments", Decimal(0), doc.to_raw(m.start(1), m.end(1)),
                          Evidence(EXTRACTOR, "no_departments", 0.9, f"{m.group(0)!r}: none"), amount_text=m.group(1)))
    seen, out = set(), []
    for f in facts:
        k = (f.span.start, f.span.end, f.type, f.name)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out
