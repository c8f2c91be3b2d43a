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

from ..core import Document, Evidence, Fact, Span
from ..core.registry import register
from ..normalize import PINYIN
from ..numbers import MONEY, Figure, find_figures
from ..sections import SectionTree, sections_of
from ..text.layout import Layout
from ..text.patterns import Pattern
from ..text import markers
from ..text.split import sentences
from ..text.tables import cell_kind
from . import title as head
from .meta import report_kind

#: Patterns written inline, compiled once (the regex module's own cache costs ~18 µs a lookup).
_rx = functools.lru_cache(maxsize=None)(regex.compile)

EXTRACTOR = "finance.rules.v1"
DATA = Path(__file__).resolve().parents[1] / "data" / "functional_classes.json"

#: A paragraph ends at a line break, unless the next line starts with punctuation (…65.54%\n。按…).
PARAGRAPH_END = Pattern("paragraph_end", r"\n(?![。，；,;）)])")
DELIM = "，,；;：:、。（(）)=＝|"
#: A line of a table of contents: dotted leaders then a page number.
SOURCE_WORDS = regex.compile(r"一般公共预算|公共财政预算|政府性基金预算|国有资本经营预算|政府性基金")
QUALIFIERS = (
    ("other", regex.compile(r"其他收入|单位资金|自有资金|其他资金")),
    ("general_public", regex.compile(r"一般公共预算|公共财政预算")),
    ("government_fund", regex.compile(r"政府性基金")),
    ("state_capital", regex.compile(r"国有资本经营")),
    ("fiscal", regex.compile(r"财政拨款|财政下达|财政资金")),
)
#: Funding levels of a project's money (SPEC: project reports only).
LEVELS = (  # tried in order: 自治区 before 区, 市县 before 市 and 县
    ("central", regex.compile(r"中央")),
    ("provincial", regex.compile(r"省级|省财政|省本级|省(?=[补专资])|自治区|盟市级")),
    ("local", regex.compile(r"地方|市县|县市|本级(?:财政)?(?:配套|资金)")),
    ("municipal", regex.compile(r"市级|州级|市财政|市本级|[市州](?=[补专资])")),
    ("county", regex.compile(r"县级|区级|旗县|县区级|县财政|区财政|县本级|区本级|[县区](?=[补专资])")),
    ("other", regex.compile(r"其他资金|自有资金|自筹|单位资金|社会资金")),
)
LEVEL_NAMES = {q for q, _ in LEVELS} - {"other"}
STAGES = (  # most specific first; 合计/共计 (本年收入合计) only when nothing else says
    ("adjusted", regex.compile(r"调整后(?:的)?预算|全年预算|调整预算|应执行")),
    ("final", regex.compile(r"决算|实际|执行|完成|已支出|(?<!转移)支付")),
    ("budget", regex.compile(r"预算|年初|下达|安排|计划")),
    ("final", regex.compile(r"合计|共计|总计")),
)
#: A change or a ratio, not a level: 比上年减少2.1万元, 人均.
CHANGE = regex.compile(r"增加|减少|增长|下降|节约|节省|压减|压缩|比上年|较上年|同比|增支|减支|超支|差额|差异|人均|平均|降低|提高")
#: Words that may stand right before 收入/支出 in a total or a source part; anything
#: else there (工资福利, 上级补助, 公务接待费, 党建项目) names a category SPEC does not.
FILLER = ("预算|决算|实际|年度|全年|当年|本年度|本年|上年|年初|年末|各项|部门|单位|整体|本级|财政拨款|拨款|财政|"
          "一般公共预算|公共财政预算|政府性基金预算|政府性基金|国有资本经营预算|其他|下达|累计|完成|执行|安排|"
          "其中|合计|总计|共计|总额|金额|数额|资金|共|总|的|本|该|全部|已|数|为|是|达到|达|约|计|按|调整后|调整|计划|批复|后|应|基本支出|中|包括|主要|含")
FILLER_TAIL = regex.compile(rf"(?:{FILLER})$")
PROJECT_FILLER_TAIL = regex.compile(rf"(?:{FILLER}|项目)$")
ORG_TAIL = regex.compile(r"(?:部|局|委|办|院|中心|所|站|厅|处|室|队|馆|会|组|司|校|府|署)$|^(?:我|本)\p{Han}$")
#: Money already arrived: 100万元已全部到位.
ARRIVED_AFTER = regex.compile(r"^[^，,；;。]{0,6}?到位(?!率)")
ARRIVED_CUE = regex.compile(r"到位(?!率)|收到")
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
    bare = _rx(r"^[\d\s.、．]*(?:其中)?").sub("", cue)
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
        s = _rx(r"[^\p{Han}]+$").sub("", s)
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


