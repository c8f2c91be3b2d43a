"""部门决算 (a department's published final accounts): kind, meta, facts, checks.

A 部门决算 has nine standard tables (:data:`STANDARD_TABLES`) and an explanation of
each figure (情况说明). The entry point :func:`extract_final_accounts` returns
``None`` for any other document, else a :class:`FinalAccounts` with

- ``meta``: ``report_kind: final_accounts``, ``title`` (部门决算 / 单位决算),
  ``fiscal_year`` and ``unit`` read from the cover (``上海市普陀区财政局 / 2024年度部门决算``)
  or from a 部门名称/单位名称 line, never from a sentence;
- ``facts``: the SPEC finance figures, from the table cells (``Document.tables``, raw
  cell spans) and from the explanation's sentences (:data:`TEXT_PATTERNS`);
- ``checks``: the final-accounts identities of the 收入支出决算总表
  (本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 收入总计 = 支出总计 =
  本年支出合计 + 结余分配 + 年末结转和结余), the explanation's figures against the
  tables', and which of the nine standard tables are present.

Which figures are facts (the scope the gold in ``annotations/pdf`` follows) is listed
in ``annotations/SPEC_EXTENSIONS.md``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..core import Cell, Check, Document, Evidence, Fact, MetaField, Span, Table
from ..normalize import fold_traditional

EXTRACTOR = "final_accounts.rules.v1"
KIND = "final_accounts"
TEN_THOUSAND = Decimal(10000)
#: Two figures agree when they differ by at most this many 万元 (the tables round to 0.01).
TOLERANCE = Decimal("0.01")

#: The nine standard tables: key -> (name as the template writes it, accepted title patterns).
STANDARD_TABLES: dict[str, tuple[str, str]] = {
    "income_expenditure_total": ("收入支出决算总表", r"(?<!财政拨款)收入支出决算总表"),
    "income": ("收入决算表", r"^收入决算表"),
    "expenditure": ("支出决算表", r"^支出决算表"),
    "fiscal_total": ("财政拨款收入支出决算总表", r"财政拨款收(?:入)?支(?:出)?决算总表"),
    "general_public": ("一般公共预算财政拨款支出决算表", r"一般公共预算财政拨款支出决算(?:明细)?表"),
    "general_public_basic": ("一般公共预算财政拨款基本支出决算表", r"一般公共预算财政拨款基本支出决算表"),
    "government_fund": ("政府性基金预算财政拨款支出决算表", r"政府性基金预算财政拨款(?:收入)?支出决算表"),
    "state_capital": ("国有资本经营预算财政拨款支出决算表", r"国有资本经营预算财政拨款(?:收入)?支出决算表"),
    "three_public": ("“三公”经费支出决算表", r"三公[”\"']?经费支出决算表"),
}
_TITLE_RES = {k: re.compile(p) for k, (_, p) in STANDARD_TABLES.items()}

#: The cover's title, its lines joined: <unit><year>年度部门决算 or <year>年度<unit>部门决算.
_COVER_UNIT_FIRST = re.compile(r"""
    (?P<unit>[^\d|：:，。；]{2,40}?)\s*               # 上海市普陀区财政局
    (?P<year>(?:19|20)\d{2})\s*年度?\s*              # 2024年度 (2021年)
    (?P<title>部门决算|单位决算)$                      # 部门决算
""", re.VERBOSE)
_COVER_YEAR_FIRST = re.compile(r"""
    (?P<year>(?:19|20)\d{2})\s*年度?\s*              # 2022年度
    (?P<unit>[^\d|：:，。；]{2,40}?)\s*               # 安澜县第二中学
    (?P<title>部门决算|单位决算)$
