"""Documents -> sentences with raw spans, section labels and jieba tokens.

Sentences and clauses come from jixiao's one splitter (:mod:`extract.text.split`, a
sentence ending also at ``；``), words from jixiao's own jieba tokenizer
(:func:`extract.text.tokens.plain`), so a corpus run cuts text exactly as the extractors do.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text.split import CLAUSE_END, sentences
from ..text.split import clauses as clause_spans
from ..text.tokens import plain  # jieba itself loads on the first call, not at import
from ..core.document import Source
from ..ingest import read_document
from ..normalize import make_document
from ..pipeline import run_stages
from ..sections import parse_sections

MIN_CLAUSE = 12
CJK = re.compile(r"[\u4e00-\u9fff]")
PUNCT = re.compile(r"^[\W_]+$")


@dataclass
class SentenceRecord:
    doc_id: str
    index: int
    start: int  # raw offsets
    end: int
    section: str
    text: str
    tokens: list[str]
    clauses: list[tuple[int, int, str]] = field(default_factory=list)  # raw span + text of long clauses


@dataclass
class DocRecord:
    doc_id: str
    path: str
    unit: str | None
    unit_key: str | None
    year: int | None  # fiscal year extracted from the text
    series: str | None = None  # the unit (metadata, or the extracted unit's key)
    time: int | None = None  # the year (metadata, or the extracted fiscal year)
    meta: dict = field(default_factory=dict)
    sentences: list[SentenceRecord] = field(default_factory=list)
    problems: list[tuple[str, str | None]] = field(default_factory=list)  # (text, primary category)


def unit_key(unit: str | None) -> str | None:
    """Normalize a unit name for year-to-year matching (NFKC, no spaces/brackets, 中国共产党 -> 中共, no 本级).

    >>> unit_key("中国共产党 广州市海珠区委员会组织部（本级）")
    '中共广州市海珠区委员会组织部'
    """
    if not unit:
        return None
    s = unicodedata.normalize("NFKC", unit)
    s = re.sub(r"[(（]?本级[)）]?", "", s)
    s = re.sub(r"\s+|[()（）]", "", s)
    return s.replace("中国共产党", "中共") or None


def tokenize(text: str) -> list[str]:
    return [t for t in plain().lcut(text) if t.strip() and not PUNCT.match(t)]


def split_sentences(doc, sections) -> list[tuple[int, int, str, str, list]]:
    """``(raw_start, raw_end, section_label, normalized_text, clauses)`` for each sentence with >= 2 CJK
    characters; ``clauses`` are the sentence's comma-separated parts of at least ``MIN_CLAUSE``
    characters (raw span and text), when it has more than one part: shared template language
    often sits in one clause of an otherwise unit-specific sentence."""
    spans = sorted(((s.start, s.end, s.label, s.level) for s in sections.walk()), key=lambda x: (x[0], x[3]))
    out = []
    for s, e in sentences(doc.text, semicolons=True):
        while s < e and doc.text[s].isspace():
            s += 1
        while e > s and doc.text[e - 1].isspace():
            e -= 1
        if e <= s or len(CJK.findall(doc.text[s:e])) < 2:
            continue
        label = "other"
        for a, b, lab, _ in spans:  # deepest (last-starting) section containing the sentence
            if a <= s < b:
                label = lab
        raw = doc.to_raw(s, e)
        parts = list(clause_spans(doc.text, s, e))
        clauses = []
        if len(parts) > 1:
            for a, b in parts:
                while b > a and (doc.text[b - 1].isspace() or doc.text[b - 1] in CLAUSE_END):
                    b -= 1  # the clause's words, without the comma that ends it
                while a < b and doc.text[a].isspace():
                    a += 1
                if b - a >= MIN_CLAUSE:
                    r = doc.to_raw(a, b)
                    clauses.append((r.start, r.end, doc.text[a:b]))
        out.append((raw.start, raw.end, label, doc.text[s:e], clauses))
    return out


def prepare_record(rec, drop: str | None = None, cut_at: str | None = None) -> DocRecord:
    """Read (or build from corpus text), section, extract (for meta and problems) and tokenize one
    :class:`~extract.boilerplate.sources.Record`. Series and time come from the record's metadata
    when given, else from the extracted unit and fiscal year. Sentences matching the regex ``drop``
    are left out of every measure, and so is everything from the first match of the regex ``cut_at`` in
    the raw text on (e.g. a licence notice the source appends to every document)."""
    if rec.text is not None:
        doc = make_document(rec.text, Source.for_string(rec.text), rec.doc_id)
    else:
        doc = read_document(rec.path)
    sections = parse_sections(doc)
    result = run_stages(doc, sections)
    meta = {m.name: m.value for m in result.meta}
    unit = meta.get("unit")
    year = meta.get("fiscal_year")
    year = int(year) if year is not None else None
    key = unit_key(unit)
    out = DocRecord(doc_id=rec.doc_id, path=str(rec.path), unit=unit, unit_key=key, year=year,
                    series=rec.series if rec.text is not None else key,
                    time=rec.time if rec.time_from_meta else year, meta=dict(rec.meta))
    sentences = split_sentences(doc, sections)
    cut = re.search(cut_at, doc.raw) if cut_at else None
    if cut:
        sentences = [x for x in sentences if x[0] < cut.start()]
    if drop:
        pattern = re.compile(drop)
        sentences = [x for x in sentences if not pattern.search(x[3])]
    for i, (s, e, label, text, clauses) in enumerate(sentences):
        out.sentences.append(SentenceRecord(rec.doc_id, i, s, e, label, text, tokenize(text), clauses))
    out.problems = [(p.span.text(doc.raw), p.categories[0] if p.categories else None) for p in result.problems]
    return out