#: Spending words alone before a project's figure: 已支付, 累计支付资金, 2023年支出, 截至年底支出.
SPENT = regex.compile(r"(?:\d{4}年度?|全年|当年|本年|截至年底|截至\S{0,8}?日)?(?:共|累计|已|实际)*(?:支付|支出)(?:资金)?(?:共计|共)?")
#: A project's money in prose: 计划投资, 下达…资金, 收到…经费, 安排…补助资金 (with 共计 / 合计 after).
PROJECT_FUNDS = regex.compile(r"(?:资金|经费|投资|补助)(?:共计|共|合计|总额|总计)?$")
#: Words a project-money cue may hold besides the project's name: verbs, scope, stage and source words.
PROJECT_FILLER = regex.compile(r"\d{4}年度?|全年|当年|本年|截至年底|截至\S{0,8}?日|我[县市区省局校单位]+|上述|项目|"
                               r"收到|下达|安排|拨付|到位|支出|支付|执行|投入|计划|投资|批复|累计|实际|已|共计|共|合计|"
                               r"总额|总计|财政|专项|补助|转移支付|资金|经费|配套|衔接|为|的|了")


def _project_money(cue: str, project_name: str, after: str = "") -> str | None:
    """``expenditure`` or ``funds_received`` when ``cue`` names the project's own money in
    a project report: it ends in 资金/经费/投资 and, besides verbs, stage and source words,
    holds only the project's (or fund's) name from the title — or, when the title is not
    known, any name with an allocation verb, if the figure is broken down right after it
    (下达城乡义务教育补助经费6153.46万元，其中中央…)."""
    if not PROJECT_FUNDS.search(cue) and not PROJECT_MONEY.search(cue):
        return None
    rest = PROJECT_FILLER.sub("", cue)
    if project_name:
        for k in range(len(project_name) - 3):
            rest = rest.replace(project_name[k:k + 4], "") if project_name[k:k + 4] in cue else rest
    total = _rx(r"(?:共计|合计|总额|总计|总投资)$").search(cue) or (
        not project_name and _rx(r"^[，,、；;：:]*其中").match(after) and _rx(r"下达|安排|计划投资|批复").search(cue))
    if len(rest) > (12 if total else 2):
        return None  # another project's or a component's money (A项目资金…), not this project's
    return "funds_received" if _rx(r"收到|到位").search(cue) and not _rx(r"下达|安排").search(cue) else "expenditure"


def project_name(title: str | None) -> str:
    """The project's or fund's name in a title (乡村道路提质改造 in 乡村道路提质改造项目绩效自评报告);
    empty for a generic title (项目支出绩效自评表)."""
    if not title:
        return ""
    name = _rx(r"(?:项目支出|项目|资金|经费)?(?:绩效(?:目标)?)?(?:自评价?|自我评价|评价)(?:报告|表)?$").sub("", title)
    name = _rx(r"(?:项目|资金|经费|专项)+$").sub("", name)
    return name if len(name) >= 4 else ""


