"""Money figures (SPEC ``finance``): income, expenditure and their parts, carry-over.

Each money figure (``2724.71万元``) is named by its **cue**, the words between the
previous money figure, percent or clause break and the figure (``收入预算``,
``其中：一般公共预算拨款``, ``基本支出``; a count such as ``8个`` inside is skipped).
Within a paragraph the last **total** (income, expenditure or funds received; unsplit
or by fund source) is the context: a part that names only a funding source
(``一般公共预算拨款``), a funding level (``中央资金``, project reports) or only a class
(``基本支出``, ``一般公共服务支出``) inherits the total's name and stage; a bare stage
word (``决算数``) right after an item is that item at another stage. Stage words are
read after removing the funding-source names (``一般公共预算`` contains 预算 but is no
stage), most specific first (``预算收入合计`` is a budget).

Not facts: a 收入/支出 the SPEC does not name (``工资福利支出``, ``上级补助收入``,
``公务接待费支出``, ``党建项目支出``, ``支出党员教育经费``: a word next to the keyword
that is not a stage, scope or source word), changes (``比上年减少``), figures with no
cue (funds a unit helped firms obtain, subsidies paid), funding levels outside a
project report, and anything on a contents line (``二、收入预算……2``).

Also: the variance-rate formula ``差异率=（决算-预算）/预算`` names its three figures;
``收、支总计均为…`` gives both totals; flattened tables with the unit in a header are
read two ways (:func:`_name_tables`: a row of numbers under a row of names;
:func:`grid_cells`: budget-execution tables with 年初预算数 / 全年预算数 / 全年执行数
columns, in any flattening); functional classes carry their 政府收支分类科目 code as
``class_code`` and are named by today's class name. Traditional characters and inline
pinyin are read as their simplified words.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from pathlib import Path

import regex

from ..core import Document, Evidence, Fact
from ..normalize import PINYIN, folded_text
from ..numbers import MONEY, Figure, find_figures

EXTRACTOR = "finance.rules.v1"
DATA = Path(__file__).resolve().parents[1] / "data" / "functional_classes.json"

SENT = regex.compile(r"[^。\n]+[。]?")
#: A paragraph ends at a line break, unless the next line starts with punctuation (…65.54%\n。按…).
PARAGRAPH_END = regex.compile(r"\n(?![。，；,;）)])")
DELIM = "，,；;：:、。（(）)=＝|"
#: A line of a table of contents: dotted leaders then a page number.
CONTENTS_LINE = regex.compile(r"^.*(?:[…\.·．_—-]\s*){3,}\d{1,3}\s*$", regex.M)
SOURCE_WORDS = regex.compile(r"一般公共预算|公共财政预算|政府性基金预算|国有资本经营预算|政府性基金")
QUALIFIERS = (
    ("other", regex.compile(r"其他收入|单位资金|自有资金|其他资金")),
    ("general_public", regex.compile(r"一般公共预算|公共财政预算")),
    ("government_fund", regex.compile(r"政府性基金")),
    ("state_capital", regex.compile(r"国有资本经营")),
    ("fiscal", regex.compile(r"财政拨款|财政下达|财政资金")),
)
#: Funding levels of a project's money (SPEC: project reports only).
LEVELS = (
    ("central", regex.compile(r"中央")),
    ("provincial", regex.compile(r"省级|省财政|省本级|省(?=[补专资])")),
    ("municipal", regex.compile(r"市级|州级|市财政|市本级|[市州](?=[补专资])")),
    ("county", regex.compile(r"县级|区级|县区级|县财政|区财政|县本级|区本级|[县区](?=[补专资])")),
    ("local", regex.compile(r"地方")),
    ("other", regex.compile(r"其他资金|自有资金|自筹|单位资金|社会资金")),
)
LEVEL_NAMES = {q for q, _ in LEVELS} - {"other"}
STAGES = (  # most specific first; 合计/共计 (本年收入合计) only when nothing else says
    ("adjusted", regex.compile(r"调整后(?:的)?预算|全年预算|调整预算")),
    ("final", regex.compile(r"决算|实际|执行|完成|已支出")),
    ("budget", regex.compile(r"预算|年初|下达|安排|计划")),
    ("final", regex.compile(r"合计|共计|总计")),
)
#: A change or a ratio, not a level: 比上年减少2.1万元, 人均.
CHANGE = regex.compile(r"增加|减少|增长|下降|节约|节省|压减|压缩|比上年|较上年|同比|增支|减支|超支|差额|差异|人均|平均|降低|提高")
#: Words that may stand right before 收入/支出 in a total or a source part; anything
#: else there (工资福利, 上级补助, 公务接待费, 党建项目) names a category SPEC does not.
FILLER = ("预算|决算|实际|年度|全年|当年|本年度|本年|上年|年初|年末|各项|部门|单位|整体|本级|财政拨款|拨款|财政|"
          "一般公共预算|公共财政预算|政府性基金预算|政府性基金|国有资本经营预算|其他|下达|累计|完成|执行|安排|"
          "其中|合计|总计|共计|总额|金额|数额|资金|共|总|的|本|该|全部|已|数|为|是|达到|达|约|计|按|调整后|调整|计划|批复|后|基本支出|中|包括|主要|含")
FILLER_TAIL = regex.compile(rf"(?:{FILLER})$")
PROJECT_FILLER_TAIL = regex.compile(rf"(?:{FILLER}|项目)$")
ORG_TAIL = regex.compile(r"(?:部|局|委|办|院|中心|所|站|厅|处|室|队|馆|会|组|司|校|府|署)$|^(?:我|本)\p{Han}$")
#: Money already arrived: 100万元已全部到位.
ARRIVED_AFTER = regex.compile(r"^[^，,；;。]{0,6}?到位(?!率)")
ARRIVED_CUE = regex.compile(r"到位(?!率)")
#: A project report's own money: 项目资金, 预算资金, 项目总投资.
PROJECT_MONEY = regex.compile(r"(?:项目资金|预算资金|资金总额|总投资|项目预算|安排资金|下达资金|投入资金|计划投资)$")
FORMULA = regex.compile(
    r"(?P<head>[\p{Han}]{0,12}?)预决算差异率\s*[=＝]\s*[（(]\s*(?P<a>[^-－）)]+?)\s*[-－]\s*(?P<b>[^）)]+?)\s*[）)]"
    r"\s*[/÷]\s*(?P<c>[\d.,]+\s*[万亿千]?元)")
#: What ends a cue besides punctuation: a masked figure, a URL or Latin words (spam in a page).
NOISE = regex.compile(r"[*＊]{2,}\s*(?:[万亿千]?元)?|[xX]{2,}\s*(?:[万亿千]?元)?|[A-Za-z][A-Za-z0-9.:/_-]{2,}")
#: The end of a number right before another, as left by a line break inside a figure.
SPLIT_NUMBER = regex.compile(r"\d[.,]?\s$")
#: One figure for both totals: 收、支总计均为…, 收支总预算….
BOTH = regex.compile(r"收(?:入)?[、和与及]?支(?:出)?(?:总计|合计|总额|总预算|预算|决算)(?:均为|各为|均|为|都是|是)?$")
CLASS_TAG = regex.compile(r"[（(][类款项][）)]")  # 一般公共服务（类）支出
TRAILING_PAREN = regex.compile(r"\s*[（(][^（）()]{0,8}[）)]\s*$")  # 一般公共服务支出（类）
UNIT_IN = regex.compile(r"[（(]\s*(?:单位[:：]\s*)?(?P<unit>[万亿千]?元)\s*[）)]|单位[:：]\s*(?P<unit2>[万亿千]?元)")


@functools.lru_cache(maxsize=1)
def functional_classes() -> dict[str, tuple[str, str]]:
    """Written name -> (code, today's class name); aliases (earlier years' names)
    included, longest names first."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    name_of = {c["code"]: c["name"] for c in data["classes"]}
    out = {c["name"]: (c["code"], c["name"]) for c in data["classes"]}
    out.update({a["name"]: (a["code"], name_of[a["code"]]) for a in data["aliases"]})
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


