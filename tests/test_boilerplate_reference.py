"""jixiao's boilerplate scores checked against the published reference implementation,
``morethansentiments.Boilerplate`` (Jiang & Karthik; PyPI), on the same jieba-segmented,
space-joined sentences with the same n and thresholds.

``boilerplate_mts_word4`` must equal the reference per document; ``boilerplate_word4``
(the paper's definition) differs from it for the two stated reasons, each shown on a
hand-made corpus. See extract/boilerplate/README.md, "Checked against the reference".
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from extract.boilerplate import Fields, Options, run
from extract.boilerplate import measures as M
from extract.boilerplate.corpus import tokenize

GOV = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"


def load_mts():
    """Import morethansentiments offline: at import it downloads NLTK data and an English spaCy
    model (used only by its Specificity); both are stubbed for the import. ``mts_scores`` points its
    sentence splitter at ours (one sentence per line), so it sees exactly jixiao's sentences."""
    import nltk
    import spacy

    saved = nltk.download, spacy.load
    nltk.download, spacy.load = (lambda *a, **k: False), (lambda *a, **k: None)
    try:
        import morethansentiments
    finally:
        nltk.download, spacy.load = saved
    return morethansentiments


def mts_scores(mts, doc_ids: list[str], sentences: pd.DataFrame, n: int, min_doc: float, max_doc: float) -> list[float]:
    """The reference's scores over jixiao's sentences: each sentence tokenized with jieba (punctuation
    dropped, as jixiao does), tokens joined by spaces, sentences joined by newlines."""
    import nltk

    by_doc = {d: [] for d in doc_ids}
    for d, text in zip(sentences["doc_id"], sentences["text"]):
        by_doc[d].append(" ".join(tokenize(text)))
    texts = pd.Series(["\n".join(by_doc[d]) for d in doc_ids])
    saved = nltk.sent_tokenize
    nltk.sent_tokenize = lambda doc, *a, **k: doc.split("\n")
    try:
        return mts.Boilerplate(texts, n=n, min_doc=min_doc, max_doc=max_doc)
    finally:
        nltk.sent_tokenize = saved


@pytest.fixture(scope="module")
def mts():
    import importlib.util

    if importlib.util.find_spec("morethansentiments") is None:  # importing it would try the network
        pytest.skip("morethansentiments is not installed (pip install -e .[dev])")
    return load_mts()


@pytest.fixture(scope="module")
def resolutions(tmp_path_factory):
    """The 20 NPC resolutions of the government-work-report corpus (short real texts), analysed."""
    if not GOV.exists():
        pytest.skip(f"{GOV} not available")
    tmp = tmp_path_factory.mktemp("ref")
    rows = [r for r in map(json.loads, GOV.read_text(encoding="utf-8").splitlines()) if r["year"] is None]
    src = tmp / "resolutions.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    s = run([src], tmp / "out", Options(), Fields(text="content"), csv=False, plots=False)
    return (pd.read_parquet(s.out / "documents.parquet"),
            pd.read_parquet(s.out / "sentences.parquet", columns=["doc_id", "sentence", "text"]))


def test_mts_variant_equals_the_reference_per_document(mts, resolutions):
    docs, sents = resolutions
    assert len(docs) == 20
    ref = mts_scores(mts, docs["doc_id"].tolist(), sents, 4, 0.30, 0.75)
    assert sum(r > 0 for r in ref) >= 10  # the check is not vacuous: most resolutions share phrasing
    assert docs["boilerplate_mts_word4"].tolist() == pytest.approx(ref, abs=1e-12)


def test_restated_reference_equals_the_package_on_token_lists(mts):
    docs = [[["我们", "要", "坚持", "改革", "开放"], ["发展", "是", "硬", "道理"]],
            [["我们", "要", "坚持", "改革", "开放", "我们", "要", "坚持", "改革"]],
            [["全面", "建设", "小康", "社会"]], [["我们", "要", "坚持", "改革", "创新"]]]
    texts = pd.Series(["\n".join(" ".join(s) for s in d) for d in docs])
    import nltk

    saved = nltk.sent_tokenize
    nltk.sent_tokenize = lambda doc, *a, **k: doc.split("\n")
    try:
        ref = mts.Boilerplate(texts, n=4, min_doc=2, max_doc=3)
    finally:
        nltk.sent_tokenize = saved
    assert M.boilerplate_mts(docs, 4, 2, 3) == pytest.approx(ref)


def test_where_the_paper_definition_differs_from_the_reference():
    # cause 1: the reference counts occurrences, the paper counts documents. "a b c d" occurs twice in
    # one document and nowhere else: 2 occurrences pass min_doc = 2, but its document frequency is 1.
    docs = [[list("abcd"), list("abcd")], [list("wxyz")], [list("pqrs")]]
    assert M.boilerplate_mts(docs, 4, 2, 3)[0] == pytest.approx(1.0)
    grams = [[M.ngrams(s, 4) for s in d] for d in docs]
    df = M.document_frequency(grams)
    th = M.Thresholds(min_share=0.5, max_share=1.0, min_docs=2, cap_min_docs=100)
    assert M.boilerplate_flags(grams[0], df, 3, th) == [False, False]
    # cause 2: the reference credits n words per kept n-gram occurrence (overlaps count again, the score
    # can pass 1); the paper credits the words of each sentence holding a kept n-gram, once.
    docs = [[list("abcdef")], [list("abcdef")], [list("zzzz")]]
    assert M.boilerplate_mts(docs, 4, 2, 2)[0] == pytest.approx(3 * 4 / 6)  # 3 overlapping 4-grams
    grams = [[M.ngrams(s, 4) for s in d] for d in docs]
    flags = M.boilerplate_flags(grams[0], M.document_frequency(grams), 3, th)
    assert M.boilerplate_score([6], flags) == pytest.approx(1.0)
