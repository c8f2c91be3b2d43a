"""Scoring-table rows (指标评分表) from flattened table text -> :class:`Indicator`.

A PDF renders a scoring table as a stream of cells: one cell per line, several
cells of a row on one line separated by spaces, a long cell wrapped over several
lines, and cells that span several rows (一级指标 / 二级指标) printed once, on the
first row they cover. DOCX and HTML readers give one row per line with cells
joined by ``" | "``. This module reads such a stream back into rows.

How (one pass per table, linear in its length):

1. **Header** — a line naming the columns (``一级指标 分值 二级指标 分值 三级指标 分值
   指标解释 得分/自评分 未达标原因 改进措施``) starts a table and fixes the layout:
   which levels carry a 分值, whether there is an explanation column before the
   score, and which text cells follow the score. A repeated header (page break)
   is skipped; a ``总分`` / ``合计`` line, a numbered heading or the end of the text
   ends the table.
2. **Items** — every cell fragment is a number ``N`` (``20``, ``0.5``), a blank
   marker ``D`` (``-``, ``—``, ``/``, ``无``, an empty ``| |`` cell) or text. Text
   fragments on consecutive lines are one cell (a wrapped name or sentence, rejoined
   without spaces or line breaks) unless a *cell boundary* separates them: two
   fragments on the same line, a fragment ending a sentence (``。；！？``), or a
   ``name number`` line after a sentence-like cell.
3. **Rows** — a row is a run of ``(text, number)`` pairs followed by its trailing
   cells: with the 003 layout ``[一级 50] [二级 50] 三级 20 解释 20 原因 措施``. The
   pair before the score is the level-3 name and its weight; pairs before it are
   level 2 and level 1, right to left; levels not printed are inherited from the
   row above. A row whose name was lost in extraction (``1.5 1.5 - -``) keeps
   ``level3=None``; a row without a score (an explanation followed by one cell
   more than the trailing columns) keeps ``score=None``.

Offsets: the table is read on the raw text with width folding only (one character
for one character), because the line structure that separates cells is exactly
what reflow in :mod:`extract.normalize` removes. Spans are therefore raw spans
directly (``doc.raw[span.start:span.end]`` is the cell or row).

Known limits: a table whose text columns sit between the name and the weight
(project tables: 指标值, 实际完成值 before 分值) is not read; without a trailing
text column, a table with an explanation column cannot tell its rows apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..core import Document, Evidence, Indicator, Span

EXTRACTOR = "indicators.rules.v1"

#: Words naming the level-3 column: a scoring-table header has one of them.
_LEVEL3_WORDS = ("三级指标", "指标名称")
#: Header words, each mapped to a column role. Longest alternatives first.
_HEADER_WORDS = re.compile(r"""
      (?P<L1>一级指标)
    | (?P<L2>二级指标)
    | (?P<L3>""" + "|".join(_LEVEL3_WORDS) + r""")
    | (?P<W>分值|权重|标准分|满分)
    | (?P<SCORE>得分/自评分|自评得分|自评分|得分|评分)
    | (?P<REASON>未达标原因|未完成原因|偏差原因|扣分原因)
    | (?P<MEASURE>改进措施|整改措施)
    | (?P<EXPL>指标解释|指标说明|评分标准|评分细则|指标内涵)
    | (?P<VALUE>年度指标值|指标值|目标值|实际完成值|完成值|实际值)
""", re.VERBOSE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?分?")
_CELL_SPLIT = re.compile(r"[\s|]+")
_BLANK = re.compile(r"[-－—–/／\\]+|无|暂无|无。")
_SENTENCE_END = tuple("。；！？;!?")
_TABLE_END = re.compile(r"(?:总分|合计|总计|综合得分)(?:\s|$)")
_HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十\d]+[章部分]")
#: A text cell longer than this (or with a comma) is a sentence, not a wrapped name.
_NAME_MAX = 24
#: A line (without cell pipes) longer than this is prose after the table, not a wrapped cell.
_PROSE_LINE = 60
#: Characters an indicator name never contains (it would be a sentence cell).
_NOT_IN_NAME = re.compile(r"[，。；！？]")


@dataclass(frozen=True)
class Layout:
    """What a table's header says about its rows."""

    weighted_levels: int  # levels above level 3 that carry a 分值 (0-2)
    bare_levels: int  # levels above level 3 without a 分值 (0-2)
    has_expl: bool  # an explanation column between the weight and the score
    trailing: tuple[str, ...]  # roles of the cells after the score: reason / measure / other


