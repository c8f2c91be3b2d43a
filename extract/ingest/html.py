"""HTML reports (government web pages): the article body, without navigation and scripts.

Page furniture goes first: ``script style noscript nav header footer aside form
iframe …`` and elements whose id/class names navigation, menus, breadcrumbs,
sharing or copyright. The body is then the element whose id/class is a known
article container (TRS_Editor, zoom, article, content …, in that order of
preference, the largest when several match), else the element holding the most
paragraph text. Blocks (p, div, li, tr, h1-h6, br …) become lines; table cells are
joined by ``" | "`` as in DOCX.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..core import Document, IngestError, Source
from ..normalize import make_document
from .base import one_line, read_bytes, sha256
from .txt import decode

DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
             "template", "svg", "select", "button", "input", "object", "embed", "canvas", "head")
#: id/class words of page furniture (matched as whole words or word starts: nav, navbar, menu-top).
FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|menu|header|footer|breadcrumb|crumbs?|share|sidebar|side|copyright|"
                       r"banner|topbar|toolbar|login|search|position|location|links?|foot|head)(?:$|[\s_-]|\w*)",
                       re.IGNORECASE)
#: id/class patterns of article containers, most specific first.
BODY_HINTS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"TRS_Editor|TRS_UEDITOR", r"\bzoom\b|fontzoom", r"\barticle|artibody|zwnr|zw_?content|news_?content|detail",
    r"\bcontent|\bmain\b|\btext\b|\bbody\b"))
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "section", "article", "h1", "h2", "h3",
              "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "center", "caption", "hr", "br"}
CELL_TAGS = {"td", "th"}
CELL_SEPARATOR = " | "
_WS = re.compile(r"\s+")  # source line breaks inside a text node are not line breaks
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]) (?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _attrs(tag) -> str:
    cls = tag.get("class") or []
    return " ".join([tag.get("id") or "", *(cls if isinstance(cls, list) else [cls])])


def _is_furniture(tag) -> bool:
    names = _attrs(tag)
    return bool(names.strip()) and bool(FURNITURE.search(names)) and not any(h.search(names) for h in BODY_HINTS[:3])


def _find_body(soup):
    for hint in BODY_HINTS:
        found = [t for t in soup.find_all(True) if hint.search(_attrs(t)) and t.get_text(strip=True)]
        if found:
            return max(found, key=lambda t: len(t.get_text(strip=True)))
    best, best_len = None, 0
    for tag in soup.find_all(["div", "td", "article", "section", "main", "body"]):
        direct = sum(len(c.get_text(strip=True)) for c in tag.find_all("p", recursive=False))
        direct += sum(len(s.strip()) for s in tag.find_all(string=True, recursive=False))
        if direct > best_len:
            best, best_len = tag, direct
    return best or soup.body or soup


def _text_lines(root) -> list[str]:
    """The text of ``root`` with one line per block; cells of a row joined by ``" | "``."""
    from bs4 import NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    out: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                out.append(_CJK_GAP.sub("", _WS.sub(" ", str(child))))
                continue
            name = child.name
            if name in CELL_TAGS:
                out.append(CELL_SEPARATOR)
                walk(child)
            elif name in BLOCK_TAGS:
                out.append("\n")
                walk(child)
                out.append("\n")
            else:
                walk(child)

    walk(root)
    lines = []
    for line in "".join(out).split("\n"):
        line = " ".join(line.split())
        line = line.strip(" |").strip()
        if line:
            lines.append(line)
    return lines


def read_html(path: Path) -> Document:
    data = read_bytes(path)
    m = _META_CHARSET.search(data[:4096])
    text, enc = decode(path, data, m.group(1).decode("ascii") if m else None)
    from bs4 import BeautifulSoup  # imported here: only HTML files need it

    try:
        soup = BeautifulSoup(text, "lxml")
        for tag in soup.find_all(DROP_TAGS):
            tag.decompose()
        for tag in [t for t in soup.find_all(True) if _is_furniture(t)]:
            if not tag.decomposed:
                tag.decompose()
        lines = _text_lines(_find_body(soup))
    except Exception as e:  # lxml/bs4 failures on pathological markup
        raise IngestError(path, f"cannot parse HTML ({one_line(e)})", "format") from None
    if not lines:
        raise IngestError(path, "HTML page has no body text", "empty")
    return make_document("\n".join(lines), Source(str(path), "html", enc, sha256(data)), doc_id=path.stem)
