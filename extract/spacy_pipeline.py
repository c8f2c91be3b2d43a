"""jixiao as a spaCy pipeline: ``extract.load()``.

A blank ``zh`` Language with the jieba segmenter (our domain user dictionary loaded,
so 行政编制 or 预决算差异率 stay one token) and one component, ``jixiao``, that runs
the extractors over the Doc's text and puts the results on the Doc:

- ``doc._.jixiao`` — the frozen :class:`extract.Result` (``.to_spec()`` for SPEC JSON);
- ``doc.spans["facts"]`` (label = fact name), ``doc.spans["problems"]`` (label = primary
  category), ``doc.spans["measures"]`` and ``doc.spans["sections"]`` (label = section
  label), each a character span of the Doc snapped outward to token boundaries.

The Doc's text is the raw text, so token offsets are raw offsets.
"""
from __future__ import annotations

from pathlib import Path

USERDICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
_registered = False


def _register() -> None:
    global _registered
    if _registered:
        return
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("jixiao"):
        Doc.set_extension("jixiao", default=None)

    @Language.component("jixiao")
    def jixiao_component(doc):
        from .normalize import make_document
        from .pipeline import run_stages
        from .sections import parse_sections

        jdoc = make_document(doc.text)
        tree = parse_sections(jdoc)
        result = run_stages(jdoc, tree)
        doc._.jixiao = result

        def span(start, end, label):
            return doc.char_span(start, end, label=label, alignment_mode="expand")

        doc.spans["facts"] = [s for f in result.facts if (s := span(f.span.start, f.span.end, f.name))]
        doc.spans["problems"] = [s for p in result.problems
                                 if (s := span(p.span.start, p.span.end, p.categories[0] if p.categories else "problem"))]
        doc.spans["measures"] = [s for m in result.measures if (s := span(m.span.start, m.span.end, "measure"))]
        secs = []
        for sec in tree.walk():
            if sec.end > sec.start:
                raw = jdoc.to_raw(sec.start, sec.end)
                if (s := span(raw.start, raw.end, sec.label)):
                    secs.append(s)
        doc.spans["sections"] = secs
        return doc

    _registered = True


def load(extract: bool = True):
    """The jixiao spaCy pipeline; ``extract=False`` gives only the jieba tokenizer."""
    import jieba
    import spacy

    jieba.setLogLevel(60)
    _register()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    jieba.load_userdict(str(USERDICT))
    if extract:
        nlp.add_pipe("jixiao")
    return nlp
