"""Normalization with an offset map back to the raw text.

``normalize(raw)`` returns ``(text, starts, ends)``: a normalized copy of the raw
text and, for every normalized character ``i``, the raw half-open bounds
``[starts[i], ends[i])`` it came from. Normalization only *drops* raw characters
or *replaces one raw character by one character*; it never inserts, so every
normalized character has exactly one raw source character
(``ends[i] == starts[i] + 1``) and the map is strictly increasing. Dropped
characters are whitespace, zero-width format characters, and page-furniture lines
(``附件 3``, ``- 3 -``, ``第 3 页``; a bare page number only at a known page edge).

Three stages, each linear in the text length:

1. **Width folding** (one ``str.translate``, same length as the raw text): full-width
   digits, Latin letters and ASCII-like symbols (０-９ Ａ-Ｚ ．％＋－／…) become
   half-width; every whitespace character becomes ``" "`` or ``"\\n"``. Chinese
   punctuation （）、，。：；！？“”〔〕《》 is kept as is.
2. **Reflow** (one step per line): lines a PDF wrapped mid-sentence are rejoined;
   real paragraph and heading breaks become one ``"\\n"`` (see :func:`_is_break`).
   Leading/trailing spaces of a line (the stray space a PDF page break leaves) go.
3. **Spacing** (one compiled regex): spaces between CJK text and numbers with
   their units, inside numbers, and around Chinese punctuation are removed; other
   runs of spaces shrink to one space.

>>> normalize("行政编\\n\\n制 20 名")[0]
'行政编制20名'
>>> normalize("收入决算4500.43\\n\\n万元，其中")[0]
'收入决算4500.43万元，其中'
>>> normalize("卫生健康支出 25 万\\n\\n元")[0]
'卫生健康支出25万元'
>>> normalize("办理区管干部的任\\n 免、工资、待遇等。\\n 根据通知要求")[0]
'办理区管干部的任免、工资、待遇等。\\n根据通知要求'
>>> normalize(" 附件 3\\n\\n整体绩效自评报告\\n\\n一、单位基本情况")[0]
'整体绩效自评报告\\n一、单位基本情况'
>>> normalize("支出率９５．５％（全年）")[0]
'支出率95.5%（全年）'
>>> text, starts, ends = normalize("编制 20 名")
>>> text, starts[2], ends[4]  # "2" is raw [3, 4), "名" is raw [6, 7)
('编制20名', 3, 7)
"""
from __future__ import annotations

import functools
import re
from typing import Sequence

from .core import Document, Source, Span
from .text import markers

# --------------------------------------------------------------------------- stage 1: folding

#: Characters Python's ``str.isspace`` treats as line breaks / as horizontal space.
NEWLINES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SPACES = "\t\x1f \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: Zero-width format characters, treated as spaces (and so usually dropped).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: Full-width ASCII-like symbols folded to half-width (Chinese punctuation is not here).
_FOLD_SYMBOLS = "．％＋－／＝＜＞＃＆＊＠＿｜～＄＾"


def _fold_table() -> dict[int, str]:
    table = {ord(c): "\n" for c in NEWLINES}
    table.update({ord(c): " " for c in SPACES + ZERO_WIDTH})
    for lo, hi in (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ")):
        for cp in range(ord(lo), ord(hi) + 1):
            table[cp] = chr(cp - 0xFEE0)
    table.update({ord(c): chr(ord(c) - 0xFEE0) for c in _FOLD_SYMBOLS})
    return table


FOLD = _fold_table()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c, v in sorted(FOLD.items()) if chr(c) != v) + "]")


def _fold_one(m: re.Match) -> str:
    return FOLD[ord(m.group())]


def fold_width(text: str) -> str:
    """``text`` with full-width forms folded (same length): only the characters that change
    are replaced, which is faster than ``str.translate`` over the whole text."""
    return _FOLDABLE.sub(_fold_one, text)

# --------------------------------------------------------------------------- traditional characters