@functools.lru_cache(maxsize=1)
def _short_classes() -> dict[str, tuple[str, str]]:
    """Class names without 支出 (社会保障和就业（类）), matched only as a whole cue."""
    return {n[:-2]: v for n, v in functional_classes().items() if n.endswith("支出") and len(n) > 4}


def functional_class(cue: str) -> tuple[str, str, str] | None:
    """(name as written, code, class name) of the functional class a cue names."""
    for written, (code, name) in functional_classes().items():
        if written in cue:
            return written, code, name
    bare = regex.sub(r"^[\d\s.、．]*(?:其中)?", "", cue)
    if bare in _short_classes():
        return (bare, *_short_classes()[bare])
    return None


@dataclass(frozen=True)
class Context:
    """The last total seen in a paragraph (name, stage, qualifier) and the last figure
    named there (``last``: name, stage, qualifier, extra)."""

    name: str | None = None
    stage: str | None = None
    qualifier: str | None = None
    last: tuple | None = None


def _stage(cue: str) -> str | None:
    c = SOURCE_WORDS.sub("", cue)
    return next((stage for stage, rx in STAGES if rx.search(c)), None)


def _qualifier(cue: str) -> str | None:
    return next((q for q, rx in QUALIFIERS if rx.search(cue)), None)


def _level(cue: str) -> str | None:
    return next((q for q, rx in LEVELS if rx.search(cue)), None)


