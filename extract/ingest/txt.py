"""Plain-text reports: UTF-8 (with or without BOM), GB18030/GBK, or what charset-normalizer is sure of.

The encoding is never guessed silently: it is recorded in ``Source.encoding``, and a
file no decoder reads confidently raises ``IngestError(kind="encoding")``.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from ..core import Document, IngestError, Source
from ..normalize import make_document
from .base import check_binary, read_bytes, sha256

#: Encodings charset-normalizer may name for Chinese GB text; GB18030 is their superset.
GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn"}
#: Above this charset-normalizer "chaos" (mess) ratio a decoding is not trusted.
MAX_CHAOS = 0.2
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(path: Path, data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; ``declared`` (e.g. an HTML meta charset) is tried first.

    Order: a byte-order mark; the declared encoding (GB names read as GB18030);
    strict UTF-8; then charset-normalizer's best match, read strictly (GB family
    as GB18030), accepted only below :data:`MAX_CHAOS`.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise IngestError(path, f"starts with a {enc} byte-order mark but does not decode ({e.reason})",
                                  "encoding") from None
    check_binary(path, data)
    tried = [declared.lower()] if declared else []
    for enc in tried + ["utf-8"]:
        enc = "gb18030" if enc.replace("-", "") in {e.replace("_", "") for e in GB_FAMILY} else enc
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files need it

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "no confident text decoding (not UTF-8, GB18030 or another known encoding)",
                          "encoding")
    enc = "gb18030" if best.encoding in GB_FAMILY else best.encoding
    if best.chaos > MAX_CHAOS:
        raise IngestError(path, f"no confident text decoding (best guess {best.encoding} is {best.chaos:.0%} garbled)",
                          "encoding")
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError) as e:
        raise IngestError(path, f"no confident text decoding ({enc}: {e})", "encoding") from None


def read_txt(path: Path) -> Document:
    data = read_bytes(path)
    text, enc = decode(path, data)
    return make_document(text, Source(str(path), "txt", enc, sha256(data)), doc_id=path.stem)