@dataclass
class Item:
    """A cell of the stream: ``kind`` N (number), D (blank marker) or T (text)."""

    kind: str
    start: int
    end: int
    text: str
    line: int
    piped: bool = False  # from a ``|``-separated row: every cell is whole

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def parse_header(line: str) -> Layout | None:
    """The layout a header line describes, or ``None`` when it is not a scoring-table header.

    >>> parse_header("一级指标 分值 二级指标 分值 三级指标 分值 指标解释 得分/自评分 未达标原因 改进措施")
    Layout(weighted_levels=2, bare_levels=0, has_expl=True, trailing=('reason', 'measure'))
    >>> parse_header("一级指标 二级指标 三级指标 分值 得分 偏差原因及改进措施")
    Layout(weighted_levels=0, bare_levels=2, has_expl=False, trailing=('reason',))
    >>> parse_header("三级指标 的分值说明") is None
    True
    """
    if not any(w in line for w in _LEVEL3_WORDS):
        return None  # the common case, before any splitting: no level-3 column
    cols: list[str] = []
    for token in _CELL_SPLIT.split(line.strip()):
        roles = [m.lastgroup for m in _HEADER_WORDS.finditer(token)]
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
    return Layout(weighted, bare, "EXPL" in between, trailing)


def _lines(text: str, start: int, end: int):
    """``(line_no, line_start, line_end)`` for the lines of ``text[start:end]``."""
    pos, n = start, 0
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield n, pos, stop
        pos, n = stop + 1, n + 1


def _fragments(text: str, ls: int, le: int):
    """Cell fragments of one line: ``(start, end)``; an empty ``| |`` cell has ``start == end``.

    A line with ``|`` is one row of cells (outer pipes ignored); otherwise runs of
    non-space characters are the fragments.
    """
    line = text[ls:le]
    if "|" not in line:
        for m in re.finditer(r"\S+", line):
            yield (ls + m.start(), ls + m.end())
        return
    cells, pos = [], ls
    for cell in line.split("|"):
        s = pos + len(cell) - len(cell.lstrip())
        cells.append((s, max(s, pos + len(cell.rstrip()))))
        pos += len(cell) + 1
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    yield from cells


def _items(raw: str, folded: str, start: int, end: int) -> list[Item]:
    """The cell stream of a table body (header lines skipped, text fragments grouped)."""
    items: list[Item] = []
    for n, ls, le in _lines(folded, start, end):
        if parse_header(folded[ls:le]) is not None or _continues_header(folded[ls:le]):
            continue  # a header repeated after a page break
        frags = list(_fragments(folded, ls, le))
        piped = "|" in folded[ls:le]
        ends_in_number = len(frags) >= 2 and _NUMBER.fullmatch(folded[frags[-1][0]:frags[-1][1]]) is not None
        for k, (s, e) in enumerate(frags):
            ftext = folded[s:e]
            if e == s or _BLANK.fullmatch(ftext):
                items.append(Item("D", s, e, raw[s:e], n))
            elif _NUMBER.fullmatch(ftext):
                items.append(Item("N", s, e, ftext, n))
            elif items and items[-1].kind == "T" and not piped and not _boundary(items[-1], n, k, ends_in_number):
                prev = items[-1]
                prev.end, prev.text, prev.line = e, prev.text + raw[s:e], n
            else:
                items.append(Item("T", s, e, raw[s:e], n, piped))
    return items


def _boundary(prev: Item, line: int, index_in_line: int, line_ends_in_number: bool) -> bool:
    """Whether a text fragment starts a new cell rather than continuing ``prev``."""
    if prev.line == line or prev.piped:
        return True  # two cells printed side by side, or a whole cell of a piped row
    if prev.text.endswith(_SENTENCE_END):
        return True
    sentence_like = len(prev.text) > _NAME_MAX or "，" in prev.text or "、" in prev.text
    return index_in_line == 0 and line_ends_in_number and sentence_like


def _ends_table(line: str) -> bool:
    """A 总分 / 合计 row, a numbered heading, 评价等级, or a prose line longer than a cell wraps."""
    stripped = line.strip()
    return bool(_TABLE_END.match(stripped) or _HEADING.match(stripped) or stripped.startswith("评价等级")
                or ("|" not in stripped and len(stripped) > _PROSE_LINE))


def _continues_header(line: str) -> bool:
    """A line holding the rest of a header a PDF wrapped (``分 未达标原因 改进措施``)."""
    if not _HEADER_WORDS.search(line):  # header words hold no space or pipe: as good as per token
        return False
    tokens = _CELL_SPLIT.split(line.strip())
    return all(_HEADER_WORDS.sub("", t) == "" or (len(t) <= 2 and not _NUMBER.fullmatch(t)) for t in tokens)


def _header_at(folded: str, lines: list, i: int) -> tuple[Layout | None, int]:
    """The layout of a header starting at line ``i`` (joined with wrapped continuation lines),
    and the index of the first line after it."""
    _, ls, le = lines[i]
    text, j = folded[ls:le], i + 1
    while j < len(lines) and _continues_header(folded[lines[j][1]:lines[j][2]]):
        text += folded[lines[j][1]:lines[j][2]].strip()
        j += 1
    return parse_header(text), j


def _table_regions(folded: str) -> list[tuple[Layout, int, int]]:
    """``(layout, body_start, body_end)`` for each scoring table: header to its end line."""
    regions = []
    lines = list(_lines(folded, 0, len(folded)))
    i = 0
    while i < len(lines):
        layout, i = _header_at(folded, lines, i)
        if layout is None:
            continue
        body_start, body_end = lines[i - 1][2], len(folded)
        while i < len(lines):
            _, s, e = lines[i]
            if parse_header(folded[s:e]) is None and _ends_table(folded[s:e]):
                body_end = s
                break
            i += 1
        regions.append((layout, body_start, body_end))
    return regions


