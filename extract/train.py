"""Train the problem-category model; score rules / model / ensemble on data never trained
on; calibrate; write the model, its metadata, MODEL_CARD.md and a reliability diagram.

Data, kept apart by ``Example.source`` everywhere (training sets, figures, model card):

- ``gold``: real problems from one or more gold folders (``annotations/gold``, later
  ``annotations/dev/gold`` …), texts cut from their documents by span;
- ``written``: problem statements written by a developer in report phrasing
  (``extract/data/category_written.jsonl``) with a fixed held-out ``test`` split that is
  never trained on;
- ``synthetic``: the first, short sentences written from the category definitions
  (``extract/data/category_examples.jsonl``), training only;
- ``extra``: more example files or gold folders (e.g. imported annotations).

Figures: leave-one-document-out over the gold documents (each fold's model, its
calibration and its ensemble threshold are fitted without the held-out document) and
the held-out written split (scored by the shipped model, which never saw it); micro-F1
with a bootstrap 95 % interval and primary accuracy with a Wilson 95 % interval.
Calibration (Platt scaling) and the ensemble threshold are fitted on out-of-fold
predictions over the training data only. Deterministic for a fixed seed.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from .classify.types import LABELS
from .text.split import sentences

DATA = Path(__file__).resolve().parent / "data"
SYNTHETIC = DATA / "category_examples.jsonl"
WRITTEN = DATA / "category_written.jsonl"
FOLDS = 5
THRESHOLD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01 = never trust the model over a rule cue


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]  # primary first; empty for a non-problem sentence
    doc_id: str | None = None
    synthetic: bool = False
    source: str = "gold"  # gold | written | synthetic | extra
    split: str | None = None  # written data: train | test
    department: str | None = None


@dataclass
class TrainReport:
    out: Path
    n_gold_docs: int
    n_gold: int
    n_synthetic: int
    n_negatives: int
    label_counts: dict[str, dict[str, int]]
    cv: dict = field(default_factory=dict)
    n_written_train: int = 0
    n_written_test: int = 0
    n_extra: int = 0
    heldout: dict = field(default_factory=dict)
    calibration: dict = field(default_factory=dict)
    gold_dirs: tuple[str, ...] = ()
    eval_dirs: tuple[str, ...] = ()
    eval_gold: dict = field(default_factory=dict)  # scores on gold folders only evaluated, never trained on
    gold_per_dir: dict = field(default_factory=dict)  # folder -> (documents, problems)


# --------------------------------------------------------------------------- data

def _raw_for(gold: dict, gold_file: Path, docs_dir: Path | None) -> str:
    for d in [docs_dir, gold_file.parent.parent / "docs", gold_file.parent / "docs"]:
        if d is not None and (d / f"{gold['doc_id']}.txt").exists():
            return (d / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")
    raise FileNotFoundError(f"{gold_file}: document {gold['doc_id']}.txt not found (give --docs)")


def load_gold(gold_dir: str | Path, docs_dir: str | Path | None = None) -> tuple[list[Example], list[Example]]:
    """Gold problems (text from the document by span) and non-problem sentences of the
    same documents (outside every problem and measure span), in file order."""
    problems, negatives = [], []
    for f in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        raw = _raw_for(gold, f, Path(docs_dir) if docs_dir else None)
        taken = []
        for p in gold.get("problems", []):
            s, e = p["span"]
            taken.append((s, e))
            labels = tuple(c for c in p.get("categories", []) if c in LABELS)
            if labels:
                problems.append(Example(raw[s:e], labels, gold["doc_id"]))
        taken += [tuple(m["span"]) for m in gold.get("measures", [])]
        for s, e in sentences(raw, semicolons=True):  # the one sentence splitter (extract.text.split)
            text = re.sub(r"\s+", "", raw[s:e])
            if 8 <= len(text) <= 120 and not any(s < te and ts < e for ts, te in taken):
                negatives.append(Example(text, (), gold["doc_id"]))
    return problems, negatives


def load_golds(gold_dirs: Iterable[str | Path], docs_dir: str | Path | None = None
               ) -> tuple[list[Example], list[Example]]:
    """:func:`load_gold` over several gold folders (missing folders are skipped); a
    document in two folders is refused, naming both."""
    problems, negatives, where = [], [], {}
    for g in map(Path, gold_dirs):
        if not g.is_dir():
            continue
        a, b = load_gold(g, docs_dir)
        for d in {e.doc_id for e in a + b}:
            if d in where:
                raise ValueError(f"document {d} is in two gold folders: {where[d]} and {g}")
            where[d] = g
        problems += a
        negatives += b
    return problems, negatives


def load_examples_jsonl(path: str | Path = SYNTHETIC) -> tuple[list[Example], list[Example]]:
    """Example lines: problems and non-problem sentences. Labels come from ``labels``,
    ``categories`` or doccano's text-classification ``label``; ``problem: false`` marks
    a non-problem sentence; ``synthetic: true`` marks the developers' synthetic set."""
    problems, negatives = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "text" not in row:
            continue
        raw_labels = row.get("labels", row.get("categories", row.get("label", [])))
        synthetic = bool(row.get("synthetic", False))
        ex = Example(row["text"], tuple(l for l in raw_labels if l in LABELS), row.get("doc_id"), synthetic,
                     "synthetic" if synthetic else "extra", row.get("split"), row.get("department"))
        (problems if row.get("problem", bool(ex.labels)) and ex.labels else negatives).append(ex)
    return problems, negatives


