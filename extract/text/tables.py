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

from dataclasses import dataclass, field
from typing import Sequence

import regex

from ..core import Cell, Span, Table
from .lines import Line
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
_OPEN, _CLOSE = "（(", "）)"


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Space-separated words of a line, a bracket left open joined with what closes it
    (``数量指标（20 分）``, ``其他资金（自 筹）``: one cell)."""
    out: list[tuple[int, int]] = []
    depth = 0
    for m in _WORD.finditer(text, start, end):
        w = m.group(0)
        if out and depth > 0:
            out[-1] = (out[-1][0], m.end())
        else:
            out.append(m.span())
        depth = max(0, depth + sum(w.count(c) for c in _OPEN) - sum(w.count(c) for c in _CLOSE))
    return out


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


def pipe_parts(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """``[start, end)`` of every ``|``-separated part of a line, borders included (stripped)."""
    line = text[ls:le]
    parts, pos = [], ls
    for cell in line.split("|"):
        s = pos + len(cell) - len(cell.lstrip())
        parts.append((s, max(s, pos + len(cell.rstrip()))))
        pos += len(cell) + 1
    return parts


def _pipe_cells(text: str, ls: int, le: int) -> list[tuple[int, int]]:
    """``[start, end)`` of each cell of a ``|``-joined row; an empty cell has ``start == end``.

    A row that starts and ends with ``|`` has outer borders (dropped); otherwise a leading
    or trailing ``|`` separates an empty first or last cell (DOCX/HTML rows are cells
    joined by `` | ``). :func:`_positional_rows` settles the remaining ambiguity (a
    joined row whose first and last cells are empty) by the header's column count.

    >>> t = "a | b |  "; [t[s:e] for s, e in _pipe_cells(t, 0, len(t))]
    ['a', 'b', '']
    >>> t = "| a | | b |"; [t[s:e] for s, e in _pipe_cells(t, 0, len(t))]
    ['a', '', 'b']
    """
    line = text[ls:le]
    cells = pipe_parts(text, ls, le)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(cells) >= 2:
        cells = cells[1:-1]  # | a | b |: outer borders; a | b | or | a | b: an empty last or first cell
    return cells


def tokens(text: str, start: int, end: int, piped: bool | None = None, blank_cells: bool = False) -> list[Token]:
    """The cell tokens of ``text[start:end]``.

    In a piped region each ``|`` line is one row with one token per cell (an empty
    cell is an ``E`` token of length 0); other lines are cut at spaces, and a line
    holding only pipes is one empty cell, and with ``blank_cells`` so is a line holding
    only spaces (a converter's empty cell, one cell per line). Glued cells (``-上年结转``)
    are split.

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
        if blank_cells and not ln.text and text[ln.start:ln.end].strip("\r"):
            out.append(Token("E", ln.start, ln.start, n))  # a line holding only spaces: an empty cell
            continue
        for a, b in _words(text, ln.start, ln.end):
            for piece in GLUED.split(text[a:b]):
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


_HAN_GAP = regex.compile(r"(?<=\p{Han})[ \t\u3000]+(?=\p{Han})")


def _squeezed(line: str) -> tuple[str, list[int]]:
    """``line`` without spaces inside labels (``三级 指标`` -> ``三级指标``) and the index of
    each kept character; spaces between two Han characters go, other spaces stay."""
    if " " not in line and "\t" not in line and "\u3000" not in line:
        return line, list(range(len(line)))
    drop = {i for m in _HAN_GAP.finditer(line) for i in range(m.start(), m.end())}
    keep = [i for i in range(len(line)) if i not in drop]
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
    ("final", r"全年执行数|预算执行数|实际执行数|执行数|实际支出数?|决算数|实际到位数?"),
    ("rate", r"预算执行率|执行率|到位率"),
    ("ignore", r"分值|得分|权重|自评分|备注|原因|偏差原因|说明"),
)
BUDGET_COLUMNS = regex.compile("|".join(f"(?P<{k}{i}>(?:{p})(?:[（(][^（）()]{{0,8}}[）)])?)"
                                        for i, (k, p) in enumerate(BUDGET_COLUMN_WORDS)))
MONEY_ROLES = ("budget", "adjusted", "final")
#: Words one of which every budget-execution header holds (a cheap test before the header search).
BUDGET_HINTS = ("预算数", "预算", "执行数", "决算数", "实际支出", "到位")
#: Characters one of which every budget column label holds (a cheap test before the search).
_COLUMN_HINTS = ("预算", "执行", "决算", "实际", "到位", "分值", "得分", "权重", "自评分", "备注", "原因", "说明")
#: Where a budget table's body ends: the form's next part (年度总体目标, 一级指标).
BUDGET_END = regex.compile(r"指标|目标|评价结论|一级")
#: A sentence or an amount: not a header line.
_PROSE = regex.compile(r"[，。；,;]|\d\s*[万亿千]?元")


def _budget_columns(line: str, offset: int) -> list[Column]:
    if not any(w in line for w in _COLUMN_HINTS) or _PROSE.search(line):
        return []
    return [c for c in columns(line, offset, BUDGET_COLUMNS) if not UNIT_IN.search(c.label)]


