"""Problem categories: rules lexicon explanations, model round trip, version fallback, ensemble."""
from __future__ import annotations

import json

import pytest

import extract.classify as C
from extract.classify import LABELS, get_classifier
from extract.classify.ensemble import EnsembleClassifier
from extract.classify.model import ModelClassifier, load_model
from extract.classify.rules import RuleClassifier
from extract.core import ConfigError, ModelVersionError
from extract.train import fit, load_examples_jsonl

RULE_CASES = {
    "execution_uneven": ("专项资金使用出现前松后紧的情况。", ("budget_execution",), "be_uneven"),
    "preparation_foresight": ("年初预算的资金安排有不可预见性。", ("budget_preparation",), "bp_foresight"),
    "evaluation_use": ("绩效评价结果的应用还不够充分。", ("evaluation_and_use",), "ev_use"),
    "awareness_then_rules": ("人员对绩效工作的重要性认识有待提高，管理流程还有待优化。",
                             ("awareness", "rules_and_process"), "aw_recognition"),
    "staff_skill": ("工作人员业务水平有待提高。", ("staff_capacity",), "sc_skill"),
    "targets": ("部分绩效指标不可量化。", ("performance_targets",), "pt_quantify"),
    "procurement": ("政府采购意向公开不及时。", ("procurement",), "pc_gov"),
    "assets": ("固定资产账实不符。", ("assets",), "as_mgmt"),
    "finance": ("报销票据不规范。", ("finance_compliance",), "fc_reimburse"),
    "execution_level_is_not_staff": ("预算执行水平有待进一步提升。", ("budget_execution",), "be_level"),
    "nothing": ("天气晴朗。", ("other",), "no_cue"),
}


@pytest.mark.parametrize("text,labels,rule", RULE_CASES.values(), ids=RULE_CASES.keys())
def test_rules_labels_and_explanation(text, labels, rule):
    c = RuleClassifier().classify([text])[0]
    assert c.labels == labels
    assert c.evidence.rule == rule and c.evidence.extractor == "classify.rules.v1"
    if rule != "no_cue":
        assert rule in c.evidence.explanation and "「" in c.evidence.explanation  # the matched text is shown


def test_lexicon_labels_are_spec_labels():
    assert {c.category for c in RuleClassifier().cues} <= set(LABELS)


def test_bad_lexicon_is_refused_with_the_cue_named(tmp_path):
    p = tmp_path / "lex.json"
    p.write_text(json.dumps({"categories": {"assets": [{"id": "broken", "weight": 1, "pattern": "(("}]}}))
    with pytest.raises(ConfigError, match="broken"):
        RuleClassifier(str(p))


@pytest.fixture(scope="module")
def model() -> ModelClassifier:
    problems, negatives = load_examples_jsonl()
    return fit(problems, negatives, seed=0)


def test_synthetic_examples_are_marked_and_cover_every_label():
    problems, negatives = load_examples_jsonl()
    assert all(e.synthetic for e in problems + negatives)
    assert {e.labels[0] for e in problems} == set(LABELS)


def test_model_save_load_roundtrip(model, tmp_path):
    texts = ["上半年支出进度缓慢，资金集中在年底支付", "资产盘点不及时"]
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert loaded.proba(texts) == model.proba(texts)
    assert loaded.classify(texts)[0].primary == "budget_execution"
    assert loaded.shortcoming_scores(texts) == model.shortcoming_scores(texts)
    c = loaded.classify(texts)[1]
    assert c.evidence.extractor == "classify.model.v1" and "model probabilities" in c.evidence.explanation
    assert 0.0 <= min(c.scores.values()) and max(c.scores.values()) <= 1.0


# texts the direct TF-IDF scoring must treat exactly as scikit-learn's transform does
SCORING_TEXTS = {
    "problem": "上半年支出进度缓慢，资金集中在年底支付",
    "repeated_words": "预算预算预算编制不够精准，预算编制不够细化",
    "line_breaks": "绩效目标\n\n不够明确",
    "unseen_characters": "鑫淼犇",
    "latin_and_digits": "PDF 2024 ABC",
    "empty": "",
    "punctuation_only": "。，；",
}


def test_direct_scoring_equals_predict_proba(model):
    """The category model and the shortcoming detector score without scikit-learn's
    transform; the probabilities are predict_proba's to float precision."""
    import numpy as np

    texts = list(SCORING_TEXTS.values())
    assert model.scorer is not None and model.detector_scorer is not None
    assert np.abs(model.proba_matrix(texts) - model.pipeline.predict_proba(texts)).max() < 1e-12
    direct = np.array(model.shortcoming_scores(texts))
    assert np.abs(direct - model.detector.predict_proba(texts)[:, 1]).max() < 1e-12


def test_direct_scoring_falls_back_for_other_vectorizer_settings(model):
    """A union whose vectorizer the direct path does not reproduce (binary counts) is
    scored through scikit-learn, with the same result as predict_proba."""
    import copy

    import numpy as np

    pipeline = copy.deepcopy(model.pipeline)
    pipeline.named_steps["features"].transformer_list[0][1].binary = True
    altered = ModelClassifier(pipeline, model.labels)
    assert altered.scorer is None
    texts = list(SCORING_TEXTS.values())
    assert np.abs(altered.proba_matrix(texts) - pipeline.predict_proba(texts)).max() < 1e-12


