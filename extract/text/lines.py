"""Lines with offsets, and the detectors for contents lines and page numbers."""
from __future__ import annotations

from dataclasses import dataclass

import regex


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text: ``[start, end)`` of the whole line (without its newline), the
    stripped content's ``[lstart, rend)`` and that content."""

    start: int
    end: int
    lstart: int
    rend: int
    text: str  # stripped

    @property
    def raw_line(self) -> tuple[int, int]:
        return self.start, self.end


def lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Every line of ``text[start:end]`` (blank lines included, with ``text == ""``).

    >>> [(l.start, l.end, l.text) for l in lines("ab\\n  c \\n")]
    [(0, 2, 'ab'), (3, 7, 'c'), (8, 8, '')]
    """
    chunk = text[start:end] if (start or end is not None) else text
    out = []
    pos = start
    for part in chunk.split("\n"):
        stripped = part.strip()
        if stripped:
            lead = pos + part.index(stripped[0])
            out.append(Line(pos, pos + len(part), lead, lead + len(stripped), stripped))
        else:
            out.append(Line(pos, pos + len(part), pos, pos, ""))
        pos += len(part) + 1
    return out


#: A line of a table of contents: a dotted (or dashed) leader, then a page number,
#: or a title followed by a bare page number.
CONTENTS_LINE = regex.compile(r"""
    (?:…{2,}|(?:[\.·．_—-]\s*){4,})\s*\d{0,3}\s*$   # leader dots, then (usually) the page number
  | \s\d{1,3}\s*$                                   # 一、基本情况 3
    """, regex.VERBOSE)
#: The stricter form that drops a line's figures: a dotted leader and a page number.
LEADER_LINE = regex.compile(r"(?:[…\.·．_—-]\s*){3,}\d{1,3}\s*$")
#: The words of a contents page's own heading.
CONTENTS_HEADING = regex.compile(r"^\s*目\s*录\s*$")


def is_contents_line(line: str) -> bool:
    """A line of a table of contents.

    >>> [is_contents_line(s) for s in ("一、基本情况……………3", "二、问题 12", "执行率98.5", "共3人")]
    [True, True, False, False]
    """
    return bool(CONTENTS_LINE.search(line))


def contents_ranges(text: str, lns: list[Line] | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` of the contents lines of ``text`` that have a dotted leader
    (a bare trailing page number alone is too weak to drop a line's figures); ``lns``:
    its lines, when the caller has them."""
    out = []
    for ln in lns if lns is not None else lines(text):
        if ln.text and LEADER_LINE.search(ln.text):
            out.append((ln.start, ln.end))
    return out


#: A line that is only a page number (``3``, ``- 3 -``, ``—3—``).
PAGE_NO = regex.compile(r"^\s*[-—]?\s*\d{1,3}\s*[-—]?\s*$")


def is_page_number(line: str) -> bool:
    return bool(PAGE_NO.match(line))


#: The end of a report's title line: what kind of document it names.
REPORT_TITLE_END = regex.compile(r"""
    (?:(?:部门|单位)?整体支出|项目支出|部门整体|单位整体)?
    (?:绩效(?:目标)?)?
    (?:自评价?|自我评价|评价)(?:报告|表)
  | 绩效自评(?=\s*$)
  | (?:部门|单位)决算(?:报告)?(?=\s*$|\s*[（(])
    """, regex.VERBOSE)
#: An organ's name ending (局, 委员会, 人民政府, 中心, 第三小学 …).
ORGAN_END = r"(?:局|委员会|人民政府|政府|办公室|中心|医院|醫院|卫生院|学校|中学|小学|大学|联合会|馆|館|站|所|院|厅|委|办|队)"
#: A line that is only an organ's name (a signature, or a title block's first line).
ORGAN_LINE = regex.compile(r"^\s*(?P<o>\p{Han}{3,24}?" + ORGAN_END + r")\s*(?:[（(](?:公章|盖章)[）)])?\s*$")
#: A line that is only a date (the signature's date).
DATE_LINE = regex.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*$")
#: An attachment line: 附件2, 附件：
ATTACHMENT = regex.compile(r"^\s*附件\s*\d{0,2}\s*[:：]?\s*(?:\S{0,30})?$")


_SENTENCE_MARK = regex.compile(r"[，。；]")


def ends_a_part(lns: list[Line], k: int) -> bool:
    """Whether raw line ``k`` (of non-blank lines) ends the part before it: the title of
    another report, an attachment line, or a signature (an organ's name over a date).

    >>> L = lines("加强培训。\\n某县统计局2023年度项目支出绩效自评报告\\n某县统计局\\n2024年3月2日")
    >>> [ends_a_part(L, k) for k in range(len(L))]
    [False, True, True, False]
    """
    text = lns[k].text
    if len(text) > 60:
        return False
    if ("附件" in text and ATTACHMENT.match(text)) or (("评" in text or "决算" in text) and REPORT_TITLE_END.search(text)
                                                     and not _SENTENCE_MARK.search(text)):
        return True
    nxt = lns[k + 1].text if k + 1 < len(lns) else ""
    return "年" in nxt and bool(DATE_LINE.match(nxt) and ORGAN_LINE.match(text))
