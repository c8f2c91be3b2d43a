"""Problem categories: rules (lexicon), model (scikit-learn) and their ensemble, one interface.

Each component has ``classify(texts) -> list[Classification]`` and can be scored on
its own (``extract.train.cross_validate``)::

    from extract.classify import classify
    classify(["专项资金使用前松后紧"], component="rules")[0].labels   # ('budget_execution',)

``component="ensemble"`` (the default) falls back to the rules when no trained
model exists or the saved one is incompatible (the reason is kept in
``fallback_reason``); ``component="model"`` raises instead.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Sequence

from ..core import ConfigError, ModelVersionError
from .types import LABELS, Classification, Classifier

COMPONENTS = ("rules", "model", "ensemble")
fallback_reason: str | None = None

__all__ = ["LABELS", "COMPONENTS", "Classification", "Classifier", "get_classifier", "classify"]


@functools.lru_cache(maxsize=8)
def _cached(component: str, model_dir: str) -> Classifier:
    global fallback_reason
    from .rules import RuleClassifier

    if component == "rules":
        return RuleClassifier()
    from .model import load_model

    try:
        model = load_model(model_dir)
    except (FileNotFoundError, ModelVersionError) as e:
        if component == "model":
            raise
        fallback_reason = str(e)
        return RuleClassifier()
    if component == "model":
        return model
    from .ensemble import DEFAULT_THRESHOLD, EnsembleClassifier

    threshold = float(model.metadata.get("ensemble_threshold") or DEFAULT_THRESHOLD)
    return EnsembleClassifier(model, RuleClassifier(), threshold)


def get_classifier(component: str = "ensemble", model_dir: str | Path | None = None) -> Classifier:
    """The named component (cached per model folder)."""
    if component not in COMPONENTS:
        raise ConfigError(f"unknown classifier component {component!r}; valid: {', '.join(COMPONENTS)}")
    if model_dir is None:
        from .model import default_model_dir

        model_dir = default_model_dir()
    return _cached(component, str(model_dir))


def classify(texts: Sequence[str], component: str = "ensemble",
             model_dir: str | Path | None = None) -> list[Classification]:
    return get_classifier(component, model_dir).classify(list(texts))
