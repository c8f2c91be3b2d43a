"""jixiao as a spaCy pipeline: ``extract.load()``.

A ``zh`` Language whose tokenizer is jixiao's own jieba segmenter: a ``jieba.Tokenizer``
instance holding the domain user dictionary (``extract.text.tokens``) (so 行政编制 or 预决算差异率 stay one token),
never jieba's global tokenizer, so loading the pipeline changes nothing another caller
of jieba sees. One component, ``jixiao``, runs the extractors over the Doc's text and
puts the results on the Doc as plain, serializable data:

- ``doc._.jixiao`` — the SPEC JSON dict of the result (``Result.to_spec()``);
- ``doc.spans["facts"]``, ``["problems"]``, ``["measures"]``, ``["sections"]`` — character
  spans of the Doc snapped outward to token boundaries. Labels tell spans apart: a fact's
  label is its name with its stage, qualifier and entity when set
  (``income|budget|general_public``, ``authorized_total|区党建指导中心``); a problem's is its
  primary category; a section's its section label;
- span attributes ``span._.value``, ``unit``, ``stage``, ``qualifier``, ``entity``,
  ``category`` (a problem's primary category), ``categories``, ``evidence`` and ``item``
  (the whole SPEC item), read from ``doc._.jixiao`` through the span's ``id_``, so they
  survive ``Doc.to_bytes()``, ``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=2)``.

``nlp.to_disk(d)`` saves the user dictionary with the tokenizer; ``spacy.load(d)`` works
in a fresh process through the ``spacy_factories`` and ``spacy_tokenizers`` entry points
declared in pyproject.toml. The Doc's text is the raw text, so offsets are raw offsets.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .text import tokens

TOKENIZER = "jixiao.JiebaTokenizer.v1"
GROUPS = {"f": "facts", "p": "problems", "m": "measures"}
SPAN_ATTRS = ("value", "unit", "stage", "qualifier", "entity", "category", "categories", "evidence", "item")


class JiebaTokenizer:
    """spaCy tokenizer over a private ``jieba.Tokenizer`` with jixiao's user dictionary.

    The dictionary text is part of the tokenizer's data: ``to_disk``/``from_disk`` and
    ``to_bytes``/``from_bytes`` write and read it, so a saved pipeline carries it.
    """

    def __init__(self, vocab, userdict: str):
        self.vocab = vocab
        self.userdict = userdict
        self._jieba = None

    @property
    def jieba(self):
        """The segmenter: jixiao's shared one (``extract.text.tokens.with_userdict``) when the
        dictionary is the package's, else one built from the dictionary this tokenizer holds."""
        if self._jieba is None:
            if self.userdict == tokens.USERDICT.read_text(encoding="utf-8"):
                self._jieba = tokens.with_userdict()
            else:
                import jieba  # heavy: dictionary loaded on first use

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.load_userdict(io.BytesIO(self.userdict.encode("utf-8")))
                self._jieba = tok
        return self._jieba

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.jieba.cut(text, cut_all=False) if w]
        words, spaces = util.get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"userdict": self.userdict})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "JiebaTokenizer":
        self.userdict, self._jieba = srsly.msgpack_loads(data)["userdict"], None
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "userdict.txt").write_text(self.userdict, encoding="utf-8")

    def from_disk(self, path, *, exclude=tuple()) -> "JiebaTokenizer":
        self.userdict, self._jieba = (Path(path) / "userdict.txt").read_text(encoding="utf-8"), None
        return self

    def __reduce__(self):
        return (JiebaTokenizer, (self.vocab, self.userdict))


@registry.tokenizers(TOKENIZER)
def create_jieba_tokenizer():
    """The registered tokenizer factory (config: ``@tokenizers = "jixiao.JiebaTokenizer.v1"``)."""

    def make(nlp):
        return JiebaTokenizer(nlp.vocab, tokens.USERDICT.read_text(encoding="utf-8"))

    return make


def _item(span: Span) -> dict | None:
    """The SPEC item behind a span: its ``id_`` is ``<f|p|m><index>``."""
    spec, sid = span.doc._.jixiao, span.id_
    if not spec or not sid or sid[0] not in GROUPS or not sid[1:].isdigit():
        return None
    items = spec.get(GROUPS[sid[0]]) or []
    i = int(sid[1:])
    return items[i] if i < len(items) else None


def _attr(name: str):
    def get(span: Span):
        item = _item(span)
        if item is None:
            return None
        if name == "item":
            return item
        if name == "category":
            return (item.get("categories") or [None])[0]
        return item.get(name)

    return get


def _register_extensions() -> None:
    if not Doc.has_extension("jixiao"):
        Doc.set_extension("jixiao", default=None)
    for name in SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_attr(name))


_register_extensions()


def fact_label(fact: dict) -> str:
    """``name|stage|qualifier|entity`` with the parts that are set: two facts of one name differ."""
    return "|".join([fact["name"]] + [str(fact[k]) for k in ("stage", "qualifier", "entity") if fact.get(k)])


class JixiaoComponent:
    """Runs jixiao's extractors over ``doc.text`` and writes the results onto the Doc."""

    def __call__(self, doc: Doc) -> Doc:
        from .normalize import make_document
        from .pipeline import run_stages
        from .sections import parse_sections

        jdoc = make_document(doc.text)
        tree = parse_sections(jdoc)
        spec = run_stages(jdoc, tree).to_spec()
        doc._.jixiao = spec

        def span(start: int, end: int, label: str, sid: str = "") -> Span | None:
            s = doc.char_span(start, end, alignment_mode="expand")
            return Span(doc, s.start, s.end, label=label, span_id=sid) if s is not None else None

        doc.spans["facts"] = [s for i, f in enumerate(spec["facts"])
                              if (s := span(*f["span"], fact_label(f), f"f{i}"))]
        doc.spans["problems"] = [s for i, p in enumerate(spec["problems"])
                                 if (s := span(*p["span"], (p.get("categories") or ["problem"])[0], f"p{i}"))]
        doc.spans["measures"] = [s for i, m in enumerate(spec["measures"]) if (s := span(*m["span"], "measure", f"m{i}"))]
        secs = []
        for sec in tree.walk():
            if sec.end > sec.start:
                raw = jdoc.to_raw(sec.start, sec.end)
                if (s := span(raw.start, raw.end, sec.label)):
                    secs.append(s)
        doc.spans["sections"] = secs
        return doc


@Language.factory("jixiao")
def make_jixiao(nlp: Language, name: str) -> JixiaoComponent:
    """The ``jixiao`` pipeline component (entry point ``spacy_factories``)."""
    return JixiaoComponent()


def load(extract: bool = True) -> Language:
    """The jixiao spaCy pipeline; ``extract=False`` gives only the jieba tokenizer."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    if extract:
        nlp.add_pipe("jixiao")
    return nlp