def _budget_header(lns, i: int) -> tuple[list[Column], int, int] | None:
    """The header starting at line ``i``: its columns and the index of its last line. A
    header may run over several lines (one label per line, captions between) as long as
    each next line starts with a label or is a caption; it needs two money columns.
    Returns the columns, the index of the header's last line and where the body starts."""
    cols = _budget_columns(lns[i].text, lns[i].lstart)
    if not cols:
        return None
    last = i
    body = cols[-1].end
    while last + 1 < len(lns):
        nxt = lns[last + 1]
        if nxt.text and CAPTION.fullmatch(nxt.text.strip(" |")):
            last += 1  # (A) / （万元） under a label
            body = nxt.rend
            continue
        more = _budget_columns(nxt.text, nxt.lstart)
        lead = nxt.text[:more[0].start - nxt.lstart].strip(" |") if more else ""
        if not more or len(lead) > 4 or regex.search(r"\d", lead):
            break  # a line that does not start with a label (a short qualifier such as 预算 may lead it)
        cols += more
        last += 1
        body = more[-1].end
    if sum(c.role in MONEY_ROLES for c in cols) < 2:
        return None
    return cols, last, body


def _header_unit(lns, i: int, back: int = 10) -> str | None:
    """The money unit of a table: ``（万元）`` / ``单位：万元`` in line ``i`` or just above."""
    for k in range(i, max(-1, i - back), -1):
        m = UNIT_IN.search(lns[k].text)
        if m:
            return m.group("unit") or m.group("unit2")
    return None


def _label_tokens(toks: list[Token], text: str) -> list[Token]:
    """Join text tokens standing next to each other (``上年结转 资金``, or a label wrapped over
    two lines: one label); a sentence (punctuation inside, or long) joins nothing."""
    out: list[Token] = []
    for t in toks:
        prev = out[-1] if out else None
        if (t.kind == "T" and prev is not None and prev.kind == "T" and not t.piped and not prev.piped
                and not text[prev.end:t.start].strip() and prev.end - prev.start <= 16
                and not any(c in text[prev.start:prev.end] for c in "，。；：,;:")):
            out[-1] = Token("T", prev.start, t.end, t.line)
        else:
            out.append(t)
    return out


def budget_tables(text: str, lns: Sequence[Line] | None = None) -> list[Table]:
    """Budget-execution tables (年初预算数 / 全年预算数 / 全年执行数 / 执行率 columns; rows
    年度资金总额 / 其中：当年财政拨款 …), whatever the flattening.

    ``text`` is the raw text folded one character for one character (line structure
    intact; offsets are raw offsets). Each body row is ``[label, value, value, …]`` with
    the values in column order; ``Table.columns`` is ``("label", role, role, …)``. A row
    whose money cells do not fit the columns unambiguously is dropped. ``Table.unit`` is
    the money unit from the header or its caption (``None`` when not stated). ``lns``:
    the text's non-blank lines, when the caller has them.
    """
    lns = list(lns) if lns is not None else [ln for ln in split_lines(text) if ln.text]
    out: list[Table] = []
    i = 0
    while i < len(lns):
        head = _budget_header(lns, i)
        if head is None:
            i += 1
            continue
        cols, last, body_start = head
        unit = _header_unit(lns, last, back=10 + last - i)
        j = last + 1
        while j < len(lns) and j - last <= 40 and _budget_header(lns, j) is None:
            j += 1
        region_end = lns[j].start if j < len(lns) else len(text)
        stop = BUDGET_END.search(text, body_start, region_end)
        region_end = stop.start() if stop else region_end
        roles = [c.role for c in cols]
        header = tuple(Cell(c.label, Span(c.start, c.end)) for c in cols)
        first = lns[i].lstart
        if "|" in lns[i].text and is_piped(text, lns[i].start, region_end):
            prows = _piped_budget_rows(text, lns[i], cols, body_start, region_end)
            end = max(prows[-1][-1].span.end if prows else body_start, first + 1)
            out.append(Table((header, *prows), Span(first, end), "text.budget.pipe", header_rows=1,
                             columns=("label", *roles), kind="budget", unit=unit))
            i = max(j, i + 1)
            continue
        rows: list[tuple[Cell, ...]] = []
        toks = _label_tokens(tokens(text, body_start, region_end, blank_cells=True), text)
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
            rows.append(tuple(_cell(text, x) for x in (t, *vals)))
        end = max(rows[-1][-1].span.end if rows else body_start, first + 1)
        out.append(Table((header, *rows), Span(first, end), "text.budget", header_rows=1,
                         columns=("label", *roles), kind="budget", unit=unit))
        i = max(j, i + 1)
    return out


def _piped_budget_rows(text: str, head_line, cols: list[Column], body_start: int, region_end: int
                       ) -> list[tuple[Cell, ...]]:
    """Rows of a ``|``-joined budget table read by position: each column's values stand in
    the cell under its header cell; the label is the row's first cell (or, for a first
    row whose label cell is empty, the header's first cell: ``| 年度资金总额（万元） | 年初预算数 …``
    over ``| | 48.00 | …``)."""
    head_cells = pipe_parts(text, head_line.start, head_line.end)
    where = []
    for c in cols:
        k = next((n for n, (a, b) in enumerate(head_cells) if a <= c.start < max(b, a + 1)), None)
        where.append(k)
    first = next((n for n, (a, b) in enumerate(head_cells) if b > a), None)
    if where and first is not None and where[0] == first:
        # the header row names only the value columns (its label cell stands on the line
        # above: 资金投入情况（万元） / 全年预算数(A) | 全年执行数(B) | …): the rows' label cell comes first
        where = [k + 1 if k is not None else None for k in where]
    out: list[tuple[Cell, ...]] = []
    for ln in split_lines(text, body_start, region_end):
        if "|" not in ln.text or ln.start <= head_line.end:
            continue  # (the rest of the header line)
        parts = pipe_parts(text, ln.start, ln.end)
        if len(parts) < 2:
            continue
        label = next(((a, b) for a, b in parts[:2] if b > a and cell_kind(text[a:b]) == "T"), None)
        if label is None:
            if out or not head_cells:
                continue
            a, b = head_cells[1] if len(head_cells) > 1 and head_cells[0][0] == head_cells[0][1] else head_cells[0]
            label = (a, b)  # the header's first cell names the first row
            if not text[a:b].strip() or cell_kind(text[a:b]) != "T":
                continue
        vals = []
        for k in where:
            if k is None or k >= len(parts):
                vals.append(Cell("", Span(ln.rend, ln.rend)))
            else:
                vals.append(Cell(text[parts[k][0]:parts[k][1]], Span(*parts[k])))
        out.append((Cell(text[label[0]:label[1]], Span(*label)), *vals))
    return out