""", re.VERBOSE)
#: Cover text that is not the unit's name: （汇总）, （本级）, 本级 at the end.
_UNIT_NOISE = re.compile(r"[（(](?:汇总|本级|本部)[）)]|本级$")
#: Web-page lines above a title (breadcrumbs, publication data, index tables).
_FURNITURE = re.compile(r"\||当前位置|发布|来源|索引|首页|字体|日期|[：:]")
#: A title line: ends with 部门决算 / 单位决算 (and 目录 when reflow joined the contents heading).
_TITLE_LINE = re.compile(r"((?:部门|单位)决算)(?:\s*目\s*录)?$")
#: Lines of the cover block read for the title (the title line and those just above it).
COVER_LINES = 3
_NAME_LINE = re.compile(r"(?:部门|单位)名称[：:]\s*(?P<unit>[^\s，。；]{2,40})")

_AMOUNT = r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元"
#: Sentences of the explanation: (rule id, pattern with ``amount``, name, stage, qualifier).
TEXT_PATTERNS: tuple[tuple[str, re.Pattern, str, str | None, str | None], ...] = tuple(
    (rule, re.compile(p), name, stage, qualifier) for rule, p, name, stage, qualifier in (
        ("income_total", r"本年收入合计" + _AMOUNT, "income", "final", None),
        ("income_fiscal", r"(?<!上级补助)财政拨款收入" + _AMOUNT, "income", "final", "fiscal"),
        ("income_other", r"其他收入" + _AMOUNT, "income", "final", "other"),
        ("expenditure_total", r"本年支出合计" + _AMOUNT, "expenditure", "final", None),
        ("basic", r"基本支出" + _AMOUNT, "basic_expenditure", "final", None),
        ("project", r"(?<!特定)项目支出" + _AMOUNT, "project_expenditure", "final", None),
        ("general_public", r"一般公共预算财政拨款支出" + _AMOUNT, "expenditure", "final", "general_public"),
        ("personnel", r"人员经费" + _AMOUNT, "personnel_expenditure", "final", None),
        ("public", r"(?<!日常)公用经费" + _AMOUNT, "public_expenditure", "final", None),
    ))
#: The budget-versus-final sentence of 一般公共预算财政拨款支出 and of “三公”经费.
_BUDGET_SENTENCE = re.compile(r"(?P<who>一般公共预算财政拨款支出|三公[”\"']?经费(?:财政拨款)?支出)"
                              r"(?=年初预算为|全年预算为)[^。；]*")
_STAGE_CLAUSES = (("budget", re.compile(r"年初预算(?:数)?为" + _AMOUNT)),
                  ("adjusted", re.compile(r"全年预算(?:数)?为" + _AMOUNT)),
                  ("final", re.compile(r"(?:支出)?决算(?:数)?为" + _AMOUNT)))
#: The budget-versus-final sentence's execution rate: 完成年初预算的98.20%
_RATE_CLAUSE = re.compile(r"完成(?:年初|全年)?预算(?:数)?的(?P<amount>\d+(?:\.\d+)?)\s*%")
_CLASS_TEXT = re.compile(r"(?P<cls>[\u4e00-\u9fff]{2,20}支出)（类）" + _AMOUNT)

#: Row labels of the 收入支出决算总表 and 财政拨款收入支出决算总表: pattern -> (name, qualifier, stage).
_INCOME_SOURCES = (
    (re.compile(r"^一般公共预算财政拨款(?:收入)?$"), "income", "general_public"),
    (re.compile(r"^政府性基金预算财政拨款(?:收入)?$"), "income", "government_fund"),
    (re.compile(r"^国有资本经营预算财政拨款(?:收入)?$"), "income", "state_capital"),
    (re.compile(r"^其他收入$"), "income", "other"),
)
_NUMBERING = re.compile(r"^\s*[（(]?[一二三四五六七八九十]{1,3}[、.）)]\s*")


@dataclass(frozen=True)
class FinalAccounts:
    """What :func:`extract_final_accounts` found; ``meta`` overrides the generic meta fields."""

    meta: tuple[MetaField, ...]
    facts: tuple[Fact, ...]
    checks: tuple[Check, ...]
    tables: dict  # standard table key -> list of Table (a table continued on the next page is two)


# --------------------------------------------------------------------------- detection and meta

def is_final_accounts(doc: Document) -> bool:
    """A 部门决算: a cover title ``<unit><year>年度部门决算``, or an opening naming 部门决算 and a
    text naming a 决算总表."""
    cover = _cover(doc)
    if cover and (_COVER_UNIT_FIRST.search(cover[0]) or _COVER_YEAR_FIRST.search(cover[0])):
        return True  # a cover title: <unit><year>年度部门决算
    text = fold_traditional(doc.text)
    head = "".join(text[:600].split())
    return bool(re.search(r"(?:部门|单位)决算(?!表)", head)) and "决算总表" in text


def _cover(doc: Document) -> tuple[str, list[int]] | None:
    """The cover block ending at the first 部门决算/单位决算 title line, its lines joined
    (folded to simplified characters, one for one), and the text offset of each character."""
    text = fold_traditional(doc.text[:1500])
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text[:1500].split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    for k, (start, line) in enumerate(lines):
        if _TITLE_LINE.search(line.strip()) and not re.match(r"\s*第", line) and not _FURNITURE.search(line):
            line = _TITLE_LINE.sub(lambda t: t.group(1), line.rstrip())  # 部门决算目录 (joined by reflow)
            lines[k] = (start, line)
            block = [(s, l) for s, l in lines[max(0, k - COVER_LINES + 1):k + 1]]
            while len(block) > 1 and _FURNITURE.search(block[0][1]):
                block = block[1:]
            block = [b for b in block if not _FURNITURE.search(b[1])] or block[-1:]
            joined, index = "", []
            for s, l in block:
                for i, ch in enumerate(l):
                    if not ch.isspace():
                        joined += ch
                        index.append(s + i)
            return joined, index
    return None


def _meta(doc: Document) -> list[MetaField]:
    out = [MetaField("report_kind", KIND, None, Evidence(EXTRACTOR, "kind", 0.95,
                                                          "opening names 部门决算 and the text has 决算总表"))]
    cover = _cover(doc)
    m = None
    if cover:
        joined, index = cover
        m = _COVER_UNIT_FIRST.search(joined) or _COVER_YEAR_FIRST.search(joined)
    if m:
        rule = "cover_unit_first" if m.re is _COVER_UNIT_FIRST else "cover_year_first"
        unit_start, unit_end = m.span("unit")
        noise = _UNIT_NOISE.search(joined, unit_start, unit_end)
        if noise:
            unit_end = noise.start() if noise.end() == unit_end else unit_end
        for name, (a, b) in (("title", m.span("title")), ("fiscal_year", m.span("year")),
                             ("unit", (unit_start, unit_end))):
            s, e = index[a], index[b - 1] + 1
            value = {"title": doc.text[s:e], "fiscal_year": int(m.group("year")),
                     "unit": _UNIT_NOISE.sub("", "".join(doc.text[s:e].split()))}[name]
            out.append(MetaField(name, value, doc.to_raw(s, e),
                                 Evidence(EXTRACTOR, rule, 0.95, "cover title: unit, year, 部门决算")))
        return out
    m = _NAME_LINE.search(doc.text)
    if m:
        out.append(MetaField("unit", m.group("unit"), doc.to_raw(m.start("unit"), m.end("unit")),
                             Evidence(EXTRACTOR, "name_line", 0.9, "部门名称/单位名称 line")))
    return out


# --------------------------------------------------------------------------- tables

def _number(text: str) -> Decimal | None:
    t = "".join(text.split()).replace(",", "")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _cells(row: tuple[Cell, ...]) -> list[Cell]:
    """The row's own cells (a merged continuation counts once, as in the raw row line)."""
    return [c for c in row if not c.merged]


