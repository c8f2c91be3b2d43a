"""One parser for the figures in a report: amounts, counts and percents.

:func:`find_figures` finds every figure in a string with its offsets; a
:class:`Figure` keeps the number as written, the unit as written, the scale and the
exact ``Decimal`` value in SPEC units (yuan, persons, count, percent)::

    >>> f = find_figures("收入决算4500.43\\n\\n万元")[0]
    >>> f.number, f.unit, f.value
    (Decimal('4500.43'), '万元', Decimal('45004300.00'))

Handled: thousands separators (``1,297.59``), whitespace and line breaks inside a
figure (``25 万\\n\\n元``), full-width digits and points (``１２．５万元``), Chinese
numerals and mixed forms (``四个``, ``十三``, ``两名``, ``1.2万``, ``零``), a unit given
by the caller (a table header's ``（万元）``; a written ``万`` is not scaled twice), long
decimals, values above 100 %, percents in words (``百分之九十五``), negatives (``-3.5``,
``－3.5``, ``负3.5``; a minus right after a figure is a range or a subtraction). Masked
or placeholder values (``****``, ``x万元``, ``20xx``, ``XX%``) are
refused, never guessed; years and dates (``2024年``, ``6月20日``) are not figures.
Traditional 萬/億/兩/點 read as 万/亿/两/点 (the unit is then given in simplified form).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

# full-width forms folded one-to-one, so offsets into the folded string are offsets into the input
# (traditional 萬 億 兩 點 too: a report in traditional characters writes 100萬元)
_FOLD = str.maketrans("０１２３４５６７８９．，％－＋萬億兩點", "0123456789.,%-+万亿两点")
CN_DIGITS = "零〇一二两三四五六七八九十百千"
MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
COUNT_UNITS = ("人", "名", "个", "家", "项", "次", "位")
PERCENT = ("%",)
_W = r"[ \t\r\n\u3000]*"  # whitespace a PDF may leave inside a figure

FIGURE = regex.compile(
    rf"""
    (?P<sign>[-负]{_W})?
    (?P<pct>百分之)?                          # 百分之九十五
    (?P<num>
        \d{{1,3}}(?:,\d{{3}})+(?!\d)(?:\.\d+)?  # 1,297.59
      | \d+(?:{_W}\.{_W}\d+)?                 # 4500.43, 4500 . 43
      | [{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?    # 十三, 两, 零, 九十五点五
    )
    (?P<mult>{_W}[万亿](?!{_W}元))?           # 1.2万 (a multiplier, not 万元)
    {_W}
    (?P<unit>[亿万千]?{_W}元|%|人|名|个|家|项|次|位)?
    """,
    regex.VERBOSE,
)
MASK = regex.compile(r"[xX×*＊]")
#: A minus right after a figure is a range or a subtraction, not a sign: 588.55万元-731.80万元, 3-5
_AFTER_FIGURE = regex.compile(rf"[\d元%)）\]】万亿千人名个]{_W}$")
NOT_AFTER = regex.compile(rf"{_W}(?:年|月|日|号|时|分钟|岁|届|期|季度|批|月份|周)")


@dataclass(frozen=True)
class Figure:
    """A figure found in a string: ``[start, end)`` are offsets into that string."""

    value: Decimal  # in SPEC units: yuan / persons or count / percent
    number: Decimal  # as written (after the numeral multiplier 万/亿, before the unit)
    unit: str | None  # as written, whitespace removed: 万元, %, 人, 个 …
    scale: Decimal
    start: int
    end: int
    text: str
    amount_text: str = ""  # the number as written, without its unit: 1,297.59  十三  1.2万

    @property
    def kind(self) -> str:
        if self.unit in MONEY:
            return "money"
        if self.unit in PERCENT:
            return "percent"
        if self.unit in COUNT_UNITS:
            return "count"
        return "bare"


def cn_to_decimal(s: str) -> Decimal | None:
    """Chinese numerals (``十三``, ``两``, ``零``, ``一百二十``) to a Decimal, else None."""
    s = s.replace("两", "二").replace("〇", "零")
    if not s:
        return None
    if s == "零":
        return Decimal(0)
    if s[0] in "百千":
        s = "一" + s  # 百分之百, 千余
    try:
        import cn2an

        return Decimal(str(cn2an.cn2an(s, "strict")))
    except (ValueError, KeyError, TypeError):
        return None


def _to_decimal(num: str) -> Decimal | None:
    num = "".join(num.split()).replace(",", "")
    if num and num[0] in CN_DIGITS:
        return cn_to_decimal(num)
    try:
        return Decimal(num)
    except InvalidOperation:
        return None


def find_figures(text: str, default_unit: str | None = None, chinese: bool = True) -> list[Figure]:
    """Every figure in ``text``; ``default_unit`` applies to bare numbers (a table
    header's unit). ``chinese=False`` skips Chinese-numeral figures (they need a unit
    right after them to count anyway)."""
    folded = text.translate(_FOLD)
    out: list[Figure] = []
    for m in FIGURE.finditer(folded):
        num = m.group("num")
        is_cn = num[0] in CN_DIGITS
        unit = "%" if m.group("pct") else "".join((m.group("unit") or "").split()) or None
        if is_cn and (not chinese or unit is None):
            continue  # a Chinese numeral is a figure only with its unit (四个, 两名, 百分之五)
        s, e = m.start(), m.end()
        sign = bool(m.group("sign"))
        if sign and _AFTER_FIGURE.search(folded, 0, s):
            sign, s = False, m.start("pct") if m.group("pct") else m.start("num")  # 588.55万元-731.80万元, 3-5
        if unit is None:  # trailing whitespace is not part of a bare number
            e = s + len(folded[s:e].rstrip())
        # refuse masks and placeholders: 20xx, x万元, ****, XX%
        if (s > 0 and MASK.match(folded[s - 1])) or (e < len(folded) and MASK.match(folded[e])) \
                or MASK.search(folded[s:e]):
            continue
        if unit is None and NOT_AFTER.match(folded, e):
            continue
        if not is_cn and s > 0 and (folded[s - 1].isdigit() or folded[s - 1] == "."):
            continue
        number = _to_decimal(num)
        if number is None:
            continue
        mult = "".join((m.group("mult") or "").split())
        if mult:
            number *= Decimal(10000) if mult == "万" else Decimal(100000000)
        if sign:
            number = -number
        if unit is None and default_unit is not None:
            # a header's unit; a written multiplier (1.2万 under （万元）) already scaled the number
            unit = default_unit if not (mult and default_unit in MONEY) else "元"
        scale = MONEY.get(unit or "", Decimal(1))
        amount_end = m.end("mult") if mult else m.end("num")
        amount = ("-" if sign else "") + "".join(text[m.start("num"):amount_end].split())
        out.append(Figure(number * scale, number, unit, scale, s, e, text[s:e], amount))
    return out


def parse_number(text: str) -> Decimal | None:
    """The first number in ``text`` as written (no unit scaling), or None."""
    figs = find_figures(text)
    return figs[0].number if figs else None


def parse_figure(text: str, ftype: str, default_unit: str | None = None) -> float | int | None:
    """A fact's value from its span text, in SPEC units for fact type ``ftype``:
    finance → yuan (float), staffing/org → int, rate → percent (float). ``无`` / ``零``
    alone are 0. None when the text holds no usable figure."""
    t = "".join(text.split())
    if t in ("无", "零", "为零", "没有"):
        return 0.0 if ftype in ("finance", "rate") else 0
    figs = find_figures(text, default_unit=default_unit or ("万元" if ftype == "finance" and "元" not in t else None))
    if not figs:
        return None
    f = figs[0]
    if ftype == "finance":
        return float(f.value)
    if ftype == "rate":
        return float(f.number)
    if f.number != f.number.to_integral_value():
        return None
    return int(f.number)