def _cell(text: str, t: Token) -> Cell:
    return Cell(text[t.start:t.end], Span(t.start, t.end))


# --------------------------------------------------------------------------- a row of numbers under names

NAME_UNIT_HEADER = regex.compile(r"(?P<label>[\p{Han}]{2,12}?)\s*[（(](?P<unit>[万亿千]?元)[）)]")
NUMBER_ROW = regex.compile(r"^\s*\|?\s*-?[\d,]+(?:\.\d+)?(?:\s*(?:\||\s)\s*-?[\d,]+(?:\.\d+)?)+\s*\|?\s*$")
#: Header cells that name a whole table's total (总预算（万元）) rather than a column kind.
TOTAL_LABELS = ("总预算", "预算总额", "年度预算", "支出合计", "收入合计")


def name_tables(text: str, lns: Sequence[Line] | None = None) -> list[Table]:
    """A row of numbers under a header row of names (基本支出 项目支出), with the unit in
    a header cell above (总预算（万元））, possibly wrapped (总预算 / （万元））.

    ``text`` as for :func:`budget_tables`. Each table has one header row (the leading total
    label, then the names) and one body row (the numbers); ``Table.unit`` is the header's
    unit. Rows whose cell count does not match the header are not tables.
    """
    lns = list(lns) if lns is not None else [ln for ln in split_lines(text) if ln.text]
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
        head_cells = tuple(Cell(lb, Span(a, min(b, len(text)))) for lb, a, b in lead) + tuple(
            _cell(text, t) for t in header)
        body = tuple(_cell(text, t) for t in values)
        stage = "budget" if any("预算" in x.text for x in lns[max(0, i - 12):i]) else None
        out.append(Table((head_cells, body), Span(lns[max(0, i - 1)].lstart, ln.rend), "text.names",
                         header_rows=1, columns=tuple(c.text for c in head_cells), kind="names", unit=unit,
                         stage=stage))
    return out


# --------------------------------------------------------------------------- tables with line numbers (行次)

#: The header of a final-accounts table with line numbers: 项目 行次 金额.
LEDGER_HEADER = regex.compile(r"行次")
#: What ends such a table: the next part of the document.
LEDGER_END = regex.compile(r"^第[一二三四五六七八九十]部分|情况说明|说明\s*$|[。，；]|决算表\s*$")
_LEDGER_WORDS = regex.compile(r"^(?:项目|行次|金额|收入|支出|栏次|项目[（(]按功能分类[）)]|公开\d{2}表|本年数|决算数)$")
_LINE_NO = regex.compile(r"\d{1,3}")


#: A block's caption with its unit (资金合计（万元）, 补助经费合计（亿元）, 道路清扫保洁经费（万元）).
AMOUNT_CAPTION = regex.compile(r"^(?P<label>\S.{0,30}?)\s*[（(]\s*(?P<unit>万元|亿元|千元|元)\s*[）)]$")
#: A labelled amount on a line of its own: 年度预算资金总额： 356.80 / 其中：中央补助 240.00 / 省级资金 78.00.
AMOUNT_ROW = regex.compile(r"^(?:其中[：:]\s*)?(?P<label>[^\d\s：:|][^\d：:|]{0,24}?)\s*[：:]?\s*"
                           r"(?P<num>-?\d[\d,]*(?:\.\d+)?)$")
#: The year's spending with its own unit, anywhere on a line: 全年执行数（万元）： 459.12.
AMOUNT_WITH_UNIT = regex.compile(r"(?P<label>全年执行数|全年实际支出|实际支出数)\s*[（(]\s*(?P<unit>万元|亿元|元)\s*[）)]\s*"
                                 r"[：:]?\s*(?P<num>-?\d[\d,]*(?:\.\d+)?)(?![\d.%％])")


def amount_tables(text: str, lns: Sequence[Line] | None = None) -> list[Table]:
    """Label–amount lines under a caption that states the unit (the 资金情况 block of the
    national transfer-payment self-evaluation form)::

        资金合计（万元）
        年度预算资金总额： 468.00
        其中：县级资金 468.00
        其中：                      <- the components follow: not the total's rows
        道路清扫保洁经费（万元）
        …
        全年执行数（万元）： 459.12

    One table per total block (its caption ends in 合计, or its first row is the year's
    budget total), body rows ``[label, amount]`` in ``Table.unit``; a 全年执行数 that states
    its own unit is a one-row table of its own. A caption not ending in 合计, or a bare
    ``其中：`` line, starts the components, whose rows are not read.
    """
    lns = list(lns) if lns is not None else [ln for ln in split_lines(text) if ln.text]
    out: list[Table] = []
    block: list[tuple[Cell, Cell]] = []
    unit, start, total, components = None, 0, False, False

    def close() -> None:
        if block and unit:
            out.append(Table(tuple(block), Span(start, block[-1][1].span.end), "text.amounts",
                             columns=("label", "amount"), kind="amounts", unit=unit,
                             row_rules=("amount_line",) * len(block)))
        block.clear()

    for k, ln in enumerate(lns):
        t = ln.text
        with_unit = list(AMOUNT_WITH_UNIT.finditer(t)) if "执行数" in t or "实际支出" in t else []
        for m in with_unit:
            a = ln.lstart
            out.append(Table(((Cell(m.group("label"), Span(a + m.start("label"), a + m.end("label"))),
                               Cell(m.group("num"), Span(a + m.start("num"), a + m.end("num")))),),
                             Span(a + m.start(), a + m.end()), "text.amounts", columns=("label", "amount"),
                             kind="amounts", unit=m.group("unit"), row_rules=("amount_with_unit",)))
        cap = AMOUNT_CAPTION.match(t) if t[-1] in "）)" else None
        if cap:
            close()
            nxt = lns[k + 1].text if k + 1 < len(lns) else ""
            total = cap.group("label").endswith("合计") or (
                not components and regex.match(r"年度(?:预算)?资金总额", nxt) is not None)
            components = components or not total
            unit, start = cap.group("unit"), ln.lstart
            continue
        if t.startswith("其中") and len(t) <= 3 and regex.fullmatch(r"其中[：:]?", t):
            close()
            total, components = False, True
            continue
        row = AMOUNT_ROW.match(t) if unit else None
        if row and not with_unit:
            if total:
                a = ln.lstart
                block.append((Cell(row.group("label").strip(), Span(a + row.start("label"), a + row.end("label"))),
                              Cell(row.group("num"), Span(a + row.start("num"), a + row.end("num")))))
            continue
        close()
        unit, total, components = None, False, False
    close()
    return sorted(out, key=lambda tb: tb.span.start)