def load_written(path: str | Path = WRITTEN) -> tuple[list[Example], list[Example]]:
    """The written statements as ``(train, test)`` by their fixed ``split``."""
    train, test = [], []
    for e in load_examples_jsonl(path)[0]:
        e = Example(e.text, e.labels, None, False, "written", e.split or "train", e.department)
        (test if e.split == "test" else train).append(e)
    return train, test


def load_extra(paths: Iterable[str | Path], docs_dir: str | Path | None = None) -> tuple[list[Example], list[Example]]:
    """Extra training data: gold-shaped folders (``*.json``) or example ``*.jsonl`` files
    (a doccano text-classification export is one)."""
    problems, negatives = [], []
    for p in map(Path, paths):
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p] if p.suffix == ".jsonl" else []
        for f in files:
            a, b = load_examples_jsonl(f)
            problems += a
            negatives += b
        if p.is_dir() and any(p.glob("*.json")):
            a, b = load_gold(p, docs_dir)
            problems += [Example(e.text, e.labels, e.doc_id, source="extra") for e in a]
            negatives += b
    return problems, negatives


def label_counts(examples: Sequence[Example]) -> dict[str, int]:
    counts = {l: 0 for l in LABELS}
    for e in examples:
        for l in e.labels:
            counts[l] += 1
    return counts


# --------------------------------------------------------------------------- fitting

def fit(problems: Sequence[Example], negatives: Sequence[Example] = (), seed: int = 0):
    """An uncalibrated model (and a shortcoming detector when ``negatives`` are given)."""
    from .classify.model import ModelClassifier

    return ModelClassifier.fit([e.text for e in problems], [list(e.labels) for e in problems], seed=seed,
                               negatives=[e.text for e in negatives])


def fold_ids(examples: Sequence[Example], k: int = FOLDS, seed: int = 0) -> list[int]:
    """A fold per example: a gold document's problems share a fold; the others are
    dealt round-robin per primary label in a seeded order (stratified)."""
    import random

    rng = random.Random(seed)
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        key = f"doc:{e.doc_id}" if e.doc_id else f"ex:{i}"
        groups.setdefault(key, []).append(i)
    keys = sorted(groups)
    rng.shuffle(keys)
    keys.sort(key=lambda g: examples[groups[g][0]].labels[0] if examples[groups[g][0]].labels else "")
    folds = [0] * len(examples)
    for n, g in enumerate(keys):
        for i in groups[g]:
            folds[i] = n % k
    return folds


