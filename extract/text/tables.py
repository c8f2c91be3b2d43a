"""The one table reader: flattened table text -> :class:`~extract.core.Table` rows of cells.

Reports reach jixiao with their tables flattened in many ways, and every form is read
here, once, for every extractor:

- **pipe rows** (DOCX/HTML readers): one row per line, cells joined by ``|``, empty
  cells kept (``| 年度资金总额 | 86.00 | | 84.30 |``);
- **one cell per line** (PDF): header cells first, then the values row by row;
- **a row on one line**, or the **whole table on a few lines**, cells separated only by
  spaces (``年度资金总额 86.00 86.00 84.30 10 98.02% 9.8 其中：当年财政拨款 80.00 …``);
- **headers wrapped** over several lines, one label per line, or with spaces inside a
  label (``三级 指标``), and **captions** on lines of their own (``(A)``, ``（万元）``);
- a header **far above** its rows; **merged cells** printed once (carried down);
  **sub-rows** (``其中：本年财政拨款``).

How: :func:`tokens` cuts a region into cell tokens — ``N`` (a number or percent), ``E``
(an empty cell: a blank between pipes, ``-``, ``—``, ``/``, ``无``) or ``T`` (text) — with
their offsets. A header is found with a *lexicon* (column role -> pattern): the
budget-execution lexicon (:data:`BUDGET_COLUMNS`) or the scoring-table lexicon
(:data:`SCORING_COLUMNS`). The tokens after a header are then grouped into rows by the
table's form: label-led rows for a budget table (:func:`budget_tables`), a row of
numbers under a row of names (:func:`name_tables`), and the level/name/weight/score
pattern of a scoring table (:func:`scoring_tables`). Every table comes back as a
:class:`~extract.core.Table` whose cells carry raw spans (and, when read from the
normalized text, their normalized span), with the role of each column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import regex

from ..core import Cell, Span, Table
from .lines import lines as split_lines
from .markers import MARKER

# --------------------------------------------------------------------------- tokens

#: A cell that says there is nothing: a dash, a slash, 无.
EMPTY = regex.compile(r"[-－—–/／\\]+|无|暂无|无。")
#: A number cell: 86.00  1,234.5  98.02%  20分  -3
NUMBER = regex.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:%|分)?")
#: Where a cell glued to the next one splits: ``-上年结转资金``, ``91.67%其中``.
GLUED = regex.compile(r"(?<=[-—–/／%])(?=\p{Han})")


_WORD = regex.compile(r"[^\s|]+")


@dataclass(slots=True)
class Token:
    """A cell token: ``kind`` N / E / T, ``[start, end)`` in the text read, its line
    number in the region, and whether it came from a ``|``-joined row (a whole cell)."""

    kind: str
    start: int
    end: int
    line: int
    piped: bool = False


def cell_kind(piece: str) -> str:
    """``E`` (empty: blank, dash, 无), ``N`` (a number or percent) or ``T`` (text)."""
    if not piece or EMPTY.fullmatch(piece):
        return "E"
    if NUMBER.fullmatch(piece):
        return "N"
    return "T"


def is_piped(text: str, start: int, end: int) -> bool:
    """Whether a region is a table of ``|``-joined rows (most pipe lines hold two or more
    cells), not one cell per line with stray pipes (``238.93 |``)."""
    rows = cells = 0
    for ln in split_lines(text, start, end):
        if "|" in ln.text:
            if sum(bool(c.strip()) for c in ln.text.split("|")) >= 2:
                rows += 1
            else:
                cells += 1
    return rows > 0 and rows >= cells


def _pipe_cells(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each cell of a ``|``-joined row (outer pipes dropped); an empty
    cell has ``start == end``."""
    line = text[ls:le]
    cells, pos = [], ls
    for cell in line.split("|"):
        s = pos + len(cell) - len(cell.lstrip())
        cells.append((s, max(s, pos + len(cell.rstrip()))))
        pos += len(cell) + 1
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    return cells


