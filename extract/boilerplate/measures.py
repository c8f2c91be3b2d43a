"""Boilerplate, specificity, stickiness and redundancy measures on tokenized sentences.

Pure functions over plain lists, so each can be checked against a hand-computed
value. Formulas and sources are in ``extract/boilerplate/README.md``.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

Sentence = Sequence[str]  # tokens of one sentence (punctuation already removed)


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """Contiguous n-grams of a token list (none when shorter than n).

    >>> ngrams(["a", "b", "c"], 2)
    [('a', 'b'), ('b', 'c')]
    """
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def char_ngrams(text: str, n: int) -> list[str]:
    """Character n-grams of a sentence with whitespace removed.

    >>> char_ngrams("预 算编制", 3)
    ['预算编', '算编制']
    """
    text = "".join(text.split())
    return [text[i:i + n] for i in range(len(text) - n + 1)]


@dataclass(frozen=True)
class Thresholds:
    """When an n-gram counts as boilerplate (after Lang & Stice-Lawrence 2015).

    An n-gram is boilerplate when its document frequency share is at least
    ``min_share`` and it occurs in at least ``min_docs`` documents, and -- only in
    corpora of at least ``cap_min_docs`` documents -- in less than ``max_share``
    of them (to drop generic function phrases). In a tiny corpus the upper cap
    would remove exactly the template language shared by nearly every report, so
    it is not applied there.
    """

    min_share: float = 0.30
    max_share: float = 0.75
    min_docs: int = 2
    cap_min_docs: int = 20

    def is_boilerplate(self, df: int, n_docs: int) -> bool:
        if n_docs == 0 or df < self.min_docs or df / n_docs < self.min_share:
            return False
        return n_docs < self.cap_min_docs or df / n_docs < self.max_share


def is_boilerplate_array(df, n_docs: int, th: Thresholds):
    """:meth:`Thresholds.is_boilerplate` over a numpy array of document frequencies (same float arithmetic)."""
    import numpy as np

    df = np.asarray(df)
    if n_docs == 0:
        return np.zeros(len(df), bool)
    share = df / n_docs
    ok = (df >= th.min_docs) & (share >= th.min_share)
    if n_docs >= th.cap_min_docs:
        ok &= share < th.max_share
    return ok


def mts_bounds(n_docs: int, min_doc: float, max_doc: float) -> tuple[int, int]:
    """Occurrence-count bounds of ``morethansentiments.Boilerplate(min_doc=, max_doc=)``: a fraction in
    (0, 1) becomes ``round(fraction * n_docs)`` (Python's round), and an n-gram is kept when
    ``min <= total occurrences <= max``. The lower bound is at least 1 (the package asserts it).

    >>> mts_bounds(52, 0.30, 0.75)
    (16, 39)
    """
    lo = round(min_doc * n_docs) if 0 < min_doc < 1 else int(min_doc)
    hi = round(max_doc * n_docs) if 0 < max_doc < 1 else int(max_doc)
    return max(lo, 1), hi


def boilerplate_mts(docs: Sequence[Sequence[Sentence]], n: int, min_doc: float, max_doc: float) -> list[float]:
    """The reference implementation's score, restated over token lists (for tests and small corpora):
    n-grams within sentences; an n-gram is kept when its total number of occurrences in the corpus
    (not its document frequency) lies in :func:`mts_bounds`; a document's score is ``n x (occurrences
    of kept n-grams in it) / (its words)`` -- overlapping n-grams count their words again, so the score
    can exceed 1.

    >>> boilerplate_mts([[list("abcd")], [list("abcd")], [list("xyzw")]], 4, 2, 3)
    [1.0, 1.0, 0.0]
    """
    grams = [[g for s in d for g in ngrams(s, n)] for d in docs]
    counts = Counter(g for d in grams for g in d)
    lo, hi = mts_bounds(len(docs), min_doc, max_doc)
    out = []
    for d, g in zip(docs, grams):
        words = sum(len(s) for s in d)
        out.append(n * sum(lo <= counts[x] <= hi for x in g) / words if words else 0.0)
    return out


def document_frequency(docs: Iterable[Iterable[Iterable]]) -> Counter:
    """How many documents contain each item; ``docs`` yields, per document, per-sentence item lists."""
    df: Counter = Counter()
    for doc in docs:
        df.update({item for sent in doc for item in sent})
    return df


def boilerplate_flags(sentence_grams: Sequence[Iterable], df: Counter, n_docs: int, th: Thresholds) -> list[bool]:
    """A sentence is boilerplate when it contains at least one boilerplate n-gram."""
    return [any(th.is_boilerplate(df[g], n_docs) for g in grams) for grams in sentence_grams]


def boilerplate_score(word_counts: Sequence[int], flags: Sequence[bool]) -> float | None:
    """Share of a document's words that sit in boilerplate sentences (None for an empty document).

    >>> boilerplate_score([10, 30], [True, False])
    0.25
    """
    total = sum(word_counts)
    return sum(c for c, f in zip(word_counts, flags) if f) / total if total else None


# -- specificity (Hope, Hu & Lu 2016) and hard information (Dyer, Lang & Stice-Lawrence 2017)

NUMBER = re.compile(r"""^(
      [-+]?\d[\d,]*(\.\d+)?[%％]?           # 2724.71  1,297.59  19.58%
    | [零〇一二两三四五六七八九十百千万亿]+[个名人项次年月日]? # 十三  四个
    | \d+(年|月|日|年度)                      # 2024年
)$""", re.X)
ORG_SUFFIX = ("局", "办公室", "委员会", "部", "中心", "厅", "院", "所", "站", "队", "委", "办", "馆", "处", "科", "股", "组室")
PLACE_SUFFIX = ("省", "市", "区", "县", "镇", "乡", "街道", "村", "社区")
GENERIC = {"市级", "区级", "县级", "省级", "本部", "全部", "内部", "外部", "干部", "全市", "全区", "全县", "城市", "社区",
           "地区", "全部门", "部门", "中心", "各部", "局部"}


def is_specific(token: str) -> bool:
    """Numbers, amounts, dates, named organisations and places (by suffix, at least 3 characters).

    >>> [is_specific(t) for t in ["2724.71", "十三", "坡头区", "财政局", "部门", "加强"]]
    [True, True, True, True, False, False]
    """
    if NUMBER.match(token):
        return True
    if token in GENERIC or len(token) < 3:
        return False
    return token.endswith(ORG_SUFFIX) or token.endswith(PLACE_SUFFIX)


def specificity(sentences: Sequence[Sentence]) -> float | None:
    """Share of a document's tokens that are specific (see :func:`is_specific`)."""
    tokens = [t for s in sentences for t in s]
    return sum(map(is_specific, tokens)) / len(tokens) if tokens else None