#: Traditional characters of report vocabulary read as simplified ones, one to one, so
#: offsets into the folded text are offsets into ``doc.text`` (a report in traditional
#: characters writes 收入預算100萬元, 基本情況, 績效自評報告). Extractors match cues
#: on :func:`folded_text`; the values they report are still read from the raw text.
TRADITIONAL = str.maketrans(
    "預決財撥結轉餘執實際總額計項經費員資產採購調數異類務會與衛環護鄉區農業體學術傳險運輸糧儲備災應債發門單級庫國營專戶"
    "勞個無為達減長較節約壓縮補貼負縣籌權氣還別遊劃開醫療準標億萬兩點歲價絕係報評績聯屬獨構設編職離臨組機關黨辦廳據統後"
    "內處僱崗養參現幹鎮優號於稱並況沒隊館掛訓議錄選問領導獲蓋時間來瀏覽將貫徹復綜終論檔書祕請從對當",
    "预决财拨结转余执实际总额计项经费员资产采购调数异类务会与卫环护乡区农业体学术传险运输粮储备灾应债发门单级库国营专户"
    "劳个无为达减长较节约压缩补贴负县筹权气还别游划开医疗准标亿万两点岁价绝系报评绩联属独构设编职离临组机关党办厅据统后"
    "内处雇岗养参现干镇优号于称并况没队馆挂训议录选问领导获盖时间来浏览将贯彻复综终论档书秘请从对当")


@functools.lru_cache(maxsize=1)
def _traditional_table() -> tuple[dict[int, str], re.Pattern]:
    """The one-to-one traditional -> simplified table: OpenCC's (the maintained conversion
    dictionary; each CJK character converted on its own, so no phrase can change a length),
    completed by :data:`TRADITIONAL`; built once, on the first traditional check."""
    table = dict(TRADITIONAL)
    try:
        import opencc  # the conversion dictionary; loaded only here

        chars = [chr(c) for c in range(0x4E00, 0xA000)]
        for a, b in zip(chars, opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")):
            if a != b and len(b) == 1:
                table.setdefault(ord(a), b)
    except (ImportError, RuntimeError, ValueError):  # no OpenCC: the built-in vocabulary table
        pass
    return table, re.compile("[" + "".join(sorted(map(chr, table))) + "]")  # a C scan finds the first one
#: Inline pinyin after a character (績(jī)效), dropped from a cue before it is read.
PINYIN = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[）)]")


def fold_traditional(text: str) -> str:
    """``text`` with traditional characters read as simplified ones (same length).

    >>> fold_traditional("收入預算100萬元，基本情況")
    '收入预算100万元，基本情况'
    """
    table, any_char = _traditional_table()
    if not any_char.search(text):
        return text  # the common case: no translate pass at all
    return text.translate(table)


# --------------------------------------------------------------------------- character classes

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: CJK and full-width punctuation, quotes, dashes and ellipsis (spaces next to them go).
_CJK_PUNCT = "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7"
#: What follows a number as its unit or measure word (年 月 日 名 人 万元 % …).
_UNIT = "年月日号名人个万亿元千百项次家所座条件篇期批场份户处种类台套辆本册张栋间吨亩分天周届岁位支级倍余多季小时米平公点%‰"
_SENTENCE_END = "。；：！？;:!?"

#: A content line: from its first to its last non-space character.
_LINE = re.compile(r"[^ \n](?:[^\n]*[^ \n])?")
_CJK_RE = re.compile(f"[{_CJK}]")

#: A list or heading marker at the start of a line: the one marker grammar of extract.text.markers.
MARKER = markers.MARKER

#: A form field label starting a line (评价单位： 填报日期： 单位（公章）：).
LABEL = re.compile(r"""
    [\u4e00-\u9fff（）()]{0,14}?                                    # the label's head
    (?:日期|年度|单位|名称|部门|时间|负责人|联系人|电话|得分|分数|等级|公章[）)]|盖章[）)])
    [：:]                                                           # then its colon
""", re.VERBOSE)

#: A table row: only numbers and dashes (1,297.59 1,155.12 0 0), or text in spaced columns.
NUMERIC_ROW = re.compile(r"[-\d,.%]+(?: +[-\d,.%]+)*")
_COLUMN_GAP = re.compile(f"[{_CJK}] +[{_CJK}]")