def fit_platt(z, y) -> tuple[float, float]:
    """Platt scaling ``sigmoid(a * z + b)`` fitted to pooled decision values ``z`` and 0/1
    outcomes ``y`` by (almost unregularized) logistic regression."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    z, y = np.asarray(z, dtype=float).reshape(-1, 1), np.asarray(y, dtype=int).reshape(-1)
    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000).fit(z, y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


@dataclass
class Calibrated:
    """A calibrated model, its ensemble threshold and the out-of-fold evidence for both."""

    model: object
    threshold: float
    platt: tuple[float, float]
    oof: dict


def fit_calibrated(problems: Sequence[Example], negatives: Sequence[Example] = (), seed: int = 0,
                   k: int = FOLDS) -> Calibrated:
    """Fit on ``problems``; calibrate (Platt, pooled over labels) on out-of-fold decision
    values over the same training data; choose the ensemble threshold with the best
    out-of-fold micro-F1 (ties: the higher threshold). With fewer than ``k`` problems,
    no calibration and the default threshold."""
    import numpy as np

    from .classify.ensemble import DEFAULT_THRESHOLD, EnsembleClassifier
    from .classify.rules import RuleClassifier

    model = fit(problems, negatives, seed)
    if len(problems) < 2 * k:
        return Calibrated(model, DEFAULT_THRESHOLD, (1.0, 0.0), {})
    folds = fold_ids(problems, k, seed)
    parts, zs, ys = [], [], []
    for f in range(k):
        train = [e for e, g in zip(problems, folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        try:
            m = fit(train, (), seed)
        except ValueError:  # fewer than two labels left in this fold's training part
            continue
        texts = [problems[i].text for i in test_idx]
        z = m.decision_matrix(texts)
        for j, label in enumerate(m.labels):
            zs.append(z[:, j])
            ys.append(np.array([label in problems[i].labels for i in test_idx], dtype=int))
        parts.append((m, test_idx))
    platt = fit_platt(np.concatenate(zs), np.concatenate(ys)) if zs else (1.0, 0.0)
    model.calibrate(*platt)
    rules = RuleClassifier()
    idx, mcls = [], []
    for m, test_idx in parts:
        m.calibrate(*platt)
        idx += test_idx
        mcls += m.classify([problems[i].text for i in test_idx])
    texts = [problems[i].text for i in idx]
    truth = [problems[i].labels for i in idx]
    rcls = rules.classify(texts)
    best, best_f1, per_t = DEFAULT_THRESHOLD, -1.0, {}
    for t in THRESHOLD_GRID:
        ens = EnsembleClassifier(model, rules, t)
        f1 = scores(truth, [ens.combine(m, r).labels for m, r in zip(mcls, rcls)])["micro_f1"] or 0.0
        per_t[t] = f1
        if f1 >= best_f1:
            best, best_f1 = t, f1
    oof = {"n": len(idx), "threshold_micro_f1": per_t, "truth": truth, "model": mcls, "rules": rcls}
    return Calibrated(model, best, platt, oof)


# --------------------------------------------------------------------------- scoring

def scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Micro- and macro-F1 over label sets, primary-label accuracy; None when nothing to score."""
    if not gold:
        return {"micro_f1": None, "macro_f1": None, "primary_acc": None, "n": 0}
    per: dict[str, list[int]] = {}
    for g, p in zip(gold, pred):
        for l in set(g) | set(p):
            c = per.setdefault(l, [0, 0, 0])
            c[0] += l in g and l in p
            c[1] += l in p and l not in g
            c[2] += l in g and l not in p
    tp, fp, fn = (sum(c[i] for c in per.values()) for i in range(3))
    f1 = lambda t, a, b: 2 * t / (2 * t + a + b) if t + a + b else 0.0  # noqa: E731
    correct = sum(bool(g) and bool(p) and g[0] == p[0] for g, p in zip(gold, pred))
    return {"micro_f1": f1(tp, fp, fn), "macro_f1": sum(f1(*c) for c in per.values()) / len(per),
            "primary_acc": correct / len(gold), "n": len(gold), "tp": tp, "fp": fp, "fn": fn,
            "primary_correct": correct}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score interval of a proportion ``k / n`` (None when ``n`` is 0)."""
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def bootstrap_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], seed: int = 0,
                 rounds: int = 2000) -> tuple[float, float] | None:
    """Percentile 95 % interval of micro-F1, resampling statements with replacement."""
    import numpy as np

    n = len(gold)
    if n == 0:
        return None
    counts = np.array([[len(set(g) & set(p)), len(set(p) - set(g)), len(set(g) - set(p))]
                       for g, p in zip(gold, pred)], dtype=float)
    rng = np.random.default_rng(seed)
    s = counts[rng.integers(0, n, size=(rounds, n))].sum(axis=1)
    den = 2 * s[:, 0] + s[:, 1] + s[:, 2]
    f1 = np.where(den > 0, 2 * s[:, 0] / np.where(den > 0, den, 1), 0.0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return float(lo), float(hi)


def scores_ci(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], seed: int = 0) -> dict:
    """:func:`scores` with 95 % intervals: ``micro_f1_ci`` (bootstrap), ``primary_acc_ci`` (Wilson)."""
    s = scores(gold, pred)
    s["micro_f1_ci"] = bootstrap_f1(gold, pred, seed)
    s["primary_acc_ci"] = wilson(s.get("primary_correct", 0), s["n"])
    return s


def _components(cal: Calibrated, texts: Sequence[str]):
    from .classify.ensemble import EnsembleClassifier
    from .classify.rules import RuleClassifier

    rules = RuleClassifier()
    m, r = cal.model.classify(texts), rules.classify(texts)
    ens = EnsembleClassifier(cal.model, rules, cal.threshold)
    return {"rules": r, "model": m, "ensemble": [ens.combine(a, b) for a, b in zip(m, r)]}


def cross_validate(gold: Sequence[Example], gold_neg: Sequence[Example], extra: Sequence[Example],
                   extra_neg: Sequence[Example] = (), seed: int = 0, threshold: float | None = None) -> dict:
    """Leave-one-document-out over the gold documents for rules, model and ensemble.

    Each fold fits, calibrates and chooses the ensemble threshold on the other gold
    documents plus ``extra`` (never on the held-out document; ``threshold`` overrides
    the choice), then predicts the held-out document's problems; the rules need no
    training."""
    truth, preds = [], {"rules": [], "model": [], "ensemble": []}
    per_doc, chosen = [], []
    for d in sorted({e.doc_id for e in gold}):
        test = [e for e in gold if e.doc_id == d]
        cal = fit_calibrated([e for e in gold if e.doc_id != d] + list(extra), (), seed)  # no detector needed
        if threshold is not None:
            cal.threshold = threshold
        chosen.append(cal.threshold)
        got = _components(cal, [e.text for e in test])
        truth += [e.labels for e in test]
        for k, v in got.items():
            preds[k] += [c.labels for c in v]
        per_doc.append({"doc_id": d, "n": len(test), "threshold": cal.threshold,
                        **{k: scores([e.labels for e in test], [c.labels for c in v])["micro_f1"]
                           for k, v in got.items()}})
    return {"docs": len(per_doc), "problems": len(truth), "threshold": "per fold" if threshold is None else threshold,
            "fold_thresholds": chosen,
            "components": {k: scores_ci(truth, v, seed) for k, v in preds.items()}, "per_doc": per_doc}


def evaluate_heldout(cal: Calibrated, test: Sequence[Example], seed: int = 0) -> dict:
    """Rules, model and ensemble on held-out statements, with 95 % intervals; confidence
    bands of the model's calibrated top probability with their accuracy."""
    from .classify.confidence import BANDS, band

    if not test:
        return {}
    got = _components(cal, [e.text for e in test])
    truth = [e.labels for e in test]
    comps = {k: scores_ci(truth, [c.labels for c in v], seed) for k, v in got.items()}
    bands = {}
    for name, lo, _ in BANDS:
        hits = [e.labels[0] == c.primary for e, c in zip(test, got["model"]) if band(c.confidence) == name]
        bands[name] = {"from": lo, "n": len(hits), "correct": sum(hits), "ci": wilson(sum(hits), len(hits))}
    return {"n": len(test), "components": comps, "bands": bands,
            "errors": [{"text": e.text, "gold": list(e.labels), "model": list(c.labels)}
                       for e, c in zip(test, got["model"]) if c.labels != e.labels]}


