"""Percentages SPEC names (``rate``): execution, carry-over, variance, asset use,
procurement execution and funds arrival.

A percent figure takes the rate named by the nearest rate cue before it in the
same sentence, when no other percent lies between them and the cue is at most
60 characters away (so ``差异率=（…）/…*100%=19.58%`` gives 19.58 to 差异率). Not
rates: thresholds (``（小于10%）``, ``不低于90%``), the ``*100%`` of a formula, and
percentages of work output (``完成率100%`` of a report count, ``增长24.8%``), targets
(``目标值100%``) and anything on a contents line. A rate stated in words (``差异率为零``)
is 0 with the word as its span; a bare number right after its cue and a link word
(``差异率为0``) is a percent, but a scoring-table row (``结转结余率 2``) gives a weight.
In a budget-execution table (``年初预算数 … 执行率``) the total row's 执行率 / 到位率
cell is the rate.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from ..core import Document, Evidence, Fact, Span
from ..core.registry import register
from ..normalize import PINYIN
from ..numbers import find_figures
from ..sections import SectionTree, sections_of
from ..text.layout import Layout
from ..text.split import sentences
from .finance import grid_cells, is_project_report

EXTRACTOR = "rates.rules.v1"
CUES = (
    ("carryover_rate", r"结余结转率|结转结余率"),
    ("budget_variance_rate", r"预决算差异率|差异率"),
    ("asset_utilization", r"固定资产利用率|资产利用率"),
    ("procurement_execution_rate", r"政府采购执行率|采购执行率|政府采购金额与[^。，]{0,20}?政府采购预算的比率"),
    ("funds_arrival_rate", r"资金到位率|预算到位率|到位率"),
    ("execution_rate", r"支出完成率|预算执行率|预算支出执行率|支出执行率|资金支出率|预算资金支出率|完成预算支出|支出进度|"
                       r"(?:项目|资金)?执行率|完成(?:年初)?预算的"),
)
CUE = regex.compile("|".join(f"(?P<{n}>{p})" for n, p in CUES))
THRESHOLD = regex.compile(r"(?:小于|大于|不低于|不高于|低于|高于|不少于|不超过|超过|以上|以下|≥|≤|<|>|=<|>=|[*×xX]|"
                           r"目标值?|指标值|预期值?|标准值?|要求|应|须|力争|未达到?|达不到|未满|不足)\s*(?:为|是|达到?)?\s*$")
IN_WORDS = regex.compile(r"(?P<cue>" + CUE.pattern + r")\s*(?:为|是|均为)?\s*(?P<word>零)")
MAX_GAP = 60
BARE_LINK = regex.compile(r"\s*(?:为|是|均为|达|达到|[:：])\s*")  # a link word: a scoring-table row (结转结余率 2) has none


def _right_after_cue(sentence: str, f, cues) -> bool:
    """Is the bare number ``f`` right after a rate cue (``差异率为0``, ``执行率：100``)?"""
    return any(0 <= f.start - end <= 6 and BARE_LINK.fullmatch(sentence[end:f.start]) for end, _, _ in cues)


def _squeeze(s: str) -> tuple[str, list[int]]:
    """``s`` without whitespace and inline pinyin (執(zhí)行率), and for each kept
    character its index in ``s``."""
    drop = {i for m in PINYIN.finditer(s) for i in range(m.start(), m.end())}
    where = [i for i, ch in enumerate(s) if not ch.isspace() and i not in drop]
    return "".join(s[i] for i in where), where


def _grid_rates(doc: Document, layout: Layout) -> list[Fact]:
    """The 执行率 / 到位率 cells of a budget-execution table's rows (a bare number there is a
    percent too)."""
    out = []
    for c in grid_cells(doc, layout, is_project_report(doc, layout)):
        if c.column != "rate" or c.name != "expenditure":
            continue  # every row's 执行率, the total's and each 其中 row's (rates carry no qualifier)
        name = "funds_arrival_rate" if "到位" in c.header else "execution_rate"
        out.append(Fact.from_figure("rate", name, c.figure, Span(c.figure.start, c.figure.end),
                                    Evidence(EXTRACTOR, "table_rate_column", 0.85, f"row {c.label!r}, column {c.header!r}"),
                                    value=c.figure.number))
    return out


@register(EXTRACTOR)
def extract(doc: Document, sections: SectionTree | None = None) -> list[Fact]:
    layout = sections_of(doc, sections).layout
    text = layout.text
    out: list[Fact] = _grid_rates(doc, layout)
    for s0, s1 in sentences(text, semicolons=True):
        sentence = text[s0:s1]
        if ("率" not in sentence and "支出" not in sentence) or layout.in_contents(s0):
            continue  # every cue has 率 or 支出 (完成预算支出, 支出进度): most sentences need no squeeze
        squeezed, where = _squeeze(sentence)  # 预 算 执 行 率: spaces a PDF left inside words
        cues = [(where[m.end() - 1] + 1, m.lastgroup, m.group(0)) for m in CUE.finditer(squeezed)]
        if not cues:
            continue
        last_pct_end = -1
        for f in find_figures(sentence):
            if f.kind != "percent" and not (f.kind == "bare" and _right_after_cue(sentence, f, cues)):
                continue  # (差异率为0: a bare number right after its cue is a percent too)
            if THRESHOLD.search(sentence[:f.start]):
                continue  # a threshold or a formula's *100%, not a stated rate
            before = [c for c in cues if last_pct_end <= c[0] <= f.start and f.start - c[0] <= MAX_GAP]
            last_pct_end = f.end
            if not before:
                continue
            _, name, cue = before[-1]
            out.append(Fact.from_figure("rate", name, f, doc.to_raw(s0 + f.start, s0 + f.end),
                                        Evidence(EXTRACTOR, "cue_before_percent", 0.9, f"{cue!r} … {f.text!r}"),
                                        value=f.number))
        for m in IN_WORDS.finditer(squeezed):
            name = next(n for n, _ in CUES if m.group(n))
            w = where[m.start("word")]
            out.append(Fact("rate", name, Decimal(0), doc.to_raw(s0 + w, s0 + w + 1),
                            Evidence(EXTRACTOR, "rate_in_words", 0.8, f"{m.group(0)!r}"), amount_text="零", scale=Decimal(1)))
    return out
