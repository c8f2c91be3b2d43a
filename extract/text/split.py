"""The one sentence and clause splitter.

A sentence ends at ``。！？!?`` or a line break; with ``semicolons=True`` also at
``；;`` (the parts of an enumeration written as one sentence). A clause ends at
any of those or at ``，,：:``. Spans are ``[start, end)`` offsets into the text
given, the end including the closing punctuation mark.
"""
from __future__ import annotations

from typing import Iterator

import regex

SENTENCE_END = "。！？!?"
SEMICOLONS = "；;"
CLAUSE_END = "，,：:"

_SENT = regex.compile(r"[^。！？!?\n]+[。！？!?]*")
_SENT_SEMI = regex.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_CLAUSE = regex.compile(r"[^。！？!?；;，,：:\n]+[。！？!?；;，,：:]*")


def sentences(text: str, start: int = 0, end: int | None = None, semicolons: bool = False
              ) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text[start:end]``.

    >>> t = "收入100万元。支出90万元；结余10万元\\n二、问题"
    >>> [t[a:b] for a, b in sentences(t)]
    ['收入100万元。', '支出90万元；结余10万元', '二、问题']
    >>> [t[a:b] for a, b in sentences(t, semicolons=True)][:2]
    ['收入100万元。', '支出90万元；']
    """
    rx = _SENT_SEMI if semicolons else _SENT
    for m in rx.finditer(text, start, len(text) if end is None else end):
        yield m.start(), m.end()


def clauses(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each clause in ``text[start:end]``.

    >>> t = "但制度还不够完善，后续仍需加强。"
    >>> [t[a:b] for a, b in clauses(t)]
    ['但制度还不够完善，', '后续仍需加强。']
    """
    for m in _CLAUSE.finditer(text, start, len(text) if end is None else end):
        yield m.start(), m.end()
