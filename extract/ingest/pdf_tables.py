"""Ruled PDF tables as a grid: which cell box covers which row and column.

pdfplumber's table finder returns the boxes of a table's cells (from ruling lines);
a merged cell is one box covering several grid positions. :func:`grid` lays the
boxes out as rows x columns, each position naming the box that covers it and
whether the box starts there (a merged continuation is ``merged`` in the
:class:`extract.core.Cell` the reader makes of it).
"""
from __future__ import annotations

import bisect
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


def owners(boxes: Sequence[Box]) -> tuple[list[float], list[float], list[list[int | None]]]:
    """Grid lines ``xs``, ``ys`` and, per grid position, the index of the box covering it."""
    xs = _edges([v for b in boxes for v in (b[0], b[2])])
    ys = _edges([v for b in boxes for v in (b[1], b[3])])
    own: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1 = bisect.bisect_left(xs, x0 - EDGE_SNAP), bisect.bisect_right(xs, x1 + EDGE_SNAP) - 1
        r0, r1 = bisect.bisect_left(ys, top - EDGE_SNAP), bisect.bisect_right(ys, bottom + EDGE_SNAP) - 1
        for r in range(r0, min(r1, len(ys) - 1)):
            for c in range(c0, min(c1, len(xs) - 1)):
                if own[r][c] is None:
                    own[r][c] = i
    return xs, ys, own


def box_at(grid_lines: tuple[list[float], list[float], list[list[int | None]]], x: float, y: float) -> int | None:
    """Index of the box holding point ``(x, y)``, by bisection on the grid lines."""
    xs, ys, own = grid_lines
    c, r = bisect.bisect_right(xs, x) - 1, bisect.bisect_right(ys, y) - 1
    if 0 <= r < len(own) and 0 <= c < len(xs) - 1:
        return own[r][c]
    return None


def grid(boxes: Sequence[Box]) -> list[list[tuple[int, bool] | None]]:
    """``rows[r][c] = (box index, starts here)`` or ``None`` where no box covers the position.

    >>> grid([(0, 0, 20, 10), (20, 0, 40, 10), (0, 10, 40, 20)])
    [[(0, True), (1, True)], [(2, True), (2, False)]]
    """
    xs, ys, own = owners(boxes)
    rows: list[list[tuple[int, bool] | None]] = []
    seen: set[int] = set()
    for r in range(len(ys) - 1):
        row: list[tuple[int, bool] | None] = []
        for c in range(len(xs) - 1):
            i = own[r][c]
            row.append(None if i is None else (i, i not in seen))
            if i is not None:
                seen.add(i)
        if any(row):
            rows.append(row)
    keep = [c for c in range(len(xs) - 1) if any(row[c] for row in rows)]
    return [[row[c] for c in keep] for row in rows]