def tokens(text: str, start: int, end: int, piped: bool | None = None) -> list[Token]:
    """The cell tokens of ``text[start:end]``.

    In a piped region each ``|`` line is one row with one token per cell (an empty
    cell is an ``E`` token of length 0); other lines are cut at spaces, and a line
    holding only pipes is one empty cell. Glued cells (``-上年结转``) are split.

    >>> t = "| 年度资金总额 | 86.00 | | 84.30 |"
    >>> [(k.kind, t[k.start:k.end]) for k in tokens(t, 0, len(t))]
    [('T', '年度资金总额'), ('N', '86.00'), ('E', ''), ('N', '84.30')]
    >>> t = "资金总额 86 -其他资金 5"
    >>> [(k.kind, t[k.start:k.end]) for k in tokens(t, 0, len(t))]
    [('T', '资金总额'), ('N', '86'), ('E', '-'), ('T', '其他资金'), ('N', '5')]
    """
    if piped is None:
        piped = is_piped(text, start, end)
    out: list[Token] = []
    for n, ln in enumerate(split_lines(text, start, end)):
        if piped and "|" in ln.text:
            for s, e in _pipe_cells(text, ln.start, ln.end):
                out.append(Token(cell_kind(text[s:e]), s, e, n, True))
            continue
        if "|" in ln.text and not ln.text.replace("|", "").strip():
            out.append(Token("E", ln.lstart, ln.lstart, n))  # a blank cell on its own line
            continue
        for m in _WORD.finditer(text, ln.start, ln.end):
            a = m.start()
            for piece in GLUED.split(m.group(0)):
                out.append(Token(cell_kind(piece), a, a + len(piece), n))
                a += len(piece)
    return out


# --------------------------------------------------------------------------- headers

@dataclass(frozen=True)
class Column:
    """A header column: its role (from the lexicon), its label text and ``[start, end)``."""

    role: str
    label: str
    start: int
    end: int


#: A caption line under a header label: ``(A)``, ``（万元）``, ``(B)=(A)*100%``, ``单位：万元``.
CAPTION = regex.compile(r"[（(]\s*(?:[A-Za-z](?:\s*[/×*÷+\-=]\s*[A-Za-z()（）\d%×*]*)*|单位[:：]\s*[万亿千]?元|[万亿千]?元|%)\s*[）)]"
                        r"(?:\s*[=＝]\s*\S+)?|单位[:：]\s*[万亿千]?元")
#: A money unit written in a header or caption.
UNIT_IN = regex.compile(r"[（(]\s*(?:单位[:：]\s*)?(?P<unit>[万亿千]?元)\s*[）)]|单位[:：]\s*(?P<unit2>[万亿千]?元)")


def _squeezed(line: str) -> tuple[str, list[int]]:
    """``line`` without spaces inside labels (``三级 指标`` -> ``三级指标``) and the index of
    each kept character; spaces between two Han characters go, other spaces stay."""
    keep = [i for i, ch in enumerate(line)
            if not (ch in " \t\u3000" and 0 < i < len(line) - 1 and regex.match(r"\p{Han}", line[i - 1])
                    and regex.match(r"\p{Han}", line[i + 1]))]
    return "".join(line[i] for i in keep), keep


def columns(line: str, offset: int, lexicon: regex.Pattern) -> list[Column]:
    """The header columns named in one line, in order (spaces inside a label allowed)."""
    sq, where = _squeezed(line)
    out = []
    for m in lexicon.finditer(sq):
        role = m.lastgroup.rstrip("0123456789")
        a, b = where[m.start()], where[m.end() - 1] + 1
        out.append(Column(role, line[a:b], offset + a, offset + b))
    return out


# --------------------------------------------------------------------------- budget-execution tables