def ledger_tables(text: str, lns: Sequence[Line] | None = None) -> list[Table]:
    """Final-accounts tables whose rows are a label, a line number (行次) and an amount
    (收入支出决算总表: ``一、一般公共预算财政拨款收入 1 612.38 一、一般公共服务支出 31 540.16``),
    in any flattening: two sides on a line, one cell per line, the whole table on one line.

    Each body row is ``[label, amount]`` (the line number dropped; the amount cell empty
    when the row states none); ``Table.unit`` is the ``金额单位`` above or in the header.
    """
    lns = list(lns) if lns is not None else [ln for ln in split_lines(text) if ln.text]
    out: list[Table] = []
    i = 0
    while i < len(lns):
        if not LEDGER_HEADER.search(lns[i].text):
            i += 1
            continue
        unit = _header_unit(lns, i, back=6)
        start = lns[i].start
        j = i + 1
        while j < len(lns) and j - i <= 120 and not LEDGER_END.search(lns[j].text):
            j += 1
        end = lns[j].start if j < len(lns) else len(text)
        toks = tokens(text, start, end, piped=False, blank_cells=True)
        rows: list[tuple[Cell, ...]] = []
        k = 0
        while k < len(toks):
            t = toks[k]
            k += 1
            label = text[t.start:t.end]
            if t.kind != "T" or _LEDGER_WORDS.match(label) or regex.search(r"单位[:：]|部门[:：]", label):
                continue
            if k < len(toks) and toks[k].kind == "N" and _LINE_NO.fullmatch(text, toks[k].start, toks[k].end):
                k += 1  # the line number
                amount = Cell("", Span(toks[k - 1].end, toks[k - 1].end))
                if k < len(toks) and toks[k].kind == "N":
                    amount = _cell(text, toks[k])
                    k += 1
                elif k < len(toks) and toks[k].kind == "E":
                    k += 1
                rows.append((_cell(text, t), amount))
        if rows:
            out.append(Table((( Cell("项目", Span(start, start)), Cell("金额", Span(start, start))), *rows),
                             Span(start, max(end, start + 1)), "text.ledger", header_rows=1,
                             columns=("label", "amount"), kind="ledger", unit=unit))
        i = max(j, i + 1)
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
_TABLE_END = regex.compile(r"(?:总分|合计|总计|综合得分)(?:\s|$)"
                           r"|(?:\d{1,2}[、.．]\s*)?(?:填表)?(?:说明|备注|注)[：:]")  # 3、说明：… / 注：… below the table
#: A text cell longer than this (or with a comma) is a sentence, not a wrapped name.
NAME_MAX = 24
#: A line (without cell pipes) longer than this is prose after the table, not a wrapped cell.
_PROSE_LINE = 60
_NOT_IN_NAME = regex.compile(r"[，。；！？]")


@dataclass(frozen=True)
class ScoringLayout:
    """What a scoring table's header says about its rows.

    ``values`` counts the text columns between the level-3 name and the weight
    (年度指标值, 实际完成值); ``has_weight`` is false when the table has no 分值 column
    (the weight is then written inside the names: ``产出指标(50分)``); ``roles`` is the
    header's column roles in order (L1 W L2 W L3 VALUE W EXPL SCORE REASON MEASURE …).
    """

    weighted_levels: int  # levels above level 3 that carry a 分值 (0-2)
    bare_levels: int  # levels above level 3 without a 分值 (0-2)
    has_expl: bool  # an explanation column between the weight and the score
    trailing: tuple[str, ...]  # roles of the cells after the score: reason / measure / other
    values: int = 0
    has_weight: bool = True
    roles: tuple[str, ...] = field(default=(), compare=False)
    has_score: bool = True


_JOINERS = "及和与、"  # a label ending in one of these goes on in the next cell: 偏差原因分析及 / 改进措施


def _header_tokens(line: str) -> list[str]:
    """The cells of a header line: split at spaces and pipes, except a space inside a
    column label (``三级 指标``, ``偏差原因 分析及改进措施``), which joins its two halves."""
    out: list[str] = []
    for t in _CELL_SPLIT.split(line.strip()):
        if not t:
            continue
        if out:
            joined = out[-1] + t
            first = SCORING_COLUMNS.search(t)
            if any(m.start() < len(out[-1]) < m.end() for m in SCORING_COLUMNS.finditer(joined)) or (
                    first is not None and first.start() > 0 and SCORING_COLUMNS.search(out[-1])) or (
                    out[-1][-1] in _JOINERS and SCORING_COLUMNS.search(out[-1])):
                out[-1] = joined  # 三级 指标; 偏差原因 分析及改进措施; 偏差原因分析及 改进措施 (one label)
                continue
        out.append(t)
    return out