def _label(text: str) -> str:
    return _NUMBERING.sub("", "".join(text.split()))


def classify_tables(doc: Document) -> dict[str, list[Table]]:
    """Standard table key -> its tables, by the title line above each table.

    A table with no title between it and the previous table continues the previous one
    (a table broken over two pages).
    """
    out: dict[str, list[Table]] = {}
    prev_end, prev_key = 0, None
    for table in sorted(doc.tables, key=lambda t: t.span.start):
        between = doc.raw[prev_end:table.span.start]
        key = None
        for line in reversed(between.split("\n")[-4:]):
            line = _label(line)
            key = next((k for k, r in _TITLE_RES.items() if r.search(line) and line.endswith("表")), None)
            if key:
                break
        key = key or (prev_key if not between.strip("\n").strip() or _only_units(between) else None)
        if key:
            out.setdefault(key, []).append(table)
        prev_end, prev_key = table.span.end, key
    return out


def _only_units(text: str) -> bool:
    return all(not l.strip() or "单位" in l and "元" in l for l in text.split("\n"))


def _fact(name: str, stage: str | None, qualifier: str | None, value: Decimal, span: Span, raw: str,
          rule: str, why: str, score: float = 0.95) -> Fact:
    return Fact("finance", name, value * TEN_THOUSAND, span, Evidence(EXTRACTOR, rule, score, why),
                stage=stage, qualifier=qualifier, amount_text=raw, unit="万元", scale=TEN_THOUSAND)


