"""Reading order from character boxes: lines, columns, page furniture.

Pure geometry over :class:`Glyph` boxes (PDF points, ``top`` growing downwards), so
it is tested without a PDF. Every tolerance is relative to the font size of the
characters involved, never an absolute number of points:

- **Lines.** Characters are taken in order of their vertical centre; a character
  joins the current line when its centre lies within :data:`LINE_TOLERANCE` x the
  font size of the line's first character. Real reports typeset figures in another
  font on a lower baseline (上海普陀's 部门决算: FangSong text, Times New Roman figures
  4.9 pt lower at 12 pt, lines 14 pt apart), so a figure's centre is nearer its own
  line than the next one and lands in the gap it fills: ``年初预算为 450.52 万元``.
- **Words.** Inside a line, a gap wider than :data:`SPACE_GAP` x size is a space,
  one wider than :data:`SEGMENT_GAP` x size separates segments (cells of an unruled
  table, or two columns).
- **Columns.** A page whose segments leave a vertical gutter free in its middle
  third, with at least :data:`MIN_COLUMN_LINES` lines on both sides, is read left
  column then right column, between the full-width lines that cross the gutter.
- **Furniture.** A line in the top or bottom band of the page that recurs, digits
  aside, on many pages (running header/footer), or that is only a page number, is
  not part of the text flow (:func:`furniture`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

#: A character joins a line when its vertical centre is within this share of the font size.
LINE_TOLERANCE = 0.5
#: A horizontal gap wider than this share of the font size is written as a space.
SPACE_GAP = 0.25
#: A horizontal gap wider than this share of the font size separates two segments.
SEGMENT_GAP = 2.0
#: Lines needed on each side of a gutter before a page counts as two columns.
MIN_COLUMN_LINES = 3
#: A prose column's widest line spans at least this share of the page width.
MIN_COLUMN_WIDTH = 0.25
#: Top and bottom bands (share of page height) where headers, footers and page numbers stand.
FURNITURE_BAND = 0.08
#: A header or footer recurs on at least this share of the pages (and on 3 pages at least).
FURNITURE_SHARE = 0.5

#: A line that is only a page number: 3  - 3 -  —3—  第 3 页  第3页 共9页  3/9
PAGE_NUMBER = re.compile(r"""
      [-—–－]?\s*\d{1,4}\s*[-—–－]?                     # 3   - 3 -   —3—
    | 第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?   # 第 3 页  第3页 共9页
    | \d{1,4}\s*/\s*\d{1,4}                           # 3 / 9
""", re.VERBOSE)

_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character with its box (points, ``top`` < ``bottom``) and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """Glyphs of one visual line, left to right, split into segments at wide gaps."""

    segments: tuple[tuple[Glyph, ...], ...]

    @property
    def glyphs(self) -> tuple[Glyph, ...]:
        return tuple(g for seg in self.segments for g in seg)

    @property
    def top(self) -> float:
        return min(g.top for seg in self.segments for g in seg)

    @property
    def bottom(self) -> float:
        return max(g.bottom for seg in self.segments for g in seg)

    @property
    def x0(self) -> float:
        return self.segments[0][0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1][-1].x1

    def segment_texts(self) -> list[str]:
        return [glyph_text(seg) for seg in self.segments]

    @property
    def text(self) -> str:
        """Segments joined by two spaces (a wide gap), words inside by one."""
        return "  ".join(self.segment_texts())


def glyph_text(glyphs: Sequence[Glyph]) -> str:
    """Characters left to right; a gap wider than :data:`SPACE_GAP` x size is one space."""
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and g.x0 - prev.x1 > SPACE_GAP * max(g.size, prev.size):
            out.append(" ")
        out.append(g.text)
        prev = g
    return "".join(out)


def join_cell_lines(texts: Iterable[str]) -> str:
    """Lines of one table cell as one string: no space between CJK text, else one space."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and not (_CJK_OR_PUNCT.match(out[-1]) and _CJK_OR_PUNCT.match(t[0])):
            out += " "
        out += t
    return out


