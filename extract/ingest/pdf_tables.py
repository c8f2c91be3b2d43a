"""Ruled PDF tables as a grid: which cell box covers which row and column.

pdfplumber's table finder returns the boxes of a table's cells (from ruling lines);
a merged cell is one box covering several grid positions. :func:`grid` lays the
boxes out as rows x columns, each position naming the box that covers it and
whether the box starts there (a merged continuation is ``merged`` in the
:class:`extract.core.Cell` the reader makes of it).
"""
from __future__ import annotations

from typing import Sequence

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points)

#: Edges closer than this (points) are the same ruling line.
EDGE_SNAP = 1.0


def _edges(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_SNAP:
            out.append(v)
    return out


def grid(boxes: Sequence[Box]) -> list[list[tuple[int, bool] | None]]:
    """``rows[r][c] = (box index, starts here)`` or ``None`` where no box covers the position.

    >>> grid([(0, 0, 20, 10), (20, 0, 40, 10), (0, 10, 40, 20)])
    [[(0, True), (1, True)], [(2, True), (2, False)]]
    """
    xs = _edges([v for b in boxes for v in (b[0], b[2])])
    ys = _edges([v for b in boxes for v in (b[1], b[3])])
    rows: list[list[tuple[int, bool] | None]] = []
    for r in range(len(ys) - 1):
        cy = (ys[r] + ys[r + 1]) / 2
        row: list[tuple[int, bool] | None] = []
        for c in range(len(xs) - 1):
            cx = (xs[c] + xs[c + 1]) / 2
            hit = None
            for i, (x0, top, x1, bottom) in enumerate(boxes):
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    hit = (i, abs(x0 - xs[c]) <= EDGE_SNAP and abs(top - ys[r]) <= EDGE_SNAP)
                    break
            row.append(hit)
        if any(row):
            rows.append(row)
    keep = [c for c in range(len(xs) - 1) if any(row[c] for row in rows)]
    return [[row[c] for c in keep] for row in rows]