#: Column headers of a budget-execution table (项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分).
BUDGET_COLUMN_WORDS = (
    ("adjusted", r"全年预算数?|调整后预算数?|调整预算数"),
    ("budget", r"年初预算数?|年度预算数|预算数"),
    ("final", r"全年执行数|实际执行数|执行数|实际支出数?|决算数|实际到位数?"),
    ("rate", r"预算执行率|执行率|到位率"),
    ("ignore", r"分值|得分|权重|自评分|备注|原因|偏差原因|说明"),
)
BUDGET_COLUMNS = regex.compile("|".join(f"(?P<{k}{i}>(?:{p})(?:[（(][^（）()]{{0,8}}[）)])?)"
                                        for i, (k, p) in enumerate(BUDGET_COLUMN_WORDS)))
MONEY_ROLES = ("budget", "adjusted", "final")
#: Where a budget table's body ends: the form's next part (年度总体目标, 一级指标).
BUDGET_END = regex.compile(r"指标|目标|评价结论|一级")
#: A sentence or an amount: not a header line.
_PROSE = regex.compile(r"[，。；,;]|\d\s*[万亿千]?元")


def _budget_columns(line: str, offset: int) -> list[Column]:
    if _PROSE.search(line):
        return []
    return [c for c in columns(line, offset, BUDGET_COLUMNS) if not UNIT_IN.search(c.label)]


def _budget_header(lns, i: int) -> tuple[list[Column], int] | None:
    """The header starting at line ``i``: its columns and the index of its last line. A
    header may run over several lines (one label per line, captions between) as long as
    each next line starts with a label or is a caption; it needs two money columns."""
    cols = _budget_columns(lns[i].text, lns[i].lstart)
    if not cols:
        return None
    last = i
    while last + 1 < len(lns):
        nxt = lns[last + 1]
        if nxt.text and CAPTION.fullmatch(nxt.text):
            last += 1  # (A) / （万元） under a label
            continue
        more = _budget_columns(nxt.text, nxt.lstart)
        if not more or nxt.text[:more[0].start - nxt.lstart].strip(" |"):
            break
        cols += more
        last += 1
    if sum(c.role in MONEY_ROLES for c in cols) < 2:
        return None
    return cols, last


def _header_unit(lns, i: int, back: int = 10) -> str | None:
    """The money unit of a table: ``（万元）`` / ``单位：万元`` in line ``i`` or just above."""
    for k in range(i, max(-1, i - back), -1):
        m = UNIT_IN.search(lns[k].text)
        if m:
            return m.group("unit") or m.group("unit2")
    return None


def _label_tokens(toks: list[Token], text: str) -> list[Token]:
    """Join text tokens standing next to each other in one row (``上年结转 资金``: one label)."""
    out: list[Token] = []
    for t in toks:
        prev = out[-1] if out else None
        if (t.kind == "T" and prev is not None and prev.kind == "T" and not t.piped and not prev.piped
                and not text[prev.end:t.start].strip()):
            out[-1] = Token("T", prev.start, t.end, t.line)
        else:
            out.append(t)
    return out


