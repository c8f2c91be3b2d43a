"""Model component: character n-grams (1-3) + jieba words -> one-vs-rest logistic regression.

Balanced class weights make the raw one-vs-rest sigmoids over-confident for the
positive class, so a fitted model carries a *calibration*: Platt scaling
``p = sigmoid(a * z + b)`` of each label's decision value ``z``, with ``a`` and ``b``
fitted on out-of-fold decision values of the training data only (``extract.train``);
they are plain arrays (``calibration_a`` / ``calibration_b``, one entry per label),
applied on the fast path as on the scikit-learn one. A model without them (weights
format 1) scores with the raw sigmoids. The bundle also holds an optional binary *shortcoming detector* (problem sentence
vs any other sentence) that scores inline candidate clauses for ``extract.problems``.

A saved model is a folder: ``model.joblib`` (the fitted scikit-learn pipelines),
``weights.npz`` (the same model as plain arrays: vocabularies, idf, coefficients) and
``metadata.json`` (formats, jixiao and scikit-learn versions, labels, date).
Extraction scores with :class:`LinearScorer` over ``weights.npz``, computing the
TF-IDF features itself, so it never imports scikit-learn (0.7 s per process) and a
scikit-learn upgrade does not invalidate the model; ``model.joblib`` is unpickled only
when a caller asks for the pipelines, after a scikit-learn version check.
:func:`load_model` raises :class:`ModelVersionError` with a one-line message when a
format or (for the pipelines) the scikit-learn minor version does not match.
"""
from __future__ import annotations

import functools
import json
import os
import re
import warnings
from datetime import date
from pathlib import Path
from typing import Sequence

from .. import models_dir
from ..core import Evidence, ModelVersionError
from ..core.registry import register
from ..text import tokens
from .confidence import describe
from .types import LABELS, Classification

EXTRACTOR = "classify.model.v1"
MODEL_FORMAT = 1
WEIGHTS_FORMAT = 2  # 2: calibration arrays; 1 (no calibration) is still read
READABLE_WEIGHTS_FORMATS = (1, 2)
WEIGHTS_FILE = "weights.npz"
DEFAULT_MODEL_DIR = models_dir() / "problem_classifier"
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"^[\W_]+$")


def default_model_dir() -> Path:
    """``$JIXIAO_MODEL_DIR``, else ``problem_classifier`` in :func:`extract.models_dir`."""
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
    return tuple(w for w in quiet_jieba().lcut(text) if not _PUNCT.match(w))


def quiet_jieba():
    """jixiao's own jieba tokenizer (default dictionary; never the global module, whose
    dictionary another caller may change): see :mod:`extract.text.tokens`."""
    return tokens.plain()


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


class TfidfBlock:
    """One TF-IDF block of the feature union, applied to one text at a time without
    scikit-learn, as ``TfidfVectorizer.transform`` does it for our two vectorizers
    (both with :func:`clean` as preprocessor, so no lowercasing): character n-grams, or
    n-grams of :func:`jieba_words` joined by a space; counts over the vocabulary,
    ``1 + ln(tf)`` when sublinear, times idf, L2 normalized; column indices offset to
    the block's place in the union."""

    def __init__(self, kind: str, ngram_range: tuple[int, int], vocabulary: dict[str, int], idf,
                 sublinear: bool, l2: bool, offset: int = 0) -> None:
        if kind not in ("char", "words"):
            raise ValueError(f"unknown feature block kind {kind!r}; valid: char, words")
        self.kind, self.ngram_range = kind, (int(ngram_range[0]), int(ngram_range[1]))
        self.vocabulary, self.idf = vocabulary, idf
        self.sublinear, self.l2, self.offset = bool(sublinear), bool(l2), int(offset)

    @classmethod
    def from_vectorizer(cls, vec, offset: int) -> TfidfBlock | None:
        """The block of a fitted ``TfidfVectorizer``, or None when it is configured in a
        way this class does not reproduce."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        if (type(vec) is not TfidfVectorizer or vec.binary or not vec.use_idf or vec.norm not in ("l2", None)
                or vec.input != "content" or vec.preprocessor is not clean or vec.stop_words is not None):
            return None
        if vec.analyzer == "char":
            kind = "char"
        elif vec.analyzer == "word" and vec.tokenizer is jieba_words:
            kind = "words"
        else:
            return None
        return cls(kind, vec.ngram_range, vec.vocabulary_, vec.idf_, vec.sublinear_tf, vec.norm == "l2", offset)

    def tokens(self, text: str) -> list[str]:
        """The n-grams scikit-learn's analyzer yields for ``text`` (their order aside)."""
        text = clean(text)
        seq, join = (text, "".join) if self.kind == "char" else (jieba_words(text), " ".join)
        lo, hi = self.ngram_range
        out = list(seq) if lo == 1 else []
        for n in range(max(lo, 2), hi + 1):
            out += [join(seq[i:i + n]) for i in range(len(seq) - n + 1)]
        return out

    def weights(self, text: str):
        """``(column indices, values)`` of the text's non-zero features in this block."""
        import numpy as np

        counts: dict[int, int] = {}
        vocab = self.vocabulary
        for tok in self.tokens(text):
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