def _strip_fillers(s: str, project: bool = False) -> str:
    """``s`` with stage, scope and source words (and non-Han characters) taken off its end."""
    tail = PROJECT_FILLER_TAIL if project else FILLER_TAIL
    while True:
        s = regex.sub(r"[^\p{Han}]+$", "", s)
        m = tail.search(s)
        if not m or not m.group(0):
            return s
        s = s[:m.start()]


def _plain(before: str, project: bool = False) -> bool:
    """Is ``before`` (the cue up to 收入/支出) only stage, scope and source words, a
    year or the unit itself? ``工资福利`` / ``上级补助`` / ``党建项目`` are not."""
    b = _strip_fillers(before, project)
    return not b or b[-1] in "年月" or bool(ORG_TAIL.search(b))


def _only_fillers(rest: str, project: bool = False) -> bool:
    """Is ``rest`` (the cue after 收入/支出) only stage and total words (决算, 预算数为,
    合计)? ``支出党员教育经费`` names one fund, not the unit's spending."""
    return not _strip_fillers(rest.replace("支出", ""), project)


Named = tuple  # (name, stage, qualifier, extra)


def name_cue(cue: str, ctx: Context, project: bool = False, after: str = "") -> Named | None:
    """(name, stage, qualifier, extra) for a money figure's cue (``after``: the words
    right after the figure), or None when the cue names nothing SPEC covers."""
    if CHANGE.search(cue):
        return None
    if regex.search(r"结转|结余", cue) and "率" not in cue:
        return ("carryover_begin" if regex.search(r"年初|上年|以前年度", cue) else "carryover_end"), None, None, {}
    if "三公" in cue:
        return "three_public", _stage(cue) or ctx.stage, None, {}
    for word, name in (("人员经费", "personnel_expenditure"), ("公用经费", "public_expenditure"),
                       ("基本支出", "basic_expenditure"), ("项目支出", "project_expenditure")):
        if word in cue:
            at = cue.rindex(word)
            if not (_plain(cue[:at]) and _only_fillers(cue[at + len(word):])):
                return None  # 党建项目支出: one project's spending, not the total
            return name, _stage(cue.replace(word, "")) or ctx.stage, None, {}
    cls = functional_class(cue)
    if cls:
        written, code, cname = cls
        extra = {"class_code": code} if written == cname else {"class_code": code, "class_written": written}
        return "expenditure", _stage(cue.replace(written, "")) or ctx.stage, cname, extra
    level = _level(cue) if project else None
    if ARRIVED_CUE.search(cue) or ARRIVED_AFTER.search(after):
        return "funds_received", None, level, {}
    kw = list(regex.finditer(r"收入|支出", cue))
    qual = _qualifier(cue)
    stage = _stage(cue)
    if kw:
        if not (_plain(cue[:kw[-1].start()], project) and _only_fillers(cue[kw[-1].end():], project)):
            return None
        name = "income" if kw[-1].group(0) == "收入" else "expenditure"
    elif level is not None or qual is not None:
        name = ctx.name or ("expenditure" if project else "income")  # a part: 其中：一般公共预算拨款…
    elif regex.search(r"预算|决算|执行", cue) and _plain(cue, project):
        last = ctx.last
        if last and last[0] not in ("carryover_begin", "carryover_end", "funds_received") and last[1] != stage \
                and last[2] is None:
            return last[0], stage, last[2], last[3]  # “三公”经费预算数15万元，决算数12.5万元: the same item
        name = ctx.name or "expenditure"  # 年初预算数 / 全年执行数: the unit's (or project's) money
    elif project and PROJECT_MONEY.search(cue) and _plain(PROJECT_MONEY.sub("", cue), project):
        name = "expenditure"
    else:
        return None
    if level is not None:
        qual = level
    if stage is None:
        stage = ctx.stage if ctx.name else None
    if name == "funds_received":
        stage = None
    if qual is None and ctx.name == name and ctx.qualifier == "fiscal" and stage != ctx.stage:
        qual = "fiscal"  # 财政拨款收入决算数…，收入预算数…: the same fiscal income at another stage
    return name, stage, qual, {}