#: A page-furniture line: an attachment tag or a decorated page number.
ARTIFACT = re.compile(r"""
      附件\s*\d{1,2}                                  # 附件 3
    | [-—–－]\s*\d{1,4}\s*[-—–－]                     # - 3 -   —3—
    | 第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?   # 第 3 页  第3页 共9页
    | \d{1,4}\s*/\s*\d{1,4}                           # 3 / 9
""", re.VERBOSE)
#: A bare page number: dropped only as the first or last line of a known page.
PAGE_NUMBER = re.compile(r"\d{1,4}")

#: A number as PDFs space it: 20  4498.11  1,297.59  1 ,297.59
_NUMBER = r"\d+(?:\ ?[,.]\ ?\d+)*"
#: Runs of spaces to delete (a run no rule claims keeps one space).
_DROP_SPACES = re.compile(rf"""
    \                                                 # every rule starts at a space (fast scan)
    (?: (?<=[{_CJK_PUNCT}]\ )\ *                    # after Chinese punctuation: ，  复合型
      | \ *(?=[{_CJK_PUNCT}])                        # before Chinese punctuation
      | (?<=\d\ )\ *(?=[{_UNIT}])                   # number, unit: 2024 年  4498.11 万元
      | (?<=[{_CJK}]\ )\ *(?={_NUMBER}\ *[{_UNIT}])  # text, number with a unit: 编制 20 名
      | (?<=[万亿]\ )\ *(?=元)                        # 万 元
      | (?<=\d\ )\ *(?=[,.]\d)                      # inside a number: 1 ,297.59  4498 .11
      | (?<=\d,\ )\ *(?=\d{{3}}(?!\d))              # inside a number: 1, 297.59
      | (?<=\ \ )\ *                                 # the rest of a longer run
    )
""", re.VERBOSE)

# --------------------------------------------------------------------------- stage 2: reflow

#: A document whose 90th-percentile line is wider than this is not hard-wrapped
#: (one paragraph per line, e.g. from DOCX or HTML): its line breaks are all kept.
MAX_WRAP_WIDTH = 160
#: A wrapped line fills at least this share of the wrap width; shorter lines end a paragraph.
FULL_LINE = 0.75
#: Fewer lines than this: the wrap width cannot be estimated; lines count as full.
MIN_LINES_FOR_WIDTH = 8


def _width(line: str) -> int:
    """Display width, approximately: characters from U+0800 (CJK, full-width) count 2, ASCII 1.

    >>> _width("编制 20 名")
    10
    """
    return (len(line.encode("utf-8", "surrogatepass")) + len(line)) // 2


def _wrap_width(widths: list[int]) -> int | None:
    """The width a hard-wrapped text fills (90th percentile), ``None`` if unknown."""
    if len(widths) < MIN_LINES_FOR_WIDTH:
        return None
    return sorted(widths)[int(0.9 * (len(widths) - 1))]


def _is_table_row(line: str) -> bool:
    """A row of a flattened table: cells joined by " | " (DOCX/HTML readers), numbers only,
    or two or more spaced text columns."""
    return " | " in line or (" " in line and bool(NUMERIC_ROW.fullmatch(line))) or len(_COLUMN_GAP.findall(line)) >= 2


def _is_heading_like(line: str, width: int, wrap: int | None) -> bool:
    """A short marker-led line without sentence punctuation: （二）年度总体工作和重点工作任务."""
    if not MARKER.match(line) or any(c in line for c in "，。；,;"):
        return False
    return width < 0.8 * wrap if wrap else len(line) <= 25


def _is_break(prev: str, prev_width: int, nxt: str, wrap: int | None,
              rows: tuple[bool, bool] | None = None) -> bool:
    """Is the line break between two content lines real (kept) or a PDF wrap (joined)?

    ``rows`` is ``(_is_table_row(prev), _is_table_row(nxt))`` when the caller has it.

    >>> _is_break("工作。", 6, "（二）年度", None), _is_break("行政编", 6, "制 20 名", None)
    (True, False)
    """
    if wrap is not None and wrap > MAX_WRAP_WIDTH:
        return True  # not a hard-wrapped text
    last = prev[-1]
    if last in _SENTENCE_END or (last in "”’」』）)" and len(prev) > 1 and prev[-2] in _SENTENCE_END):
        return True
    if MARKER.match(nxt) or LABEL.match(nxt):
        return True
    if last.isdigit() and _CJK_RE.match(nxt) and nxt[0] not in _UNIT:
        return True  # a number, then text that is not its unit: a table cell (单位数： 1 / 年度整体)
    if any(rows or (_is_table_row(prev), _is_table_row(nxt))) or NUMERIC_ROW.fullmatch(nxt):
        return True  # a row or a lone number cell of a flattened table
    if LABEL.match(prev) and (prev_width < FULL_LINE * wrap if wrap else len(prev) <= 24):
        return True  # a short form field: 填报日期：2025 年 9 月 8 日
    if wrap is not None and prev_width < FULL_LINE * wrap:
        return True  # a short line ends its paragraph
    return _is_heading_like(prev, prev_width, wrap)