def _value_cell(cells: list[Cell], i: int) -> Cell | None:
    """The first cell after position ``i`` holding a number (skipping nothing else)."""
    if i + 1 < len(cells) and _number(cells[i + 1].text) is not None:
        return cells[i + 1]
    return None


def _pairs(table: Table) -> Iterator[tuple[str, Cell, Cell]]:
    """(label, label cell, value cell) for each label cell followed by a number cell."""
    for row in table.rows:
        cells = _cells(row)
        for i, c in enumerate(cells):
            if c.text and _number(c.text) is None:
                v = _value_cell(cells, i)
                if v is not None:
                    yield _label(c.text), c, v


@lru_cache(maxsize=1)
def _functional_classes() -> frozenset[str]:
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "functional_classes.json")
                      .read_text(encoding="utf-8"))
    return frozenset(c["name"] for c in data["classes"])


def _total_table(tables: list[Table], fiscal: bool) -> tuple[list[Fact], dict[str, tuple[Decimal, Cell]]]:
    """Facts of a 收入支出决算总表 (or its 财政拨款 version) and its labelled figures for the checks."""
    facts: list[Fact] = []
    figures: dict[str, tuple[Decimal, Cell]] = {}
    rule = "fiscal_total_table" if fiscal else "total_table"
    where = "财政拨款收入支出决算总表" if fiscal else "收入支出决算总表"
    carry = False
    for table in tables:
        for label, lc, vc in _pairs(table):
            value = _number(vc.text)
            assert value is not None
            if "结转和结余" in label:
                carry = True
            key = label if label not in figures else f"{label}#2"
            figures.setdefault(key, (value, vc))
            if label == "本年收入合计":
                facts.append(_fact("income", "final", "fiscal" if fiscal else None, value, vc.span, vc.text,
                                   rule, f"{where}: 本年收入合计"))
            elif label == "本年支出合计":
                facts.append(_fact("expenditure", "final", "fiscal" if fiscal else None, value, vc.span, vc.text,
                                   rule, f"{where}: 本年支出合计"))
            elif label == "年初结转和结余" and not fiscal:
                facts.append(_fact("carryover_begin", None, None, value, vc.span, vc.text, rule, f"{where}: {label}"))
            elif label == "年末结转和结余" and not fiscal:
                facts.append(_fact("carryover_end", None, None, value, vc.span, vc.text, rule, f"{where}: {label}"))
            elif label in _functional_classes() and not fiscal:
                facts.append(_fact("expenditure", "final", label, value, vc.span, vc.text, rule,
                                   f"{where}: functional class {label}"))
            elif not carry:
                for pattern, name, qualifier in _INCOME_SOURCES:
                    if pattern.match(label) and not (fiscal and qualifier == "other"):
                        facts.append(_fact(name, "final", qualifier, value, vc.span, vc.text, rule,
                                           f"{where}: {label}"))
    return facts, figures


def _header_columns(table: Table, words: tuple[str, ...]) -> list[str] | None:
    """Labels of the value columns, from the header row naming ``words`` (after its 项目 cell)."""
    for row in table.rows:
        texts = [_label(c.text) for c in _cells(row)]
        if all(w in texts for w in words):
            start = texts.index("项目") + 1 if "项目" in texts else 0
            return texts[start:]
    return None


def _total_row(tables: list[Table], columns: list[str], names: dict[str, tuple[str, str | None]],
               rule: str, where: str, first_only: bool = False) -> list[Fact]:
    """Facts of the 合计 row: the numbers after the 合计 cell, column by column."""
    for table in tables:
        for row in table.rows:
            cells = _cells(row)
            texts = [_label(c.text) for c in cells]
            if "合计" not in texts:
                continue
            values = cells[texts.index("合计") + 1:]
            if not values or _number(values[0].text) is None:
                continue
            out = []
            for col, cell in zip(columns, values[:1] if first_only else values):
                value = _number(cell.text)
                if value is None or col not in names:
                    continue
                name, qualifier = names[col]
                out.append(_fact(name, "final", qualifier, value, cell.span, cell.text, rule, f"{where}: 合计 {col}"))
            return out
    return []