def budget_tables(text: str, to_raw: Callable[[int, int], Span]) -> list[Table]:
    """Budget-execution tables (年初预算数 / 全年预算数 / 全年执行数 / 执行率 columns; rows
    年度资金总额 / 其中：当年财政拨款 …), whatever the flattening.

    Each body row is ``[label, value, value, …]`` with the values in column order;
    ``Table.columns`` is ``("label", role, role, …)``. A row whose money cells do not fit
    the columns unambiguously is dropped. ``Table.unit`` is the money unit from the
    header or its caption (``None`` when not stated).
    """
    lns = split_lines(text)
    out: list[Table] = []
    i = 0
    while i < len(lns):
        head = _budget_header(lns, i)
        if head is None:
            i += 1
            continue
        cols, last = head
        unit = _header_unit(lns, last, back=10 + last - i)
        j = last + 1
        while j < len(lns) and j - last <= 40 and _budget_header(lns, j) is None:
            j += 1
        body_start = cols[-1].end
        region_end = lns[j].start if j < len(lns) else len(text)
        stop = BUDGET_END.search(text, body_start, region_end)
        region_end = stop.start() if stop else region_end
        roles = [c.role for c in cols]
        rows: list[tuple[Cell, ...]] = []
        toks = _label_tokens(tokens(text, body_start, region_end), text)
        k = 0
        while k < len(toks):
            t = toks[k]
            k += 1
            if t.kind != "T":
                continue
            vals = []
            while k < len(toks) and toks[k].kind != "T" and (not t.piped or toks[k].line == t.line):
                vals.append(toks[k])
                k += 1
            if len(vals) > len(roles) or sum(r in MONEY_ROLES for r in roles[:len(vals)]) < sum(
                    r in MONEY_ROLES for r in roles):
                continue  # a money cell is missing: which one is ambiguous
            rows.append(tuple(_cell(text, to_raw, x) for x in (t, *vals)))
        header = tuple(Cell(c.label, to_raw(c.start, c.end), norm=Span(c.start, c.end)) for c in cols)
        first = lns[i].lstart
        end = rows[-1][-1].norm.end if rows and rows[-1][-1].norm else body_start
        out.append(Table((header, *rows), to_raw(first, max(end, first + 1)), "text.budget", header_rows=1,
                         columns=("label", *roles), kind="budget", unit=unit))
        i = max(j, i + 1)
    return out


def _cell(text: str, to_raw: Callable[[int, int], Span], t: Token) -> Cell:
    if t.end > t.start:
        return Cell(text[t.start:t.end], to_raw(t.start, t.end), norm=Span(t.start, t.end))
    anchor = to_raw(max(0, t.start - 1), max(1, t.start)) if text else Span(0, 0)
    return Cell("", Span(anchor.end, anchor.end), norm=Span(t.start, t.start))


# --------------------------------------------------------------------------- a row of numbers under names

NAME_UNIT_HEADER = regex.compile(r"(?P<label>[\p{Han}]{2,12}?)\s*[（(](?P<unit>[万亿千]?元)[）)]")
NUMBER_ROW = regex.compile(r"^\s*\|?\s*-?[\d,]+(?:\.\d+)?(?:\s*(?:\||\s)\s*-?[\d,]+(?:\.\d+)?)+\s*\|?\s*$")
#: Header cells that name a whole table's total (总预算（万元）) rather than a column kind.
TOTAL_LABELS = ("总预算", "预算总额", "年度预算", "支出合计", "收入合计")


def name_tables(text: str, to_raw: Callable[[int, int], Span]) -> list[Table]:
    """A row of numbers under a header row of names (基本支出 项目支出), with the unit in
    a header cell above (总预算（万元））, possibly wrapped (总预算 / （万元））.

    Each table has one header row (the leading total label, then the names) and one body
    row (the numbers); ``Table.unit`` is the header's unit. Rows whose cell count does not
    match the header are not tables.
    """
    lns = split_lines(text)
    out = []
    for i, ln in enumerate(lns):
        if not i or not NUMBER_ROW.match(ln.text):
            continue
        prev = lns[i - 1]
        header = [t for t in tokens(text, prev.start, prev.end) if t.kind != "E"]
        if not header or any(t.kind == "N" for t in header):
            continue
        lead: list[tuple[str, int, int]] = []
        unit = None
        above = lns[max(0, i - 10):i - 1]
        for k, up in enumerate(above):
            label_text, start = up.text, up.lstart
            if k and regex.fullmatch(r"[（(][万亿千]?元[）)]", up.text):
                label_text, start = above[k - 1].text + up.text, above[k - 1].lstart
            m = NAME_UNIT_HEADER.search(label_text)
            if m:
                label = next((t for t in TOTAL_LABELS if m.group("label").endswith(t)), m.group("label"))
                if label not in [x[0] for x in lead]:
                    lead.append((label, start, start + len(label_text)))
                    unit = unit or m.group("unit")
        values = [t for t in tokens(text, ln.start, ln.end) if t.kind == "N"]
        if unit is None or len(lead) + len(header) != len(values):
            continue
        head_cells = tuple(Cell(lb, to_raw(a, min(b, len(text))), norm=Span(a, b)) for lb, a, b in lead) + tuple(
            _cell(text, to_raw, t) for t in header)
        body = tuple(_cell(text, to_raw, t) for t in values)
        stage = "budget" if any("预算" in x.text for x in lns[max(0, i - 12):i]) else None
        out.append(Table((head_cells, body), to_raw(lns[max(0, i - 1)].lstart, ln.rend), "text.names",
                         header_rows=1, columns=tuple(c.text for c in head_cells), kind="names", unit=unit,
                         stage=stage))
    return out


