"""Model component: character n-grams (1-3) + jieba words -> one-vs-rest logistic regression.

Logistic regression is fitted by maximum likelihood, so its per-label probabilities
are calibrated in the sense of log loss; with tens of training texts a held-out
calibration (``CalibratedClassifierCV``) would leave too little data to fit on.
The bundle also holds an optional binary *shortcoming detector* (problem sentence
vs any other sentence) that scores inline candidate clauses for ``extract.problems``.

A saved model is a folder: ``model.joblib`` plus ``metadata.json`` (format, jixiao
and scikit-learn versions, labels, date). :func:`load_model` checks the versions
before unpickling and raises :class:`ModelVersionError` with a one-line message.
"""
from __future__ import annotations

import functools
import json
import os
import re
import warnings
import weakref
from datetime import date
from pathlib import Path
from typing import Sequence

from ..core import Evidence, ModelVersionError
from .types import LABELS, Classification

EXTRACTOR = "classify.model.v1"
MODEL_FORMAT = 1
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "problem_classifier"
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"^[\W_]+$")


def default_model_dir() -> Path:
    """``$JIXIAO_MODEL_DIR`` or ``models/problem_classifier`` in the source tree."""
    return Path(os.environ.get("JIXIAO_MODEL_DIR") or DEFAULT_MODEL_DIR)


def clean(text: str) -> str:
    """Drop whitespace (PDF line breaks fall inside words)."""
    return _SPACE.sub("", text)


def jieba_words(text: str) -> list[str]:
    """jieba tokens without punctuation (module-level so pipelines pickle).

    Cached per text: the classifier, the shortcoming detector and the measure links
    tokenize the same problem sentences."""
    return list(_jieba_tokens(text))


@functools.lru_cache(maxsize=8192)
def _jieba_tokens(text: str) -> tuple[str, ...]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return tuple(w for w in jieba.lcut(text) if not _PUNCT.match(w))


def build_pipeline(seed: int = 0, binary: bool = False):
    """The feature union + classifier; deterministic for a given seed."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=clean, sublinear_tf=True)),
        ("words", TfidfVectorizer(tokenizer=jieba_words, preprocessor=clean, token_pattern=None,
                                  lowercase=False, ngram_range=(1, 2), sublinear_tf=True)),
    ])
    lr = LogisticRegression(C=10.0, solver="liblinear", class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", lr if binary else OneVsRestClassifier(lr))])


def _sigmoid_scores(pipeline, texts: list[str], coef, intercept):
    """Logistic probabilities of a TF-IDF union -> linear pipeline (``coef`` is
    features x outputs), the same numbers as ``predict_proba``.

    The features are computed straight from the fitted vocabularies (:class:`_TfidfBlock`)
    rather than through ``transform``: on the handful of sentences of one report,
    scikit-learn's per-call input validation costs more than the arithmetic."""
    import numpy as np

    blocks = _tfidf_blocks(pipeline.named_steps["features"])
    if blocks is None or not isinstance(coef, np.ndarray):  # a vectorizer configuration the direct path does not reproduce
        import scipy.sparse as sp

        union = pipeline.named_steps["features"]
        x = sp.hstack([t.transform(texts) for _, t in union.transformer_list]).tocsr()
        return 1.0 / (1.0 + np.exp(-(np.asarray(x @ coef) + intercept)))
    z = np.tile(np.asarray(intercept, dtype=float), (len(texts), 1))
    for block in blocks:
        for i, text in enumerate(texts):
            idx, w = block.weights(text)
            if len(idx):
                z[i] += w @ coef[idx]
    return 1.0 / (1.0 + np.exp(-z))