def _class_rows(tables: list[Table], where: str) -> list[Fact]:
    """Functional-class (类) rows: a 3-digit code, empty 款/项 cells, the class name, its total."""
    out = []
    for table in tables:
        for row in table.rows:
            cells = _cells(row)
            if not cells or not re.fullmatch(r"\d{3}", cells[0].text.strip()):
                continue
            rest = cells[1:]
            while rest and not rest[0].text.strip():
                rest = rest[1:]
            if len(rest) < 2 or _label(rest[0].text) not in _functional_classes():
                continue
            value = _number(rest[1].text)
            if value is not None:
                out.append(_fact("expenditure", "final", _label(rest[0].text), value, rest[1].span, rest[1].text,
                                 "class_row", f"{where}: class {cells[0].text.strip()} {_label(rest[0].text)}"))
    return out


def _three_public(tables: list[Table]) -> list[Fact]:
    """The 合计 budget and final of the “三公” table: the first two cells of its first data row."""
    for table in tables:
        rows = [_cells(r) for r in table.rows]
        for i, cells in enumerate(rows):
            if [_label(c.text) for c in cells[:2]] == ["预算数", "决算数"]:
                for data in rows[i + 1:]:
                    if any(_number(c.text) is not None for c in data):
                        out = []
                        for stage, cell in zip(("budget", "final"), data[:2]):
                            value = _number(cell.text)
                            if value is not None:
                                out.append(_fact("three_public", stage, None, value, cell.span, cell.text,
                                                 "three_public_table", f"“三公”经费支出决算表: 合计 {stage}"))
                        return out
    return []


def _table_facts(tables: dict[str, list[Table]]) -> tuple[list[Fact], dict[str, tuple[Decimal, Cell]]]:
    facts, figures = _total_table(tables.get("income_expenditure_total", []), fiscal=False)
    fiscal_facts, _ = _total_table(tables.get("fiscal_total", []), fiscal=True)
    facts += fiscal_facts
    income = tables.get("income", [])
    cols = _header_columns(income[0], ("本年收入合计",)) if income else None
    if cols:
        facts += _total_row(income, cols, {"本年收入合计": ("income", None), "财政拨款收入": ("income", "fiscal"),
                                           "其他收入": ("income", "other")}, "income_table", "收入决算表")
    spending = tables.get("expenditure", [])
    cols = _header_columns(spending[0], ("本年支出合计",)) if spending else None
    if cols:
        facts += _total_row(spending, cols, {"本年支出合计": ("expenditure", None),
                                             "基本支出": ("basic_expenditure", None),
                                             "项目支出": ("project_expenditure", None)},
                            "expenditure_table", "支出决算表")
        facts += _class_rows(spending, "支出决算表")
    gp = tables.get("general_public", [])
    if gp:
        facts += _total_row(gp, ["合计"], {"合计": ("expenditure", "general_public")}, "general_public_table",
                            "一般公共预算财政拨款支出决算表", first_only=True)
    for table in tables.get("general_public_basic", []):
        for label, _, vc in _pairs(table):
            name = {"人员经费合计": "personnel_expenditure", "公用经费合计": "public_expenditure"}.get(label)
            value = _number(vc.text)
            if name and value is not None:
                facts.append(_fact(name, "final", None, value, vc.span, vc.text, "basic_table",
                                   f"一般公共预算财政拨款基本支出决算表: {label}"))
    facts += _three_public(tables.get("three_public", []))
    return facts, figures


# --------------------------------------------------------------------------- explanation