def _decimal(item: Item) -> Decimal:
    return Decimal(item.text.rstrip("分"))


def _is_cell(items: list[Item], i: int) -> bool:
    """A trailing cell: a blank marker, or text not followed by a number (that starts a row)."""
    it = items[i]
    return it.kind == "D" or (it.kind == "T" and not (i + 1 < len(items) and items[i + 1].kind == "N"))


def _cells_ahead(items: list[Item], i: int, limit: int) -> int:
    """How many trailing cells (at most ``limit``) start at ``i``."""
    n = 0
    while i + n < len(items) and n < limit and _is_cell(items, i + n):
        n += 1
    return n


def _pairs(items: list[Item], i: int, score_ends_row: bool) -> tuple[list[tuple[Item | None, Item]], int]:
    """The run of ``(text or None, number)`` pairs starting at ``i``, and the index after it.

    With ``score_ends_row`` (no explanation and no trailing cells), a bare number after a
    pair is the score and ends the row.
    """
    pairs: list[tuple[Item | None, Item]] = []
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


def _rows(items: list[Item], layout: Layout) -> list[Indicator]:
    out: list[Indicator] = []
    k = len(layout.trailing)
    inherited: list[str | None] = [None, None]  # level1, level2
    i = 0
    while i < len(items):
        first = i
        bare: list[Item] = []
        while len(bare) < layout.bare_levels and i + 1 < len(items) and items[i].kind == items[i + 1].kind == "T":
            bare.append(items[i])
            i += 1
        pairs, i = _pairs(items, i, score_ends_row=not layout.has_expl and not layout.trailing)
        if not pairs:
            i = max(i, first + 1)  # an item that fits no row: skip it
            continue
        rule, score_item = "flat_row", None
        if (layout.has_expl and layout.bare_levels == 0 and pairs[-1][0] is not None
                and _cells_ahead(items, i, k + 1) == k + 1 and items[i].kind == "T"):
            (name_item, weight_item), levels = pairs[-1], pairs[:-1]
            i += 1  # the explanation cell; the score cell is empty
            rule = "row_without_score"
        elif len(pairs) >= 2 and (layout.has_expl or pairs[-1][0] is None):
            (name_item, weight_item), levels, score_item = pairs[-2], pairs[:-2], pairs[-1][1]
        else:
            (name_item, weight_item), levels = pairs[-1], pairs[:-1]
            rule = "row_without_score"
        n_cells = _cells_ahead(items, i, k)
        cells, i = items[i:i + n_cells], i + n_cells
        name = name_item.text if name_item is not None else None
        weight = _decimal(weight_item)
        if weight > 100 or (name is not None and (len(name) > 2 * _NAME_MAX or _NOT_IN_NAME.search(name))):
            continue  # a sentence and a number that only look like a row
        names = [t for t, _ in levels][-layout.weighted_levels:] if layout.weighted_levels else []
        uppers = [*bare, *names][-2:]
        given = [None] * (2 - len(uppers)) + [u.text if u is not None else None for u in uppers]
        if given[0] is not None:
            inherited = list(given)
        elif given[1] is not None:
            inherited[1] = given[1]
        if name is None and rule == "flat_row":
            rule = "row_without_name"
        roles = dict(zip(layout.trailing, cells))
        out.append(Indicator(
            level1=inherited[0], level2=inherited[1], level3=name,
            weight=weight, score=_decimal(score_item) if score_item is not None else None,
            evidence=Evidence(EXTRACTOR, rule, 0.9 if rule == "flat_row" else 0.6, _EXPLAIN[rule].format(name=name)),
            span=Span(items[first].start, items[i - 1].end),
            reason_span=_cell_span(roles.get("reason")),
            measure_span=_cell_span(roles.get("measure")),
        ))
    return out


_EXPLAIN = {
    "flat_row": "scoring-table row「{name}」: name, weight, score and trailing cells",
    "row_without_name": "scoring-table row whose indicator name is not in the text (weight and score only)",
    "row_without_score": "scoring-table row「{name}」with a weight but no score",
}


def _cell_span(item: Item | None) -> Span | None:
    if item is None or item.kind != "T":
        return None
    return item.span


def extract(doc: Document, sections=None) -> list[Indicator]:
    """Rows of every scoring table in ``doc`` (see the module docstring)."""
    from ..normalize import FOLD

    if not any(w in doc.text for w in _LEVEL3_WORDS):
        return []  # no header can name the level-3 column, so there is no scoring table
    folded = doc.raw.translate(FOLD)
    if len(folded) != len(doc.raw):  # folding is one character for one character
        return []
    out: list[Indicator] = []
    for layout, start, end in _table_regions(folded):
        out += _rows(_items(doc.raw, folded, start, end), layout)
    return out