def assemble_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Visual lines, top to bottom, from glyphs in any order (whitespace glyphs are dropped).

    >>> a = [Glyph(c, 10 + 12 * i, 22 + 12 * i, 100, 112, 12) for i, c in enumerate("预算为")]
    >>> fig = [Glyph(c, 46 + 6 * i, 52 + 6 * i, 104.9, 116.9, 12) for i, c in enumerate("2.5")]
    >>> nxt = [Glyph("完", 10, 22, 114, 126, 12)]
    >>> [l.text for l in assemble_lines(a + fig + nxt)]
    ['预算为2.5', '完']
    """
    todo = sorted((g for g in glyphs if g.text.strip()), key=lambda g: (g.middle, g.x0))
    rows: list[list[Glyph]] = []
    anchor = 0.0
    tolerance = 0.0
    for g in todo:
        if rows and abs(g.middle - anchor) <= tolerance:
            rows[-1].append(g)
            continue
        rows.append([g])
        anchor, tolerance = g.middle, LINE_TOLERANCE * max(g.size, 1.0)
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        row = _drop_overprint(row)
        segments: list[list[Glyph]] = [[row[0]]]
        for g in row[1:]:
            prev = segments[-1][-1]
            if g.x0 - prev.x1 > SEGMENT_GAP * max(g.size, prev.size):
                segments.append([g])
            else:
                segments[-1].append(g)
        lines.append(Line(tuple(tuple(s) for s in segments)))
    return lines


def _drop_overprint(row: list[Glyph]) -> list[Glyph]:
    """Drop a glyph printed again on top of itself (fake bold: same character, same place)."""
    out = [row[0]]
    for g in row[1:]:
        p = out[-1]
        if g.text == p.text and abs(g.x0 - p.x0) < 0.2 * g.size and abs(g.top - p.top) < 0.2 * g.size:
            continue
        out.append(g)
    return out


def reading_order(lines: list[Line], page_width: float) -> list[Line]:
    """Lines in reading order: a two-column run is read left column, then right column.

    A gutter is an x in the middle third of the page that no segment crosses, with at
    least :data:`MIN_COLUMN_LINES` lines having a segment on each side of it. A line
    crossing the gutter (a title, a full-width paragraph) ends the column run.
    """
    gutter = _gutter(lines, page_width)
    if gutter is None:
        return lines
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line in lines:
        if any(seg[0].x0 < gutter < seg[-1].x1 for seg in line.segments):
            out += left + right + [line]
            left, right = [], []
            continue
        lsegs = tuple(s for s in line.segments if s[-1].x1 <= gutter)
        rsegs = tuple(s for s in line.segments if s[0].x0 >= gutter)
        if lsegs:
            left.append(Line(lsegs))
        if rsegs:
            right.append(Line(rsegs))
    return out + left + right


def _gutter(lines: list[Line], page_width: float) -> float | None:
    """The x of a column gutter, or ``None``: the gap between segments in the middle third
    of the page that the fewest lines cross (at most a third of them)."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    lo, hi = page_width / 3, 2 * page_width / 3
    candidates = sorted({(a[-1].x1 + b[0].x0) / 2 for line in lines for a, b in zip(line.segments, line.segments[1:])
                         if lo <= (a[-1].x1 + b[0].x0) / 2 <= hi})
    best, best_cross = None, len(lines)
    for x in candidates:
        cross = sum(1 for line in lines for s in line.segments if s[0].x0 < x < s[-1].x1)
        if cross < best_cross:
            best, best_cross = x, cross
    if best is None or best_cross > len(lines) / 3:
        return None
    both = sum(1 for line in lines if any(s[-1].x1 <= best for s in line.segments)
               and any(s[0].x0 >= best for s in line.segments))
    right_only = [line for line in lines if line.x0 >= best]
    # two columns of prose: several lines have text on both sides, and the right side is not
    # just figures (a label and its amount on each line is a table, read row by row)
    right_text = sum(1 for line in lines for s in line.segments if s[0].x0 >= best
                     and re.search(r"[\u4e00-\u9fff]{4}", glyph_text(s)))
    # prose columns are wide: a narrow label column beside text is a table, read row by row
    left_w = [s[-1].x1 - s[0].x0 for line in lines for s in line.segments if s[-1].x1 <= best]
    right_w = [s[-1].x1 - s[0].x0 for line in lines for s in line.segments if s[0].x0 >= best]
    wide = bool(left_w and right_w) and min(max(left_w), max(right_w)) >= MIN_COLUMN_WIDTH * page_width
    if both + len(right_only) >= MIN_COLUMN_LINES and right_text >= MIN_COLUMN_LINES and wide:
        return best
    return None


