"""Near-duplicate sentences across documents -> template clusters (MinHash LSH, datasketch).

Sentences are shingled into character 5-grams after masking digits (so the same
template with other figures still matches); identical masked sentences are
hashed once. Candidate pairs from LSH are verified by their estimated Jaccard
similarity and merged with union-find; a cluster is a template when its
sentences come from at least ``min_docs`` documents.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def mask(text: str) -> str:
    """Whitespace removed, digit runs replaced by ``0``.

    >>> mask("2024 年收入 2724.71 万元")
    '0年收入0万元'
    """
    return DIGITS.sub("0", "".join(text.split()))


def shingles(text: str, k: int = 5) -> set[bytes]:
    return {text[i:i + k].encode("utf-8") for i in range(max(1, len(text) - k + 1))}


@dataclass
class Template:
    id: int
    representative: str
    doc_frequency: int
    members: list[tuple[str, int, int, int]]  # (doc_id, sentence index, raw start, raw end)
    sections: dict[str, int]


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_templates(sentences: Sequence[tuple[str, int, int, int, str, str]], threshold: float = 0.6,
                      num_perm: int = 64, min_chars: int = 12, min_docs: int = 3, seed: int = 1) -> list[Template]:
    """Cluster ``(doc_id, index, start, end, section, text)`` sentences into templates."""
    from datasketch import MinHash, MinHashLSH

    by_mask: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, _, _, _, text) in enumerate(sentences):
        m = mask(text)
        if len(m) >= min_chars:
            by_mask[m].append(i)
    keys = list(by_mask)
    if not keys:
        return []
    hashes = MinHash.bulk([shingles(k) for k in keys], num_perm=num_perm, seed=seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for j, h in enumerate(hashes):
        lsh.insert(j, h)
    uf = _UnionFind(len(keys))
    for j, h in enumerate(hashes):
        for other in lsh.query(h):
            if other != j and hashes[other].jaccard(h) >= threshold:
                uf.union(j, other)
    groups: dict[int, list[int]] = defaultdict(list)
    for j in range(len(keys)):
        groups[uf.find(j)].append(j)
    templates = []
    for members_keys in groups.values():
        idx = sorted(i for j in members_keys for i in by_mask[keys[j]])
        docs_of: dict[str, set[str]] = defaultdict(set)  # wording -> the documents using it (one pass)
        for i in idx:
            docs_of[sentences[i][5]].add(sentences[i][0])
        docs = set().union(*docs_of.values())
        if len(docs) < min_docs:
            continue
        # representative: the wording used by most documents, ties broken by text for determinism
        rep = min(docs_of, key=lambda t: (-len(docs_of[t]), t))
        templates.append(Template(
            id=0, representative=rep, doc_frequency=len(docs),
            members=[(sentences[i][0], sentences[i][1], sentences[i][2], sentences[i][3]) for i in idx],
            sections=dict(Counter(sentences[i][4] for i in idx)),
        ))
    templates.sort(key=lambda t: (-t.doc_frequency, t.representative))
    for n, t in enumerate(templates, 1):
        t.id = n
    return templates