def name_cue(cue: str, ctx: Context, project: bool = False, after: str = "", project_title: str = "") -> Named | None:
    """(name, stage, qualifier, extra) for a money figure's cue (``after``: the words
    right after the figure; ``project_title``: the project's name, in a project report),
    or None when the cue names nothing SPEC covers."""
    if CHANGE.search(cue):
        return None
    if _rx(r"结转|结余").search(cue) and "率" not in cue:
        return ("carryover_begin" if _rx(r"年初|上年|以前年度").search(cue) else "carryover_end"), None, None, {}
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
    if (ARRIVED_CUE.search(cue) or ARRIVED_AFTER.search(after)) and not _rx(r"下达|安排").search(cue):
        return "funds_received", None, level, {}  # (收到…下达…资金 is the allocation: a budget)
    if project and SPENT.fullmatch(cue):
        return "expenditure", "final", None, {}  # 已支付…, 2023年支出…: what the project spent
    kw = list(_rx(r"收入|支出").finditer(cue))
    qual = _qualifier(cue)
    stage = _stage(cue)
    if kw:
        if not (_plain(cue[:kw[-1].start()], project) and _only_fillers(cue[kw[-1].end():], project)):
            return None
        name = "income" if kw[-1].group(0) == "收入" else "expenditure"
    elif level is not None or qual is not None:
        name = ctx.name or ("expenditure" if project else "income")  # a part: 其中：一般公共预算拨款…
    elif _rx(r"预算|决算|执行").search(cue) and _plain(cue, project):
        last = ctx.last
        if last and last[0] not in ("carryover_begin", "carryover_end", "funds_received") and last[1] != stage \
                and last[2] is None:
            return last[0], stage, last[2], last[3]  # “三公”经费预算数15万元，决算数12.5万元: the same item
        name = ctx.name or "expenditure"  # 年初预算数 / 全年执行数: the unit's (or project's) money
    elif project and PROJECT_MONEY.search(cue) and _plain(PROJECT_MONEY.sub("", cue), project):
        name = "expenditure"
    elif project and _project_money(cue, project_title, after):
        name = _project_money(cue, project_title, after)
        if stage == "final" and not STAGES[1][1].search(SOURCE_WORDS.sub("", cue)):
            stage = "budget"  # …资金共计86万元: a project's money stated as a sum is its allocation
    elif _rx(r"(?:共计|合计|总计)").fullmatch(cue) and ctx.last and ctx.last[2] in LEVEL_NAMES:
        return ctx.last[0], ctx.last[1], None, {}  # 中央资金…，县级配套资金…，合计…: the total of the parts
    else:
        return None
    if level is not None:
        qual = level
    if stage is None and level is not None and ctx.last and ctx.last[2] in LEVEL_NAMES and ctx.last[0] == name:
        stage = ctx.last[1]  # a sibling funding level (中央资金…，县级配套资金…) at the same stage
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
    """The words right after a figure: ``到位``, ``，其中中央…``."""
    return "".join(sentence[end:end + 14].split())


def _fact(doc: Document, s0: int, f: Figure, name: str, stage, qual, extra: dict, rule: str, why: str,
          score: float = 0.9, raw: bool = False) -> Fact:
    """A finance fact for figure ``f`` found at ``s0`` in the normalized text (or, with
    ``raw``, at offsets into the raw text: a table cell)."""
    span = Span(s0 + f.start, s0 + f.end) if raw else doc.to_raw(s0 + f.start, s0 + f.end)
    return Fact.from_figure("finance", name, f, span, Evidence(EXTRACTOR, rule, score, why), stage=stage,
                            qualifier=qual, extra=extra)


def _shift(f: Figure, by: int) -> Figure:
    return replace(f, start=f.start + by, end=f.end + by)


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


def is_project_report(doc: Document, layout: Layout | None = None) -> bool:
    """A project report (项目支出绩效自评), by the report-kind rule of the metadata."""
    return report_kind(doc, layout) == "project"


#: A line of a final-accounts explanation led by a functional class: （一）一般公共服务支出（类）：…
CLASS_LEAD = regex.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)?\s*"
                           r"(?P<cls>[\p{Han}、]{2,20}?支出)\s*[（(]类[）)]")
#: A heading that makes its section's figures final (二、2021年度部门决算收支情况).
FINAL_HEADING = regex.compile(r"决算(?!.{0,4}预算)")
#: 收支总计 in final accounts includes carry-over: no income or expenditure total.
GRAND_TOTAL = regex.compile(r"总计")


def _final_ranges(sections: SectionTree) -> list[tuple[int, int]]:
    """Normalized ranges of the sections about final accounts (their heading says 决算)."""
    return [(s.heading_end, s.end) for s in sections.walk() if FINAL_HEADING.search(s.heading)]