def parse_scoring_header(line: str) -> ScoringLayout | None:
    """The layout a header line describes, or ``None`` when it is not a scoring-table header.

    >>> h = parse_scoring_header("一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施")
    >>> h.weighted_levels, h.bare_levels, h.has_expl, h.trailing, h.values
    (2, 0, True, ('reason', 'measure'), 0)
    >>> h = parse_scoring_header("一级指标 二级指标 三级 指标 年度指标值 实际完成值 分值 得分 偏差原因及改进措施")
    >>> h.weighted_levels, h.bare_levels, h.has_expl, h.trailing, h.values, h.has_weight
    (0, 2, False, ('reason',), 2, True)
    >>> parse_scoring_header("三级指标 的分值说明") is None
    True
    """
    if not any(w in line for w in LEVEL3_WORDS) and not any(
            w in "".join(line.split()) for w in LEVEL3_WORDS):
        return None  # the common case, before any splitting: no level-3 column
    cols: list[str] = []
    for token in _header_tokens(line):
        roles = [m.lastgroup for m in SCORING_COLUMNS.finditer(token)]
        if "REASON" in roles and "MEASURE" in roles:
            roles = [r for r in roles if r != "MEASURE"]  # one combined 原因及措施 cell
        cols += roles
    levels = [c for c in cols if c in ("L1", "L2", "L3")]
    if "L3" not in cols or len(levels) < 2:
        return None
    i3 = cols.index("L3")
    has_score = "SCORE" in cols
    if has_score:
        iscore = cols.index("SCORE")
        if iscore < i3:
            return None
    else:  # a weight and no score column (指标值 分值): the weight closes the row
        weights = [k for k, c in enumerate(cols) if c == "W" and k > i3]
        if not weights:
            return None
        iscore = weights[0] + 1
    weighted = sum(1 for i, c in enumerate(cols[:i3]) if c in ("L1", "L2") and cols[i + 1:i + 2] == ["W"])
    bare = sum(1 for c in cols[:i3] if c in ("L1", "L2")) - weighted
    between = cols[i3 + 1:iscore]
    values = 0
    while values < len(between) and between[values] == "VALUE":
        values += 1
    rest = between[values:]
    if rest not in (["W"], ["W", "EXPL"], [], ["EXPL"]):
        return None  # columns in an order this reader does not know
    if not has_score and rest != ["W"]:
        return None
    has_weight = "W" in rest
    if not has_weight and "W" in cols[:i3]:
        return None  # weights only above level 3: the level-3 rows cannot be told apart
    trailing = tuple({"REASON": "reason", "MEASURE": "measure"}.get(c, "other") for c in cols[iscore + 1:])
    return ScoringLayout(weighted, bare, "EXPL" in rest, trailing, values, has_weight, tuple(cols), has_score)


def _continues_scoring_header(line: str) -> bool:
    """A line holding the rest of a header a PDF wrapped (``分 未达标原因 改进措施``, or one
    label per line): every cell a column label, perhaps with a short rest (``分析及``)."""
    if not SCORING_COLUMNS.search(line):
        return False
    toks = _header_tokens(line)
    return all(len(SCORING_COLUMNS.sub("", t)) <= (3 if SCORING_COLUMNS.search(t) else 2)
               and not NUMBER.fullmatch(t) for t in toks)


def _ends_scoring(line: str) -> bool:
    """A 总分 / 合计 row, a top-level heading, 评价等级, or a prose line longer than a cell wraps."""
    stripped = line.strip()
    m = MARKER.match(stripped)
    heading = m is not None and m.lastgroup in ("cn", "paren_cn", "part")
    return bool(_TABLE_END.match(stripped) or heading or stripped.startswith("评价等级")
                or ("|" not in stripped and len(stripped) > _PROSE_LINE and not _row_with_reason(stripped)))


def _row_with_reason(line: str) -> bool:
    """A long line that is a row, its last cell a sentence (``时效指标 故障设施维修及时率
    ≥90% 82% 11 部分设施配件需外地采购，维修周期长；今后…``): spaced cells, a run of two
    numbers (the actual value and the score) and after it only text."""
    nums = [NUMBER.fullmatch(t.rstrip("%％分")) is not None for t in line.split()]
    last = max((k for k in range(len(nums) - 1) if nums[k] and nums[k + 1]), default=None)
    return last is not None and len(nums) >= 4 and last + 2 < len(nums) and not any(nums[last + 2:])


_HEADER_PIECE = regex.compile(r"一级|二级|三级|指标")