def reliability(conf: Sequence[float], hit: Sequence[bool], bins: int = 10) -> dict:
    """Equal-width reliability bins and the expected calibration error (ECE)."""
    import numpy as np

    conf, hit = np.asarray(conf, dtype=float), np.asarray(hit, dtype=float)
    rows, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = (conf >= lo) & ((conf < hi) if b < bins - 1 else (conf <= hi))
        n = int(sel.sum())
        if n:
            mc, acc = float(conf[sel].mean()), float(hit[sel].mean())
            ece += n / len(conf) * abs(mc - acc)
            rows.append({"bin": [lo, hi], "n": n, "confidence": mc, "accuracy": acc})
    return {"ece": ece if len(conf) else None, "n": int(len(conf)), "bins": rows}


def calibration_report(cal: Calibrated, test: Sequence[Example]) -> dict:
    """ECE and reliability bins on held-out statements before and after calibration:
    ``top`` (top label's probability vs its being one of the gold labels) and ``labels``
    (every label's probability vs membership)."""
    import numpy as np

    if not test:
        return {}
    texts = [e.text for e in test]
    model = cal.model
    out = {"platt": {"a": cal.platt[0], "b": cal.platt[1]}, "n": len(test)}
    for name, calibrated in (("before", False), ("after", True)):
        P = model.proba_matrix(texts, calibrated=calibrated)
        top = P.argmax(axis=1)
        conf = P[np.arange(len(texts)), top]
        hit = [model.labels[j] in e.labels for j, e in zip(top, test)]
        member = np.array([[l in e.labels for l in model.labels] for e in test])
        out[name] = {"top": reliability(conf, hit), "labels": reliability(P.ravel(), member.ravel())}
    return out


def reliability_png(report: dict, path: str | Path) -> Path:
    """The reliability diagram, before and after calibration: the top label's probability
    (left) and every label's probability (right); bin counts beside the points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.4), dpi=100)
    for ax, kind, what in ((axes[0], "top", "top label"), (axes[1], "labels", "every label")):
        ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="perfect calibration")
        for name, style in (("before", "o-"), ("after", "s-")):
            r = report[name][kind]
            xs = [b["confidence"] for b in r["bins"]]
            ys = [b["accuracy"] for b in r["bins"]]
            ax.plot(xs, ys, style, label=f"{name} calibration (ECE {r['ece']:.3f})")
            for b in r["bins"]:
                ax.annotate(str(b["n"]), (b["confidence"], b["accuracy"]), fontsize=7, xytext=(3, -10),
                            textcoords="offset points")
        ax.set(xlim=(0, 1), ylim=(-0.02, 1.05), xlabel=f"{what} probability (bin mean)",
               ylabel="share where the label is a gold label")
        ax.set_title(f"{what}: {r['n']} events", fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(f"Reliability on the held-out written statements (n={report['n']})", fontsize=10)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, metadata={"Software": None})  # no timestamps: same bytes for the same figures
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- train

def train(gold_dir: str | Path | Sequence[str | Path] | None = "annotations/gold", out: str | Path | None = None,
          extra: Sequence[str | Path] = (), docs_dir: str | Path | None = None, seed: int = 0,
          synthetic: str | Path | None = SYNTHETIC, ablation: str | Path | None = None,
          written: str | Path | None = WRITTEN, eval_gold: Sequence[str | Path] = ()) -> TrainReport:
    """Cross-validate (LODO on gold), fit and calibrate on gold + synthetic + written
    train + extra, score the held-out written split (and the problems of ``eval_gold``
    folders, which are never trained on), save ``out`` with metadata, MODEL_CARD.md and
    reliability.png."""
    from .classify.model import default_model_dir

    out = Path(out) if out else default_model_dir()
    gold_dirs = [] if gold_dir is None else [gold_dir] if isinstance(gold_dir, (str, Path)) else list(gold_dir)
    gold, gold_neg = load_golds(gold_dirs, docs_dir)
    syn, syn_neg = load_examples_jsonl(synthetic) if synthetic else ([], [])
    w_train, w_test = load_written(written) if written else ([], [])
    ext, ext_neg = load_extra(extra, docs_dir)
    held, _ = load_golds(eval_gold, docs_dir)
    clash = sorted({e.doc_id for e in held} & {e.doc_id for e in gold + ext if e.doc_id})
    if clash:
        raise ValueError(f"document {clash[0]} is both trained on and in an evaluation-only gold folder")
    test_texts = {e.text for e in w_test + held}
    leaked = [e.text for e in gold + syn + w_train + ext if e.text in test_texts]
    if leaked:
        raise ValueError(f"{len(leaked)} training texts are also in the held-out written split or an evaluation-only "
                         f"gold folder, e.g. {leaked[0]!r}")
    extra_all, extra_neg = syn + w_train + ext, syn_neg + ext_neg
    cv = cross_validate(gold, gold_neg, extra_all, extra_neg, seed) if len({e.doc_id for e in gold}) >= 2 else {}
    cal = fit_calibrated(gold + extra_all, gold_neg + extra_neg, seed)
    heldout = evaluate_heldout(cal, w_test, seed)
    held_scores = evaluate_heldout(cal, held, seed)
    calib = calibration_report(cal, w_test)
    counts = {"gold": label_counts(gold), "written_train": label_counts(w_train),
              "written_test": label_counts(w_test), "synthetic": label_counts(syn), "extra": label_counts(ext)}
    report = TrainReport(out, len({e.doc_id for e in gold}), len(gold), len(syn), len(gold_neg) + len(extra_neg),
                         counts, cv, len(w_train), len(w_test), len(ext), heldout, calib,
                         tuple(str(g) for g in gold_dirs), tuple(str(g) for g in eval_gold),
                         {**held_scores, "docs": len({e.doc_id for e in held})} if held else {})
    for g in gold_dirs:
        a, _ = load_golds([g], docs_dir)
        report.gold_per_dir[str(g)] = (len({e.doc_id for e in a}), len(a))
    model = cal.model
    model.save(out, {"seed": seed, "gold_dirs": list(report.gold_dirs),
                     "gold_docs": sorted({e.doc_id for e in gold}), "n_gold": len(gold),
                     "n_synthetic": len(syn), "n_written_train": len(w_train), "n_written_test_held_out": len(w_test),
                     "n_extra": len(ext), "n_negatives": report.n_negatives,
                     "ensemble_threshold": cal.threshold,
                     "calibration": {"method": "platt, pooled over labels, out-of-fold on training data",
                                     "a": cal.platt[0], "b": cal.platt[1], "folds": FOLDS},
                     "cv": _plain(cv), "heldout": _plain({k: v for k, v in heldout.items() if k != "errors"}),
                     "eval_gold_dirs": list(report.eval_dirs),
                     "eval_gold": _plain({k: v for k, v in report.eval_gold.items() if k != "errors"})})
    if calib:
        reliability_png(calib, out / "reliability.png")
    (out / "MODEL_CARD.md").write_text(model_card(report, model.metadata), encoding="utf-8")
    if ablation:
        Path(ablation).parent.mkdir(parents=True, exist_ok=True)
        Path(ablation).write_text(ablation_markdown(report), encoding="utf-8")
    return report


def _plain(obj):
    """JSON-safe copy (tuples to lists, floats rounded to 6 places, keys to strings)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 6)
    return obj


