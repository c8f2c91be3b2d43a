"""Inter-annotator agreement: the scorer's comparison read symmetrically, plus Cohen's kappa."""
from __future__ import annotations

from pathlib import Path

from .score import score_sets


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa for two label sequences; 1.0 for perfect agreement on one label,
    None for no items."""
    n = len(a)
    if n == 0:
        return None
    labels = sorted(set(a) | set(b))
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(l) / n) * (b.count(l) / n) for l in labels)
    if pe == 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def agreement(a: dict[str, dict], b: dict[str, dict], docs: str | Path | None = None) -> dict:
    """Pass B scored against pass A over the documents both annotated."""
    common = sorted(set(a) & set(b))
    rep = score_sets({d: a[d] for d in common}, {d: b[d] for d in common}, docs)
    pairs_primary = [(g[0] if g else "(none)", p[0] if p else "(none)")
                     for g, p in _pairs(rep)]
    rep["kappa_primary"] = cohen_kappa([x for x, _ in pairs_primary], [y for _, y in pairs_primary])
    rep["documents_only_in_a"] = sorted(set(a) - set(b))
    rep["documents_only_in_b"] = sorted(set(b) - set(a))
    return rep


def _pairs(rep: dict):
    conf = rep["categories"]["confusion"]
    for g, row in conf.items():
        for p, n in row.items():
            for _ in range(n):
                yield [g], [p]