def _scoring_regions(text: str) -> list[tuple[ScoringLayout, int, int, int]]:
    """``(layout, header_start, body_start, body_end)`` for each scoring table."""
    regions = []
    lns = split_lines(text)
    i = 0
    while i < len(lns):
        head_start = lns[i].start
        line_text, j = text[lns[i].start:lns[i].end], i + 1
        if not (SCORING_COLUMNS.search(line_text) or _HEADER_PIECE.search(line_text)):
            i += 1
            continue
        if parse_scoring_header(line_text) is None and _HEADER_PIECE.search(line_text) and len(line_text.strip()) <= 24:
            joined, k = "", i  # a header wrapped into short pieces (一级 / 指标 二级 / 指标 三级 指标 年度 / …)
            while k < len(lns) and k - i < 10 and len(lns[k].text) <= 24 and not regex.search(r"\d", lns[k].text):
                joined += "".join(lns[k].text.split())
                k += 1
                if parse_scoring_header(joined) is not None and not _continues_scoring_header(
                        text[lns[k].start:lns[k].end] if k < len(lns) else ""):
                    break
            if parse_scoring_header(joined) is not None:
                line_text, j = joined, k
        while j < len(lns):
            nxt = text[lns[j].start:lns[j].end]
            if _continues_scoring_header(nxt):
                line_text += (" " if SCORING_COLUMNS.match(nxt.strip()) else "") + nxt.strip()
                j += 1
            elif (0 < len(nxt.strip()) <= 3 and regex.fullmatch(r"\p{Han}+", nxt.strip()) and j + 1 < len(lns)
                  and _continues_scoring_header(text[lns[j + 1].start:lns[j + 1].end])):
                line_text += nxt.strip()  # 偏差原因 / 分析及 / 改进措施: the middle of a wrapped label
                j += 1
            else:
                break
        layout, i = parse_scoring_header(line_text), j
        if layout is None:
            continue
        body_start, body_end = _header_end(text, lns[i - 1]), len(text)
        while i < len(lns):
            ln = text[lns[i].start:lns[i].end]
            if parse_scoring_header(ln) is None and _ends_scoring(ln):
                body_end = lns[i].start
                break
            i += 1
        regions.append((layout, head_start, body_start, body_end))
    return regions


def _header_end(text: str, ln) -> int:
    """Where a header's last line stops being header: after its last column label when rows
    run on in the same line (``… 分值 得分 偏差原因分析 及改进措施 产出指标 …``). The header
    is the run of words from the first label on that are labels or short pieces of one
    (``一级 指标``, ``(A)``); the first other word starts the body."""
    end, seen = ln.end, False
    for m in _WORD.finditer(text, ln.start, ln.end):
        w = m.group(0)
        if SCORING_COLUMNS.search(w) or (seen and len(w) <= 3) or (not seen and len(w) <= 2):
            seen = seen or bool(SCORING_COLUMNS.search(w))
            end = m.end()
            continue
        if seen:
            return end
    return ln.end


#: The national framework's level names, at the start of a run-together cell (产出指标数量指标…).
LEVEL_WORD = regex.compile(r"""
    (?:服务对象满意度|可持续影响|经济效益|社会效益|生态效益|数量|质量|时效|经济成本|社会成本|生态环境成本|成本
      |产出|效益|满意度|决策|过程|管理|履职)指标
    (?:[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)])?
    """, regex.VERBOSE)
#: Where a target value glued to its name starts: 住房公积金缴存人数=46人, 职工满意度≥90%.
VALUE_START = regex.compile(r"(?<=\p{Han})(?=[=＝≥≤><＞＜])")