def furniture(pages: Sequence[Sequence[Line]], heights: Sequence[float]) -> list[set[int]]:
    """Per page, the indices of lines that are page furniture (header, footer, page number).

    Only lines in the top or bottom :data:`FURNITURE_BAND` of their page count: a bare
    page number there, or a line whose text with digits masked recurs in that band on at
    least :data:`FURNITURE_SHARE` of the pages (and 3 pages at least).
    """
    def band(line: Line, height: float) -> str | None:
        if line.bottom <= FURNITURE_BAND * height:
            return "top"
        if line.top >= (1 - FURNITURE_BAND) * height:
            return "bottom"
        return None

    keys: Counter = Counter()
    marked: list[list[tuple[int, str | None, str]]] = []
    for lines, height in zip(pages, heights):
        row = []
        for i, line in enumerate(lines):
            where = band(line, height)
            key = re.sub(r"\d+", "#", "".join(line.text.split()))
            row.append((i, where, key))
        marked.append(row)
        keys.update({(where, key) for _, where, key in row if where})
    need = max(3, FURNITURE_SHARE * len(pages))
    out = []
    for lines, row in zip(pages, marked):
        drop = set()
        for i, where, key in row:
            if where and (keys[(where, key)] >= need or PAGE_NUMBER.fullmatch(lines[i].text.strip())):
                drop.add(i)
        out.append(drop)
    return out


#: Lines needed for an unruled table of aligned columns.
MIN_ALIGNED_ROWS = 3


def aligned_tables(lines: Sequence[Line]) -> list[tuple[int, int, list[list[str]]]]:
    """Unruled tables: runs of lines whose segments stand in the same columns.

    A run is at least :data:`MIN_ALIGNED_ROWS` consecutive lines of two or more segments
    (a one-segment line may stand inside a run, as a row with one filled cell). Columns are
    the x-ranges of the run's segments merged where they overlap or stand closer than a
    segment gap (a left-aligned header over right-aligned figures is one column); the run is a table when there are two
    columns or more and no line puts two segments in one column. Returns ``(first line,
    end line, rows of cell texts)`` per table.

    >>> rows = [[("项目", 60), ("预算数", 200), ("决算数", 300)], [("收入", 60), ("12.50", 205), ("12.40", 305)],
    ...         [("支出", 60), ("10.00", 205), ("9.80", 310)]]
    >>> ls = [Line(tuple(tuple(Glyph(c, x + 12 * i, x + 12 * i + 12, 100 + 20 * r, 112 + 20 * r, 12)
    ...                          for i, c in enumerate(t)) for t, x in row)) for r, row in enumerate(rows)]
    >>> aligned_tables(ls)
    [(0, 3, [['项目', '预算数', '决算数'], ['收入', '12.50', '12.40'], ['支出', '10.00', '9.80']])]
    """
    out = []
    i = 0
    while i < len(lines):
        if len(lines[i].segments) < 2:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (len(lines[j].segments) >= 2 or
                                  (j + 1 < len(lines) and len(lines[j + 1].segments) >= 2)):
            j += 1
        while j > i and len(lines[j - 1].segments) < 2:
            j -= 1
        table = _columns(lines[i:j]) if j - i >= MIN_ALIGNED_ROWS else None
        if table:
            out.append((i, j, table))
            i = j
        else:
            i += 1
    return out


def _columns(run: Sequence[Line]) -> list[list[str]] | None:
    spans = sorted((s[0].x0, s[-1].x1) for line in run for s in line.segments)
    sizes = sorted(g.size for line in run for g in line.glyphs)
    near = SEGMENT_GAP * sizes[len(sizes) // 2]  # closer than a segment gap: the same column
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a < cols[-1][1] + near:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    if len(cols) < 2:
        return None
    rows = []
    for line in run:
        cells = [""] * len(cols)
        for s in line.segments:
            k = next(n for n, (a, b) in enumerate(cols) if a <= s[0].x0 < b or a < s[-1].x1 <= b)
            if cells[k]:
                return None
            cells[k] = glyph_text(s)
        rows.append(cells)
    return rows