def _text_facts(doc: Document) -> list[Fact]:
    """Figures of the explanation's sentences (table rows, written with ``" | "``, are skipped)."""
    text = doc.text
    out: list[Fact] = []
    seen: set[int] = set()

    def add(name, stage, qualifier, m, rule, why):
        s, e = m.span("amount")
        if s in seen:
            return
        seen.add(s)
        end = m.end()
        value = Decimal(m.group("amount").replace(",", ""))
        out.append(_fact(name, stage, qualifier, value, doc.to_raw(s, end), m.group("amount"), rule, why, 0.9))

    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if " | " in line:
            continue
        for m in _BUDGET_SENTENCE.finditer(line):
            three = "三公" in m.group("who")
            name, qualifier = ("three_public", None) if three else ("expenditure", "general_public")
            for stage, pattern in _STAGE_CLAUSES:
                c = pattern.search(line, m.start(), m.end())
                if c:
                    add(name, stage, qualifier, _Shift(c, start), f"budget_sentence_{stage}",
                        f"{m.group('who')} … {stage}")
            rate = _RATE_CLAUSE.search(line, m.start(), m.end())
            if rate and rate.start("amount") not in seen:
                s, e = rate.start("amount") + start, rate.end() + start
                seen.add(s)
                out.append(Fact("rate", "execution_rate", Decimal(rate.group("amount")), doc.to_raw(s, e),
                                Evidence(EXTRACTOR, "budget_sentence_rate", 0.9, f"{m.group('who')} … 完成预算的 N%"),
                                amount_text=rate.group("amount"), unit="%"))
        for rule, pattern, name, stage, qualifier in TEXT_PATTERNS:
            for m in pattern.finditer(line):
                if rule == "general_public" and line[m.end():m.end() + 1] == "年":
                    continue
                add(name, stage, qualifier, _Shift(m, start), rule, f"explanation: {pattern.pattern[:12]}…")
        for m in _CLASS_TEXT.finditer(line):
            cls = m.group("cls")
            for known in _functional_classes():
                if cls.endswith(known):
                    add("expenditure", "final", known, _Shift(m, start), "class_sentence", f"{known}（类） amount")
                    break
    return out


class _Shift:
    """A match on one line, seen with offsets into the whole text."""

    def __init__(self, m: re.Match, offset: int) -> None:
        self.m, self.offset = m, offset

    def span(self, group: str) -> tuple[int, int]:
        s, e = self.m.span(group)
        return s + self.offset, e + self.offset

    def end(self) -> int:
        return self.m.end() + self.offset

    def group(self, name: str) -> str:
        return self.m.group(name)


# --------------------------------------------------------------------------- checks

def _identity_checks(figures: dict[str, tuple[Decimal, Cell]]) -> list[Check]:
    def get(label: str) -> tuple[Decimal, Cell | None]:
        v = figures.get(label)
        return (v[0], v[1]) if v else (Decimal(0), None)

    if "本年收入合计" not in figures or "总计" not in figures:
        return [Check("final_accounts_identities", "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 收入总计",
                      "not_applicable", message="no 收入支出决算总表 with 本年收入合计 and 总计")]
    sides = (
        ("final_accounts_income_total", "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 收入总计",
         ("本年收入合计", "使用非财政拨款结余（含专用结余）", "使用非财政拨款结余", "年初结转和结余"), "总计"),
        ("final_accounts_expenditure_total", "本年支出合计 + 结余分配 + 年末结转和结余 = 支出总计",
         ("本年支出合计", "结余分配", "年末结转和结余"), "总计#2"),
    )
    out = []
    for name, identity, parts, total in sides:
        stated, cell = get(total)
        inputs = []
        computed = Decimal(0)
        for p in parts:
            v, c = get(p)
            computed += v
            if c is not None:
                inputs.append((p, c.text, c.span))
        if cell is None:
            out.append(Check(name, identity, "not_applicable", tuple(inputs), computed, None, f"no {total}"))
            continue
        inputs.append((total.split("#")[0], cell.text, cell.span))
        ok = abs(computed - stated) <= TOLERANCE
        out.append(Check(name, identity, "pass" if ok else "fail", tuple(inputs), computed, stated,
                         f"{computed} {'=' if ok else '≠'} {stated} 万元"))
    income_total, ic = get("总计")
    spend_total, sc = get("总计#2")
    if ic is not None and sc is not None:
        ok = abs(income_total - spend_total) <= TOLERANCE
        out.append(Check("final_accounts_totals_equal", "收入总计 = 支出总计", "pass" if ok else "fail",
                         (("收入总计", ic.text, ic.span), ("支出总计", sc.text, sc.span)), income_total, spend_total,
                         f"{income_total} {'=' if ok else '≠'} {spend_total} 万元"))
    return out