def hard_information(sentences: Sequence[Sentence]) -> float | None:
    """Share of sentences that contain a figure."""
    if not sentences:
        return None
    return sum(any(NUMBER.match(t) and any(c.isdigit() or c in "零〇一二两三四五六七八九十" for c in t) for t in s)
               for s in sentences) / len(sentences)


# -- stickiness (Brown & Tucker 2011) and redundancy

def reused_share(current: Sequence[Sentence], previous: Sequence[Sentence], n: int = 8) -> float | None:
    """Share of the current report's word n-grams that also occur in the previous report."""
    cur = [g for s in current for g in ngrams(s, n)]
    if not cur:
        return None
    prev = {g for s in previous for g in ngrams(s, n)}
    return sum(g in prev for g in cur) / len(cur)


def cosine(a: Counter, b: Counter) -> float:
    """Cosine similarity of two count vectors.

    >>> round(cosine(Counter(a=1, b=1), Counter(a=1)), 4)
    0.7071
    """
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def change_score(current: Sequence[Sentence], previous: Sequence[Sentence]) -> float:
    """One minus the cosine similarity of word-count vectors (Brown & Tucker's modification score)."""
    return 1.0 - cosine(Counter(t for s in current for t in s), Counter(t for s in previous for t in s))


def redundancy(sentences: Sequence[Sentence], n: int = 10) -> float | None:
    """Share of a document's word n-grams that occur more than once within it.

    >>> redundancy([list("abcab")], n=2)
    0.5
    """
    grams = [g for s in sentences for g in ngrams(s, n)]
    if not grams:
        return None
    counts = Counter(grams)
    return sum(1 for g in grams if counts[g] > 1) / len(grams)


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigram sets (used to match recurring problems)."""
    sa, sb = set(char_ngrams(a, 2)), set(char_ngrams(b, 2))
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0
