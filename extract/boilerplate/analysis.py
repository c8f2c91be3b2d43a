"""Corpus-level boilerplate analysis: one pass over the documents, compact state, then tables.

Workers read, section, extract and tokenize documents and compute the per-document
measures (specificity, hard information, redundancy). The parent process maps
tokens to integer ids, hashes word 4-grams and character 6-grams into int64
arrays per document (memory grows with the n-gram count, not with Python objects
per token), counts document frequencies with numpy, and keeps sentence texts for
template clustering. Hashes use Python's ``hash`` inside the parent only, so they
are consistent within a run.
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from . import measures as M
from .corpus import DocRecord, prepare
from .templates import Template, cluster_templates


@dataclass
class Options:
    thresholds: M.Thresholds = field(default_factory=M.Thresholds)
    word_n: int = 4
    char_n: int = 6
    sticky_n: int = 8
    redundancy_n: int = 10
    template_threshold: float = 0.6
    template_min_docs: int = 3
    recurring_similarity: float = 0.35
    workers: int = 1


@dataclass
class _Doc:
    rec: DocRecord
    ids: np.ndarray            # token ids, all sentences concatenated
    sent_off: np.ndarray       # sentence boundaries into ids (len = n_sentences + 1)
    w_hash: np.ndarray         # word n-gram hashes, concatenated per sentence
    w_off: np.ndarray
    c_hash: np.ndarray         # char n-gram hashes
    c_off: np.ndarray
    per_doc: dict


@dataclass
class Analysis:
    sentences: list[dict]
    documents: list[dict]
    templates: list[Template]
    errors: list[dict]


def _prepare_job(args: tuple[str, str]):
    path, doc_id = args
    from ..core import JixiaoError

    try:
        rec = prepare(path, doc_id)
    except JixiaoError as e:
        return {"path": path, "error": str(e)}
    sents = [s.tokens for s in rec.sentences]
    per_doc = {"specificity": M.specificity(sents), "hard_information": M.hard_information(sents),
               "redundancy": M.redundancy(sents, 10)}
    return rec, per_doc


def _hash_grams(seqs: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    hashes: list[int] = []
    off = [0]
    for seq in seqs:
        hashes.extend(hash(seq[i:i + n]) for i in range(len(seq) - n + 1))
        off.append(len(hashes))
    return np.asarray(hashes, dtype=np.int64), np.asarray(off, dtype=np.int64)


def _df(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not arrays:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.unique(np.concatenate([np.unique(a) for a in arrays]), return_counts=True)


def _flags(h: np.ndarray, off: np.ndarray, keys: np.ndarray, counts: np.ndarray, n_docs: int,
           th: M.Thresholds) -> np.ndarray:
    n_sent = len(off) - 1
    if n_sent <= 0:
        return np.zeros(0, bool)
    if len(h) == 0:
        return np.zeros(n_sent, bool)
    df = counts[np.searchsorted(keys, h)]
    ok = (df >= th.min_docs) & (df / n_docs >= th.min_share)
    if n_docs >= th.cap_min_docs:
        ok &= df / n_docs < th.max_share
    csum = np.concatenate([[0], np.cumsum(ok)])
    return (csum[off[1:]] - csum[off[:-1]]) > 0


def analyze(inputs: Iterable[str | Path], options: Options | None = None) -> Analysis:
    """Run the whole analysis over report files (see module doc)."""
    from ..batch import assign_doc_ids
    from ..runner import collect_inputs

    opt = options or Options()
    paths = list(collect_inputs(inputs))
    ids = assign_doc_ids(paths)
    jobs = [(str(p), ids[str(p)]) for p in paths]
    vocab: dict[str, int] = {}
    docs: list[_Doc] = []
    errors: list[dict] = []

    def consume(item):
        if isinstance(item, dict):
            errors.append(item)
            return
        rec, per_doc = item
        tok_ids = [tuple(vocab.setdefault(t, len(vocab)) for t in s.tokens) for s in rec.sentences]
        flat = np.asarray([i for s in tok_ids for i in s], dtype=np.int32)
        sent_off = np.cumsum([0] + [len(s) for s in tok_ids]).astype(np.int64)
        w_hash, w_off = _hash_grams(tok_ids, opt.word_n)
        c_hash, c_off = _hash_grams(["".join(s.text.split()) for s in rec.sentences], opt.char_n)
        for s in rec.sentences:
            s.tokens = []  # now held as ids: token strings would be most of the corpus state (~2 KB a sentence)
        docs.append(_Doc(rec, flat, sent_off, w_hash, w_off, c_hash, c_off, per_doc))

    workers = max(1, opt.workers)
    if workers == 1 or len(jobs) < 4:
        for job in jobs:
            consume(_prepare_job(job))
    else:
        from multiprocessing import get_context

        with get_context("spawn" if os.name == "nt" else "fork").Pool(workers) as pool:
            for item in pool.imap(_prepare_job, jobs, chunksize=8):
                consume(item)

    n_docs = len(docs)
    wk, wc = _df([d.w_hash for d in docs])
    ck, cc = _df([d.c_hash for d in docs])

    units = [(d.rec.doc_id, s.index, s.start, s.end, s.section, s.text) for d in docs for s in d.rec.sentences]
    units += [(d.rec.doc_id, s.index, a, b, s.section, text)
              for d in docs for s in d.rec.sentences for a, b, text in s.clauses]
    templates = cluster_templates(units, threshold=opt.template_threshold, min_docs=opt.template_min_docs)
    template_of: dict[tuple[str, int], int] = {}
    for t in templates:  # best (most widespread) template first
        for doc_id, idx, _, _ in t.members:
            template_of.setdefault((doc_id, idx), t.id)

    sentence_rows, doc_rows = [], []
    by_unit: dict[str, list[_Doc]] = defaultdict(list)
    for d in docs:
        if d.rec.unit_key and d.rec.year is not None:
            by_unit[d.rec.unit_key].append(d)
    previous = {}
    for unit_docs in by_unit.values():
        years = {d.rec.year: d for d in unit_docs}
        for d in unit_docs:
            if d.rec.year - 1 in years:
                previous[d.rec.doc_id] = years[d.rec.year - 1]

    for d in docs:
        wflags = _flags(d.w_hash, d.w_off, wk, wc, n_docs, opt.thresholds)
        cflags = _flags(d.c_hash, d.c_off, ck, cc, n_docs, opt.thresholds)
        words = np.diff(d.sent_off)
        for s, n_words, wf, cf in zip(d.rec.sentences, words, wflags, cflags):
            sentence_rows.append({"doc_id": d.rec.doc_id, "sentence": s.index, "span_start": s.start,
                                  "span_end": s.end, "section": s.section, "words": int(n_words),
                                  "boilerplate_word4": bool(wf), "boilerplate_char6": bool(cf),
                                  "template_id": template_of.get((d.rec.doc_id, s.index)), "text": s.text})
        row = {"doc_id": d.rec.doc_id, "path": d.rec.path, "unit": d.rec.unit, "fiscal_year": d.rec.year,
               "sentences": len(d.rec.sentences), "words": int(words.sum()),
               "boilerplate_word4": M.boilerplate_score(words.tolist(), wflags.tolist()),
               "boilerplate_char6": M.boilerplate_score(words.tolist(), cflags.tolist()),
               "template_share": (sum(int(w) for w, s in zip(words, d.rec.sentences)
                                      if (d.rec.doc_id, s.index) in template_of) / int(words.sum()))
               if words.sum() else None,
               **d.per_doc}
        for label in sorted({s.section for s in d.rec.sentences}):
            sel = [i for i, s in enumerate(d.rec.sentences) if s.section == label]
            row[f"boilerplate_word4__{label}"] = M.boilerplate_score(words[sel].tolist(), wflags[sel].tolist())
        prev = previous.get(d.rec.doc_id)
        if prev is not None:
            cur_s = _sentences_of(d)
            prev_s = _sentences_of(prev)
            row.update(previous_doc_id=prev.rec.doc_id,
                       sticky_reused_8gram=M.reused_share(cur_s, prev_s, opt.sticky_n),
                       change_score=M.change_score(cur_s, prev_s))
            recurring = [any(cat == pcat and M.text_similarity(text, ptext) >= opt.recurring_similarity
                             for ptext, pcat in prev.rec.problems) for text, cat in d.rec.problems]
            row.update(problems=len(recurring), recurring_problems=sum(recurring))
        doc_rows.append(row)
    return Analysis(sentence_rows, doc_rows, templates, errors)


def _sentences_of(d: _Doc) -> list[tuple]:
    return [tuple(d.ids[a:b].tolist()) for a, b in zip(d.sent_off[:-1], d.sent_off[1:])]
