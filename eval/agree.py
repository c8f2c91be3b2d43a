"""Inter-annotator agreement: the scorer's comparison of pass B against pass A, plus
Cohen's kappa for the primary category of the problems both passes marked.

Every F1 is symmetric (swapping A and B swaps precision and recall, F1 stays), so
"B against A" loses nothing. Kappa is computed over the matched problem pairs, from the
primary-category confusion matrix the scorer already builds.
"""
from __future__ import annotations

from pathlib import Path

from .score import score_sets


def kappa_from_confusion(conf: dict[str, dict[str, int]]) -> float | None:
    """Cohen's kappa ``(p_o - p_e) / (1 - p_e)`` from ``conf[label_a][label_b] = count``.

    ``None`` with no items. When chance agreement is 1 (both passes used one and the same
    label throughout) kappa is undefined; it is reported as 1.0, the observed agreement.
    """
    n = sum(sum(row.values()) for row in conf.values())
    if n == 0:
        return None
    labels = set(conf) | {b for row in conf.values() for b in row}
    po = sum(conf.get(lab, {}).get(lab, 0) for lab in labels) / n
    row_tot = {lab: sum(conf.get(lab, {}).values()) for lab in labels}
    col_tot = {lab: sum(row.get(lab, 0) for row in conf.values()) for lab in labels}
    pe = sum(row_tot[lab] * col_tot[lab] for lab in labels) / (n * n)
    if pe >= 1.0:
        return po
    return (po - pe) / (1 - pe)


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa for two equally long label sequences (see :func:`kappa_from_confusion`)."""
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} vs {len(b)}")
    conf: dict[str, dict[str, int]] = {}
    for x, y in zip(a, b):
        conf.setdefault(x, {}).setdefault(y, 0)
        conf[x][y] += 1
    return kappa_from_confusion(conf)


def agreement(a: dict[str, dict], b: dict[str, dict], docs: str | Path | None = None) -> dict:
    """Pass B scored against pass A over the documents both annotated."""
    common = sorted(set(a) & set(b))
    rep = score_sets({d: a[d] for d in common}, {d: b[d] for d in common}, docs)
    rep["kappa_primary"] = kappa_from_confusion(rep["categories"]["confusion"])
    rep["documents_only_in_a"] = sorted(set(a) - set(b))
    rep["documents_only_in_b"] = sorted(set(b) - set(a))
    return rep
