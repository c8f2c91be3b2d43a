"""Train the problem-category model from gold problems; score rules / model / ensemble by
leave-one-document-out cross-validation; write the model, its metadata and MODEL_CARD.md.

Training texts are the gold problems' spans cut from the documents, plus the
hand-written synthetic sentences in ``extract/data/category_examples.jsonl``
(clearly marked synthetic, written from the category definitions). Cross-validation
scores are measured on gold documents only, each time with a model that never saw
that document. Deterministic for a fixed seed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from .classify.types import LABELS

SYNTHETIC = Path(__file__).resolve().parent / "data" / "category_examples.jsonl"
_SENT = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]  # primary first; empty for a non-problem sentence
    doc_id: str | None = None
    synthetic: bool = False


@dataclass
class TrainReport:
    out: Path
    n_gold_docs: int
    n_gold: int
    n_synthetic: int
    n_negatives: int
    label_counts: dict[str, dict[str, int]]
    cv: dict = field(default_factory=dict)


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
        for m in _SENT.finditer(raw):
            s, e = m.span()
            text = re.sub(r"\s+", "", m.group(0))
            if 8 <= len(text) <= 120 and not any(s < te and ts < e for ts, te in taken):
                negatives.append(Example(text, (), gold["doc_id"]))
    return problems, negatives


def load_examples_jsonl(path: str | Path = SYNTHETIC) -> tuple[list[Example], list[Example]]:
    """Example lines ``{"text", "labels", "problem"}``: problems and non-problem sentences."""
    problems, negatives = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "text" not in row:
            continue
        ex = Example(row["text"], tuple(l for l in row.get("labels", []) if l in LABELS), None,
                     bool(row.get("synthetic", False)))
        (problems if row.get("problem", bool(ex.labels)) and ex.labels else negatives).append(ex)
    return problems, negatives


def load_extra(paths: Iterable[str | Path], docs_dir: str | Path | None = None) -> tuple[list[Example], list[Example]]:
    """Extra training data: gold-shaped folders (``*.json``) or example ``*.jsonl`` files."""
    problems, negatives = [], []
    for p in map(Path, paths):
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p] if p.suffix == ".jsonl" else []
        for f in files:
            a, b = load_examples_jsonl(f)
            problems += a
            negatives += b
        if p.is_dir() and any(p.glob("*.json")):
            a, b = load_gold(p, docs_dir)
            problems += a
            negatives += b
    return problems, negatives


def fit(problems: Sequence[Example], negatives: Sequence[Example] = (), seed: int = 0):
    from .classify.model import ModelClassifier

    return ModelClassifier.fit([e.text for e in problems], [list(e.labels) for e in problems], seed=seed,
                               negatives=[e.text for e in negatives])


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
    return {"micro_f1": f1(tp, fp, fn), "macro_f1": sum(f1(*c) for c in per.values()) / len(per),
            "primary_acc": sum(bool(g) and bool(p) and g[0] == p[0] for g, p in zip(gold, pred)) / len(gold),
            "n": len(gold)}


THRESHOLD_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01 = never trust the model over a rule cue


def _lodo(gold: Sequence[Example], gold_neg: Sequence[Example], extra: Sequence[Example],
          extra_neg: Sequence[Example], seed: int):
    """Yield (held-out doc, its examples, model fitted without it) for each gold document."""
    for d in sorted({e.doc_id for e in gold}):
        test = [e for e in gold if e.doc_id == d]
        train = [e for e in gold if e.doc_id != d] + list(extra)
        neg = [e for e in gold_neg if e.doc_id != d] + list(extra_neg)
        yield d, test, fit(train, neg, seed)


def select_threshold(gold: Sequence[Example], gold_neg: Sequence[Example], extra: Sequence[Example],
                     extra_neg: Sequence[Example] = (), seed: int = 0) -> float:
    """The ensemble threshold with the best leave-one-document-out micro-F1 on ``gold``
    (ties: the higher threshold, i.e. the more conservative use of the model). With fewer
    than two documents, the default."""
    from .classify.ensemble import DEFAULT_THRESHOLD, EnsembleClassifier
    from .classify.rules import RuleClassifier

    if len({e.doc_id for e in gold}) < 2:
        return DEFAULT_THRESHOLD
    rules = RuleClassifier()
    truth, preds = [], {t: [] for t in THRESHOLD_GRID}
    for _, test, model in _lodo(gold, gold_neg, extra, extra_neg, seed):
        texts = [e.text for e in test]
        truth += [e.labels for e in test]
        for t in THRESHOLD_GRID:
            preds[t] += [c.labels for c in EnsembleClassifier(model, rules, t).classify(texts)]
    return max(THRESHOLD_GRID, key=lambda t: (scores(truth, preds[t])["micro_f1"] or 0.0, t))


def cross_validate(gold: Sequence[Example], gold_neg: Sequence[Example], extra: Sequence[Example],
                   extra_neg: Sequence[Example] = (), seed: int = 0, threshold: float | None = None) -> dict:
    """Leave-one-document-out over the gold documents for rules, model and ensemble.

    Each fold trains on the other gold documents plus ``extra`` (synthetic) data and
    predicts the held-out document's problems; the rules need no training. The
    ensemble's threshold is chosen inside each fold by an inner leave-one-document-out
    over that fold's training documents only (nested CV), unless ``threshold`` is given,
    so the held-out document never influences it.
    """
    from .classify.ensemble import EnsembleClassifier
    from .classify.rules import RuleClassifier

    rules = RuleClassifier()
    truth, preds = [], {"rules": [], "model": [], "ensemble": []}
    per_doc, chosen = [], []
    for d, test, model in _lodo(gold, gold_neg, extra, extra_neg, seed):
        train_gold = [e for e in gold if e.doc_id != d]
        t = threshold if threshold is not None else select_threshold(
            train_gold, [e for e in gold_neg if e.doc_id != d], extra, extra_neg, seed)
        chosen.append(t)
        texts = [e.text for e in test]
        got = {"rules": rules.classify(texts), "model": model.classify(texts),
               "ensemble": EnsembleClassifier(model, rules, t).classify(texts)}
        truth += [e.labels for e in test]
        for k, v in got.items():
            preds[k] += [c.labels for c in v]
        per_doc.append({"doc_id": d, "n": len(test), "threshold": t,
                        **{k: scores([e.labels for e in test], [c.labels for c in v])["micro_f1"]
                           for k, v in got.items()}})
    return {"docs": len(per_doc), "problems": len(truth), "threshold": "nested" if threshold is None else threshold,
            "fold_thresholds": chosen,
            "components": {k: scores(truth, v) for k, v in preds.items()}, "per_doc": per_doc}


def label_counts(examples: Sequence[Example]) -> dict[str, int]:
    counts = {l: 0 for l in LABELS}
    for e in examples:
        for l in e.labels:
            counts[l] += 1
    return counts


def train(gold_dir: str | Path | None = "annotations/gold", out: str | Path | None = None,
          extra: Sequence[str | Path] = (), docs_dir: str | Path | None = None, seed: int = 0,
          synthetic: str | Path | None = SYNTHETIC, ablation: str | Path | None = None) -> TrainReport:
    """Cross-validate, fit on everything, save ``out`` with metadata and MODEL_CARD.md."""
    from .classify.model import default_model_dir

    out = Path(out) if out else default_model_dir()
    gold, gold_neg = load_gold(gold_dir, docs_dir) if gold_dir and Path(gold_dir).is_dir() else ([], [])
    syn, syn_neg = load_examples_jsonl(synthetic) if synthetic else ([], [])
    ext, ext_neg = load_extra(extra, docs_dir)
    extra_all, extra_neg = syn + ext, syn_neg + ext_neg
    cv = cross_validate(gold, gold_neg, extra_all, extra_neg, seed) if len({e.doc_id for e in gold}) >= 2 else {}
    threshold = select_threshold(gold, gold_neg, extra_all, extra_neg, seed)
    model = fit(gold + extra_all, gold_neg + extra_neg, seed)
    counts = {"gold": label_counts(gold), "synthetic": label_counts(syn), "extra": label_counts(ext)}
    report = TrainReport(out, len({e.doc_id for e in gold}), len(gold), len(syn), len(gold_neg) + len(extra_neg),
                         counts, cv)
    model.save(out, {"seed": seed, "gold_docs": sorted({e.doc_id for e in gold}), "n_gold": len(gold),
                     "n_synthetic": len(syn), "n_extra": len(ext), "n_negatives": report.n_negatives,
                     "ensemble_threshold": threshold, "cv": cv})
    (out / "MODEL_CARD.md").write_text(model_card(report, model.metadata), encoding="utf-8")
    if ablation:
        Path(ablation).parent.mkdir(parents=True, exist_ok=True)
        Path(ablation).write_text(ablation_markdown(report), encoding="utf-8")
    return report


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def cv_table(cv: dict) -> str:
    if not cv:
        return "No cross-validation: fewer than two gold documents.\n"
    rows = ["| component | micro-F1 | macro-F1 | primary accuracy | problems |", "|---|---|---|---|---|"]
    for k in ("rules", "model", "ensemble"):
        s = cv["components"][k]
        rows.append(f"| {k} | {_fmt(s['micro_f1'])} | {_fmt(s['macro_f1'])} | {_fmt(s['primary_acc'])} | {s['n']} |")
    per = ["", "| held-out document | problems | rules | model | ensemble |", "|---|---|---|---|---|"]
    per += [f"| {d['doc_id']} | {d['n']} | {_fmt(d['rules'])} | {_fmt(d['model'])} | {_fmt(d['ensemble'])} |"
            for d in cv["per_doc"]]
    return "\n".join(rows + per) + "\n"


def ablation_markdown(r: TrainReport) -> str:
    cv = r.cv
    head = (f"# Problem classification: rules / model / ensemble\n\nLeave-one-document-out cross-validation "
            f"over {cv.get('docs', 0)} gold documents ({cv.get('problems', 0)} problems): each document is "
            f"scored by a model trained on the other gold documents plus {r.n_synthetic} synthetic sentences; "
            f"scores are over gold problems only, comparing label sets (micro/macro-F1) and the first "
            f"label (primary accuracy). The ensemble's confidence threshold is chosen inside each fold by an inner "
            f"leave-one-document-out over that fold's training documents (thresholds per fold: "
            f"{', '.join(str(t) for t in cv.get('fold_thresholds', []))}). Made by `jixiao train` "
            f"on {date.today().isoformat()}.\n\n")
    return head + cv_table(cv)


def model_card(r: TrainReport, meta: dict) -> str:
    counts = "\n".join(f"| {l} | {r.label_counts['gold'][l]} | {r.label_counts['synthetic'][l]} | "
                       f"{r.label_counts['extra'][l]} |" for l in LABELS)
    return f"""# Model card: problem_classifier