class LinearScorer:
    """Logistic probabilities of TF-IDF blocks -> linear model: ``sigmoid(x @ coef + intercept)``
    with ``coef`` features x outputs. For a multilabel one-vs-rest model these are
    ``predict_proba`` (per-label sigmoids, not renormalized); for a binary one, column 0
    is P(class 1)."""

    def __init__(self, blocks: Sequence[TfidfBlock], coef, intercept) -> None:
        import numpy as np

        self.blocks = tuple(blocks)
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = np.asarray(intercept, dtype=float).reshape(-1)

    def decision(self, texts: Sequence[str]):
        """Decision values ``x @ coef + intercept``, one row per text."""
        import numpy as np

        z = np.tile(self.intercept, (len(texts), 1))
        for block in self.blocks:
            for i, text in enumerate(texts):
                idx, w = block.weights(text)
                if len(idx):
                    z[i] += w @ self.coef[idx]
        return z

    def proba(self, texts: Sequence[str]):
        return sigmoid(self.decision(texts))

    @classmethod
    def from_pipeline(cls, pipeline) -> LinearScorer | None:
        """The scorer of a fitted ``build_pipeline`` pipeline (one-vs-rest or binary
        logistic regression), or None when some part is not reproducible (a label constant
        in training, another vectorizer setting): the caller then uses scikit-learn."""
        import numpy as np

        union, clf = pipeline.named_steps["features"], pipeline.named_steps["clf"]
        if getattr(union, "transformer_weights", None):
            return None
        if hasattr(clf, "estimators_"):  # one-vs-rest, multilabel
            if not getattr(clf, "multilabel_", False) or not all(hasattr(e, "coef_") for e in clf.estimators_):
                return None  # e.g. _ConstantPredictor for a label without negatives
            coef = np.vstack([e.coef_ for e in clf.estimators_]).T
            intercept = np.array([e.intercept_[0] for e in clf.estimators_])
        elif hasattr(clf, "coef_") and len(getattr(clf, "classes_", ())) == 2:
            coef, intercept = clf.coef_.T, clf.intercept_
        else:
            return None
        if not isinstance(coef, np.ndarray):
            return None  # sparsified coefficients
        blocks, offset = [], 0
        for _, vec in union.transformer_list:
            block = TfidfBlock.from_vectorizer(vec, offset)
            if block is None:
                return None
            blocks.append(block)
            offset += len(vec.vocabulary_)
        return cls(blocks, coef, intercept)

    def arrays(self, prefix: str) -> dict:
        """Plain arrays for ``numpy.savez`` (no pickles), keys starting with ``prefix``."""
        import numpy as np

        out = {f"{prefix}coef": self.coef, f"{prefix}intercept": self.intercept}
        for b, block in enumerate(self.blocks):
            config = {"kind": block.kind, "ngram_range": list(block.ngram_range), "sublinear": block.sublinear,
                      "l2": block.l2, "offset": block.offset}
            out[f"{prefix}block{b}_config"] = np.array(json.dumps(config))
            out[f"{prefix}block{b}_terms"] = np.array(sorted(block.vocabulary, key=block.vocabulary.__getitem__))
            out[f"{prefix}block{b}_idf"] = np.asarray(block.idf, dtype=float)
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> LinearScorer:
        blocks, b = [], 0
        while f"{prefix}block{b}_config" in arrays:
            config = json.loads(str(arrays[f"{prefix}block{b}_config"]))
            terms = arrays[f"{prefix}block{b}_terms"].tolist()
            blocks.append(TfidfBlock(config["kind"], tuple(config["ngram_range"]),
                                     {t: i for i, t in enumerate(terms)}, arrays[f"{prefix}block{b}_idf"],
                                     config["sublinear"], config["l2"], config["offset"]))
            b += 1
        return cls(blocks, arrays[f"{prefix}coef"], arrays[f"{prefix}intercept"])


def sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


@register(EXTRACTOR)
class ModelClassifier:
    """A fitted category model (and optional shortcoming detector) behind ``classify(texts)``.

    Scoring goes through :class:`LinearScorer` (``scorer`` / ``detector_scorer``) when the
    model has one, else through the scikit-learn pipelines. A model loaded from
    ``weights.npz`` unpickles its pipelines only when :attr:`pipeline` or :attr:`detector`
    is first read."""

    name = "model"

    def __init__(self, pipeline=None, labels: Sequence[str] = (), detector=None, metadata: dict | None = None,
                 threshold: float = 0.5, *, scorer: LinearScorer | None = None,
                 detector_scorer: LinearScorer | None = None, bundle: Path | None = None,
                 calibration: tuple | None = None) -> None:
        self._pipeline, self._detector, self._bundle = pipeline, detector, bundle
        self.labels = tuple(labels)
        self.calibration = None
        if calibration is not None:
            self.calibrate(*calibration)
        self.metadata = metadata or {}
        self.threshold = threshold
        self.scorer = scorer if scorer is not None or pipeline is None else LinearScorer.from_pipeline(pipeline)
        self.detector_scorer = (detector_scorer if detector_scorer is not None or detector is None
                                else LinearScorer.from_pipeline(detector))
        self.has_detector = detector is not None or detector_scorer is not None

    def _load_bundle(self) -> None:
        """Unpickle ``model.joblib`` (after the scikit-learn version check), once."""
        if self._bundle is None:
            return
        import joblib

        check_metadata(self.metadata, str(self._bundle.parent), pipelines=True)
        bundle = joblib.load(self._bundle)
        self._pipeline, self._detector, self._bundle = bundle["pipeline"], bundle.get("detector"), None

    @property
    def pipeline(self):
        self._load_bundle()
        return self._pipeline

    @property
    def detector(self):
        self._load_bundle()
        return self._detector

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

    @property
    def calibrated(self) -> bool:
        return self.calibration is not None

    def calibrate(self, a, b) -> ModelClassifier:
        """Set the Platt parameters (one ``a`` and ``b`` per label, or scalars for all)."""
        import numpy as np

        n = len(self.labels)
        a = np.broadcast_to(np.asarray(a, dtype=float), (n,)).copy()
        b = np.broadcast_to(np.asarray(b, dtype=float), (n,)).copy()
        self.calibration = (a, b)
        return self

    def decision_matrix(self, texts: Sequence[str]):
        """Raw decision values (logits), one row per text, columns in ``labels`` order."""
        texts = list(texts)
        if self.scorer is not None:
            return self.scorer.decision(texts)
        return self.pipeline.decision_function(texts)

    def proba_matrix(self, texts: Sequence[str], calibrated: bool = True):
        """Per-label probabilities, one row per text, columns in ``labels`` order;
        calibrated when the model has a calibration (and ``calibrated``)."""
        texts = list(texts)
        if self.calibration is not None and calibrated:
            a, b = self.calibration
            return sigmoid(a * self.decision_matrix(texts) + b)
        return self.scorer.proba(texts) if self.scorer is not None else self.pipeline.predict_proba(texts)

    def proba(self, texts: Sequence[str], calibrated: bool = True) -> list[dict[str, float]]:
        if not texts:
            return []
        return [{l: float(row[j]) for j, l in enumerate(self.labels)}
                for row in self.proba_matrix(texts, calibrated)]

    def classify(self, texts: Sequence[str]) -> list[Classification]:
        out = []
        kind = "calibrated probabilities" if self.calibrated else "probabilities (uncalibrated)"
        for scores in self.proba(texts):
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], LABELS.index(kv[0])))
            labels = [ranked[0][0]] + [l for l, p in ranked[1:] if p >= self.threshold]
            top = ", ".join(f"{l} {p:.2f}" for l, p in ranked[:3])
            why = f"model {kind}: {top}"
            if self.calibrated:
                why += f"; {describe(ranked[0][1])}"
            out.append(Classification(tuple(labels), scores,
                                      Evidence(EXTRACTOR, "ovr_logreg", ranked[0][1], why), calibrated=self.calibrated))
        return out

    def shortcoming_scores(self, texts: Sequence[str]) -> list[float] | None:
        """P(text states a shortcoming) from the detector, or None when the model has none."""
        if not self.has_detector:
            return None
        if not texts:
            return []
        if self.detector_scorer is not None:
            return [float(p) for p in self.detector_scorer.proba(list(texts))[:, 0]]
        return [float(p) for p in self.detector.predict_proba(list(texts))[:, 1]]

    def save(self, out: str | Path, extra_meta: dict | None = None) -> Path:
        """Write ``model.joblib``, ``weights.npz`` (when the scorers exist) and ``metadata.json``."""
        import joblib
        import numpy as np

        from .. import __version__

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        pipeline, detector = self.pipeline, self.detector
        weights = self.scorer is not None and (detector is None or self.detector_scorer is not None)
        meta = {"format": MODEL_FORMAT, "jixiao": __version__, "sklearn": sklearn_version(),
                "weights_format": WEIGHTS_FORMAT if weights else None,
                "labels": list(self.labels), "detector": detector is not None,
                "date": date.today().isoformat(), **(extra_meta or {})}
        cal = None if self.calibration is None else [c.tolist() for c in self.calibration]
        joblib.dump({"pipeline": pipeline, "labels": list(self.labels), "detector": detector, "calibration": cal},
                    out / "model.joblib")
        (out / WEIGHTS_FILE).unlink(missing_ok=True)
        if weights:
            arrays = self.scorer.arrays("model_")
            if self.calibration is not None:
                arrays.update(calibration_a=self.calibration[0], calibration_b=self.calibration[1])
            if self.detector_scorer is not None:
                arrays.update(self.detector_scorer.arrays("detector_"))
            with open(out / WEIGHTS_FILE, "wb") as fh:
                np.savez_compressed(fh, **arrays)
        (out / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.metadata = meta
        return out


def check_metadata(meta: dict, where: str, pipelines: bool = True) -> None:
    """Raise ModelVersionError unless the model format matches and, when the scikit-learn
    pipelines are to be unpickled (``pipelines``), the scikit-learn minor version too."""
    if meta.get("format") != MODEL_FORMAT:
        raise ModelVersionError(f"{where}: model format {meta.get('format')!r}, this jixiao reads format "
                                f"{MODEL_FORMAT}; retrain with `jixiao train`")
    if pipelines and _minor(str(meta.get("sklearn", ""))) != _minor(sklearn_version()):
        raise ModelVersionError(f"{where}: model written with scikit-learn {meta.get('sklearn')} "
                                f"(jixiao {meta.get('jixiao')}), this is scikit-learn {sklearn_version()}; "
                                f"retrain with `jixiao train`")


def load_model(path: str | Path | None = None) -> ModelClassifier:
    """Load a saved model folder; FileNotFoundError if absent, ModelVersionError if incompatible.

    With ``weights.npz`` of this jixiao's weights format the model scores without
    scikit-learn; without it, ``model.joblib`` is unpickled at once (version-checked)."""
    path = Path(path) if path is not None else default_model_dir()
    meta_file = path / "metadata.json"
    if not meta_file.exists() or not (path / "model.joblib").exists():
        raise FileNotFoundError(f"{path}: no trained model (metadata.json + model.joblib); run `jixiao train`")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    weights = path / WEIGHTS_FILE
    if not weights.exists():
        import joblib

        check_metadata(meta, str(path))
        bundle = joblib.load(path / "model.joblib")
        return ModelClassifier(bundle["pipeline"], bundle["labels"], bundle.get("detector"), meta,
                               calibration=bundle.get("calibration"))
    check_metadata(meta, str(path), pipelines=False)
    if meta.get("weights_format") not in READABLE_WEIGHTS_FORMATS:
        raise ModelVersionError(f"{path}: weights format {meta.get('weights_format')!r}, this jixiao reads format "
                                f"{WEIGHTS_FORMAT}; retrain with `jixiao train`")
    import numpy as np

    with np.load(weights, allow_pickle=False) as arrays:
        scorer = LinearScorer.from_arrays(arrays, "model_")
        detector = LinearScorer.from_arrays(arrays, "detector_") if "detector_coef" in arrays else None
        calibration = ((arrays["calibration_a"], arrays["calibration_b"]) if "calibration_a" in arrays else None)
    return ModelClassifier(labels=meta.get("labels", ()), metadata=meta, scorer=scorer, detector_scorer=detector,
                           bundle=path / "model.joblib", calibration=calibration)