class _TfidfBlock:
    """One fitted ``TfidfVectorizer`` of the feature union, applied to one text at a time:
    token counts over the vocabulary, ``1 + ln(tf)`` when sublinear, times idf, L2
    normalized (``TfidfTransformer.transform``), indices offset to the block's columns."""

    def __init__(self, vectorizer, offset: int) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.l2 = vectorizer.norm == "l2"
        self.offset = offset

    def weights(self, text: str):
        import numpy as np

        counts: dict[int, int] = {}
        vocab = self.vocabulary
        for tok in self.analyze(text):
            j = vocab.get(tok)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = np.fromiter(counts, dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if self.sublinear:
            tf = np.log(tf) + 1.0
        w = tf * self.idf[idx]
        if self.l2 and len(w):
            norm = np.sqrt(w @ w)
            if norm > 0:
                w /= norm
        return idx + self.offset, w


def _tfidf_blocks(union) -> list[_TfidfBlock] | None:
    """The union's vectorizers as :class:`_TfidfBlock` s (built once per fitted union), or
    None when one of them is configured in a way the direct computation does not cover."""
    if union in _BLOCKS:
        return _BLOCKS[union]
    from sklearn.feature_extraction.text import TfidfVectorizer

    blocks, offset = [], 0
    for _, vec in union.transformer_list:
        if (type(vec) is not TfidfVectorizer or vec.binary or not vec.use_idf or vec.norm not in ("l2", None)
                or getattr(union, "transformer_weights", None)):
            blocks = None
            break
        blocks.append(_TfidfBlock(vec, offset))
        offset += len(vec.vocabulary_)
    _BLOCKS[union] = blocks
    return blocks


_BLOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # fitted union -> its blocks (not pickled with it)


def sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


class ModelClassifier:
    """A fitted category model (and optional shortcoming detector) behind ``classify(texts)``."""

    name = "model"

    def __init__(self, pipeline=None, labels: Sequence[str] = (), detector=None, metadata: dict | None = None,
                 threshold: float = 0.5) -> None:
        self.pipeline = pipeline
        self.labels = tuple(labels)
        self.detector = detector
        self.metadata = metadata or {}
        self.threshold = threshold

    @classmethod
    def fit(cls, texts: Sequence[str], label_lists: Sequence[Sequence[str]], seed: int = 0,
            negatives: Sequence[str] = ()) -> ModelClassifier:
        """Fit on texts with label lists (primary first); ``negatives`` (non-problem
        sentences) with the texts train the shortcoming detector."""
        from sklearn.preprocessing import MultiLabelBinarizer

        present = [l for l in LABELS if any(l in ls for ls in label_lists)]
        if len(present) < 2:
            raise ValueError(f"need at least two categories with examples to train, got {present}")
        mlb = MultiLabelBinarizer(classes=present)
        y = mlb.fit_transform([[l for l in ls if l in present] for ls in label_lists])
        pipe = build_pipeline(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pipe.fit(list(texts), y)
        detector = None
        if negatives:
            detector = build_pipeline(seed, binary=True)
            detector.fit(list(texts) + list(negatives), [1] * len(texts) + [0] * len(negatives))
        return cls(pipe, present, detector)

    def proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        p = self._linear_proba(list(texts))
        return [{l: float(row[j]) for j, l in enumerate(self.labels)} for row in p]

    def _linear_proba(self, texts: list[str]):
        """``pipeline.predict_proba`` for the one-vs-rest logistic model as one sparse
        product: the same numbers (multilabel one-vs-rest probabilities are the per-label
        sigmoids, not renormalized) without scikit-learn's per-estimator input checks,
        which cost more than the arithmetic on a handful of sentences."""
        import numpy as np

        clf = self.pipeline.named_steps["clf"]
        if not getattr(clf, "multilabel_", False) or not all(hasattr(e, "coef_") for e in getattr(clf, "estimators_", [])):
            return self.pipeline.predict_proba(texts)  # e.g. a label constant in training (_ConstantPredictor)
        if getattr(self, "_coef", None) is None:
            self._coef = np.vstack([e.coef_ for e in clf.estimators_]).T
            self._intercept = np.array([e.intercept_[0] for e in clf.estimators_])
        return _sigmoid_scores(self.pipeline, texts, self._coef, self._intercept)

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        out = []
        for scores in self.proba(texts):
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))
            labels = [ranked[0][0]] + [l for l, p in ranked[1:] if p >= self.threshold]
            top = ", ".join(f"{l} {p:.2f}" for l, p in ranked[:3])
            out.append(Classification(tuple(labels), scores,
                                      Evidence(EXTRACTOR, "ovr_logreg", ranked[0][1], f"model probabilities: {top}")))
        return out

    def shortcoming_scores(self, texts: Sequence[str]) -> list[float] | None:
        """P(text states a shortcoming) from the detector, or None when the bundle has none."""
        if self.detector is None or not texts:
            return None if self.detector is None else []
        lr = self.detector.named_steps["clf"]
        if not hasattr(lr, "coef_") or len(lr.classes_) != 2:
            return [float(p) for p in self.detector.predict_proba(list(texts))[:, 1]]
        # binary logistic regression: P(class 1) is the sigmoid of the decision function
        return [float(p) for p in _sigmoid_scores(self.detector, list(texts), lr.coef_.T, lr.intercept_)[:, 0]]

    def save(self, out: str | Path, extra_meta: dict | None = None) -> Path:
        import joblib

        from .. import __version__

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        meta = {"format": MODEL_FORMAT, "jixiao": __version__, "sklearn": sklearn_version(),
                "labels": list(self.labels), "detector": self.detector is not None,
                "date": date.today().isoformat(), **(extra_meta or {})}
        joblib.dump({"pipeline": self.pipeline, "labels": list(self.labels), "detector": self.detector},
                    out / "model.joblib")
        (out / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.metadata = meta
        return out


def check_metadata(meta: dict, where: str) -> None:
    """Raise ModelVersionError unless the model format and scikit-learn minor version match."""
    if meta.get("format") != MODEL_FORMAT:
        raise ModelVersionError(f"{where}: model format {meta.get('format')!r}, this jixiao reads format "
                                f"{MODEL_FORMAT}; retrain with `jixiao train`")
    if _minor(str(meta.get("sklearn", ""))) != _minor(sklearn_version()):
        raise ModelVersionError(f"{where}: model written with scikit-learn {meta.get('sklearn')} "
                                f"(jixiao {meta.get('jixiao')}), this is scikit-learn {sklearn_version()}; "
                                f"retrain with `jixiao train`")


def load_model(path: str | Path | None = None) -> ModelClassifier:
    """Load a saved model folder; FileNotFoundError if absent, ModelVersionError if incompatible."""
    import joblib

    path = Path(path) if path is not None else default_model_dir()
    meta_file = path / "metadata.json"
    if not meta_file.exists() or not (path / "model.joblib").exists():
        raise FileNotFoundError(f"{path}: no trained model (metadata.json + model.joblib); run `jixiao train`")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    check_metadata(meta, str(path))
    bundle = joblib.load(path / "model.joblib")
    return ModelClassifier(bundle["pipeline"], bundle["labels"], bundle.get("detector"), meta)