Categorizes a problem statement (存在问题 item, inline shortcoming or 未达标原因 cell) of a
Chinese performance self-evaluation report into the SPEC categories, multi-label with a
primary label; also holds a binary shortcoming detector used to rescore inline
candidate clauses.

- **Model**: character 1-3-grams + jieba words (TF-IDF) -> one-vs-rest logistic
  regression (liblinear, C=10, balanced class weights), seed {meta.get('seed')}.
- **Made**: {meta.get('date')} with jixiao {meta.get('jixiao')}, scikit-learn {meta.get('sklearn')}
  (format {meta.get('format')}, weights format {meta.get('weights_format')}). Extraction scores from
  `weights.npz` (vocabularies, idf and coefficients as plain arrays) without importing
  scikit-learn, so another scikit-learn version still scores it; `model.joblib` (the fitted
  pipelines) loads only under the same scikit-learn minor version. An unknown model or weights
  format is refused with a one-line message and the extractor falls back to the rules.
- **Data**: {r.n_gold} gold problems from {r.n_gold_docs} documents (`annotations/gold`, texts cut
  from `annotations/docs` by span), {r.n_synthetic} **synthetic** sentences written by the
  developers from the category definitions (`extract/data/category_examples.jsonl`), and
  {r.n_negatives} non-problem sentences for the detector.

| label | gold | synthetic | extra |
|---|---|---|---|
{counts}

## Leave-one-document-out cross-validation (gold documents only)

Never measured on a training document: each fold's model is fitted without the
held-out document. The rules need no training, but their lexicon was written by
people who had read these documents, so the rules row is optimistic.

{cv_table(r.cv)}
## Intended use and limits

- For the `problems` stage of `jixiao extract` (via the ensemble: model where its top
  probability >= {meta.get('ensemble_threshold')}, rules elsewhere; the threshold is chosen by
  leave-one-document-out on the gold, and in the figures above by nested CV) and `jixiao classify`.
- Trained on very few real problems from a handful of organization-department reports;
  categories rare in the gold (procurement, assets, disclosure, finance_compliance)
  are learnt from synthetic sentences only. Expect weak generalization to other
  kinds of units and to project reports; check the category evidence.
- Not for judging units or people; it labels what a report says, not what is true.
"""
