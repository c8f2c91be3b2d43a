"""Named patterns: a regex with a name and a score, matched with a time limit.

A rule's pattern is data (``Pattern(name, regex, score)``): the name is what
``Evidence.rule`` records when it fires, so a result can be traced to the pattern that
made it. Every call that scans a whole document goes through a :class:`Pattern`,
which passes the ``regex`` module's ``timeout``: a pattern that backtracks
catastrophically on pathological input raises :class:`~extract.core.PatternTimeout`
(one line, the document is refused) instead of hanging a batch.
"""
from __future__ import annotations

from typing import Iterator

import regex

from ..core import PatternTimeout

#: Seconds one match call may take. Real reports take microseconds; this bounds the worst case.
TIMEOUT = 2.0
#: Spans shorter than this are matched without a timeout: the ``regex`` module's timeout costs
#: about 9 µs a call (15x a short match), and a line-sized input cannot backtrack for seconds.
TIMED_FROM = 4000


class Pattern:
    """A named, compiled pattern; ``search`` / ``match`` / ``finditer`` take ``pos`` and
    ``endpos`` like the compiled pattern's methods, and time out after :data:`TIMEOUT`.

    >>> p = Pattern("year", r"(\\d{4})年")
    >>> p.search("2024年度").group(1), p.name
    ('2024', 'year')
    """

    __slots__ = ("name", "rx", "score")

    def __init__(self, name: str, pattern: str | regex.Pattern, flags: int = 0, score: float = 1.0) -> None:
        self.name = name
        self.rx = pattern if isinstance(pattern, regex.Pattern) else regex.compile(pattern, flags)
        self.score = score

    @property
    def pattern(self) -> str:
        return self.rx.pattern

    def _end(self, text: str, endpos: int | None) -> int:
        return len(text) if endpos is None else endpos

    def _timeout(self, pos: int, end: int) -> float | None:
        return TIMEOUT if end - pos >= TIMED_FROM else None

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        end = self._end(text, endpos)
        try:
            return self.rx.search(text, pos, end, timeout=self._timeout(pos, end))
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        end = self._end(text, endpos)
        try:
            return self.rx.match(text, pos, end, timeout=self._timeout(pos, end))
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator:
        end = self._end(text, endpos)
        try:
            yield from self.rx.finditer(text, pos, end, timeout=self._timeout(pos, end))
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def __repr__(self) -> str:
        return f"Pattern({self.name!r}, {self.rx.pattern[:40]!r})"