# --------------------------------------------------------------------------- active learning

STRATEGIES = ("margin", "least_confident", "balanced_margin")


def select_uncertain(model, texts: Sequence[str], n: int, strategy: str = "margin") -> list[int]:
    """Indices of ``n`` texts to annotate next, most uncertain first.

    ``margin``: the margin uncertainty of the calibrated probabilities (what ``jixiao
    classify --select uncertain`` prints); ``least_confident``: ``1 - top probability``;
    ``balanced_margin``: by margin, but taking the predicted primary labels in turn so
    that one confusing label cannot fill the batch."""
    from .classify.confidence import uncertainty

    if strategy not in STRATEGIES:
        raise ValueError(f"unknown selection strategy {strategy!r}; valid: {', '.join(STRATEGIES)}")
    results = model.classify(list(texts))
    if strategy == "least_confident":
        return sorted(range(len(texts)), key=lambda i: (results[i].confidence, i))[:n]
    ranked = sorted(range(len(texts)), key=lambda i: (-uncertainty(results[i].scores), i))
    if strategy == "margin":
        return ranked[:n]
    queues: dict[str, list[int]] = {}
    for i in ranked:
        queues.setdefault(results[i].primary, []).append(i)
    out: list[int] = []
    while len(out) < min(n, len(texts)):
        for label in sorted(queues, key=lambda l: ranked.index(queues[l][0]) if queues[l] else len(ranked)):
            if queues[label] and len(out) < n:
                out.append(queues[label].pop(0))
    return out


def write_doccano_classification(examples: Sequence[Example], path: str | Path) -> Path:
    """Statements as a doccano text-classification export (``{"text", "label"}`` lines),
    the form ``jixiao train --extra`` reads back."""
    path = Path(path)
    path.write_text("".join(json.dumps({"text": e.text, "label": list(e.labels)}, ensure_ascii=False) + "\n"
                            for e in examples), encoding="utf-8")
    return path