def _sklearn_elsewhere_without_weights(d):
    (d / "weights.npz").unlink()  # a model folder of the joblib-only kind
    return {"sklearn": "0.22.1"}


# (case id, change to a saved model folder -> metadata overrides, message of the refusal)
INCOMPATIBLE_CASES = {
    "sklearn_version_joblib_only": (_sklearn_elsewhere_without_weights, "scikit-learn 0.22.1.*retrain"),
    "weights_format": (lambda d: {"weights_format": 99}, "weights format 99.*retrain"),
    "model_format": (lambda d: {"format": 0}, "model format 0.*retrain"),
}


@pytest.mark.parametrize("change,message", INCOMPATIBLE_CASES.values(), ids=INCOMPATIBLE_CASES.keys())
def test_incompatible_model_falls_back_to_rules(model, tmp_path, monkeypatch, change, message):
    d = tmp_path / "old"
    model.save(d)
    meta = json.loads((d / "metadata.json").read_text())
    meta.update(change(d))
    (d / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelVersionError, match=message):
        load_model(d)
    C._cached.cache_clear()
    try:
        assert isinstance(get_classifier("ensemble", d), RuleClassifier)
        assert "retrain" in C.fallback_reason
        with pytest.raises(ModelVersionError):
            get_classifier("model", d)
        # the extractor still categorizes, by the rules
        monkeypatch.setenv("JIXIAO_MODEL_DIR", str(d))
        from extract.normalize import make_document
        from extract.problems import extract_problems
        from extract.sections import Section, SectionTree

        raw = "（三）存在问题\n1.专项资金使用前松后紧。\n"
        doc = make_document(raw)
        tree = SectionTree((Section("problems", "（三）存在问题", 2, 0, 7, len(doc.text)),))
        p = extract_problems(doc, tree)[0]
        assert p.categories == ("budget_execution",) and p.category_evidence.extractor == "classify.rules.v1"
    finally:
        C._cached.cache_clear()


def test_weights_score_without_scikit_learn_pipelines_of_another_version(model, tmp_path):
    """weights.npz holds plain arrays: a model written under another scikit-learn still
    scores (the same numbers); only unpickling its pipelines is refused."""
    d = tmp_path / "m"
    model.save(d)
    meta = json.loads((d / "metadata.json").read_text())
    meta["sklearn"] = "0.22.1"
    (d / "metadata.json").write_text(json.dumps(meta))
    loaded = load_model(d)
    texts = list(SCORING_TEXTS.values())
    assert loaded.proba(texts) == model.proba(texts)
    assert loaded.shortcoming_scores(texts) == model.shortcoming_scores(texts)
    assert loaded.has_detector
    with pytest.raises(ModelVersionError, match="scikit-learn 0.22.1"):
        loaded.pipeline


def test_weights_file_holds_no_pickles(model, tmp_path):
    import numpy as np

    model.save(tmp_path / "m")
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as arrays:
        assert {"model_coef", "model_intercept", "detector_coef", "model_block0_terms"} <= set(arrays.files)
        assert all(arrays[k].dtype != object for k in arrays.files)


def test_missing_model_ensemble_is_rules_and_model_raises(tmp_path):
    C._cached.cache_clear()
    try:
        assert isinstance(get_classifier("ensemble", tmp_path / "none"), RuleClassifier)
        with pytest.raises(FileNotFoundError, match="jixiao train"):
            get_classifier("model", tmp_path / "none")
    finally:
        C._cached.cache_clear()


def test_unknown_component_lists_choices():
    with pytest.raises(ConfigError, match="rules, model, ensemble"):
        get_classifier("svm")


def test_ensemble_uses_model_when_confident_else_rules(model):
    ens = EnsembleClassifier(model, RuleClassifier(), threshold=1.01)  # never confident -> rules
    c = ens.classify(["专项资金使用出现前松后紧的情况。"])[0]
    assert c.labels == ("budget_execution",) and "rules" in c.evidence.explanation
    ens = EnsembleClassifier(model, RuleClassifier(), threshold=0.0)  # always confident -> model
    c = ens.classify(["专项资金使用出现前松后紧的情况。"])[0]
    assert c.evidence.rule.startswith("classify.model.v1") and "model confident" in c.evidence.explanation
    assert set(c.scores) == set(model.labels)


def test_classify_command_text_and_file(tmp_path):
    from typer.testing import CliRunner

    from extract.cli import app

    C._cached.cache_clear()
    run = CliRunner().invoke
    res = run(app, ["classify", "专项资金使用前松后紧。", "--component", "rules"])
    assert res.exit_code == 0 and "budget_execution" in res.output and "be_uneven" in res.output
    f = tmp_path / "p.txt"
    f.write_text("固定资产账实不符。\n\n报销票据不规范。\n", encoding="utf-8")
    res = run(app, ["classify", "--file", str(f), "--component", "rules", "--json"])
    lines = [json.loads(l) for l in res.output.splitlines()]
    assert [l["primary"] for l in lines] == ["assets", "finance_compliance"]
    assert run(app, ["classify", "x", "--component", "svm"]).exit_code == 1
