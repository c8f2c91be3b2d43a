"""Improvement measures (SPEC ``measures``): items, links to problems, commitment attributes.

- Items: the 改进措施 section split like the problems section (``extract.problems.split_items``),
  plus scoring-table 改进措施 cells (``Indicator.measure_span``) unless ``-``/``无``.
- Links (``addresses``, with ``link_evidence``): a table cell answers its row's
  未达标原因 problem; when the section lists as many measures as problems, the i-th
  answers the i-th (rule ``order``); otherwise each measure answers the problem(s)
  most similar to it by TF-IDF cosine over jieba words and character bigrams (rule
  ``similarity``), or none when no problem reaches the threshold or when another
  measure answers that problem clearly more closely (below 85 % of the problem's best
  measure: a measure sharing only generic words such as 绩效管理 answers nothing) (rule ``none``).
  A problem no measure answers that way (an inline shortcoming beside a 存在问题 section)
  is answered by the measure that remedies its stated deficiency (rule ``remedy``, added
  to the measure's rule: ``order+remedy``): the problem says a quality is missing
  (评价体系还不够完善, 制度不健全, 未建立台账) and the measure performs that quality's
  remedy (完善/健全, 建立/构建) on a thing sharing a content word with what the problem
  names (完善绩效评价制度细则: 评价). 不完善 is not remedied by 建立: that answers 未建立.
- Commitments: ``actions`` (verbs such as 建立/完善/加强), ``targets`` (quantified
  promises: ``3-5 年中长期效益指标``, percentages, counts), ``deadline`` (``年底前``,
  ``2025年6月前``, ``下年度``) and ``owner`` (the party that must act: ``财务部门``, ``各科室``).
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import replace
from typing import Sequence

from .classify.model import clean, jieba_words, quiet_jieba
from .core import Document, Evidence, Indicator, Measure, Problem
from .core.registry import register
from .problems import _strip_raw, find_sections, section_items, table_cells
from .sections import SectionTree

EXTRACTOR = "measures.rules.v1"
LINK_EXTRACTOR = "measures.links.v1"
SIM_THRESHOLD = 0.12  # cosine below which a measure answers no problem
SIM_KEEP = 0.8  # further problems kept when within this share of the measure's best similarity
COL_KEEP = 0.85  # ... and within this share of the problem's most similar measure
REMEDY_SCORE = 0.7  # confidence of a link made by a remedied deficiency

ACTIONS = ("建立", "健全", "完善", "加强", "组织", "提高", "提升", "构建", "优化", "细化", "强化", "规范",
           "落实", "推进", "开展", "制定", "明确", "加快", "注重", "纳入", "实施", "调整", "严格", "统筹",
           "做好", "压实", "深化", "加大", "督促", "培训", "梳理", "跟踪", "整改", "监控", "评估")
_ACTION_RE = re.compile("|".join(sorted(ACTIONS, key=len, reverse=True)))

TARGET = re.compile(r"""
    (?<![\d.])(?P<num>\d+(?:\.\d+)?(?:\s*[-~～至到—－]\s*\d+(?:\.\d+)?)?)   # 3-5, 95, 2.5
    \s*(?P<unit>%|％|个百分点|个工作日|个月|年|次|项|个|人次|名|人|场|期|天|日|万元|元|家|份|篇|课时|学时)  # unit
    (?P<mod>以上|以内|以下|左右|及以上)?                                   # 以上
    (?P<noun>[^\s，,；;。、：:（）()]{0,12})                               # 中长期效益指标
    """, re.VERBOSE)
DEADLINE = re.compile(r"""
    (?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*日\s*)?(?:底|末)?\s*(?:前|之前|以前)  # 2025年6月前
  | \d{4}\s*年\s*(?:底|末)?\s*(?:前|之前|以前)                                     # 2025年底前
  | (?:年底|年末|季度末|月底)\s*(?:前|之前)?|(?:年中|半年)\s*(?:前|之前)                 # 年底前
  | 下一?(?:个)?年度|明年|次年|本年度内|年内                                            # 下年度
  | \d+\s*个?(?:月|日|天|工作日)(?:内|之内)                                             # 3个月内
    """, re.VERBOSE)
OWNER = re.compile(r"""
    (?:^|(?<=[，,；;。：:]))(?:由)?                                  # at a clause start
    (?P<owner>财务(?:部门|股室?|室|科|组)|各(?:科室|股室|组室|处室|部门|单位|镇街?|业务科室)
       |办公室|综合股|业务(?:科室|股室|部门)|相关(?:科室|股室|部门|单位)
       |(?:主要|分管)领导|领导小组|自评工作小组)
    (?=负责|牵头|于|在|年底|年内|下一?年|\d|要|应|须|将|加强|加快|做好|落实|对|定期|严格|组织|建立|完善|提高|强化|规范|切实|按|及时)  # ...acts
    """, re.VERBOSE)
_LINEBREAK = re.compile(r"\s*\n\s*")

#: A shortcoming worded as a quality that is missing or short of what it should be.
DEFICIENCY = re.compile(r"""
    (?:不够|不太|不|有待(?:进一步)?|亟待|尚未|未|没有|缺乏)   # the shortfall: 不够 / 有待进一步 / 未
    (?P<quality>完善|健全|规范|优化|明确|细化|建立|落实)      # the quality the thing lacks
    """, re.VERBOSE)
#: The actions that supply each quality (what a measure does to answer the deficiency).
REMEDIES = {"完善": ("完善", "健全"), "健全": ("健全", "完善", "建立"), "规范": ("规范",), "优化": ("优化",),
            "明确": ("明确",), "细化": ("细化",), "建立": ("建立", "构建", "健全"), "落实": ("落实",)}
#: Words too general to tie a measure's object to a problem's subject.
_GENERIC = ("绩效", "管理", "整体", "部门", "单位", "资金", "项目")
_PHRASE_END = "，,；;。！？!?：:、\n"
_HEDGE = "还仍尚也"


def commitments(text: str) -> dict:
    """Actions, quantified targets, deadline and owner stated in a measure.

    >>> c = commitments("财务部门于2025年6月前建立跟踪机制，为重点项目设定3-5 年中长期效益指标。")
    >>> c["actions"], c["targets"], c["deadline"], c["owner"]
    (('建立', '跟踪'), ('3-5 年中长期效益指标',), '2025年6月前', '财务部门')
    """
    flat = _LINEBREAK.sub("", text)
    actions = tuple(dict.fromkeys(m.group(0) for m in _ACTION_RE.finditer(flat)))
    dl = DEADLINE.search(flat)
    targets = []
    for m in TARGET.finditer(flat):
        num, unit = m.group("num"), m.group("unit")
        if unit == "年" and re.fullmatch(r"\d{4}", num):  # a year is a date, not a target
            continue
        if dl and dl.start() <= m.start() < dl.end():
            continue
        targets.append(m.group(0).strip())
    owners = tuple(dict.fromkeys(m.group("owner") for m in OWNER.finditer(flat)))
    return {"actions": actions, "targets": tuple(targets), "deadline": dl.group(0) if dl else None,
            "owner": "、".join(owners) or None}


def similarity_matrix(measures: Sequence[str], problems: Sequence[str]) -> list[list[float]]:
    """TF-IDF cosine between each measure and each problem: the mean of a jieba-word
    cosine (stop words removed) and a character-bigram cosine, IDF over both sides
    (smoothed, ``ln((1+n)/(1+df)) + 1``, L2-normalized: scikit-learn's TfidfVectorizer
    defaults, computed directly because the texts are a handful of sentences)."""
    if not measures or not problems:
        return [[0.0] * len(problems) for _ in measures]

    docs = [clean(t) for t in [*measures, *problems]]
    stop = set(_STOP)
    words = _tfidf([[w for w in jieba_words(d) if w not in stop] for d in docs])
    chars = _tfidf([[d.lower()[i:i + 2] for i in range(len(d) - 1)] for d in docs])
    n = len(measures)
    return [[(_dot(words[i], words[n + j]) + _dot(chars[i], chars[n + j])) / 2 for j in range(len(problems))]
            for i in range(n)]


def _tfidf(token_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    counts = [Counter(t) for t in token_lists]
    df = Counter(tok for c in counts for tok in c)
    n = len(counts)
    idf = {tok: math.log((1 + n) / (1 + d)) + 1 for tok, d in df.items()}
    out = []
    for c in counts:
        v = {tok: tf * idf[tok] for tok, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({tok: x / norm for tok, x in v.items()})
    return out


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(tok, 0.0) for tok, x in a.items())


_STOP = ("的", "和", "与", "及", "对", "在", "等", "了", "是", "将", "使", "为", "其", "进一步", "各项", "相关",
         "工作", "方面", "情况", "全面", "切实", "有效", "加强", "提高", "提升", "完善", "不够", "有待")


@functools.lru_cache(maxsize=4096)
def _content_words(text: str) -> frozenset[str]:
    """Words of two or more characters, long words with their parts (jieba's search
    mode: 绩效评价 also gives 评价), less stop words; generic words (绩效, 管理) go too
    unless nothing else is left (绩效管理不够规范 is about 绩效管理)."""

    words = {w for w in quiet_jieba().lcut_for_search(clean(text)) if len(w) >= 2 and w not in _STOP}
    return frozenset(words - set(_GENERIC) or words)


def _phrase_end(text: str, pos: int) -> int:
    """Where the phrase running from ``pos`` ends (the next clause punctuation)."""
    return min((k for k in (text.find(c, pos) for c in _PHRASE_END) if k >= 0), default=len(text))


def remedy(problem_text: str, measure_texts: Sequence[str]) -> tuple[int, str] | None:
    """The measure that remedies the deficiency ``problem_text`` states, as
    ``(index, explanation)``, or None (no deficiency stated, or no measure performs its
    remedy on a thing sharing a content word with the problem's subject).

    >>> remedy("整体评价体系和相关考核机制还不够完善",
    ...        ["建立评价结果与预算、考核联动机制。", "完善绩效评价制度细则，明确岗位职责。"])[0]
    1
    >>> remedy("整体评价体系还不够完善", ["建立评价体系。"]) is None  # 不完善 is not answered by 建立
    True
    """
    flat = _LINEBREAK.sub("", problem_text)
    measures = [_LINEBREAK.sub("", t) for t in measure_texts]
    best = None
    for d in DEFICIENCY.finditer(flat):
        # what is deficient: the clause around the predicate (考核机制还不够完善, 未建立资产台账)
        start = max(flat.rfind(c, 0, d.start()) for c in _PHRASE_END) + 1
        subject = _content_words(flat[start:d.start()].rstrip(_HEDGE) + flat[d.end():_phrase_end(flat, d.end())])
        if not subject:
            continue
        for i, measure in enumerate(measures):
            for verb in REMEDIES[d.group("quality")]:
                for v in re.finditer(verb, measure):
                    end = _phrase_end(measure, v.end())
                    shared = subject & _content_words(measure[v.end():end])
                    if shared and (best is None or len(shared) > best[0]):
                        why = (f"its「{d.group(0)}」is remedied by「{measure[v.start():end]}」"
                               f"(shared: {'、'.join(sorted(shared))})")
                        best = (len(shared), i, why)
    return None if best is None else (best[1], best[2])


@register(LINK_EXTRACTOR)
def link(measure_texts: Sequence[str], problems: Sequence[Problem], problem_texts: Sequence[str]
         ) -> list[tuple[tuple[str, ...], Evidence]]:
    """Addresses and link evidence for section measures (order first, then similarity)."""
    sims = similarity_matrix(measure_texts, problem_texts)
    out = []
    same = len(measure_texts) == len(problems)
    col_best = [max(r[j] for r in sims) for j in range(len(problems))] if sims and not same else []
    for i, row in enumerate(sims):
        if same:
            out.append(((problems[i].id,), Evidence(
                LINK_EXTRACTOR, "order", 0.9, f"item {i + 1} answers problem {i + 1} (same count "
                f"{len(problems)}); similarity {row[i]:.2f}")))
            continue
        if not row:
            out.append(((), Evidence(LINK_EXTRACTOR, "none", 1.0, "no problems to answer")))
            continue
        best = max(row)
        if best < SIM_THRESHOLD:
            j = row.index(best)
            out.append(((), Evidence(LINK_EXTRACTOR, "none", 1.0 - best,
                                     f"no problem similar enough (best {problems[j].id} {best:.2f} < {SIM_THRESHOLD})")))
            continue
        keep = [j for j, s in enumerate(row) if s >= max(SIM_THRESHOLD, SIM_KEEP * best) and s >= COL_KEEP * col_best[j]]
        if not keep:
            j = row.index(best)
            out.append(((), Evidence(LINK_EXTRACTOR, "none", 1.0 - best,
                                     f"{problems[j].id} ({best:.2f}) is answered more closely by another measure "
                                     f"({col_best[j]:.2f})")))
            continue
        keep.sort(key=lambda j: -row[j])
        out.append((tuple(problems[j].id for j in keep), Evidence(
            LINK_EXTRACTOR, "similarity", best,
            "TF-IDF cosine " + ", ".join(f"{problems[j].id} {row[j]:.2f}" for j in keep)
            + f" (threshold {SIM_THRESHOLD})")))
    return out


@register(EXTRACTOR)
def extract_measures(doc: Document, sections: SectionTree | None = None, problems: Sequence[Problem] = (),
                     indicators: Sequence[Indicator] = ()) -> list[Measure]:
    """All measures of a document, ids ``m1…`` in text order, linked and with commitments."""
    found = section_items(doc, sections, "measures", EXTRACTOR)
    section_measures = [Measure("", span, ev) for _, span, ev in found]
    # links for section measures: to section problems, or inline ones when the section has none
    targets = [p for p in problems if p.source == "section"] or [p for p in problems if p.source == "inline"]
    links = []
    for first, last, block in _blocks(doc, sections, found, targets):
        links += link([doc.raw_text(m.span) for m in section_measures[first:last]], block,
                      [doc.raw_text(p.span) for p in block])
    measures = [replace(m, addresses=a, link_evidence=ev) for m, (a, ev) in zip(section_measures, links)]
    # scoring-table 改进措施 cells answer their row's 未达标原因 problem
    for ind, span in table_cells(doc, indicators, "measure_span", [m.span for m in measures]):
        row: tuple[str, ...] = ()
        if ind.reason_span is not None:
            reason = _strip_raw(doc.raw, ind.reason_span)
            row = tuple(p.id for p in problems if p.source == "table" and p.span.overlaps(reason))
        ev = Evidence(LINK_EXTRACTOR, "table_row" if row else "none", 1.0,
                      f"改进措施 cell of「{ind.level3}」" + (f" answers its row's problem {row[0]}" if row
                                                            else ": the row states no problem"))
        measures.append(Measure("", span, Evidence(EXTRACTOR, "table_measure_cell", 0.9,
                                                   f"改进措施 cell of indicator「{ind.level3}」"),
                                addresses=row, link_evidence=ev))
    # the remedy a problem's own item or cell states after its cause answers that problem
    for p in problems:
        if p.remedy is None or any(m.span.overlaps(p.remedy) for m in measures):
            continue
        measures.append(Measure("", p.remedy, Evidence(EXTRACTOR, "remedy_after_cause", 0.85,
                                                       f"remedy stated with the cause of {p.id} (same item or table row)"),
                                addresses=(p.id,), link_evidence=Evidence(
                                    LINK_EXTRACTOR, "cause_remedy", 0.95, f"stated with its cause {p.id}")))
    measures = _link_remedies(doc, measures, problems)
    measures.sort(key=lambda m: (m.span.start, m.span.end))
    out = []
    for i, m in enumerate(measures, 1):
        c = commitments(doc.raw_text(m.span))
        out.append(replace(m, id=f"m{i}", actions=c["actions"], targets=c["targets"], deadline=c["deadline"],
                           owner=c["owner"]))
    return out


def _blocks(doc: Document, sections: SectionTree | None, found: list, targets: Sequence[Problem]):
    """``(first, last, problems)``: the measures ``found[first:last]`` are linked to ``problems``.

    One block (every measure, every target) for a report with at most one problems or one
    measures section. A text with several of each (reports pasted together, a gazette) is
    linked section by section: a measures section's candidates are the problems of the
    nearest problems section before it, so linking costs linear time in the text's length
    instead of measures x problems over the whole text.
    """
    owners = [sec for sec, _, _ in found]
    problem_secs = sorted(find_sections(doc, sections, "problems"), key=lambda s: s.start)
    if len(problem_secs) < 2 or len({id(o) for o in owners}) < 2 or any(p.source != "section" for p in targets):
        return [(0, len(found), list(targets))]
    raw_secs = [doc.to_raw(s.start, s.end) for s in problem_secs]
    raw_starts = [r.start for r in raw_secs]
    by_sec: list[list[Problem]] = [[] for _ in problem_secs]
    for p in targets:
        k = bisect.bisect_right(raw_starts, p.span.start) - 1
        if k >= 0 and p.span.start < raw_secs[k].end:
            by_sec[k].append(p)
    starts = [s.start for s in problem_secs]
    out, first = [], 0
    for i in range(1, len(found) + 1):
        if i == len(found) or owners[i] is not owners[first]:
            k = max(bisect.bisect_right(starts, owners[first].start) - 1, 0)
            out.append((first, i, by_sec[k]))
            first = i
    return out


def _link_remedies(doc: Document, measures: list[Measure], problems: Sequence[Problem]) -> list[Measure]:
    """Problems no measure answers get the measure that remedies their deficiency (:func:`remedy`)."""
    answered = {a for m in measures for a in m.addresses}
    texts = [doc.raw_text(m.span) for m in measures]
    for p in problems:
        if p.id in answered or not texts:
            continue
        hit = remedy(doc.raw_text(p.span), texts)
        if hit is None:
            continue
        i, why = hit
        m, ev = measures[i], measures[i].link_evidence
        evidence = Evidence(LINK_EXTRACTOR, f"{ev.rule}+remedy" if ev else "remedy",
                            min(ev.score, REMEDY_SCORE) if ev else REMEDY_SCORE,
                            (f"{ev.explanation}; " if ev else "") + f"also answers {p.id}: {why}")
        measures[i] = replace(m, addresses=m.addresses + (p.id,), link_evidence=evidence)
    return measures