def _split_run_together(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A text cell that is several cells run together: leading level names, then the
    name, then a glued target value."""
    out, pos = [], start
    while True:
        m = LEVEL_WORD.match(text, pos, end)
        if not m or m.end() >= end:
            break
        out.append((pos, m.end()))
        pos = m.end()
    v = VALUE_START.search(text, pos, end)
    if v and v.start() > pos:
        out += [(pos, v.start()), (v.start(), end)]
    else:
        out.append((pos, end))
    return out


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


def _scoring_items(raw: str, text: str, start: int, end: int, join_wrapped: bool = True) -> list[_Item]:
    """The cell stream of a scoring-table body (repeated headers skipped); with
    ``join_wrapped``, text fragments on consecutive lines are rejoined into one cell
    unless a cell boundary separates them."""
    items: list[_Item] = []
    toks = tokens(text, start, end, piped=False)  # every pipe line is a whole row of cells
    by_line: dict[int, list[Token]] = {}
    for t in tokens(text, start, end, piped=True):
        by_line.setdefault(t.line, []).append(t)
    unpiped: dict[int, list[Token]] = {}  # grouped once: a scan per line would be quadratic
    for t in toks:
        unpiped.setdefault(t.line, []).append(t)
    for n, ln in enumerate(split_lines(text, start, end)):
        line = text[ln.start:ln.end]
        if parse_scoring_header(line) is not None or _continues_scoring_header(line):
            continue
        piped = "|" in line
        frags = by_line.get(n, []) if piped else unpiped.get(n, [])
        frags = [t for t in frags if not (not piped and t.start == t.end)]
        ends_in_number = len(frags) >= 2 and frags[-1].kind == "N"
        for k, t in enumerate(frags):
            if t.kind == "E":
                items.append(_Item("D", t.start, t.end, raw[t.start:t.end], n))
            elif t.kind == "N" and _SCORE_NUMBER.fullmatch(text, t.start, t.end):
                items.append(_Item("N", t.start, t.end, text[t.start:t.end], n))
            elif (join_wrapped and items and items[-1].kind == "T" and not piped
                  and not _boundary(items[-1], n, k, ends_in_number)):
                prev = items[-1]
                prev.end, prev.text, prev.line = t.end, prev.text + raw[t.start:t.end], n
            elif not join_wrapped and not piped:
                for a, b in _split_run_together(text, t.start, t.end):
                    items.append(_Item("T", a, b, raw[a:b], n, piped))
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

    Each body row has the cells of :data:`SCORING_ROLES` and a last cell spanning the
    whole row: the level names (a level not printed on the row is carried down from the
    row above, ``merged=True``), the name, weight and score, and the reason and measure
    cells (empty ``Cell`` when absent). A weight written inside a name (``数量指标（20分）``)
    is cut from the name and, without a 分值 column, is the row's weight.
    ``Table.row_rules`` says for each body row how it was read.

    Three readers, by the body's form: ``|``-joined rows are read by position (cells
    right-aligned to the header, so rows that leave merged level cells out still fit);
    a cell stream with value columns (年度指标值 实际完成值) or without a 分值 column is cut
    at each weight/score pair; the classic stream (name, weight, [explanation], score,
    trailing cells) is read by its (text, number) pairs.
    """
    out: list[Table] = []
    for layout, head_start, start, end in _scoring_regions(text):
        if is_piped(text, start, end):
            rows, rules = _positional_rows(raw, text, start, end, layout, head_start)
        else:
            if layout.values or not layout.has_weight or not layout.has_score:
                rows, rules = _valued_rows(_scoring_items(raw, text, start, end, join_wrapped=False), layout)
            else:
                rows, rules = _scoring_rows(_scoring_items(raw, text, start, end), layout)
        rows, rules = _weights_from_names(rows, rules)
        if not rows:
            continue
        header = tuple(Cell(r, Span(head_start, head_start)) for r in SCORING_ROLES)
        span = Span(head_start, max(head_start, max(c.span.end for row in rows for c in row)))
        out.append(Table((header, *rows), span, "text.scoring", header_rows=1, columns=SCORING_ROLES,
                         kind="scoring", row_rules=tuple(rules)))
    return out


#: A weight written inside a name: 产出指标(50分), 数量指标（20 分）.
WEIGHT_IN_NAME = regex.compile(r"[（(]\s*(?P<w>\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")


def _strip_weight(cell: Cell) -> tuple[Cell, Cell | None]:
    """The cell without a trailing ``(20分)``, and that weight as a cell (or ``None``)."""
    m = WEIGHT_IN_NAME.search(cell.text)
    if not m or m.start() == 0:
        return cell, None
    name = cell.text[:m.start()].rstrip()
    w0 = cell.span.start + m.start("w")
    return (Cell(name, Span(cell.span.start, cell.span.start + len(name)), cell.merged),
            Cell(m.group("w"), Span(w0, w0 + len(m.group("w")))))


def _weights_from_names(rows, rules):
    out_rows, out_rules = [], []
    for row, rule in zip(rows, rules):
        l1, _ = _strip_weight(row[0])
        l2, w2 = _strip_weight(row[1])
        name, w = _strip_weight(row[2])
        weight = row[3]
        if not weight.text and w is None and w2 is not None and not row[1].merged:
            w = w2  # 数量指标（20分） on the row itself: the weight of its one level-3 row
        if not weight.text and w is not None:
            weight = w
            rule = rule + "+weight_in_name"
        out_rows.append((l1, l2, name, weight, *row[4:]))
        out_rules.append(rule)
    return out_rows, out_rules


def _header_roles(text: str, head_start: int) -> list[str | None] | None:
    """The role of each ``|``-separated cell of the header line at ``head_start`` (``None``
    for a cell naming no column: a merged 绩效指标 cell, a border), or ``None`` when the
    header is not a pipe row."""
    le = text.find("\n", head_start)
    le = len(text) if le < 0 else le
    if "|" not in text[head_start:le]:
        return None
    roles: list[str | None] = []
    for a, b in pipe_parts(text, head_start, le):
        found = [m.lastgroup for m in SCORING_COLUMNS.finditer("".join(text[a:b].split()))]
        if "REASON" in found and "MEASURE" in found:
            found = ["REASON"]
        roles.append(found[0] if found else None)
    return roles


def _positional_rows(raw: str, text: str, start: int, end: int, layout: ScoringLayout, head_start: int
                     ) -> tuple[list[tuple[Cell, ...]], list[str]]:
    """Rows of a ``|``-joined body, each line a row whose cells stand under their header
    cells (by position in the header's own pipe row, else right-aligned to the header's
    roles); a level cell left empty is carried down from the row above (merged cells)."""
    by_position = _header_roles(text, head_start)
    roles = list(layout.roles)
    i3 = roles.index("L3")
    rows: list[tuple[Cell, ...]] = []
    rules: list[str] = []
    carried: dict[str, Cell] = {}
    for ln in split_lines(text, start, end):
        if "|" not in ln.text:
            continue
        line = text[ln.start:ln.end]
        if parse_scoring_header(line) is not None or _continues_scoring_header(line):
            continue
        parts = pipe_parts(text, ln.start, ln.end)
        by_role: dict[str, Cell] = {}
        if by_position is not None:
            if len(parts) > len(by_position) and parts[0][0] == parts[0][1]:
                parts = parts[1:]  # a border the header row does not have
            if len(parts) > len(by_position) and parts[-1][0] == parts[-1][1]:
                parts = parts[:-1]
            for role, (a, b) in zip(by_position, parts):
                if role is not None:
                    by_role[role] = Cell(raw[a:b], Span(a, b))  # of several 分值, the last (level 3's) stays
        else:
            if len(parts) > len(roles) and parts[0][0] == parts[0][1]:
                parts = parts[1:]  # an outer border
            if len(parts) > len(roles) and parts[-1][0] == parts[-1][1]:
                parts = parts[:-1]
            if not len(roles) - i3 <= len(parts) <= len(roles):
                continue  # a row holds at least the level-3 cell and every cell after it
            for role, (a, b) in zip(roles[len(roles) - len(parts):], parts):
                by_role[role] = Cell(raw[a:b], Span(a, b))
        name = by_role.get("L3")
        if name is None or not name.text or _NOT_IN_NAME.search(name.text) or len(name.text) > 2 * NAME_MAX:
            continue
        weight = by_role.get("W") if layout.has_weight else None
        score = by_role.get("SCORE") if layout.has_score else None
        if (weight is None or not _SCORE_NUMBER.fullmatch(weight.text.strip())) and \
                (score is None or not _SCORE_NUMBER.fullmatch(score.text.strip())):
            if not WEIGHT_IN_NAME.search(name.text):
                continue  # a sub-header or a total row, not an indicator
        levels = []
        for role in ("L1", "L2"):
            c = by_role.get(role)
            if c is not None and c.text.strip():
                carried[role] = c
                if role == "L1":
                    carried.pop("L2", None)
                levels.append(c)
            elif role in carried:
                levels.append(Cell(carried[role].text, carried[role].span, merged=True))
            else:
                levels.append(Cell("", Span(ln.lstart, ln.lstart)))
        at = ln.rend
        rows.append((levels[0], levels[1], name, _number_cell(weight, at), _number_cell(score, at),
                     _text_cell(by_role.get("REASON"), at), _text_cell(by_role.get("MEASURE"), at),
                     Cell("", Span(ln.lstart, ln.rend))))
        rules.append("pipe_row")
    return rows, rules


def _number_cell(c: Cell | None, at: int) -> Cell:
    """A weight or score cell trimmed to its number; empty (at ``at``) when it holds none."""
    if c is None or not _SCORE_NUMBER.fullmatch(c.text.strip()):
        return Cell("", Span(at, at))
    t = c.text.strip()
    a = c.span.start + c.text.index(t)
    return Cell(t, Span(a, a + len(t)))


def _text_cell(c: Cell | None, at: int) -> Cell:
    """A reason or measure cell; empty (at ``at``) when missing, blank or ``-`` / ``无``."""
    if c is None or not c.text.strip() or EMPTY.fullmatch(c.text.strip()):
        return Cell("", Span(at, at))
    t = c.text.strip()
    a = c.span.start + c.text.index(t)
    return Cell(t, Span(a, a + len(t)))


def _valued_trailing(items: list[_Item], i: int, values: int, need: int) -> bool:
    """A reason / measure cell after a valued row: a blank marker, or a sentence-like text
    that does not start the next row (a name followed by its values and numbers)."""
    it = items[i]
    if it.kind == "D":
        return True
    if it.kind != "T":
        return False

    def starts_row(j: int) -> bool:  # a name followed by its values and numbers
        nums = items[j + 1 + values:j + 1 + values + need]
        return j < len(items) and items[j].kind == "T" and len(nums) == need and all(x.kind == "N" for x in nums)
    if starts_row(i):
        return False  # the next row's name
    if len(it.text) > 12 or any(c in it.text for c in "，。；、,;"):
        return True  # a sentence: a reason
    if not _LEVELISH.search(it.text):
        return True  # a short text naming no level: a reason (外出务工人员参保意愿下降)
    return not (starts_row(i + 1) or starts_row(i + 2))  # a level's name unless no row follows


#: A text that names a level of the framework (数量指标, 社会效益, 产出指标（50分）), not a reason.
_LEVELISH = regex.compile(r"(?:指标|效益|满意度|影响|成本|数量|质量|时效|产出|决策|过程|管理)(?:[（(][^）)]*[）)])?$")


def _valued_rows(items: list[_Item], layout: ScoringLayout) -> tuple[list[tuple[Cell, ...]], list[str]]:
    """Rows of a cell stream with value columns before the weight, or without a weight
    column: a row closes with the last numbers of a run of number cells (weight and score,
    or the score alone; target values written as bare numbers come before them); the
    ``values`` cells before those are the target and actual values, the cell before them
    the name, and up to two text cells before the name the level names (right to left)."""
    need = int(layout.has_weight) + int(layout.has_score)
    k = len(layout.trailing)
    rows: list[tuple[Cell, ...]] = []
    rules: list[str] = []
    carried: list[Cell | None] = [None, None]
    i = 0
    while i < len(items):
        found = None
        r = i
        while r < len(items) and found is None:
            if items[r].kind != "N":
                r += 1
                continue
            r1 = r
            while r1 < len(items) and items[r1].kind == "N":
                r1 += 1
            j = r1 - need
            name_at = j - layout.values - 1
            if r1 - r >= need and name_at >= i and items[name_at].kind == "T":
                found = (j, name_at)
            r = r1
        if found is None:
            break
        j, name_at = found
        name, nums = items[name_at], items[j:j + need]
        after = j + need
        n_cells = 0
        while n_cells < k and after + n_cells < len(items) and _valued_trailing(items, after + n_cells,
                                                                               layout.values, need):
            n_cells += 1
        cells = items[after:after + n_cells]
        nxt = after + n_cells
        if _NOT_IN_NAME.search(name.text) or len(name.text) > 2 * NAME_MAX:
            i = nxt
            continue
        uppers = [it for it in items[i:name_at] if it.kind == "T"][-2:]
        given: list[_Item | None] = [None] * (2 - len(uppers)) + list(uppers)
        levels = []
        for n in range(2):
            if given[n] is not None:
                carried[n] = _raw_cell(given[n])
                if n == 0 and given[1] is None:
                    carried[1] = None
                levels.append(carried[n])
            elif carried[n] is not None:
                levels.append(Cell(carried[n].text, carried[n].span, merged=True))
            else:
                levels.append(Cell("", Span(name.start, name.start)))
        end = items[nxt - 1].end
        roles = dict(zip(layout.trailing, cells))
        weight = _raw_cell(nums[0]) if layout.has_weight else Cell("", Span(name.end, name.end))
        score = _raw_cell(nums[-1]) if layout.has_score else Cell("", Span(end, end))
        rows.append((levels[0], levels[1], _raw_cell(name), weight, score,
                     _trail(roles.get("reason"), end), _trail(roles.get("measure"), end),
                     Cell("", Span(items[i].start, end))))
        rules.append("valued_row")
        i = nxt
    return rows, rules


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