def _reflow(t: str, pages: Sequence[Span] = ()) -> tuple[str, list[int]]:
    """Stage 2 over folded text ``t``: returns the reflowed text and its raw index per character."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(t)]
    if pages:
        lines = _drop_page_numbers(t, lines, pages)
    lines = [(a, b) for a, b in lines if not ARTIFACT.fullmatch(t, a, b)]
    texts = [t[a:b] for a, b in lines]
    widths = [_width(s) for s in texts]
    wrap = _wrap_width(widths)
    if wrap is not None and wrap > MAX_WRAP_WIDTH:
        rows = [False] * len(texts)  # not hard-wrapped: every break is kept, no need to look
    else:
        rows = [_is_table_row(x) for x in texts]
    out: list[str] = []
    index: list[int] = []
    for k, (a, b) in enumerate(lines):
        if k:
            prev, nxt = texts[k - 1], texts[k]
            gap = t.find("\n", lines[k - 1][1], a)  # the break's first newline (raw whitespace)
            if gap < 0:
                gap = lines[k - 1][1]
            if _is_break(prev, widths[k - 1], nxt, wrap, (rows[k - 1], rows[k])):
                out.append("\n")
                index.append(gap)
            elif prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum():
                out.append(" ")  # keep words and numbers apart: "PDF\nfile", "12\n34"
                index.append(gap)
        out.append(texts[k])
        index.extend(range(a, b))
    return "".join(out), index


def _drop_page_numbers(t: str, lines: list[tuple[int, int]], pages: Sequence[Span]) -> list[tuple[int, int]]:
    """Drop bare page numbers that are the first or last content line of a page."""
    keep = []
    for i, (a, b) in enumerate(lines):
        if PAGE_NUMBER.fullmatch(t, a, b):
            for p in pages:
                if p.start <= a < p.end:
                    inside = [j for j in (i - 1, i + 1) if 0 <= j < len(lines) and p.start <= lines[j][0] < p.end]
                    if len(inside) < 2:  # first or last line of its page
                        break
            else:
                keep.append((a, b))
            continue
        keep.append((a, b))
    return keep


# --------------------------------------------------------------------------- stage 3: spacing

def _despace(s: str, index: list[int]) -> tuple[str, list[int]]:
    """Stage 3: delete the space runs ``_DROP_SPACES`` claims; ``index`` maps ``s`` to raw."""
    out: list[str] = []
    new_index: list[int] = []
    pos = 0
    for m in _DROP_SPACES.finditer(s):
        a, b = m.span()
        out.append(s[pos:a])
        new_index.extend(index[pos:a])
        pos = b
    out.append(s[pos:])
    new_index.extend(index[pos:])
    return "".join(out), new_index


# --------------------------------------------------------------------------- entry points

def normalize(raw: str, pages: Sequence[Span] = ()) -> tuple[str, list[int], list[int]]:
    """Return ``(text, starts, ends)``: the normalized text and, for each of its
    characters, the raw half-open bounds it came from.

    ``pages`` (raw spans, as in ``Source.pages``) lets a bare page number at the top
    or bottom of a page be dropped; without it only decorated page numbers are.
    """
    folded = fold_width(raw)
    text, index = _despace(*_reflow(folded, pages))
    return text, index, list(map((1).__add__, index))


def make_document(raw: str, source: Source | None = None, doc_id: str = "doc") -> Document:
    """Build a :class:`Document` from raw text (the one entry point every reader uses)."""
    source = source or Source.for_string(raw)
    text, starts, ends = normalize(raw, source.pages)
    return Document(doc_id=doc_id, raw=raw, text=text, starts=starts, ends=ends, source=source)
