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
    end = len(text) if end is None else end
    out, pos = [], start
    while True:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        chunk = text[pos:stop]
        stripped = chunk.strip()
        lead = len(chunk) - len(chunk.lstrip()) if stripped else 0
        out.append(Line(pos, stop, pos + lead, pos + lead + len(stripped), stripped))
        if nl < 0:
            return out
        pos = nl + 1


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


def contents_ranges(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the contents lines of ``text`` that have a dotted leader
    (a bare trailing page number alone is too weak to drop a line's figures)."""
    out = []
    for ln in lines(text):
        if ln.text and LEADER_LINE.search(ln.text):
            out.append((ln.start, ln.end))
    return out


#: A line that is only a page number (``3``, ``- 3 -``, ``—3—``).
PAGE_NO = regex.compile(r"^\s*[-—]?\s*\d{1,3}\s*[-—]?\s*$")


def is_page_number(line: str) -> bool:
    return bool(PAGE_NO.match(line))