# --------------------------------------------------------------------------- scoring tables

#: Words naming the level-3 column: a scoring-table header has one of them.
LEVEL3_WORDS = ("三级指标", "指标名称")
#: Header words, each mapped to a column role. Longest alternatives first.
SCORING_COLUMNS = regex.compile(r"""
      (?P<L1>一级指标)
    | (?P<L2>二级指标)
    | (?P<L3>""" + "|".join(LEVEL3_WORDS) + r""")
    | (?P<W>分值|权重|标准分|满分)
    | (?P<SCORE>得分/自评分|自评得分|自评分|得分|评分)
    | (?P<REASON>未达标原因|未完成原因|偏差原因|扣分原因)
    | (?P<MEASURE>改进措施|整改措施)
    | (?P<EXPL>指标解释|指标说明|评分标准|评分细则|指标内涵)
    | (?P<VALUE>年度指标值|指标值|目标值|实际完成值|完成值|实际值)
""", regex.VERBOSE)
_CELL_SPLIT = regex.compile(r"[\s|]+")
_SENTENCE_END = tuple("。；！？;!?")
_TABLE_END = regex.compile(r"(?:总分|合计|总计|综合得分)(?:\s|$)")
#: A text cell longer than this (or with a comma) is a sentence, not a wrapped name.
NAME_MAX = 24
#: A line (without cell pipes) longer than this is prose after the table, not a wrapped cell.
_PROSE_LINE = 60
_NOT_IN_NAME = regex.compile(r"[，。；！？]")


@dataclass(frozen=True)
class ScoringLayout:
    """What a scoring table's header says about its rows."""

    weighted_levels: int  # levels above level 3 that carry a 分值 (0-2)
    bare_levels: int  # levels above level 3 without a 分值 (0-2)
    has_expl: bool  # an explanation column between the weight and the score
    trailing: tuple[str, ...]  # roles of the cells after the score: reason / measure / other


def parse_scoring_header(line: str) -> ScoringLayout | None:
    """The layout a header line describes, or ``None`` when it is not a scoring-table header.

    >>> parse_scoring_header("一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施")
    ScoringLayout(weighted_levels=2, bare_levels=0, has_expl=True, trailing=('reason', 'measure'))
    >>> parse_scoring_header("一级指标 二级指标 三级指标 分值 得分 偏差原因及改进措施")
    ScoringLayout(weighted_levels=0, bare_levels=2, has_expl=False, trailing=('reason',))
    >>> parse_scoring_header("三级指标 的分值说明") is None
    True
    """
    if not any(w in line for w in LEVEL3_WORDS):
        return None  # the common case, before any splitting: no level-3 column
    cols: list[str] = []
    for token in _CELL_SPLIT.split(line.strip()):
        roles = [m.lastgroup for m in SCORING_COLUMNS.finditer(token)]
        if "REASON" in roles and "MEASURE" in roles:
            roles = [r for r in roles if r != "MEASURE"]  # one combined 原因及措施 cell
        cols += roles
    levels = [c for c in cols if c in ("L1", "L2", "L3")]
    if "L3" not in cols or len(levels) < 2 or "SCORE" not in cols or "W" not in cols:
        return None
    i3, iscore = cols.index("L3"), cols.index("SCORE")
    if iscore < i3:
        return None
    weighted = sum(1 for i, c in enumerate(cols[:i3]) if c in ("L1", "L2") and cols[i + 1:i + 2] == ["W"])
    bare = sum(1 for c in cols[:i3] if c in ("L1", "L2")) - weighted
    between = cols[i3 + 1:iscore]
    if between[:1] != ["W"]:
        return None  # value columns before the weight: a layout this reader does not handle
    trailing = tuple({"REASON": "reason", "MEASURE": "measure"}.get(c, "other") for c in cols[iscore + 1:])
    return ScoringLayout(weighted, bare, "EXPL" in between, trailing)