def _cue(sentence: str, start: int, floor: int, counts: tuple[tuple[int, int], ...] = ()) -> str:
    """The words naming the money figure at ``start``: back to ``floor`` (the previous
    money figure or percent) and the last clause break, counts (``8个``) left out."""
    chars = list(sentence[floor:start])
    for a, b in counts:
        for i in range(max(a, floor), min(b, start)):
            chars[i - floor] = " "
    left = CLASS_TAG.sub("", PINYIN.sub("", "".join(chars)))
    while True:
        trimmed = TRAILING_PAREN.sub("", left)
        if trimmed == left:
            break
        left = trimmed
    cut = max(left.rfind(c) for c in DELIM)
    noise = list(NOISE.finditer(left, cut + 1))
    if noise:
        cut = noise[-1].end() - 1
    cue = left[cut + 1:] if cut >= 0 else left
    if cut >= 0 and left[cut] in "：:" and not cue.strip():
        cue = left[:cut]
        cut2 = max(cue.rfind(c) for c in DELIM)
        cue = cue[cut2 + 1:] if cut2 >= 0 else cue
    return "".join(cue.split())


def _after(sentence: str, end: int) -> str:
    return "".join(sentence[end:end + 12].split())


def _fact(doc: Document, s0: int, f: Figure, name: str, stage, qual, extra: dict, rule: str, why: str,
          score: float = 0.9) -> Fact:
    return Fact("finance", name, f.value, doc.to_raw(s0 + f.start, s0 + f.end),
                Evidence(EXTRACTOR, rule, score, why), stage=stage, qualifier=qual,
                raw_value=str(f.number), unit=f.unit, extra=extra)


def _shift(f: Figure, by: int) -> Figure:
    return Figure(f.value, f.number, f.unit, f.scale, f.start + by, f.end + by, f.text)


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
                g = _shift(f, m.start(grp))
                out.append(_fact(doc, s0, g, name, stage, qual, {}, "variance_formula",
                                 f"({'决算' if stage == 'final' else '预算'} in 预决算差异率 formula)"))
                used.add(g.start)
    return out, used


