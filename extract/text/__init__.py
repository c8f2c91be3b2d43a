"""The document's shape, computed once and read by every extractor.

- :mod:`.markers` — one grammar for heading and list markers (一、 （一） 1. （1） ① 一是 第一，),
  at a line start or run together mid-line.
- :mod:`.lines` — lines with offsets, the contents-line and page-number detectors.
- :mod:`.split` — the one sentence and clause splitter.
- :mod:`.tables` — the one table reader: every flattened form (pipe rows, one cell per line,
  a row on one line, wrapped or spaced headers, captions, merged cells) -> rows of cells.
- :mod:`.layout` — :class:`Layout`, all of the above for one document, built once.

Offsets are into the normalized ``doc.text`` unless a docstring says raw.
"""