def _continues_scoring_header(line: str) -> bool:
    """A line holding the rest of a header a PDF wrapped (``分 未达标原因 改进措施``)."""
    if not SCORING_COLUMNS.search(line):
        return False
    toks = _CELL_SPLIT.split(line.strip())
    return all(SCORING_COLUMNS.sub("", t) == "" or (len(t) <= 2 and not NUMBER.fullmatch(t)) for t in toks)


def _ends_scoring(line: str) -> bool:
    """A 总分 / 合计 row, a top-level heading, 评价等级, or a prose line longer than a cell wraps."""
    stripped = line.strip()
    m = MARKER.match(stripped)
    heading = m is not None and m.lastgroup in ("cn", "paren_cn", "part")
    return bool(_TABLE_END.match(stripped) or heading or stripped.startswith("评价等级")
                or ("|" not in stripped and len(stripped) > _PROSE_LINE))


def _scoring_regions(text: str) -> list[tuple[ScoringLayout, int, int, int]]:
    """``(layout, header_start, body_start, body_end)`` for each scoring table."""
    regions = []
    lns = split_lines(text)
    i = 0
    while i < len(lns):
        head_start = lns[i].start
        line_text, j = text[lns[i].start:lns[i].end], i + 1
        while j < len(lns) and _continues_scoring_header(text[lns[j].start:lns[j].end]):
            line_text += text[lns[j].start:lns[j].end].strip()
            j += 1
        layout, i = parse_scoring_header(line_text), j
        if layout is None:
            continue
        body_start, body_end = lns[i - 1].end, len(text)
        while i < len(lns):
            ln = text[lns[i].start:lns[i].end]
            if parse_scoring_header(ln) is None and _ends_scoring(ln):
                body_end = lns[i].start
                break
            i += 1
        regions.append((layout, head_start, body_start, body_end))
    return regions


@dataclass
class _Item:
    """A scoring-table cell: ``kind`` N / D (blank) / T, with text and line."""

    kind: str
    start: int
    end: int
    text: str
    line: int
    piped: bool = False


def _boundary(prev: _Item, line: int, index_in_line: int, line_ends_in_number: bool) -> bool:
    """Whether a text fragment starts a new cell rather than continuing ``prev`` (wrapped)."""
    if prev.line == line or prev.piped:
        return True  # two cells printed side by side, or a whole cell of a piped row
    if prev.text.endswith(_SENTENCE_END):
        return True
    sentence_like = len(prev.text) > NAME_MAX or "，" in prev.text or "、" in prev.text
    return index_in_line == 0 and line_ends_in_number and sentence_like


