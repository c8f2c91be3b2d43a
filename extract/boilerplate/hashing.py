"""Stable 64-bit hashes of tokens, n-grams and masked sentences, and MinHash signatures.

Every process (a pool worker, a Dask worker on another machine) computes the same
hash for the same string, so n-gram document frequencies can be counted per
partition and merged on disk. Tokens are hashed with BLAKE2b (8 bytes); an n-gram's
hash is a polynomial over its tokens' hashes modulo 2**64 (numpy, vectorized).
"""
from __future__ import annotations

import hashlib

import numpy as np

MULT = np.uint64(0x100000001B3)  # FNV-1 64-bit prime, the polynomial's base


def string_hash(s: str) -> int:
    """Signed 64-bit BLAKE2b hash of a string (stable across processes and machines).

    >>> string_hash("预算") == string_hash("预算") and string_hash("预算") != string_hash("决算")
    True
    """
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


class TokenHasher:
    """Hashes of token strings, with a per-instance cache (one instance per worker chunk)."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, tokens) -> np.ndarray:
        cache = self._cache
        out = np.empty(len(tokens), dtype=np.int64)
        for i, t in enumerate(tokens):
            h = cache.get(t)
            if h is None:
                h = cache[t] = string_hash(t)
            out[i] = h
        return out


def char_hashes(text: str) -> np.ndarray:
    """int64 hashes of a string's characters: the code point through the splitmix64 finalizer
    (vectorized; no per-character Python call).

    >>> h = char_hashes("预算预")
    >>> len(h), h[0] == h[2], h[0] == h[1]
    (3, np.True_, np.False_)
    """
    x = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (x ^ (x >> np.uint64(31))).view(np.int64)


def ngram_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """int64 hashes of the contiguous n-grams of a sequence of token hashes (empty when shorter than n).

    >>> a = ngram_hashes(np.array([1, 2, 3, 1, 2], dtype=np.int64), 2)
    >>> len(a), a[0] == a[3], a[0] == a[1]
    (4, np.True_, np.False_)
    """
    m = len(token_hashes) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.int64)
    u = token_hashes.view(np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h = h * MULT + u[k:k + m]
    return h.view(np.int64)


# -- MinHash (multiply-shift permutations of 64-bit shingle hashes) and LSH bands

def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63 - 1, size=num_perm, dtype=np.int64).view(np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63 - 1, size=num_perm, dtype=np.int64).view(np.uint64)
    return a, b


def minhash_signatures(shingle_hashes: np.ndarray, offsets: np.ndarray, perms) -> np.ndarray:
    """(units, num_perm) uint32 signatures; unit i owns ``shingle_hashes[offsets[i]:offsets[i+1]]``
    (every unit has at least one shingle). h_k(x) = (a_k x + b_k mod 2**64) >> 32."""
    a, b = perms
    x = shingle_hashes.view(np.uint64)
    vals = ((x[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)
    return np.minimum.reduceat(vals, offsets[:-1], axis=0)


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(units, bands) int64: a hash of each band of ``rows`` signature values."""
    out = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    sig = signatures.astype(np.uint64)
    for j in range(bands):
        h = np.full(signatures.shape[0], np.uint64(j + 1), dtype=np.uint64)
        for r in range(rows):
            h = h * MULT + sig[:, j * rows + r]
        out[:, j] = h
    return out.view(np.int64)


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band that minimise false positives + false negatives at ``threshold``
    (datasketch's own optimisation, so the banding matches ``MinHashLSH(threshold, num_perm)``)."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)
