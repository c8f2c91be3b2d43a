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

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.rx.search(text, pos, self._end(text, endpos), timeout=TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def match(self, text: str, pos: int = 0, endpos: int | None = None):
        try:
            return self.rx.match(text, pos, self._end(text, endpos), timeout=TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator:
        try:
            yield from self.rx.finditer(text, pos, self._end(text, endpos), timeout=TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.name, TIMEOUT) from None

    def __repr__(self) -> str:
        return f"Pattern({self.name!r}, {self.rx.pattern[:40]!r})"