def _scoring_items(raw: str, text: str, start: int, end: int) -> list[_Item]:
    """The cell stream of a scoring-table body (repeated headers skipped, wrapped text
    fragments rejoined into one cell)."""
    items: list[_Item] = []
    toks = tokens(text, start, end, piped=False)  # every pipe line is a whole row of cells
    by_line: dict[int, list[Token]] = {}
    for t in tokens(text, start, end, piped=True):
        by_line.setdefault(t.line, []).append(t)
    for n, ln in enumerate(split_lines(text, start, end)):
        line = text[ln.start:ln.end]
        if parse_scoring_header(line) is not None or _continues_scoring_header(line):
            continue
        piped = "|" in line
        frags = by_line.get(n, []) if piped else [t for t in toks if t.line == n]
        frags = [t for t in frags if not (not piped and t.start == t.end)]
        ends_in_number = len(frags) >= 2 and frags[-1].kind == "N"
        for k, t in enumerate(frags):
            if t.kind == "E":
                items.append(_Item("D", t.start, t.end, raw[t.start:t.end], n))
            elif t.kind == "N" and _SCORE_NUMBER.fullmatch(text, t.start, t.end):
                items.append(_Item("N", t.start, t.end, text[t.start:t.end], n))
            elif items and items[-1].kind == "T" and not piped and not _boundary(items[-1], n, k, ends_in_number):
                prev = items[-1]
                prev.end, prev.text, prev.line = t.end, prev.text + raw[t.start:t.end], n
            else:
                items.append(_Item("T", t.start, t.end, raw[t.start:t.end], n, piped))
    return items


def _is_trailing(items: list[_Item], i: int) -> bool:
    """A trailing cell: a blank marker, or text not followed by a number (that starts a row)."""
    it = items[i]
    return it.kind == "D" or (it.kind == "T" and not (i + 1 < len(items) and items[i + 1].kind == "N"))


def _trailing_ahead(items: list[_Item], i: int, limit: int) -> int:
    n = 0
    while i + n < len(items) and n < limit and _is_trailing(items, i + n):
        n += 1
    return n


def _pairs(items: list[_Item], i: int, score_ends_row: bool) -> tuple[list[tuple[_Item | None, _Item]], int]:
    """The run of ``(text or None, number)`` pairs starting at ``i``, and the index after it."""
    pairs: list[tuple[_Item | None, _Item]] = []
    while i < len(items):
        if items[i].kind == "N":
            pairs.append((None, items[i]))
            i += 1
            if score_ends_row and len(pairs) >= 2:
                break
        elif items[i].kind == "T" and i + 1 < len(items) and items[i + 1].kind == "N":
            pairs.append((items[i], items[i + 1]))
            i += 2
        else:
            break
    return pairs, i


_SCORE_NUMBER = regex.compile(r"\d+(?:\.\d+)?分?")

#: Roles of a scoring table's columns as :func:`scoring_tables` returns them.
SCORING_ROLES = ("level1", "level2", "level3", "weight", "score", "reason", "measure")


def _raw_cell(it: _Item | None) -> Cell:
    if it is None:
        return Cell("", Span(0, 0))
    return Cell(it.text if it.kind != "D" else it.text, Span(it.start, it.end))


def scoring_tables(raw: str, text: str) -> list[Table]:
    """Scoring tables (指标评分表) read from ``text``, a one-character-for-one-character
    folding of ``raw`` (so offsets are raw offsets: the line structure that separates
    cells is what reflow removes).

    Each body row has the cells of :data:`SCORING_ROLES`: the level names (a level not
    printed on the row is carried down from the row above, ``merged=True``), the name,
    weight and score, and the reason and measure cells (empty ``Cell`` when absent).
    ``Table.row_rules`` says for each body row how it was read: ``flat_row``,
    ``row_without_name`` or ``row_without_score``.
    """
    out: list[Table] = []
    for layout, head_start, start, end in _scoring_regions(text):
        items = _scoring_items(raw, text, start, end)
        rows, rules = _scoring_rows(items, layout)
        if not rows:
            continue
        header = tuple(Cell(r, Span(head_start, head_start)) for r in SCORING_ROLES)
        span = Span(head_start, max(head_start, max(c.span.end for row in rows for c in row)))
        out.append(Table((header, *rows), span, "text.scoring", header_rows=1, columns=SCORING_ROLES,
                         kind="scoring", row_rules=tuple(rules)))
    return out