def _sentences(doc: Document, layout: Layout, project: bool, project_title: str = "",
               final: list[tuple[int, int]] = (), final_accounts: bool = False) -> list[Fact]:
    """Cue-named money figures; the total context carries across the sentences of a
    paragraph (支出决算…万元。支出按…划分：基本支出…) and resets at a line break.

    ``final``: ranges (sections about 决算) where a figure whose cue names no stage is a
    final figure; a line led by a functional class (``（一）一般公共服务支出（类）：年初预算为…``)
    gives its expenditure figures that class."""
    text = layout.text
    out: list[Fact] = []
    ctx, line_end, line_class = Context(), -1, None
    for s0, s1 in sentences(text):
        sentence = text[s0:s1]
        if s0 > line_end:
            ctx = Context()
            nl = PARAGRAPH_END.search(text, s0)
            line_end = nl.start() if nl else len(text)
            lead = CLASS_LEAD.match(text, s0, line_end)
            line_class = functional_class(lead.group("cls")) if lead else None
        if "元" not in sentence or layout.in_contents(s0):
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
            if both and final_accounts and GRAND_TOTAL.search(both.group(0)):
                continue  # final accounts: 收、支总计 includes carry-over, it is neither total
            if both:  # 收、支总计均为1523.26万元: the income and the expenditure total
                stage = _stage(both.group(0))
                why = f"{both.group(0)!r} → both totals"
                out += [_fact(doc, s0, f, n, stage, None, {}, "income_and_expenditure", why)
                        for n in ("income", "expenditure")]
                continue
            named = name_cue(cue, ctx, project, _after(sentence, f.end), project_title)
            if named is None:
                continue
            name, stage, qual, extra = named
            if line_class is not None and name == "expenditure" and qual is None:
                written, code, cname = line_class  # （一）一般公共服务支出（类）：年初预算为…，支出决算为…
                qual, extra = cname, {"class_code": code} if written == cname else {"class_code": code,
                                                                                   "class_written": written}
            if stage is None and name not in ("carryover_begin", "carryover_end", "funds_received", "three_public") \
                    and any(a <= s0 + f.start < b for a, b in final):
                stage = "final"  # under a 决算 heading (二、2021年度部门决算收支情况)
            if name in ("income", "expenditure", "funds_received") and "class_code" not in extra \
                    and qual not in LEVEL_NAMES:
                ctx = Context(name, stage, qual)  # a total or a fund-source part: what comes next may break it down
            ctx = replace(ctx, last=(name, stage, qual, extra))
            out.append(_fact(doc, s0, f, name, stage, qual, extra, "cue", f"{cue!r} → {name}/{stage}/{qual}"))
    return out


# --------------------------------------------------------------------------- tables

#: Header cells that name a whole table's total (总预算（万元）) rather than a column kind.
TABLE_NAMES = {"总预算": ("expenditure", None), "预算总额": ("expenditure", None), "年度预算": ("expenditure", None),
               "支出合计": ("expenditure", None), "收入合计": ("income", None)}


