"""One grammar for heading and list markers.

Styles and their nesting level (smaller is higher)::

    part      第一部分                 1
    cn        一、  二.  三．          1
    paren_cn  （一）  (二)             2
    arabic    1.  1、  1．  (not 3.5)  3
    paren_ar  （1）  (1)               4
    circled   ①  ⑴  ❶                 5
    shi       一是  第二是              5
    ordinal   第一，  第二、            5

:data:`MARKER` is anchored (``.match(text, pos)``) and takes the indentation and the
space after the marker with it; the marker itself is the named group of its style.
:func:`inline_markers` finds markers run together mid-line (``…结算。二是该项目…``,
``存在的问题（1）资金拨付滞后……（2）…``): a marker counts there only as part of a run
numbered in order (1, 2, 3 / 一, 二, 三) of one style.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

CN_NUM = "一二三四五六七八九十"
_CN = f"[{CN_NUM}]"
_CIRCLED = "\u2460-\u2473\u2474-\u2487\u2776-\u277f"

#: The marker grammar; one named group per style.
MARKER = regex.compile(rf"""
    [ \t\u3000]*                                   # indentation (a PDF page start adds a space)
    (?:
        (?P<part>第{_CN}{{1,3}}部分)                # 第一部分
      | (?P<paren_cn>[（(]{_CN}{{1,3}}[)）])         # （一） (一)
      | (?P<paren_ar>[（(]\d{{1,2}}[)）])            # （1） (1)
      | (?P<cn>{_CN}{{1,3}}[、.．])                  # 一、 二. 三．
      | (?P<arabic>\d{{1,2}}(?:[、．]|\.(?!\d)|[ \t]+、))  # 1. 1、 1． 1 、 (not 3.5)
      | (?P<circled>[{_CIRCLED}])                   # ① ⑴ ❶
      | (?P<shi>第?{_CN}是)                          # 一是 第二是
      | (?P<ordinal>第{_CN}{{1,2}}[，,、:：])         # 第一， 第二、
    )
    [ \t\u3000]*                                   # space between marker and body
    """, regex.VERBOSE)

LEVEL = {"part": 1, "cn": 1, "paren_cn": 2, "arabic": 3, "paren_ar": 4, "circled": 5, "shi": 5, "ordinal": 5}
#: Styles that number the parts of a report (一、 （一） 第一部分): a line led by one is a heading candidate.
TOP_STYLES = ("part", "cn", "paren_cn")


@dataclass(frozen=True, slots=True)
class Marker:
    """A marker found in text: its style, ordinal (1-based, ``None`` if unknown), the
    marker's own ``[start, end)`` and where the body starts (after trailing space)."""

    style: str
    number: int | None
    start: int
    end: int
    body: int
    text: str

    @property
    def level(self) -> int:
        return LEVEL[self.style]


def _ordinal(style: str, s: str) -> int | None:
    if style == "circled":
        c = ord(s[0])
        for base in (0x2460, 0x2474, 0x2776):
            if base <= c < base + 20:
                return c - base + 1
        return None
    digits = "".join(c for c in s if "0" <= c <= "9")
    if digits:
        return int(digits)
    cn = "".join(c for c in s if c in CN_NUM)
    return cn_small(cn)


def cn_small(s: str) -> int | None:
    """一..九十九 as an int (``None`` otherwise).

    >>> [cn_small(s) for s in ("一", "十", "十二", "二十", "二十三", "")]
    [1, 10, 12, 20, 23, None]
    """
    if not s:
        return None
    if "十" not in s:
        return CN_NUM.index(s) + 1 if len(s) == 1 and s in CN_NUM[:9] else None
    tens, _, ones = s.partition("十")
    t = CN_NUM.index(tens) + 1 if tens else 1
    o = CN_NUM.index(ones) + 1 if ones else 0
    return t * 10 + o


def match(text: str, pos: int = 0, endpos: int | None = None) -> Marker | None:
    """The marker at ``pos`` (after indentation), or ``None``.

    >>> m = match("（二）年度工作"); (m.style, m.number, m.level, m.text)
    ('paren_cn', 2, 2, '（二）')
    >>> match("3.5万元") is None, match("1、2023年工作").style
    (True, 'arabic')
    """
    m = MARKER.match(text, pos, len(text) if endpos is None else endpos)
    if m is None:
        return None
    style = m.lastgroup
    return Marker(style, _ordinal(style, m.group(style)), m.start(style), m.end(style), m.end(), m.group(style))


def is_top(line: str) -> bool:
    """A line led by a marker that numbers the report's parts (一、 （一） 第一部分)."""
    m = match(line)
    return m is not None and m.style in TOP_STYLES


#: A marker standing mid-line: after a sentence or clause break, or right after a
#: heading word (存在的问题（1）…), never inside a number (2.5) or a date.
_INLINE = regex.compile(rf"""
    (?:(?<=[。；;！？!?：:，,\s）)]|问题|建议|措施|原因|打算|计划|方向|不足)  # what may stand before it
       | (?<=\p{{Han}})(?=[（(]))                    # or, in run-on text, any word before a bracket marker
    (?:
        (?P<paren_ar>[（(]\d{{1,2}}[)）])
      | (?P<paren_cn>[（(]{_CN}{{1,3}}[)）])
      | (?P<arabic>\d{{1,2}}[、．](?!\d))
      | (?P<circled>[{_CIRCLED}])
      | (?P<shi>第?{_CN}是)
    )
    """, regex.VERBOSE)


def inline_markers(text: str, start: int = 0, end: int | None = None, first: Marker | None = None) -> list[Marker]:
    """Markers run together inside ``text[start:end]`` that form runs numbered in order.

    A run of one style counts from its first member (1 / 一) up; a marker that does not
    continue a run of its style is dropped, and a run needs two members. ``first`` is a
    marker at a line start that a run may continue (it is not returned).

    >>> t = "存在的问题（1）资金拨付滞后。（2）目标不细。2、改进建议（1）加快拨付。（2）细化目标。"
    >>> [(m.style, m.number) for m in inline_markers(t)]
    [('paren_ar', 1), ('paren_ar', 2), ('paren_ar', 1), ('paren_ar', 2)]
    """
    end = len(text) if end is None else end
    runs: dict[str, list[list[Marker]]] = {first.style: [[first]]} if first is not None else {}
    for m in _INLINE.finditer(text, start, end):
        style = m.lastgroup
        mk = Marker(style, _ordinal(style, m.group(style)), m.start(style), m.end(style), m.end(), m.group(style))
        if mk.number is None:
            continue
        style_runs = runs.setdefault(style, [])
        if mk.number == 1:
            style_runs.append([mk])
        elif style_runs and style_runs[-1][-1].number == mk.number - 1:
            style_runs[-1].append(mk)
    out = [mk for style_runs in runs.values() for run in style_runs if len(run) >= 2 for mk in run if mk is not first]
    return sorted(out, key=lambda mk: mk.start)