def active_learning_round(workdir: str | Path, seed_per_label: int = 4, n: int = 40, draws: int = 10,
                          seed: int = 0, gold_dirs: Sequence[str | Path] = ("annotations/gold",),
                          synthetic: str | Path | None = SYNTHETIC, written: str | Path = WRITTEN,
                          strategy: str = "margin", validation: bool = False) -> dict:
    """One simulated round of active learning on the written data.

    Start: gold + synthetic + ``seed_per_label`` written training statements per primary
    label (seeded). Pool: the other written training statements. Select the ``n`` most
    uncertain pool statements with the start model; a *simulated annotator* gives them
    their labels from the written file; they are written as a doccano classification
    export and read back through the ``--extra`` path; retrain; score the model on the
    held-out written split. Compared with ``draws`` random selections of the same ``n``.

    ``validation=True`` never touches the test split: every 4th written training
    statement (per label) is set aside as the scoring set instead, for choosing a
    strategy."""
    import random

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    gold, _ = load_golds(gold_dirs)
    syn, _ = load_examples_jsonl(synthetic) if synthetic else ([], [])
    w_train, w_test = load_written(written)
    if validation:
        w_test = [e for e in w_train if fold_ids(w_train, 4, 0)[w_train.index(e)] == 0]
        w_train = [e for e in w_train if e not in w_test]
    rng = random.Random(seed)
    start, pool = [], []
    for label in LABELS:
        group = [e for e in w_train if e.labels[0] == label]
        rng.shuffle(group)
        start += group[:seed_per_label]
        pool += group[seed_per_label:]
    pool.sort(key=lambda e: e.text)
    base = gold + syn + start

    def score(extra: Sequence[Example]) -> dict:
        cal = fit_calibrated(base + list(extra), (), seed)
        got = cal.model.classify([e.text for e in w_test])
        return scores([e.labels for e in w_test], [c.labels for c in got])

    def annotated(picked: Sequence[Example], name: str) -> list[Example]:
        f = write_doccano_classification(picked, workdir / name)  # the simulated annotator's export
        return load_extra([f])[0]

    start_cal = fit_calibrated(base, (), seed)
    start_pred = start_cal.model.classify([e.text for e in w_test])
    start_score = scores([e.labels for e in w_test], [c.labels for c in start_pred])
    pool_texts = [e.text for e in pool]
    (workdir / "pool.jsonl").write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n"
                                                for t in pool_texts), encoding="utf-8")
    picked = [pool[i] for i in select_uncertain(start_cal.model, pool_texts, n, strategy)]
    wrong_before = sum(c.labels != e.labels for e, c in zip(picked, start_cal.model.classify([e.text for e in picked])))
    uncertain = score(annotated(picked, "uncertain_annotated.jsonl"))
    randoms = []
    for d in range(draws):
        sample = random.Random(seed * 1000 + d + 1).sample(pool, n)
        randoms.append(score(annotated(sample, f"random{d}_annotated.jsonl")))

    def summary(key: str) -> dict:
        vals = [r[key] for r in randoms]
        return {"mean": sum(vals) / len(vals), "min": min(vals), "max": max(vals)}

    return {"strategy": strategy, "seed": seed, "validation": validation,
            "start": {"n_train": len(base), "gold": len(gold), "synthetic": len(syn), "written": len(start),
                      **start_score},
            "pool": len(pool), "n": n, "test": len(w_test), "draws": draws,
            "picked_labels": label_counts(picked), "picked_wrong_before": wrong_before,
            "uncertain": uncertain, "random": {"micro_f1": summary("micro_f1"), "primary_acc": summary("primary_acc")},
            "random_runs": randoms}


def active_learning_markdown(rounds: Sequence[dict]) -> str:
    """Markdown tables of simulated rounds (one per start set), with their mean."""
    r0 = rounds[0]
    s0 = r0["start"]
    rows = [f"Start: {s0['gold']} gold + {s0['synthetic']} synthetic + {s0['written']} written statements "
            f"({s0['n_train']}); pool: {r0['pool']} written training statements; N = {r0['n']}; scored: the model "
            f"component on the {r0['test']} {'validation' if r0['validation'] else 'held-out written test'} "
            f"statements; strategy: {r0['strategy']}; random: {r0['draws']} draws of N per start set.", "",
            "| start set (seed) | start micro-F1 | + N most uncertain | + N random, mean (min–max) | "
            "uncertain beats random draws | start primary acc. | + N uncertain | + N random, mean |",
            "|---|---|---|---|---|---|---|---|"]
    for r in rounds:
        s, u, rnd = r["start"], r["uncertain"], r["random"]
        beat = sum(x["micro_f1"] < u["micro_f1"] for x in r["random_runs"])
        rows.append(f"| {r['seed']} | {s['micro_f1']:.3f} | {u['micro_f1']:.3f} | {rnd['micro_f1']['mean']:.3f} "
                    f"({rnd['micro_f1']['min']:.3f}–{rnd['micro_f1']['max']:.3f}) | {beat} / {r['draws']} | "
                    f"{s['primary_acc']:.3f} ({s['primary_correct']}/{s['n']}) | {u['primary_acc']:.3f} "
                    f"({u['primary_correct']}/{u['n']}) | {rnd['primary_acc']['mean']:.3f} |")
    mean = lambda f: sum(f(r) for r in rounds) / len(rounds)  # noqa: E731
    rows.append(f"| mean | {mean(lambda r: r['start']['micro_f1']):.3f} | {mean(lambda r: r['uncertain']['micro_f1']):.3f} "
                f"| {mean(lambda r: r['random']['micro_f1']['mean']):.3f} | | "
                f"{mean(lambda r: r['start']['primary_acc']):.3f} | {mean(lambda r: r['uncertain']['primary_acc']):.3f} | "
                f"{mean(lambda r: r['random']['primary_acc']['mean']):.3f} |")
    rows += ["", "Statements picked by uncertainty that the start model had wrong: "
             + ", ".join(f"seed {r['seed']}: {r['picked_wrong_before']} of {r['n']}" for r in rounds) + "."]
    return "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- reports

