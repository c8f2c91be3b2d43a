"""jieba tokenizers owned by jixiao: instances, never the global ``jieba`` module.

A caller that loads a user dictionary into the global jieba changes what every other
caller gets, so a result would depend on what ran before. jixiao keeps two
:class:`jieba.Tokenizer` instances instead, each built once per process and never
changed afterwards:

- :func:`plain` — jieba's default dictionary: the classifier's and the measure links'
  words (the trained model's features were computed with it);
- :func:`with_userdict` — the default dictionary plus ``extract/data/userdict.txt``
  (domain words such as 一般公共预算): the spaCy pipeline's segmenter.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

USERDICT = Path(__file__).resolve().parents[1] / "data" / "userdict.txt"


def _quiet() -> None:
    import jieba  # heavy: the dictionary loads on first use

    jieba.setLogLevel(logging.WARNING)


@functools.lru_cache(maxsize=1)
def plain():
    """A jieba tokenizer with the default dictionary."""
    import jieba  # heavy: imported only where tokens are needed

    _quiet()
    return jieba.Tokenizer()


@functools.lru_cache(maxsize=1)
def with_userdict():
    """A jieba tokenizer with the default dictionary and jixiao's user dictionary."""
    import jieba  # heavy: imported only where tokens are needed

    _quiet()
    tok = jieba.Tokenizer()
    tok.load_userdict(str(USERDICT))
    return tok
