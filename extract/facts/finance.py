"""Money figures (SPEC ``finance``): income, expenditure and their parts, carry-over.

Each money figure (``2724.71万元``) is named by its **cue**, the words between the
previous figure or clause break and the figure (``收入预算``, ``其中：一般公共预算拨款``,
``基本支出``). Within a sentence the last **total** (income or expenditure, unsplit or
fiscal) is the context: a part that names only a funding source (``一般公共预算拨款``)
or only a class (``基本支出``, ``一般公共服务支出``) inherits the total's name and stage.
Stage words are read after removing the funding-source names (``一般公共预算`` contains
预算 but is no stage). Figures with no cue (funds a unit helped firms obtain,
subsidies paid) are not facts.

Also: the variance-rate formula ``差异率=（决算-预算）/预算`` names its three figures;
flattened tables with the unit in a header (``总预算（万元）`` … a row of numbers) map
each number to its column header; functional classes carry their 政府收支分类科目
code as ``class_code``.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import regex

from ..core import Document, Evidence, Fact
from ..numbers import MONEY, Figure, find_figures

EXTRACTOR = "finance.rules.v1"
DATA = Path(__file__).resolve().parents[1] / "data" / "functional_classes.json"

SENT = regex.compile(r"[^。\n]+[。]?")
DELIM = "，,；;：:、。（(）)=＝"
SOURCE_WORDS = regex.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|政府性基金")
QUALIFIERS = (
    ("other", regex.compile(r"其他收入|单位资金|自有资金|其他资金")),
    ("general_public", regex.compile(r"一般公共预算")),
    ("government_fund", regex.compile(r"政府性基金")),
    ("state_capital", regex.compile(r"国有资本经营")),
    ("fiscal", regex.compile(r"财政拨款|财政下达|财政资金")),
)
FORMULA = regex.compile(
    r"(?P<head>[\p{Han}]{0,12}?)预决算差异率\s*[=＝]\s*[（(]\s*(?P<a>[^-－）)]+?)\s*[-－]\s*(?P<b>[^）)]+?)\s*[）)]"
    r"\s*[/÷]\s*(?P<c>[\d.,]+\s*[万亿千]?元)")
UNIT_HEADER = regex.compile(r"(?P<label>[\p{Han}]{2,12}?)\s*[（(](?P<unit>[万亿千]?元)[）)]")
NUMBER_ROW = regex.compile(r"^\s*-?[\d,]+(?:\.\d+)?(?:\s+-?[\d,]+(?:\.\d+)?)+\s*$")
TABLE_NAMES = {"总预算": ("expenditure", None), "预算总额": ("expenditure", None), "年度预算": ("expenditure", None),
               "支出合计": ("expenditure", None), "收入合计": ("income", None)}


@functools.lru_cache(maxsize=1)
def functional_classes() -> dict[str, str]:
    """Class name -> code, aliases included, longest names first."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out = {c["name"]: c["code"] for c in data["classes"]}
    out.update({a["name"]: a["code"] for a in data["aliases"]})
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


@dataclass
class Context:
    """The last total seen in a sentence."""

    name: str | None = None
    stage: str | None = None
    qualifier: str | None = None


def _stage(cue: str) -> str | None:
    c = SOURCE_WORDS.sub("", cue)
    if regex.search(r"调整后(?:的)?预算|全年预算", c):
        return "adjusted"
    if regex.search(r"决算|实际|执行数|合计|共计|完成", c):
        return "final"
    if "预算" in c:
        return "budget"
    return None


def _qualifier(cue: str) -> str | None:
    for q, rx in QUALIFIERS:
        if rx.search(cue):
            return q
    return None


def name_cue(cue: str, ctx: Context) -> tuple[str, str | None, str | None, dict] | None:
    """(name, stage, qualifier, extra) for a money figure's cue, or None when the cue
    names nothing SPEC covers."""
    if regex.search(r"结转|结余", cue) and "率" not in cue:
        return ("carryover_begin" if regex.search(r"年初|上年|以前年度", cue) else "carryover_end"), None, None, {}
    if "三公" in cue:
        return "three_public", _stage(cue) or ctx.stage, None, {}
    if "人员经费" in cue:
        return "personnel_expenditure", _stage(cue) or ctx.stage, None, {}
    if "公用经费" in cue:
        return "public_expenditure", _stage(cue) or ctx.stage, None, {}
    if "基本支出" in cue:
        return "basic_expenditure", _stage(cue) or ctx.stage, None, {}
    if "项目支出" in cue:
        return "project_expenditure", _stage(cue) or ctx.stage, None, {}
    for cls, code in functional_classes().items():
        if cls in cue:
            return "expenditure", _stage(cue.replace(cls, "")) or ctx.stage, cls, {"class_code": code}
    if regex.search(r"资金到位|到位资金", cue):
        return "funds_received", None, None, {}
    qual = _qualifier(cue)
    stage = _stage(cue)
    if "收入" in cue:
        name = "income"
    elif "支出" in cue:
        name = "expenditure"
    elif qual is not None:
        name = ctx.name or "income"
    else:
        return None
    if stage is None:
        stage = ctx.stage if ctx.name else None
    if qual is None and ctx.name == name and ctx.qualifier == "fiscal" and stage != ctx.stage:
        qual = "fiscal"  # 财政拨款收入决算数…，收入预算数…: the same fiscal income at another stage
    return name, stage, qual, {}