def _scoring_rows(items: list[_Item], layout: ScoringLayout) -> tuple[list[tuple[Cell, ...]], list[str]]:
    """Rows from the cell stream: a run of ``(text, number)`` pairs followed by the trailing
    cells. The pair before the score is the level-3 name and its weight; pairs before it
    are level 2 and level 1, right to left; levels not printed are inherited."""
    rows: list[tuple[Cell, ...]] = []
    rules: list[str] = []
    k = len(layout.trailing)
    inherited: list[Cell | None] = [None, None]
    i = 0
    while i < len(items):
        first = i
        bare: list[_Item] = []
        while len(bare) < layout.bare_levels and i + 1 < len(items) and items[i].kind == items[i + 1].kind == "T":
            bare.append(items[i])
            i += 1
        pairs, i = _pairs(items, i, score_ends_row=not layout.has_expl and not layout.trailing)
        if not pairs:
            i = max(i, first + 1)  # an item that fits no row: skip it
            continue
        rule, score_item = "flat_row", None
        if (layout.has_expl and layout.bare_levels == 0 and pairs[-1][0] is not None
                and _trailing_ahead(items, i, k + 1) == k + 1 and items[i].kind == "T"):
            (name_item, weight_item), levels = pairs[-1], pairs[:-1]
            i += 1  # the explanation cell; the score cell is empty
            rule = "row_without_score"
        elif len(pairs) >= 2 and (layout.has_expl or pairs[-1][0] is None):
            (name_item, weight_item), levels, score_item = pairs[-2], pairs[:-2], pairs[-1][1]
        else:
            (name_item, weight_item), levels = pairs[-1], pairs[:-1]
            rule = "row_without_score"
        n_cells = _trailing_ahead(items, i, k)
        cells, i = items[i:i + n_cells], i + n_cells
        name = name_item.text if name_item is not None else None
        if float(weight_item.text.rstrip("分")) > 100 or (
                name is not None and (len(name) > 2 * NAME_MAX or _NOT_IN_NAME.search(name))):
            continue  # a sentence and a number that only look like a row
        names = [t for t, _ in levels][-layout.weighted_levels:] if layout.weighted_levels else []
        uppers = [*bare, *names][-2:]
        given: list[_Item | None] = [None] * (2 - len(uppers)) + list(uppers)
        if given[0] is not None:
            inherited = [_raw_cell(given[0]), _raw_cell(given[1]) if given[1] is not None else None]
        elif given[1] is not None:
            inherited[1] = _raw_cell(given[1])
        levels_now = [
            (inherited[n] if given[n] is not None else
             (Cell(inherited[n].text, inherited[n].span, merged=True) if inherited[n] is not None else None))
            for n in range(2)]
        if name is None and rule == "flat_row":
            rule = "row_without_name"
        roles = dict(zip(layout.trailing, cells))
        row_span_end = items[i - 1].end
        row = (levels_now[0] or Cell("", Span(items[first].start, items[first].start)),
               levels_now[1] or Cell("", Span(items[first].start, items[first].start)),
               _raw_cell(name_item) if name_item is not None else Cell("", Span(weight_item.start, weight_item.start)),
               _raw_cell(weight_item),
               _raw_cell(score_item) if score_item is not None else Cell("", Span(row_span_end, row_span_end)),
               _trail(roles.get("reason"), row_span_end),
               _trail(roles.get("measure"), row_span_end))
        rows.append(row + (Cell("", Span(items[first].start, row_span_end)),))
        rules.append(rule)
    return rows, rules


def _trail(it: _Item | None, at: int) -> Cell:
    """A trailing cell: its text when it is a text cell; an empty cell for a blank marker
    (its span still says where it stands) or when the row has no such cell."""
    if it is None:
        return Cell("", Span(at, at))
    if it.kind != "T":
        return Cell("", Span(it.start, it.end))
    return Cell(it.text, Span(it.start, it.end))


def row_span(table: Table, row: Sequence[Cell]) -> Span:
    """The whole row's raw span (scoring tables keep it as a last, unnamed cell)."""
    if table.kind == "scoring":
        return row[-1].span
    spans = [c.span for c in row if c.span.end > c.span.start]
    return Span(min(s.start for s in spans), max(s.end for s in spans)) if spans else Span(0, 0)
