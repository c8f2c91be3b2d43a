"""Training from (tiny, hand-made) gold folders and written statements: determinism, LODO CV,
held-out split, calibration, intervals, model card, active learning, load checks."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from extract.train import (Example, bootstrap_f1, fit_platt, fold_ids, load_examples_jsonl, load_written,
                           reliability, scores, select_uncertain, train, wilson)
from extract.train import load_gold

# Hand-made documents for the tests (not from annotations/): (doc_id, text, [(problem, categories)]).
DOCS = [
    ("d1", "一、情况\n本年度工作完成良好。\n（三）存在问题\n1.项目支出进度缓慢，年底集中支付。\n2.工作人员业务水平有待提高。\n"
           "（四）改进措施\n1.加快支出进度。\n",
     [("项目支出进度缓慢，年底集中支付。", ["budget_execution"]), ("工作人员业务水平有待提高。", ["staff_capacity"])]),
    ("d2", "一、情况\n按时公开预决算。\n（三）存在问题\n1.对绩效管理的重视程度不够。\n2.预算编制不够细化，与实际偏差较大。\n",
     [("对绩效管理的重视程度不够。", ["awareness"]), ("预算编制不够细化，与实际偏差较大。", ["budget_preparation"])]),
    ("d3", "一、情况\n资产账实相符。\n（三）存在问题\n绩效评价结果应用不充分，内部控制制度不健全。\n",
     [("绩效评价结果应用不充分，内部控制制度不健全。", ["evaluation_and_use", "rules_and_process"])]),
]


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    for doc_id, text, problems in DOCS:
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        ps = []
        for i, (t, cats) in enumerate(problems, 1):
            s = text.index(t)
            ps.append({"id": f"p{i}", "span": [s, s + len(t)], "categories": cats, "source": "section"})
        spec = {"doc_id": doc_id, "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "meta": {},
                "facts": [], "problems": ps, "measures": [], "indicators": []}
        (gold / f"{doc_id}.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return gold


def test_load_gold_cuts_texts_by_span_and_keeps_negatives_outside(gold_dir):
    problems, negatives = load_gold(gold_dir)
    assert [e.text for e in problems][:2] == ["项目支出进度缓慢，年底集中支付。", "工作人员业务水平有待提高。"]
    assert problems[-1].labels == ("evaluation_and_use", "rules_and_process")
    assert negatives and not any("进度缓慢" in e.text for e in negatives)


# A small written file for the tests: (text, categories, split); two statements per label for training.
WRITTEN_ROWS = [
    ("年初预算测算依据不足，与实际偏差大。", ["budget_preparation"], "train"),
    ("前期论证不充分，预算安排不合理。", ["budget_preparation"], "train"),
    ("资金拨付滞后，支出进度缓慢。", ["budget_execution"], "train"),
    ("年末结余资金较多，执行率偏低。", ["budget_execution"], "train"),
    ("绩效指标难以量化，目标不明确。", ["performance_targets"], "train"),
    ("目标值设置偏低，指标不科学。", ["performance_targets"], "train"),
    ("评价结果未与预算安排挂钩。", ["evaluation_and_use"], "train"),
    ("绩效监控流于形式，跟踪不到位。", ["evaluation_and_use"], "train"),
    ("虚报冒领补助资金。", ["finance_compliance"], "train"),
    ("报销凭证不全，超范围列支。", ["finance_compliance"], "train"),
    ("资金下达后长期未使用，形成沉淀。", ["budget_execution"], "test"),
    ("项目可行性研究不深入，概算不精准。", ["budget_preparation"], "test"),
]


@pytest.fixture
def written_file(tmp_path: Path) -> Path:
    f = tmp_path / "written.jsonl"
    f.write_text('{"about": "test rows"}\n' + "".join(
        json.dumps({"text": t, "categories": c, "department": "finance", "split": s}, ensure_ascii=False) + "\n"
        for t, c, s in WRITTEN_ROWS), encoding="utf-8")
    return f


def test_train_writes_model_metadata_card_ablation_and_diagram(gold_dir, tmp_path, written_file):
    out, abl = tmp_path / "model", tmp_path / "classification.md"
    r = train(gold_dir, out, ablation=abl, synthetic=None, written=written_file)
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert {"jixiao", "sklearn", "labels", "date", "format", "calibration", "ensemble_threshold"} <= set(meta)
    assert meta["gold_docs"] == ["d1", "d2", "d3"] and r.n_gold == 5
    assert (r.n_written_train, r.n_written_test) == (10, 2) and meta["n_written_test_held_out"] == 2
    assert r.cv["docs"] == 3 and set(r.cv["components"]) == {"rules", "model", "ensemble"}
    assert r.heldout["n"] == 2 and sum(b["n"] for b in r.heldout["bands"].values()) == 2
    for comp in r.cv["components"].values():
        lo, hi = comp["primary_acc_ci"]
        assert lo <= comp["primary_acc"] <= hi
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Leave-one-document-out" in card and "| d2 |" in card and "held-out" in card
    assert "written" in card and "reliability.png" in card and "ECE" in card
    assert (out / "reliability.png").read_bytes()[:4] == b"\x89PNG"
    assert "| ensemble |" in abl.read_text(encoding="utf-8")
    from extract.classify.model import load_model

    assert load_model(out).calibrated


def test_train_refuses_a_held_out_text_in_the_training_data(gold_dir, tmp_path, written_file):
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"text": WRITTEN_ROWS[-1][0], "label": ["budget_preparation"]}, ensure_ascii=False)
                     + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="held-out written split"):
        train(gold_dir, tmp_path / "m", extra=[extra], synthetic=None, written=written_file)


def test_train_over_several_gold_folders(gold_dir, tmp_path):
    import shutil

    second = tmp_path / "dev" / "gold"
    (tmp_path / "dev" / "docs").mkdir(parents=True)
    second.mkdir()
    shutil.move(str(gold_dir / "d3.json"), second / "d3.json")
    shutil.copy(gold_dir.parent / "docs" / "d3.txt", tmp_path / "dev" / "docs" / "d3.txt")
    r = train([gold_dir, second], tmp_path / "m", synthetic=None, written=None)
    assert r.n_gold_docs == 3 and [d["doc_id"] for d in r.cv["per_doc"]] == ["d1", "d2", "d3"]
    shutil.copy(second / "d3.json", gold_dir / "d3.json")
    with pytest.raises(ValueError, match="d3 is in two gold folders"):
        train([gold_dir, second], tmp_path / "m2", synthetic=None, written=None)


def test_evaluation_only_gold_is_scored_and_never_trained_on(gold_dir, tmp_path, monkeypatch):
    import shutil

    import extract.train as t

    held = tmp_path / "test" / "gold"
    (tmp_path / "test" / "docs").mkdir(parents=True)
    held.mkdir()
    shutil.move(str(gold_dir / "d3.json"), held / "d3.json")
    shutil.copy(gold_dir.parent / "docs" / "d3.txt", tmp_path / "test" / "docs" / "d3.txt")
    fitted = []
    real_fit = t.fit
    monkeypatch.setattr(t, "fit", lambda p, n=(), seed=0: fitted.append({e.doc_id for e in p}) or real_fit(p, n, seed))
    r = t.train(gold_dir, tmp_path / "m", synthetic=None, written=None, eval_gold=[held])
    assert r.eval_gold["n"] == 1 and r.eval_gold["docs"] == 1 and r.eval_dirs == (str(held),)
    assert fitted and all("d3" not in f for f in fitted)
    assert "only evaluated, never trained on" in (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="d1 is both trained on and in an evaluation-only"):
        t.train(gold_dir, tmp_path / "m2", synthetic=None, written=None, eval_gold=[gold_dir])


def test_training_is_deterministic(gold_dir, tmp_path):
    from extract.classify.model import load_model

    texts = ["预算执行进度偏慢", "资产盘点不及时", "人员紧张"]
    a, b = (train(gold_dir, tmp_path / n, synthetic=None, written=None) for n in ("a", "b"))
    pa, pb = (load_model(r.out).proba(texts) for r in (a, b))
    assert pa == pb
    assert a.cv == b.cv


def test_cv_never_sees_the_held_out_document(gold_dir, monkeypatch, written_file):
    """Every fit inside a fold (the fold's model and its out-of-fold calibration fits)
    is without the held-out document; the written test split is never fitted on."""
    import extract.train as t

    calls, fits = [], []
    real_fit, real_cal = t.fit, t.fit_calibrated

    def spy_fit(problems, negatives=(), seed=0):
        fits[-1].append({e.doc_id for e in problems} | {e.text for e in problems})
        return real_fit(problems, negatives, seed)

    def spy_cal(problems, negatives=(), seed=0, k=t.FOLDS):
        calls.append({e.doc_id for e in problems})
        fits.append([])
        return real_cal(problems, negatives, seed, k)

    monkeypatch.setattr(t, "fit", spy_fit)
    monkeypatch.setattr(t, "fit_calibrated", spy_cal)
    r = t.train(gold_dir, gold_dir.parent / "m", written=written_file)
    held_out = [d["doc_id"] for d in r.cv["per_doc"]]
    assert len(calls) == len(held_out) + 1  # one per fold, then the shipped model
    for d, docs, fold_fits in zip(held_out, calls, fits):
        assert d not in docs and fold_fits and all(d not in f for f in fold_fits)
    test_texts = {text for text, _, split in WRITTEN_ROWS if split == "test"}
    assert all(not (f & test_texts) for fold in fits for f in fold)


def test_wilson_and_bootstrap_intervals():
    lo, hi = wilson(9, 9)
    assert lo == pytest.approx(0.7008, abs=1e-4) and hi == 1.0
    lo, hi = wilson(89, 96)
    assert lo < 89 / 96 < hi and hi - lo < 0.15
    assert wilson(0, 0) is None
    gold, pred = [("a",), ("b",), ("a", "c")] * 10, [("a",), ("a",), ("a",)] * 10
    ci = bootstrap_f1(gold, pred, seed=0)
    assert ci == bootstrap_f1(gold, pred, seed=0)
    assert ci[0] < scores(gold, pred)["micro_f1"] < ci[1]
    assert bootstrap_f1([], []) is None


def test_platt_recovers_a_known_calibration():
    import numpy as np

    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 4000)
    y = rng.random(4000) < 1 / (1 + np.exp(-(0.5 * z - 1.0)))
    a, b = fit_platt(z, y)
    assert a == pytest.approx(0.5, abs=0.08) and b == pytest.approx(-1.0, abs=0.15)
    assert fit_platt([0.1, 0.2], [1, 1]) == (1.0, 0.0)  # one outcome only: identity


def test_reliability_bins_and_ece():
    r = reliability([0.95, 0.95, 0.15, 0.15], [True, False, False, False])
    assert [b["n"] for b in r["bins"]] == [2, 2]
    assert r["ece"] == pytest.approx(0.5 * abs(0.95 - 0.5) + 0.5 * 0.15)


def test_fold_ids_keep_a_documents_problems_together():
    ex = [Example("a", ("x",), "d1"), Example("b", ("y",), "d1"), Example("c", ("x",), None, source="written"),
          Example("d", ("y",), None, source="written"), Example("e", ("x",), "d2")]
    folds = fold_ids(ex, k=3, seed=0)
    assert folds[0] == folds[1] and set(folds) <= {0, 1, 2}
    assert folds == fold_ids(ex, k=3, seed=0)


def test_examples_jsonl_reads_doccano_labels_and_written_splits(tmp_path, written_file):
    f = tmp_path / "doccano.jsonl"
    f.write_text('{"id": 1, "text": "资产账实不符。", "label": ["assets"]}\n', encoding="utf-8")
    problems, _ = load_examples_jsonl(f)
    assert problems[0].labels == ("assets",) and problems[0].source == "extra"
    train_, test = load_written(written_file)
    assert len(train_) == 10 and [e.split for e in test] == ["test", "test"]


class _FakeModel:
    """classify() with fixed per-text scores, for the selection strategies."""

    def __init__(self, table):
        self.table = table

    def classify(self, texts):
        from extract.classify import Classification

        out = []
        for t in texts:
            sc = self.table[t]
            top = max(sc, key=sc.get)
            out.append(Classification((top,), sc, calibrated=True))
        return out


def test_selection_strategies():
    table = {"sure": {"a": 0.99, "b": 0.01}, "tie": {"a": 0.5, "b": 0.5}, "close": {"a": 0.6, "b": 0.45},
             "weak": {"b": 0.3, "a": 0.05}, "tie_b": {"b": 0.52, "a": 0.5}}
    texts = list(table)
    m = _FakeModel(table)
    assert [texts[i] for i in select_uncertain(m, texts, 3)] == ["tie", "tie_b", "close"]
    assert [texts[i] for i in select_uncertain(m, texts, 2, "least_confident")] == ["weak", "tie"]
    assert [texts[i] for i in select_uncertain(m, texts, 2, "balanced_margin")] == ["tie", "tie_b"]
    with pytest.raises(ValueError, match="margin, least_confident"):
        select_uncertain(m, texts, 2, "random")


def test_scores_micro_macro_primary():
    s = scores([("a",), ("b", "c")], [("a",), ("c",)])
    assert s["micro_f1"] == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))
    assert s["primary_acc"] == 0.5
    assert scores([], [])["micro_f1"] is None


def test_train_command(gold_dir, tmp_path, written_file):
    from typer.testing import CliRunner

    from extract.cli import app

    res = CliRunner().invoke(app, ["train", "--gold", str(gold_dir), "--out", str(tmp_path / "m"),
                                   "--written", str(written_file), "--synthetic", "none"])
    assert res.exit_code == 0, res.output
    assert "5 gold problems from 3 documents" in res.output and "| ensemble |" in res.output
    assert "+ 10 written + 0 synthetic" in res.output and "2 written held out" in res.output and "held-out written statements" in res.output
    assert (tmp_path / "m" / "model.joblib").exists()