def _cue(sentence: str, start: int, floor: int) -> str:
    left = sentence[floor:start]
    cut = max(left.rfind(c) for c in DELIM)
    cue = left[cut + 1:] if cut >= 0 else left
    if cut >= 0 and left[cut] in "：:" and not cue.strip():
        cue = left[:cut]
    return "".join(cue.split())


def _fact(doc: Document, s0: int, f: Figure, name: str, stage, qual, extra: dict, rule: str, why: str) -> Fact:
    return Fact("finance", name, f.value, doc.to_raw(s0 + f.start, s0 + f.end),
                Evidence(EXTRACTOR, rule, 0.9, why), stage=stage, qualifier=qual,
                raw_value=str(f.number), unit=f.unit, extra=extra)


def _formula(doc: Document, s0: int, sentence: str) -> tuple[list[Fact], set[int]]:
    out, used = [], set()
    for m in FORMULA.finditer(sentence):
        head = m.group("head")
        name = "expenditure" if "支出" in head else "income"
        qual = _qualifier(head)
        for grp, stage in (("a", "final"), ("b", "budget"), ("c", "budget")):
            for f in find_figures(sentence[m.start(grp):m.end(grp)]):
                if f.kind != "money":
                    continue
                g = Figure(f.value, f.number, f.unit, f.scale, f.start + m.start(grp), f.end + m.start(grp), f.text)
                out.append(_fact(doc, s0, g, name, stage, qual, {}, "variance_formula",
                                 f"({'决算' if stage == 'final' else '预算'} in 预决算差异率 formula)"))
                used.add(g.start)
    return out, used


def _sentences(doc: Document) -> list[Fact]:
    """Cue-named money figures; the total context carries across the sentences of a
    paragraph (支出决算…万元。支出按…划分：基本支出…) and resets at a line break."""
    text = doc.text
    out: list[Fact] = []
    ctx, line_end = Context(), -1
    for sm in SENT.finditer(text):
        s0, sentence = sm.start(), sm.group(0)
        if s0 > line_end:
            ctx = Context()
            nl = text.find("\n", s0)
            line_end = len(text) if nl < 0 else nl
        if "元" not in sentence:
            continue
        formula, used = _formula(doc, s0, sentence)
        out += formula
        prev_end = 0
        for f in find_figures(sentence):
            if f.kind != "money" or f.start in used:
                prev_end = max(prev_end, f.end)
                continue
            cue = _cue(sentence, f.start, prev_end)
            prev_end = f.end
            named = name_cue(cue, ctx)
            if named is None:
                continue
            name, stage, qual, extra = named
            if name in ("income", "expenditure") and (qual in (None, "fiscal")):
                ctx = Context(name, stage, qual)
            out.append(_fact(doc, s0, f, name, stage, qual, extra, "cue", f"{cue!r} → {name}/{stage}/{qual}"))
    return out


def _tables(doc: Document) -> list[Fact]:
    """A row of numbers under header lines, with the unit in a header cell (总预算（万元））."""
    text = doc.text
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    out = []
    for i, (p, line) in enumerate(lines):
        if not NUMBER_ROW.match(line):
            continue
        values = [f for f in find_figures(line, chinese=False)]
        header = lines[i - 1][1].split() if i else []
        if not header or any(regex.match(r"^-?[\d,.]+$", h) for h in header):
            continue
        lead, unit = [], None
        above = [l.strip() for _, l in lines[max(0, i - 10):i - 1]]
        for k, up in enumerate(above):
            if k and regex.fullmatch(r"[（(][万亿千]?元[）)]", up):
                up = above[k - 1] + up  # 总预算 / （万元） wrapped over two lines
            m = UNIT_HEADER.search(up)
            if m:
                label = next((k for k in TABLE_NAMES if m.group("label").endswith(k)), m.group("label"))
                if label not in lead:
                    lead.append(label)
                    unit = unit or m.group("unit")
        cols = lead + header
        if unit is None or len(cols) != len(values):
            continue
        stage = "budget" if any("预算" in l for _, l in lines[max(0, i - 12):i]) else None
        scale = MONEY[unit]
        for col, v in zip(cols, values):
            f = Figure(v.number * scale, v.number, unit, scale, v.start, v.end, v.text)
            if col in TABLE_NAMES:
                name, qual = TABLE_NAMES[col]
                extra = {}
            else:
                named = name_cue(col, Context())
                if named is None or (named[0] in ("income", "expenditure") and named[2] is None):
                    continue  # a plain 收入/支出 column other than the total is a sub-category SPEC does not name
                name, _, qual, extra = named
            out.append(_fact(doc, p, f, name, stage, qual, extra, "table_column",
                             f"column {col!r} of a table in {unit}"))
    return out


def extract(doc: Document, sections=None) -> list[Fact]:
    facts = _sentences(doc) + _tables(doc)
    seen, out = set(), []
    for f in facts:
        if (f.span.start, f.span.end) not in seen:
            seen.add((f.span.start, f.span.end))
            out.append(f)
    return out