def is_project_report(doc: Document) -> bool:
    """A project report (项目支出绩效自评), by the report-kind rule of the metadata."""
    from .meta import _kind

    kind = _kind(doc, None)
    return kind is not None and kind.value == "project"


def contents_lines(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the lines of a table of contents (dotted leader, page number)."""
    return [(m.start(), m.end()) for m in CONTENTS_LINE.finditer(text)]


def _inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _sentences(doc: Document, project: bool) -> list[Fact]:
    """Cue-named money figures; the total context carries across the sentences of a
    paragraph (支出决算…万元。支出按…划分：基本支出…) and resets at a line break."""
    text = folded_text(doc)
    skip = contents_lines(text)
    out: list[Fact] = []
    ctx, line_end = Context(), -1
    for sm in SENT.finditer(text):
        s0, sentence = sm.start(), sm.group(0)
        if s0 > line_end:
            ctx = Context()
            nl = PARAGRAPH_END.search(text, s0)
            line_end = nl.start() if nl else len(text)
        if "元" not in sentence or _inside(s0, skip):
            continue
        formula, used = _formula(doc, s0, sentence)
        out += formula
        prev_end = 0
        figures = find_figures(sentence)
        counts = tuple((f.start, f.end) for f in figures if f.kind in ("count", "bare"))
        for f in figures:
            if f.kind != "money" or f.start in used:
                if f.kind not in ("count", "bare"):
                    prev_end = max(prev_end, f.end)  # a percent ends a cue; a count (8个项目) does not
                continue
            both = BOTH.search("".join(sentence[prev_end:f.start].split()))
            cue = _cue(sentence, f.start, prev_end, counts)
            prev_end = f.end
            if SPLIT_NUMBER.search(sentence, 0, f.start):
                continue  # 986.2 1万元: a number a line break split in two; its value is unknown
            if both:  # 收、支总计均为1523.26万元: the income and the expenditure total
                stage = _stage(both.group(0))
                why = f"{both.group(0)!r} → both totals"
                out += [_fact(doc, s0, f, n, stage, None, {}, "income_and_expenditure", why)
                        for n in ("income", "expenditure")]
                continue
            named = name_cue(cue, ctx, project, _after(sentence, f.end))
            if named is None:
                continue
            name, stage, qual, extra = named
            if name in ("income", "expenditure", "funds_received") and "class_code" not in extra \
                    and qual not in LEVEL_NAMES:
                ctx = Context(name, stage, qual)  # a total or a fund-source part: what comes next may break it down
            ctx = replace(ctx, last=named)
            out.append(_fact(doc, s0, f, name, stage, qual, extra, "cue", f"{cue!r} → {name}/{stage}/{qual}"))
    return out


# --------------------------------------------------------------------------- flattened tables

def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _cells(line: str) -> list[str]:
    """A row's cells: `` | ``-joined (DOCX/HTML) or space-separated."""
    parts = line.split("|") if "|" in line else line.split()
    return [p.strip() for p in parts]


def _header_unit(lines: list[tuple[int, str]], i: int, back: int = 10) -> str | None:
    """The money unit of a table: ``（万元）`` / ``单位：万元`` in line ``i`` or just above."""
    for k in range(i, max(-1, i - back), -1):
        m = UNIT_IN.search(lines[k][1])
        if m:
            return m.group("unit") or m.group("unit2")
    return None


NAME_UNIT_HEADER = regex.compile(r"(?P<label>[\p{Han}]{2,12}?)\s*[（(](?P<unit>[万亿千]?元)[）)]")
NUMBER_ROW = regex.compile(r"^\s*\|?\s*-?[\d,]+(?:\.\d+)?(?:\s*(?:\||\s)\s*-?[\d,]+(?:\.\d+)?)+\s*\|?\s*$")
TABLE_NAMES = {"总预算": ("expenditure", None), "预算总额": ("expenditure", None), "年度预算": ("expenditure", None),
               "支出合计": ("expenditure", None), "收入合计": ("income", None)}


def _name_tables(doc: Document, project: bool) -> list[Fact]:
    """A row of numbers under a header row of names (基本支出 项目支出), with the unit in a
    header cell above (总预算（万元））: each number takes its column's name."""
    lines = _lines(folded_text(doc))
    out = []
    for i, (p, line) in enumerate(lines):
        if not NUMBER_ROW.match(line):
            continue
        values = find_figures(line, chinese=False)
        header = [c for c in _cells(lines[i - 1][1]) if c] if i else []
        if not header or any(regex.match(r"^-?[\d,.]+$", h) for h in header):
            continue
        lead, unit = [], None
        above = [ln.strip() for _, ln in lines[max(0, i - 10):i - 1]]
        for k, up in enumerate(above):
            if k and regex.fullmatch(r"[（(][万亿千]?元[）)]", up):
                up = above[k - 1] + up  # 总预算 / （万元） wrapped over two lines
            m = NAME_UNIT_HEADER.search(up)
            if m:
                label = next((k for k in TABLE_NAMES if m.group("label").endswith(k)), m.group("label"))
                if label not in lead:
                    lead.append(label)
                    unit = unit or m.group("unit")
        cols = lead + header
        if unit is None or len(cols) != len(values):
            continue
        stage = "budget" if any("预算" in ln for _, ln in lines[max(0, i - 12):i]) else None
        for col, v in zip(cols, values):
            f = Figure(v.number * MONEY[unit], v.number, unit, MONEY[unit], v.start, v.end, v.text)
            if col in TABLE_NAMES:
                name, qual = TABLE_NAMES[col]
                extra = {}
            else:
                named = name_cue(col, Context(), project)
                if named is None or (named[0] in ("income", "expenditure") and named[2] is None):
                    continue  # a plain 收入/支出 column other than the total is a sub-category SPEC does not name
                name, _, qual, extra = named
            out.append(_fact(doc, p, f, name, stage, qual, extra, "table_column",
                             f"column {col!r} of a table in {unit}"))
    return out


#: Column headers of a budget-execution table (项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分).
GRID_COLUMNS = (
    ("adjusted", r"全年预算数?|调整后预算数?|调整预算数"),
    ("budget", r"年初预算数?|年度预算数|预算数"),
    ("final", r"全年执行数|实际执行数|执行数|实际支出数?|决算数|实际到位数?"),
    ("rate", r"预算执行率|执行率|到位率"),
    ("ignore", r"分值|得分|权重|自评分|备注|原因|偏差原因|说明"),
)
MONEY_COLUMNS = ("budget", "adjusted", "final")
GRID_COLUMN = regex.compile("|".join(f"(?P<{k}{i}>(?:{p})(?:[（(][^（）()]{{0,8}}[）)])?)"
                                     for i, (k, p) in enumerate(GRID_COLUMNS)))
GRID_END = regex.compile(r"指标|目标|评价结论|一级")
EMPTY_CELL = regex.compile(r"^[-—–/／]+$|^无$")
#: Row labels of a budget-execution table, most specific first.
GRID_ROWS = (
    (r"年度资金总额|资金总额|总额|合计|总计|年度预算资金", ("expenditure", None)),
    (r"当年财政拨款|财政拨款|财政资金", ("expenditure", "fiscal")),
    (r"上年结转|财政专户", None),
    (r"基本支出", ("basic_expenditure", None)),
    (r"项目支出", ("project_expenditure", None)),
    (r"人员经费", ("personnel_expenditure", None)),
    (r"公用经费", ("public_expenditure", None)),
)


def _grid_row_name(label: str, project: bool) -> tuple[str, str | None] | None:
    label = regex.sub(r"^(?:其中)?[：:]?|[：:]$", "", "".join(label.split()))
    for rx, named in GRID_ROWS:
        if regex.search(rx, label):
            return named
    level = _level(label)
    if level is not None:
        return ("expenditure", level) if project or level == "other" else None
    qual = _qualifier(label)
    if qual is not None:
        return "expenditure", qual
    return None


@dataclass(frozen=True)
class GridCell:
    """One value of a budget-execution table: its row's (name, qualifier), its column's
    stage (``budget`` / ``adjusted`` / ``final``) or ``rate``, the figure (offsets into
    the normalized text), the row label and the column header."""

    name: str
    qualifier: str | None
    column: str
    figure: Figure
    label: str
    header: str


def _column_labels(line: str) -> list[tuple[str, str, int, int]]:
    """(kind, header text, start, end) of the column labels in a line; none in a
    sentence (``收入决算数…万元，收入预算数…``)."""
    if _PROSE.search(line):
        return []
    return [(next(k for k, v in m.groupdict().items() if v).rstrip("0123456789"), m.group(0), m.start(), m.end())
            for m in GRID_COLUMN.finditer(line) if not UNIT_IN.search(m.group(0))]  # 年度预算数(万元): a caption


def _header(lines: list[tuple[int, str]], i: int) -> tuple[list[tuple[str, str]], int, int] | None:
    """The header starting at line ``i``: its columns (kind, header text), the text
    offset where its last label ends and the index of its last line. A header may run
    over several lines (one cell per line) as long as each next line starts with a
    label; it needs two money columns."""
    cols = _column_labels(lines[i][1])
    if not cols:
        return None
    last = i
    while last + 1 < len(lines):
        more = _column_labels(lines[last + 1][1])
        if not more or lines[last + 1][1][:more[0][2]].strip(" |"):
            break
        cols += more
        last += 1
    if sum(k in MONEY_COLUMNS for k, _, _, _ in cols) < 2:
        return None
    return [(k, h) for k, h, _, _ in cols], lines[last][0] + cols[-1][3], last


_PROSE = regex.compile(r"[，。；,;]|\d\s*[万亿千]?元")  # a sentence or an amount: not a header line

#: Where a cell glued to the next one splits: ``-上年结转资金``, ``91.67%其中``.
GLUED = regex.compile(r"(?<=[-—–/／%])(?=\p{Han})")


def _grid_tokens(text: str, start: int, end: int) -> list[tuple[str, int, int, int]]:
    """Cells between ``start`` and ``end``: (kind, start, end, row); kind N is a number
    or a percent, E an empty cell (blank between pipes, or - — /), T text. In a table of
    pipe-joined rows a line with pipes is one row with one cell per part; otherwise every
    line continues the stream (row -1), cells split at spaces and pipes."""
    out = []
    pos = start
    lines = text[start:end].split("\n")
    rows = sum(sum(bool(c.strip()) for c in ln.split("|")) >= 2 for ln in lines if "|" in ln)
    cells = sum(sum(bool(c.strip()) for c in ln.split("|")) < 2 for ln in lines if "|" in ln)
    stream = cells > rows  # "238.93 |" lines: one cell per line, and joined lines are cells too
    for n, line in enumerate(lines):
        piped = not stream and "|" in line
        if not piped and "|" in line and not line.replace("|", "").strip():
            out.append(("E", pos, pos, -1))  # a blank cell on its own line
        row = n if piped else -1
        ppos = pos
        for part in line.split("|") if piped else [line]:
            if piped and not part.strip():
                out.append(("E", ppos, ppos, row))
            for c in regex.finditer(r"[^\s|]+", part):
                a = ppos + c.start()
                for piece in GLUED.split(c.group(0)):
                    b = a + len(piece)
                    if EMPTY_CELL.match(piece):
                        out.append(("E", a, b, row))
                    elif regex.search(r"\d", piece) and not regex.search(r"\p{Han}", piece):
                        out.append(("N", a, b, row))
                    elif out and out[-1][0] == "T" and out[-1][3] == row and text[out[-1][2]:a].strip() == "":
                        out[-1] = ("T", out[-1][1], b, row)  # 上年结转 资金: one label
                    else:
                        out.append(("T", a, b, row))
                    a = b
            ppos += len(part) + 1
        pos += len(line) + 1
    return out


def grid_cells(doc: Document, project: bool | None = None) -> list[GridCell]:
    """Values of budget-execution tables (年初预算数 / 全年预算数 / 全年执行数 / 执行率 columns,
    rows 年度资金总额 / 当年财政拨款 / 其他资金 …), whatever the flattening: cells ``|``-joined,
    a row on one line, one cell per line, the header row far above its rows."""
    if project is None:
        project = is_project_report(doc)
    key = ("_grid_cells", project)  # finance and rates both read the tables: parse them once per document
    if key not in doc.meta:
        doc.meta[key] = _grid_cells(doc, project)
    return list(doc.meta[key])


def _grid_cells(doc: Document, project: bool) -> list[GridCell]:
    text = folded_text(doc)
    lines = _lines(text)
    out: list[GridCell] = []
    i = 0
    while i < len(lines):
        head = _header(lines, i)
        if head is None:
            i += 1
            continue
        columns, head_end, last = head
        kinds = [k for k, _ in columns]
        unit = _header_unit(lines, last, back=10 + last - i)
        j = last + 1
        while j < len(lines) and j - last <= 40 and _header(lines, j) is None:
            j += 1
        region_end = lines[j][0] if j < len(lines) else len(text)
        stop = GRID_END.search(text, head_end, region_end)  # 年度总体目标, 一级指标: the table's next part
        region_end = stop.start() if stop else region_end
        tokens = _grid_tokens(text, head_end, region_end)
        k = 0
        while k < len(tokens):
            kind, a, b, row = tokens[k]
            k += 1
            if kind != "T":
                continue
            label = text[a:b]
            vals = []
            while k < len(tokens) and tokens[k][0] != "T" and (row < 0 or tokens[k][3] == row):
                vals.append(tokens[k])
                k += 1
            named = _grid_row_name(label, project)
            if named is None:
                continue
            if len(vals) > len(kinds) or sum(c in MONEY_COLUMNS for c in kinds[:len(vals)]) < sum(
                    c in MONEY_COLUMNS for c in kinds):
                continue  # a money cell is missing: which one is ambiguous
            cols = kinds[:len(vals)]  # trailing cells (得分, 原因) may be left out
            for (col, header), (vkind, va, vb, _) in zip(zip(cols, (h for _, h in columns)), vals):
                if vkind != "N" or col == "ignore" or (col != "rate" and unit is None):
                    continue
                written = text[va:vb]
                figs = find_figures(written, default_unit=None if col == "rate" else unit, chinese=False)
                if len(figs) != 1:
                    continue
                out.append(GridCell(named[0], named[1], col, _shift(figs[0], va), label, header))
        i = max(j, i + 1)
    return out


def _stage_grids(doc: Document, project: bool) -> list[Fact]:
    out = []
    for c in grid_cells(doc, project):
        if c.column == "rate" or c.figure.kind != "money":
            continue
        out.append(_fact(doc, 0, c.figure, c.name, c.column, c.qualifier, {}, "table_grid",
                         f"row {c.label!r}, {c.column} column, in {c.figure.unit}"))
    return out


def extract(doc: Document, sections=None) -> list[Fact]:
    project = is_project_report(doc)
    facts = _sentences(doc, project) + _name_tables(doc, project) + _stage_grids(doc, project)
    seen, out = set(), []
    for f in facts:
        if (f.span.start, f.span.end, f.name) not in seen:
            seen.add((f.span.start, f.span.end, f.name))
            out.append(f)
    return out
