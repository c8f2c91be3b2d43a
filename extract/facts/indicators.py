"""Scoring-table rows (指标评分表) -> :class:`Indicator`.

The tables are read by the one table reader (:func:`extract.text.tables.scoring_tables`,
computed once per document in its layout); this module turns each row into an
:class:`Indicator`. What follows describes how the reader finds the rows.

A PDF renders a scoring table as a stream of cells: one cell per line, several
cells of a row on one line separated by spaces, a long cell wrapped over several
lines, and cells that span several rows (一级指标 / 二级指标) printed once, on the
first row they cover. DOCX and HTML readers give one row per line with cells
joined by ``" | "``. This module reads such a stream back into rows.

How (one pass per table, linear in its length):

1. **Header** — a line naming the columns (``一级指标 分值 二级指标 分值 三级指标 分值
   指标解释 得分/自评分 未达标原因 改进措施``) starts a table and fixes the layout:
   which levels carry a 分值, whether there is an explanation column before the
   score, and which text cells follow the score. A repeated header (page break)
   is skipped; a ``总分`` / ``合计`` line, a numbered heading or the end of the text
   ends the table.
2. **Items** — every cell fragment is a number ``N`` (``20``, ``0.5``), a blank
   marker ``D`` (``-``, ``—``, ``/``, ``无``, an empty ``| |`` cell) or text. Text
   fragments on consecutive lines are one cell (a wrapped name or sentence, rejoined
   without spaces or line breaks) unless a *cell boundary* separates them: two
   fragments on the same line, a fragment ending a sentence (``。；！？``), or a
   ``name number`` line after a sentence-like cell.
3. **Rows** — a row is a run of ``(text, number)`` pairs followed by its trailing
   cells: with the 003 layout ``[一级 50] [二级 50] 三级 20 解释 20 原因 措施``. The
   pair before the score is the level-3 name and its weight; pairs before it are
   level 2 and level 1, right to left; levels not printed are inherited from the
   row above. A row whose name was lost in extraction (``1.5 1.5 - -``) keeps
   ``level3=None``; a row without a score (an explanation followed by one cell
   more than the trailing columns) keeps ``score=None``.

Offsets: the table is read on the raw text with width folding only (one character
for one character), because the line structure that separates cells is exactly
what reflow in :mod:`extract.normalize` removes. Spans are therefore raw spans
directly (``doc.raw[span.start:span.end]`` is the cell or row).

Known limits: a table whose text columns sit between the name and the weight
(project tables: 指标值, 实际完成值 before 分值) is not read; without a trailing
text column, a table with an explanation column cannot tell its rows apart.
"""
from __future__ import annotations

from decimal import Decimal

from ..core import Document, Evidence, Indicator
from ..core.registry import register
from ..sections import SectionTree, sections_of
from ..text.tables import row_span

EXTRACTOR = "indicators.rules.v1"

_EXPLAIN = {
    "flat_row": "scoring-table row「{name}」: name, weight, score and trailing cells",
    "pipe_row": "scoring-table row「{name}」read by column position from a |-joined row",
    "valued_row": "scoring-table row「{name}」: name, target and actual values, then weight and score",
    "row_without_name": "scoring-table row whose indicator name is not in the text (weight and score only)",
    "row_without_score": "scoring-table row「{name}」with a weight but no score",
}


def _decimal(text: str) -> Decimal | None:
    text = text.strip().rstrip("分")
    return Decimal(text) if text else None


@register(EXTRACTOR)
def extract(doc: Document, sections: SectionTree | None = None) -> list[Indicator]:
    """Rows of every scoring table of ``doc``'s layout (see the module docstring)."""
    sections = sections_of(doc, sections)
    out: list[Indicator] = []
    for table in sections.layout.tables_of("scoring"):
        col = {role: k for k, role in enumerate(table.columns)}
        for row, rule in zip(table.body, table.row_rules):
            name = row[col["level3"]].text or None
            base, _, named_weight = rule.partition("+")
            explanation = _EXPLAIN[base].format(name=name) + ("; weight written in the name" if named_weight else "")
            reason, measure = row[col["reason"]], row[col["measure"]]
            out.append(Indicator(
                level1=row[col["level1"]].text or None, level2=row[col["level2"]].text or None, level3=name,
                weight=_decimal(row[col["weight"]].text), score=_decimal(row[col["score"]].text),
                evidence=Evidence(EXTRACTOR, rule, 0.6 if base in ("row_without_name", "row_without_score") else 0.9,
                                  explanation),
                span=row_span(table, row),
                reason_span=reason.span if reason.text else None,
                measure_span=measure.span if measure.text else None,
            ))
    return out
