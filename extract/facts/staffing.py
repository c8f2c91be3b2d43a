"""Staffing (编制, 在职, 退休 …) and organisation counts (内设机构, 下属单位 …).

Where: the unit's basic-information part (基本情况 / 机构设置 / 人员情况, up to the next
part about work, goals or money), where a report describes itself; figures about
the unit's work elsewhere (people trained, posts approved for other bodies) are not
staffing. Two statements are read anywhere because they can only be about the unit
itself: ``无下属单位`` (no subordinate units) and ``成立X，新增行政编制N名`` (a new
internal office and its posts).

How: each count figure (``20 名``, ``四个``) takes its name from the cue just before it
(``行政编制20名``) or, for organisation counts, the noun just after it (``13个组室``).
Cues are tried most specific first (``行政工勤编制`` before ``行政编制``; ``实有在职``
is people in post, not the actual total). A named subordinate unit before the cue
(``区党建指导中心编制20名``) becomes the ``entity`` of the figures that follow it in the
same ``；``-separated segment; ``（含X 1人）`` gives the enclosing figure's name to X.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from ..core import Document, Evidence, Fact
from ..numbers import find_figures

EXTRACTOR = "staffing.rules.v1"

STAFF_CUES: tuple[tuple[str, str], ...] = (
    ("early_retired", r"离岗退养|内退"),
    ("retired_all", r"离退休"),
    ("retired_cadre", r"离休"),
    ("retired", r"退休"),
    ("authorized_worker", r"(?:工勤编制|工勤人员编制)(?:人数|数)?"),
    ("authorized_admin", r"(?:行政编制|公务员编制)(?:人数|数)?"),
    ("authorized_institution", r"(?:事业编制|参公编制)(?:人数|数)?"),
    ("active_admin", r"行政在职"),
    ("active_institution", r"事业在职"),
    ("active_total", r"在职|在编"),
    ("actual_total", r"实有"),
    ("non_establishment", r"合同制|编外|雇员|临聘|聘用|劳务派遣|后勤服务人员|临时工"),
    ("worker", r"工勤"),
    ("authorized_total", r"总编制|核定人数|核定编制|编制(?:数|人数)?|定编"),
)
ORG_AFTER = (  # noun right after a count: 13个组室
    ("internal_departments", r"(?:内设)?(?:机构|组室|股室|科室|处室|职能组|职能科室|业务科室)"),
    ("secondary_budget_units", r"二级预算单位"),
    ("subordinate_units", r"下属(?:事业)?单位|直属(?:事业)?单位"),
)
ORG_BEFORE = (  # cue right before a count: 下属二级预算单位0个
    ("secondary_budget_units", r"二级预算单位(?:数)?"),
    ("accounting_units", r"独立核算(?:机构|单位)(?:数)?"),
    ("subordinate_units", r"下属(?:事业)?单位(?:数)?|直属(?:事业)?单位(?:数)?"),
    ("internal_departments", r"内设(?:机构|科室|股室)?(?:数)?|组室|股室|科室"),
)
_STAFF = [(n, regex.compile(p)) for n, p in STAFF_CUES]
_ORG_AFTER = [(n, regex.compile(rf"^(?:{p})")) for n, p in ORG_AFTER]
_ORG_BEFORE = [(n, regex.compile(rf"(?:{p})(?:为|共|有|合计)?$")) for n, p in ORG_BEFORE]
ENTITY = regex.compile(r"(?:^|[，,、；;：:含])\s*((?:区|市|县|省|镇)[\p{Han}“”\"]{1,24}?(?:中心|办公室|秘书组|站|所|队|馆|院|组))$")
PARENS = regex.compile(r"[（(][^（）()]*[）)]")
DELIM = "，,、；;：:（("

START = regex.compile(r"^.{0,12}(?:基本情况|部门概况|单位概况|机构设置|人员情况|人员编制)", regex.M)
END = regex.compile(r"^.{0,12}(?:年度总体工作|重点工作|主要工作|年度工作|绩效目标|整体支出情况|收支|自评工作|预算)", regex.M)
NO_UNITS = regex.compile(r"(无)(?:下属|直属)(?:二级预算|事业)?单位")
FOUNDED = regex.compile(r"(?:成立|组建|新设)((?:区|市|县)[\p{Han}“”\"]{2,30}?(?:办公室|中心|秘书组|组))[，,][^。]*?新增[^。]*?。")
SENT = regex.compile(r"[^。\n]+[。]?")


def _squeeze(s: str) -> str:
    """Drop spaces a PDF left inside words (行政编 制, 内设 机构) before matching cues."""
    return "".join(s.split())


def _regions(text: str) -> list[tuple[int, int]]:
    m = START.search(text)
    if not m:
        return []
    end = END.search(text, m.end())
    return [(m.start(), end.start() if end else len(text))]


def _name_for(left: str, right: str, unit: str | None) -> tuple[str, str, str] | None:
    """(type, name, cue) for a figure from the text before and after it."""
    if unit in ("个", "家"):
        for n, rx in _ORG_AFTER:
            m = rx.match(right)
            if m:
                return "org", n, m.group(0)
        for n, rx in _ORG_BEFORE:
            m = rx.search(left)
            if m:
                return "org", n, m.group(0)
        return None
    best = None  # the cue ending last wins; on a tie the more specific (earlier) one
    for n, rx in _STAFF:
        for m in rx.finditer(left):
            if best is None or m.end() > best[1].end():
                best = (n, m)
    return ("staffing", best[0], best[1].group(0)) if best else None


def _facts_in(doc: Document, start: int, end: int, entity0: str | None, rule: str) -> list[Fact]:
    text = doc.text
    out: list[Fact] = []
    for sm in SENT.finditer(text, start, end):
        s0 = sm.start()
        sentence = sm.group(0)
        entity, seg_start, prev_end, prev_name = entity0, 0, 0, None
        for f in find_figures(sentence):
            if f.unit not in ("人", "名", "个", "家", "位"):
                continue
            seg_break = max(sentence.rfind("；", 0, f.start), sentence.rfind(";", 0, f.start))
            if seg_break >= seg_start and seg_break > 0 and seg_break + 1 > seg_start:
                seg_start, entity = seg_break + 1, entity0
            left_full = _squeeze(PARENS.sub("", sentence[max(prev_end, seg_start):f.start]))
            cut = max(left_full.rfind(c) for c in DELIM)
            left = left_full[cut + 1:] if cut >= 0 else left_full
            right = _squeeze(sentence[f.end:f.end + 16])
            named = _name_for(left, right, f.unit)
            ent_here = None
            if named is None and left.startswith("含") and prev_name is not None and len(left) > 1:
                named, ent_here = prev_name, left[1:]
            if named is None:
                prev_end = f.end
                continue
            ftype, name, cue = named
            if ent_here is None and ftype == "staffing":
                before_cue = left_full[: left_full.rfind(cue)] if cue in left_full else ""
                em = ENTITY.search(before_cue)
                if em:
                    entity = em.group(1)
            raw = doc.to_raw(s0 + f.start, s0 + f.end)
            out.append(Fact(ftype, name, Decimal(int(f.number)), raw,
                            Evidence(EXTRACTOR, rule, 0.9, f"{cue!r} + {f.text!r}"),
                            entity=ent_here or entity, raw_value=str(f.number), unit=f.unit))
            prev_end, prev_name = f.end, named
    return out


def extract(doc: Document, sections=None) -> list[Fact]:
    text = doc.text
    facts: list[Fact] = []
    for s, e in _regions(text):
        facts += _facts_in(doc, s, e, None, "basic_info_cue")
    for m in FOUNDED.finditer(text):
        facts += _facts_in(doc, m.start(), m.end(), m.group(1), "new_office")
    for m in NO_UNITS.finditer(text):
        facts.append(Fact("org", "subordinate_units", Decimal(0), doc.to_raw(m.start(1), m.end(1)),
                          Evidence(EXTRACTOR, "no_units", 0.9, f"{m.group(0)!r}: none"), raw_value="无"))
    seen, out = set(), []
    for f in facts:
        k = (f.span.start, f.span.end, f.type, f.name)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out