def _explanation_check(text_facts: list[Fact], table_facts: list[Fact], gp_classes: list[Fact]) -> Check:
    """Each explanation figure equals a table figure of the same name, stage and qualifier.

    The explanation's functional classes (一般公共预算财政拨款支出 … 主要用于 X支出（类）) are
    compared with the class rows of the 一般公共预算财政拨款支出决算表 (``gp_classes``).
    """
    by_key: dict[tuple, list[Fact]] = {}
    for f in table_facts:
        by_key.setdefault((f.name, f.stage, f.qualifier), []).append(f)
    gp_key = {(f.name, f.stage, f.qualifier): [f] for f in gp_classes}
    inputs, bad, compared = [], [], 0
    for f in text_facts:
        same = (gp_key if f.evidence.rule == "class_sentence" else by_key).get((f.name, f.stage, f.qualifier))
        if not same:
            continue
        compared += 1
        inputs.append((f"{f.name}/{f.stage}/{f.qualifier}", f.amount_text, f.span))
        if not any(abs(f.value - t.value) <= TOLERANCE * TEN_THOUSAND for t in same):
            bad.append(f"{f.name} {f.qualifier or ''} text {f.amount_text} vs table "
                       f"{'/'.join(sorted({t.amount_text for t in same}))}")
    identity = "every explanation figure = the table figure of the same name, stage and qualifier"
    if not compared:
        return Check("final_accounts_text_vs_tables", identity, "not_applicable", message="no figure to compare")
    return Check("final_accounts_text_vs_tables", identity, "fail" if bad else "pass", tuple(inputs),
                 Decimal(compared - len(bad)), Decimal(compared),
                 "; ".join(bad) if bad else f"{compared} explanation figures equal their tables'")


def _tables_check(doc: Document, tables: dict[str, list[Table]]) -> Check:
    """Which of the nine standard tables are present: a title line followed by a table."""
    present = [k for k in STANDARD_TABLES if tables.get(k)]
    missing = [STANDARD_TABLES[k][0] for k in STANDARD_TABLES if k not in present]
    empty = [k for k in present if not any(_number(c.text) for t in tables[k] for row in t.rows for c in row
                                           if not re.fullmatch(r"\d{3,7}", c.text.strip()))]
    inputs = tuple((STANDARD_TABLES[k][0], "present without figures" if k in empty else "present", tables[k][0].span)
                   for k in present)
    identity = "the nine standard tables of a 部门决算 are present"
    note = f" ({len(empty)} without figures: {'、'.join(STANDARD_TABLES[k][0] for k in empty)})" if empty else ""
    if missing:
        return Check("final_accounts_standard_tables", identity, "fail", inputs, Decimal(len(present)),
                     Decimal(len(STANDARD_TABLES)), "missing: " + "、".join(missing) + note)
    return Check("final_accounts_standard_tables", identity, "pass", inputs, Decimal(9), Decimal(9),
                 "all nine standard tables present" + note)


# --------------------------------------------------------------------------- entry point

def extract_final_accounts(doc: Document, sections: object = None) -> FinalAccounts | None:
    """Meta overrides, facts and checks of a 部门决算; ``None`` for any other document."""
    if not is_final_accounts(doc):
        return None
    tables = classify_tables(doc)
    table_facts, figures = _table_facts(tables)
    text_facts = _text_facts(doc)
    facts = sorted(table_facts + text_facts, key=lambda f: (f.span.start, f.span.end))
    gp_classes = _class_rows(tables.get("general_public", []), "一般公共预算财政拨款支出决算表")
    checks = [*_identity_checks(figures), _explanation_check(text_facts, table_facts, gp_classes),
              _tables_check(doc, tables)]
    return FinalAccounts(tuple(_meta(doc)), tuple(facts), tuple(checks), tables)


def merge(found: FinalAccounts | None, meta: tuple[MetaField, ...], facts: tuple[Fact, ...]
          ) -> tuple[tuple[MetaField, ...], tuple[Fact, ...]]:
    """The generic meta and facts with a 部门决算's own: its meta fields replace the generic
    ones of the same name; when the document has its standard tables as real tables (a PDF),
    its finance facts replace the generic finance facts (the generic rules read sentences of
    a 绩效自评报告, not the standard tables); other facts stay unless one of its facts (an
    execution rate) stands on the same text. A 部门决算 page without real
    tables (web text) keeps the generic finance facts."""
    if found is None:
        return meta, facts
    names = {m.name for m in found.meta}
    merged_meta = tuple(m for m in meta if m.name not in names) + found.meta
    if not found.tables:
        return merged_meta, facts
    mine = [f.span for f in found.facts]
    kept = tuple(f for f in facts if f.type != "finance" and not any(f.span.overlaps(s) for s in mine))
    return merged_meta, tuple(sorted(kept + found.facts, key=lambda f: (f.span.start, f.span.end, f.type, f.name)))