def _name_tables(doc: Document, layout: Layout, project: bool) -> list[Fact]:
    """A row of numbers under a header row of names (基本支出 项目支出) with the unit in a
    header cell above (总预算（万元））: each number takes its column's name."""
    out = []
    for table in layout.tables_of("names"):
        unit = table.unit
        for col, cell in zip(table.columns, table.body[0]):
            v = find_figures(cell.text, chinese=False)
            if len(v) != 1:
                continue
            f = _shift(replace(v[0], value=v[0].number * MONEY[unit], unit=unit, scale=MONEY[unit]), cell.span.start)
            if col in TABLE_NAMES:
                name, qual = TABLE_NAMES[col]
                extra = {}
            else:
                named = name_cue(col, Context(), project)
                if named is None or (named[0] in ("income", "expenditure") and named[2] is None):
                    continue  # a plain 收入/支出 column other than the total is a sub-category SPEC does not name
                name, _, qual, extra = named
            out.append(_fact(doc, 0, f, name, table.stage, qual, extra, "table_column",
                             f"column {col!r} of a table in {unit}", raw=True))
    return out


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
    label = _rx(r"^(?:其中)?[：:]?|[：:]$").sub("", "".join(label.split()))
    level = _level(label)
    if level is not None and level != "other" and project and not _rx(r"总额|合计|总计").search(label):
        return "expenditure", level  # 中央财政资金, 地方财政资金: a funding level, not the fiscal total
    for rx, named in GRID_ROWS:
        if regex.search(rx, label):
            return named
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
    the raw text), the row label and the column header."""

    name: str
    qualifier: str | None
    column: str
    figure: Figure
    label: str
    header: str


def grid_cells(doc: Document, layout: Layout, project: bool) -> list[GridCell]:
    """Values of the budget-execution tables of the layout (年初预算数 / 全年预算数 /
    全年执行数 / 执行率 columns, rows 年度资金总额 / 当年财政拨款 / 其他资金 …)."""
    out: list[GridCell] = []
    for table in layout.tables_of("budget"):
        roles = table.columns[1:]
        headers = [c.text for c in table.rows[0]]
        for row in table.body:
            label, vals = row[0].text, row[1:]
            named = _grid_row_name(label, project)
            if named is None:
                continue
            for col, header, cell in zip(roles, headers, vals):
                if cell_kind(cell.text) != "N" or col == "ignore" or (col != "rate" and table.unit is None):
                    continue
                figs = find_figures(cell.text, default_unit=None if col == "rate" else table.unit, chinese=False)
                if len(figs) != 1:
                    continue
                out.append(GridCell(named[0], named[1], col, _shift(figs[0], cell.span.start), label, header))
    return out


def _ledger_rows(doc: Document, layout: Layout) -> list[Fact]:
    """Rows of final-accounts tables with line numbers (收入支出决算总表): income by source,
    the year's income and expenditure totals, expenditure by functional class and the
    carry-over at both ends, all final; 总计 (carry-over included) is no fact."""
    out = []
    for table in layout.tables_of("ledger"):
        if table.unit is None:
            continue
        for label_cell, amount in table.body:
            if not amount.text:
                continue
            mk = markers.match(label_cell.text)
            label = "".join(label_cell.text[mk.body if mk else 0:].split())
            named: tuple[str, str | None, str | None, dict] | None = None
            if label == "本年收入合计":
                named = ("income", "final", None, {})
            elif label == "本年支出合计":
                named = ("expenditure", "final", None, {})
            elif label in ("年初结转和结余", "上年结转和结余"):
                named = ("carryover_begin", None, None, {})
            elif label == "年末结转和结余":
                named = ("carryover_end", None, None, {})
            elif label.endswith("收入") and _qualifier(label) is not None:
                named = ("income", "final", _qualifier(label), {})
            elif label.endswith("支出") and (cls := functional_class(label)):
                written, code, cname = cls
                named = ("expenditure", "final", cname,
                         {"class_code": code} if written == cname else {"class_code": code, "class_written": written})
            if named is None:
                continue
            figs = find_figures(amount.text, default_unit=table.unit, chinese=False)
            if len(figs) != 1:
                continue
            out.append(_fact(doc, amount.span.start, figs[0], named[0], named[1], named[2], named[3], "ledger_row",
                             f"row {label!r} of a table with line numbers, in {table.unit}", raw=True))
    return out


def _amount_rows(doc: Document, layout: Layout) -> list[Fact]:
    """Label–amount lines under a caption with the unit (资金合计（万元） / 年度预算资金总额：
    468.00 / 其中：县级资金 468.00 / 全年执行数（万元）： 459.12): the year's budget total,
    its parts by level (budget, when the block starts with the total) and the year's spending."""
    out = []
    for table in layout.tables_of("amounts"):
        budget_block = bool(regex.fullmatch(r"年度(?:预算)?资金总额", table.body[0][0].text))
        for label_cell, amount in table.body:
            label = "".join(label_cell.text.split())
            named: tuple[str, str | None, str | None] | None = None
            if regex.fullmatch(r"年度(?:预算)?资金总额", label):
                named = ("expenditure", "budget", None)
            elif regex.fullmatch(r"全年执行数|全年实际支出|实际支出数", label):
                named = ("expenditure", "final", None)
            elif budget_block and (level := _level(label)) is not None and regex.search(r"资金|补助|经费", label):
                named = ("expenditure", "budget", level)
            if named is None:
                continue
            figs = find_figures(amount.text, default_unit=table.unit, chinese=False)
            if len(figs) != 1:
                continue
            out.append(_fact(doc, amount.span.start, figs[0], *named, {}, "amount_line",
                             f"line {label!r} under a caption in {table.unit}", raw=True))
    return out


def _stage_grids(doc: Document, layout: Layout, project: bool) -> list[Fact]:
    out = []
    for c in grid_cells(doc, layout, project):
        if c.column == "rate" or c.figure.kind != "money":
            continue
        out.append(_fact(doc, 0, c.figure, c.name, c.column, c.qualifier, {}, "table_grid",
                         f"row {c.label!r}, {c.column} column, in {c.figure.unit}", raw=True))
    return out


@register(EXTRACTOR)
def extract(doc: Document, sections: SectionTree | None = None) -> list[Fact]:
    sections = sections_of(doc, sections)
    layout = sections.layout
    project = is_project_report(doc, layout)
    title = head.find_title(layout, doc.raw)
    name = project_name(layout.raw[title.start:title.end]) if project and title else ""
    final_accounts = report_kind(doc, layout) == "final_accounts"
    facts = _sentences(doc, layout, project, name, _final_ranges(sections), final_accounts) + _ledger_rows(doc, layout) + _amount_rows(doc, layout) + _name_tables(doc, layout, project) + _stage_grids(doc, layout, project)
    seen, out = set(), []
    for f in facts:
        if (f.span.start, f.span.end, f.name) not in seen:
            seen.add((f.span.start, f.span.end, f.name))
            out.append(f)
    return out
