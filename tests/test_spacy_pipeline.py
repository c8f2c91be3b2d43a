"""extract.load(): blank zh + jieba with the domain dictionary, results on the Doc."""
from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
import extract  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "annotations" / "docs" / "000_cf9d040ced9b439b.txt"


@pytest.fixture(scope="module")
def nlp():
    return extract.load()


def test_tokenizer_is_jieba_with_the_user_dictionary(nlp):
    doc = nlp.make_doc("行政编制20名，预决算差异率为零")
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "jieba"
    assert "行政编制" in [t.text for t in doc] and "预决算差异率" in [t.text for t in doc]


def test_results_live_on_the_doc_and_spans_cover_their_evidence(nlp):
    raw = SEED.read_text(encoding="utf-8")
    doc = nlp(raw)
    result = doc._.jixiao
    assert result is not None and result.to_spec()["doc_id"]
    assert len(doc.spans["facts"]) == len(result.facts) > 0
    assert doc.spans["problems"] and doc.spans["measures"] and doc.spans["sections"]
    for fact, span in zip(result.facts, doc.spans["facts"]):
        assert span.start_char <= fact.span.start and fact.span.end <= span.end_char
        assert span.label_ == fact.name
    assert {s.label_ for s in doc.spans["sections"]} >= {"basic_info", "problems", "measures"}