def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def _ci(ci) -> str:
    return "–" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _score_rows(components: dict) -> list[str]:
    rows = ["| component | micro-F1 | 95 % CI (bootstrap) | tp / fp / fn | primary accuracy | 95 % CI (Wilson) "
            "| right / statements |", "|---|---|---|---|---|---|---|"]
    for k in ("rules", "model", "ensemble"):
        s = components[k]
        rows.append(f"| {k} | {_fmt(s['micro_f1'])} | {_ci(s.get('micro_f1_ci'))} | "
                    f"{s.get('tp', 0)} / {s.get('fp', 0)} / {s.get('fn', 0)} | {_fmt(s['primary_acc'])} | "
                    f"{_ci(s.get('primary_acc_ci'))} | {s.get('primary_correct', 0)} / {s['n']} |")
    return rows


def cv_table(cv: dict) -> str:
    if not cv:
        return "No cross-validation: fewer than two gold documents.\n"
    per = ["", "| held-out document | problems | ensemble threshold | rules | model | ensemble |",
           "|---|---|---|---|---|---|"]
    per += [f"| {d['doc_id']} | {d['n']} | {d['threshold']} | {_fmt(d['rules'])} | {_fmt(d['model'])} | "
            f"{_fmt(d['ensemble'])} |" for d in cv["per_doc"]]
    return "\n".join(_score_rows(cv["components"]) + per) + "\n"


def heldout_table(h: dict) -> str:
    if not h:
        return "No held-out written statements.\n"
    return "\n".join(_score_rows(h["components"])) + "\n"


def bands_table(h: dict) -> str:
    from .classify.confidence import BANDS

    rows = ["| band | calibrated top probability | statements | primary right | share right | 95 % CI |",
            "|---|---|---|---|---|---|"]
    tops = {name: lo for name, lo, _ in BANDS}
    upper = {"high": 1.0, "medium": tops["high"], "low": tops["medium"]}
    for name, b in h.get("bands", {}).items():
        share = b["correct"] / b["n"] if b["n"] else None
        rows.append(f"| {name} | {b['from']:.2f}–{upper[name]:.2f} | {b['n']} | {b['correct']} | {_fmt(share)} | "
                    f"{_ci(b['ci'])} |")
    return "\n".join(rows) + "\n"


def calibration_table(c: dict) -> str:
    if not c:
        return "No held-out statements to measure calibration on.\n"
    rows = [f"Platt parameters (out-of-fold on the training data): a = {c['platt']['a']:.3f}, "
            f"b = {c['platt']['b']:.3f}.", "",
            "| | ECE, top label | ECE, every label | top-label events | label events |", "|---|---|---|---|---|"]
    for name in ("before", "after"):
        r = c[name]
        rows.append(f"| {name} calibration | {_fmt(r['top']['ece'])} | {_fmt(r['labels']['ece'])} | "
                    f"{r['top']['n']} | {r['labels']['n']} |")
    rows += ["", "Reliability of the top label after calibration (the diagram's second curve):", "",
             "| probability bin | statements | mean probability | share right |", "|---|---|---|---|"]
    rows += [f"| {b['bin'][0]:.1f}–{b['bin'][1]:.1f} | {b['n']} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
             for b in c["after"]["top"]["bins"]]
    rows += ["", "Before calibration:", "", "| probability bin | statements | mean probability | share right |",
             "|---|---|---|---|"]
    rows += [f"| {b['bin'][0]:.1f}–{b['bin'][1]:.1f} | {b['n']} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
             for b in c["before"]["top"]["bins"]]
    return "\n".join(rows) + "\n"


def _data_table(r: TrainReport) -> str:
    c = r.label_counts
    cols = ("gold", "written_train", "written_test", "synthetic", "extra")
    rows = ["| label | gold (real) | written, train | written, held-out test | synthetic | extra |",
            "|---|---|---|---|---|---|"]
    rows += [f"| {l} | " + " | ".join(str(c[k][l]) for k in cols) + " |" for l in LABELS]
    rows.append("| **statements** | " + " | ".join(
        str(n) for n in (r.n_gold, r.n_written_train, r.n_written_test, r.n_synthetic, r.n_extra)) + " |")
    return "\n".join(rows) + "\n"


def _eval_gold_section(r: TrainReport) -> str:
    if not r.eval_gold:
        return ""
    return (f"## Gold folders only evaluated, never trained on: {', '.join(r.eval_dirs)}\n\n"
            f"{r.eval_gold['n']} problems from {r.eval_gold['docs']} documents, texts cut by their gold spans, "
            f"scored once by the shipped model; nothing was tuned on them.\n\n{heldout_table(r.eval_gold)}\n")


def ablation_markdown(r: TrainReport) -> str:
    cv = r.cv
    return f"""# Problem classification: rules / model / ensemble

Made by `jixiao train` on {date.today().isoformat()}; the same figures are in
`models/problem_classifier/MODEL_CARD.md`. Real and written data are scored apart.
Micro-F1 compares label sets (95 % interval: bootstrap over statements, 2,000 rounds);
primary accuracy compares the first label (95 % interval: Wilson).

## Leave-one-document-out on real problems: {cv.get('docs', 0)} gold documents ({cv.get('problems', 0)} problems)

Each fold's model is fitted, calibrated and given its ensemble threshold without the
held-out document (training: the other gold documents, {r.n_written_train} written
training statements and {r.n_synthetic} synthetic sentences). The rules' lexicon was
written by people who had read the five bundled reports, so the rules' figures on those are optimistic; a
bootstrap interval of a perfect score is degenerate ([1.000, 1.000]).
Thresholds per fold: {', '.join(str(t) for t in cv.get('fold_thresholds', []))}.

{cv_table(cv)}
## Written statements: the held-out split ({r.n_written_test} statements, never trained on)

Scored by the shipped model (trained on gold + written train + synthetic); the
lexicon was not changed for or on this split.

{heldout_table(r.heldout)}
{_eval_gold_section(r)}## Confidence bands of the model's calibrated top probability (held-out written split)

{bands_table(r.heldout)}
## Calibration (held-out written split)

{calibration_table(r.calibration)}"""


