"""Documents -> sentences with raw spans, section labels and jieba tokens."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
CLAUSE = re.compile(r"[^，,：:]+")
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
    year: int | None
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
    import jieba

    return [t for t in jieba.lcut(text) if t.strip() and not PUNCT.match(t)]


def split_sentences(doc, sections) -> list[tuple[int, int, str, str, list]]:
    """``(raw_start, raw_end, section_label, normalized_text, clauses)`` for each sentence with >= 2 CJK
    characters; ``clauses`` are the sentence's comma-separated parts of at least ``MIN_CLAUSE``
    characters (raw span and text), when it has more than one part: shared template language
    often sits in one clause of an otherwise unit-specific sentence."""
    spans = sorted(((s.start, s.end, s.label, s.level) for s in sections.walk()), key=lambda x: (x[0], x[3]))
    out = []
    for m in SENTENCE.finditer(doc.text):
        s, e = m.span()
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
        parts = list(CLAUSE.finditer(doc.text, s, e))
        clauses = []
        if len(parts) > 1:
            for c in parts:
                if len(c.group().strip()) >= MIN_CLAUSE:
                    r = doc.to_raw(*c.span())
                    clauses.append((r.start, r.end, c.group().strip()))
        out.append((raw.start, raw.end, label, doc.text[s:e], clauses))
    return out


def prepare(path: str, doc_id: str | None = None) -> DocRecord:
    """Read, section, extract (for meta and problems) and tokenize one document."""
    from ..ingest import read_document
    from ..pipeline import run_stages
    from ..sections import parse_sections

    doc = read_document(path)
    doc_id = doc_id or doc.doc_id
    sections = parse_sections(doc)
    result = run_stages(doc, sections)
    meta = {m.name: m.value for m in result.meta}
    unit = meta.get("unit")
    year = meta.get("fiscal_year")
    rec = DocRecord(doc_id=doc_id, path=str(path), unit=unit, unit_key=unit_key(unit),
                    year=int(year) if year is not None else None)
    for i, (s, e, label, text, clauses) in enumerate(split_sentences(doc, sections)):
        rec.sentences.append(SentenceRecord(doc_id, i, s, e, label, text, tokenize(text), clauses))
    rec.problems = [(p.span.text(doc.raw), p.categories[0] if p.categories else None) for p in result.problems]
    return rec
