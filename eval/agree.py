"""Inter-annotator agreement: the scorer's comparison of pass B against pass A, plus
Cohen's kappa for the primary category of the problems both passes marked.

Every F1 is symmetric (swapping A and B swaps precision and recall, F1 stays), so
"B against A" loses nothing. Kappa is scikit-learn's ``cohen_kappa_score`` over the
matched problem pairs, read from the primary-category confusion matrix the scorer
already builds.
"""
from __future__ import annotations

from pathlib import Path

from .score import score_sets


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two equally long label sequences (``sklearn.metrics.cohen_kappa_score``).

    ``None`` with no items. When chance agreement is 1 (both passes used one and the same
    label throughout) kappa is undefined (scikit-learn gives NaN); it is reported as 1.0,
    the observed agreement.
    """
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length: {len(a)} vs {len(b)}")
    if not a:
        return None
    if len(set(a) | set(b)) == 1:
        return 1.0
    from sklearn.metrics import cohen_kappa_score  # heavy: imported only when kappa is asked for

    return float(cohen_kappa_score(a, b))


def kappa_from_confusion(conf: dict[str, dict[str, int]]) -> float | None:
    """Cohen's kappa from ``conf[label_a][label_b] = count`` (see :func:`cohen_kappa`)."""
    pairs = [(x, y) for x, row in sorted(conf.items()) for y, k in sorted(row.items()) for _ in range(k)]
    return cohen_kappa([x for x, _ in pairs], [y for _, y in pairs])


def agreement(a: dict[str, dict], b: dict[str, dict], docs: str | Path | None = None) -> dict:
    """Pass B scored against pass A over the documents both annotated."""
    common = sorted(set(a) & set(b))
    rep = score_sets({d: a[d] for d in common}, {d: b[d] for d in common}, docs)
    rep["kappa_primary"] = kappa_from_confusion(rep["categories"]["confusion"])
    rep["documents_only_in_a"] = sorted(set(a) - set(b))
    rep["documents_only_in_b"] = sorted(set(b) - set(a))
    return rep