def model_card(r: TrainReport, meta: dict) -> str:
    return f"""# Model card: problem_classifier

Categorizes a problem statement (存在问题 item, inline shortcoming or 未达标原因 cell) of a
Chinese performance self-evaluation report into the SPEC categories, multi-label with a
primary label; also holds a binary shortcoming detector used to rescore inline
candidate clauses.

- **Model**: character 1-3-grams + jieba words (TF-IDF) -> one-vs-rest logistic
  regression (liblinear, C=10, balanced class weights), seed {meta.get('seed')}; probabilities
  calibrated by Platt scaling pooled over labels (a = {meta['calibration']['a']:.3f},
  b = {meta['calibration']['b']:.3f}), fitted on {FOLDS}-fold out-of-fold decision values of the
  training data only (a gold document's problems share a fold). A second label is kept when
  its calibrated probability is >= 0.5.
- **Made**: {meta.get('date')} with jixiao {meta.get('jixiao')}, scikit-learn {meta.get('sklearn')}
  (format {meta.get('format')}, weights format {meta.get('weights_format')}). Extraction scores from
  `weights.npz` (vocabularies, idf, coefficients and the calibration as plain arrays) without
  importing scikit-learn, so another scikit-learn version still scores it; `model.joblib` (the
  fitted pipelines) loads only under the same scikit-learn minor version. An unknown model or
  weights format is refused with a one-line message and the extractor falls back to the rules.
- **Ensemble**: the model's labels where its calibrated top probability >= {meta.get('ensemble_threshold')},
  the rules' where a lexicon cue matched, else the model's; the threshold is the one with the best
  out-of-fold micro-F1 on the training data (grid {', '.join(map(str, THRESHOLD_GRID))}; 1.01 = rules
  whenever a cue matches).

## Data (real and written apart)

- **gold**: {r.n_gold} problems from {r.n_gold_docs} documents (texts cut from the documents by span):
  {'; '.join(f'`{g}` {d} documents with {n} problems' for g, (d, n) in r.gold_per_dir.items()) or 'no gold folder'}.
  `annotations/gold` holds the five bundled real reports; `annotations/dev/gold` holds layout documents
  that reproduce real pages with invented units and figures (see `annotations/dev/LAYOUTS.md`). Both are
  called "real" here, as against the written statements.
- **written**: {r.n_written_train + r.n_written_test} problem statements written by a developer in the
  ways reports phrase shortcomings, across departments (`extract/data/category_written.jsonl`),
  **not from any report**; a fixed stratified split: {r.n_written_train} train, {r.n_written_test} held-out
  test (never trained on, never used to tune the lexicon, the calibration or the threshold).
- **synthetic**: {r.n_synthetic} short sentences written from the category definitions
  (`extract/data/category_examples.jsonl`), training only.
- **extra**: {r.n_extra} statements from `--extra` files or folders.
- **negatives** (detector only): {r.n_negatives} non-problem sentences.

{_data_table(r)}
## Leave-one-document-out on real problems (gold documents only)

Never measured on a training document: each fold's model, calibration and threshold
are fitted without the held-out document. The rules need no training, but their lexicon
was written by people who had read the five bundled reports (`000`–`004`), so the rules'
figures on those are optimistic. With {r.n_gold} problems the intervals are wide; a bootstrap interval of a perfect score is
degenerate ([1.000, 1.000]), read the Wilson interval of primary accuracy instead.

{cv_table(r.cv)}
## Written statements: held-out split (never trained on)

{heldout_table(r.heldout)}
{_eval_gold_section(r)}## Calibration and confidence bands

![reliability diagram](reliability.png)

{calibration_table(r.calibration)}
Confidence bands used in explanations (`jixiao classify`, the ensemble's evidence), with
the share of held-out statements whose top label was the gold primary:

{bands_table(r.heldout)}
## Intended use and limits

- For the `problems` stage of `jixiao extract` (via the ensemble) and `jixiao classify`.
- The gold is {r.n_gold} problems from {r.n_gold_docs} documents; most training statements are written,
  not real: the held-out written figures measure how well the model
  learnt the written phrasings, not how it does on other provinces' reports. Categories with fewer
  than three gold problems ({', '.join(l for l in LABELS if r.label_counts['gold'][l] < 3) or 'none'}) are learnt
  almost only from written and synthetic statements. Check the category evidence.
- Calibration was fitted on out-of-fold predictions of the same mostly-written data; on real text
  the probabilities may be over-confident. On the held-out written split the few statements below
  0.5 were right more often than their probability says (see the bands), so `low` is a cautious
  label there; the bands are measured on {r.n_written_test} written statements, not on real ones.
- Not for judging units or people; it labels what a report says, not what is true.
"""
