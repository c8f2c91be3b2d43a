"""Evidence viewer: one self-contained HTML page per document (no network, no CDN).

The document text is shown exactly as received, with every fact, problem and
measure highlighted by kind. Segmentation is done here in Python on code-point
offsets (SPEC spans), so characters outside the Basic Multilingual Plane and
HTML-special characters render exactly; the browser only receives escaped text.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

KIND_COLORS = {
    "staffing": "#ffd8a8", "org": "#ffec99", "finance": "#b2f2bb", "rate": "#a5d8ff",
    "problem": "#ffc9c9", "measure": "#d0bfff", "indicator": "#e9ecef",
}

CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:0;display:flex;height:100vh}
#doc{flex:3;overflow:auto;padding:1em 1.5em;white-space:pre-wrap;line-height:1.7;font-size:15px}
#side{flex:2;overflow:auto;padding:1em;border-left:1px solid #ccc;font-size:13px;background:#fafafa}
mark{padding:0 1px;border-radius:2px;cursor:pointer}
mark.nested{border-bottom:2px solid #555}
mark.flash{outline:3px solid #e8590c}
table{border-collapse:collapse;width:100%;margin-bottom:1em}
td,th{border:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top}
tr.row{cursor:pointer} tr.row:hover{background:#fff3bf}
.legend span{display:inline-block;padding:0 6px;margin:2px;border-radius:3px}
.pass{color:#2b8a3e}.fail{color:#c92a2a;font-weight:bold}.not_applicable{color:#868e96}
#detail{position:fixed;bottom:0;left:0;right:40%;background:#fff;border-top:2px solid #333;padding:.5em 1em;
        font-size:13px;display:none;white-space:pre-wrap}
h1{font-size:18px}h2{font-size:15px;margin:.8em 0 .3em}
"""

JS = """
function show(id){
  const el=document.querySelector('[data-starts~="'+id+'"]');
  if(!el) return;
  el.scrollIntoView({block:'center'});
  document.querySelectorAll('mark.flash').forEach(m=>m.classList.remove('flash'));
  document.querySelectorAll('mark[data-items~="'+id+'"]').forEach(m=>m.classList.add('flash'));
  detail(id);
}
function detail(id){
  const d=ITEMS[id]; const box=document.getElementById('detail');
  box.textContent=Object.entries(d).filter(([k,v])=>v!==null&&v!==''&&k!=='kind_color')
    .map(([k,v])=>k+': '+(typeof v==='object'?JSON.stringify(v):v)).join('\\n');
  box.style.display='block';
}
document.addEventListener('click',e=>{
  const row=e.target.closest('tr.row'); if(row){show(row.dataset.target);return;}
  const m=e.target.closest('mark'); if(m){detail(m.dataset.items.split(' ').pop());}
});
"""


def _items(result: dict) -> list[dict]:
    """Flatten facts, problems, measures and filled indicator cells into highlight items."""
    items = []
    for f in result.get("facts", []):
        items.append({"kind": f["type"], "label": f["name"], "span": f["span"],
                      "info": {k: f.get(k) for k in ("type", "name", "value", "stage", "qualifier", "entity", "unit",
                                                     "code", "page", "evidence")}})
    for p in result.get("problems", []):
        items.append({"kind": "problem", "label": p["id"], "span": p["span"],
                      "info": {k: p.get(k) for k in ("id", "categories", "source", "page", "category_scores", "evidence",
                                                     "category_evidence")}})
    for m in result.get("measures", []):
        items.append({"kind": "measure", "label": m["id"], "span": m["span"],
                      "info": {k: m.get(k) for k in ("id", "addresses", "actions", "targets", "deadline", "owner", "page",
                                                     "evidence", "link_evidence")}})
    for i, row in enumerate(result.get("indicators", [])):
        for cell in ("reason_span", "measure_span"):
            if row.get(cell):
                items.append({"kind": "indicator", "label": f"{row.get('level3')} {cell[:-5]}", "span": row[cell],
                              "info": {k: row.get(k) for k in ("level1", "level2", "level3", "weight", "score")}})
    items = [it for it in items if it["span"] and it["span"][0] < it["span"][1]]
    items.sort(key=lambda it: (it["span"][0], -it["span"][1]))
    for n, it in enumerate(items):
        it["id"] = f"i{n}"
    return items


def _highlighted(raw: str, items: list[dict]) -> str:
    """Escaped text with a ``<mark>`` per segment; the segment where an item starts lists it in ``data-starts``."""
    bounds = sorted({0, len(raw), *(b for it in items for b in it["span"] if 0 <= b <= len(raw))})
    out = []
    started: set[str] = set()
    for a, b in zip(bounds, bounds[1:]):
        text = html.escape(raw[a:b])
        active = [it for it in items if it["span"][0] <= a and b <= it["span"][1]]
        if not active:
            out.append(text)
            continue
        top = active[-1]  # innermost (latest start, shortest)
        first = [it["id"] for it in active if it["id"] not in started]
        started.update(first)
        attrs = f' data-items="{" ".join(it["id"] for it in active)}"'
        if first:
            attrs += f' data-starts="{" ".join(first)}"'
        title = html.escape(f'{top["kind"]}: {top["label"]}', quote=True)
        cls = "nested" if len(active) > 1 else ""
        out.append(f'<mark class="{cls}" style="background:{KIND_COLORS.get(top["kind"], "#eee")}"'
                   f'{attrs} title="{title}">{text}</mark>')
    return "".join(out)


def _side(result: dict, items: list[dict], raw: str) -> str:
    by_span = {(it["kind"], tuple(it["span"])): it["id"] for it in items}
    esc = html.escape
    parts = ["<h2>Facts</h2><table><tr><th>name</th><th>value</th><th>stage</th><th>qualifier</th><th>entity</th>"
             "<th>evidence</th><th>page</th></tr>"]
    for f in result.get("facts", []):
        target = by_span.get((f["type"], tuple(f["span"])))
        parts.append(f'<tr class="row fact-row" data-target="{target}"><td>{esc(f["type"])}.{esc(f["name"])}</td>'
                     f'<td>{esc(str(f.get("value")))}</td><td>{esc(str(f.get("stage") or ""))}</td>'
                     f'<td>{esc(str(f.get("qualifier") or ""))}</td><td>{esc(str(f.get("entity") or ""))}</td>'
                     f'<td>{esc(raw[f["span"][0]:f["span"][1]])}</td><td>{esc(str(f.get("page") or ""))}</td></tr>')
    parts.append("</table><h2>Problems and measures</h2><table><tr><th>problem</th><th>categories</th>"
                 "<th>measures</th></tr>")
    measures_for: dict[str, list[str]] = {}
    for m in result.get("measures", []):
        for pid in m.get("addresses", []):
            measures_for.setdefault(pid, []).append(m["id"])
    for p in result.get("problems", []):
        target = by_span.get(("problem", tuple(p["span"])))
        ms = ", ".join(measures_for.get(p["id"], [])) or "—"
        parts.append(f'<tr class="row problem-row" data-target="{target}"><td>{esc(p["id"])} '
                     f'({esc(p.get("source", ""))}): {esc(raw[p["span"][0]:p["span"][1]][:60])}</td>'
                     f'<td>{esc(", ".join(p.get("categories", [])))}</td><td>{esc(ms)}</td></tr>')
    for m in result.get("measures", []):
        target = by_span.get(("measure", tuple(m["span"])))
        parts.append(f'<tr class="row measure-row" data-target="{target}"><td>{esc(m["id"])}: '
                     f'{esc(raw[m["span"][0]:m["span"][1]][:60])}</td><td>answers '
                     f'{esc(", ".join(m.get("addresses", [])) or "none")}</td><td>'
                     f'{esc(", ".join(m.get("actions", []) or []))}</td></tr>')
    parts.append("</table><h2>Cross-checks</h2><table><tr><th>check</th><th>status</th><th>arithmetic</th></tr>")
    for c in result.get("checks", []):
        parts.append(f'<tr><td>{esc(c["name"])}<br><small>{esc(c.get("identity", ""))}</small></td>'
                     f'<td class="{esc(c["status"])}">{esc(c["status"])}</td>'
                     f'<td>computed {esc(str(c.get("computed")))} / stated {esc(str(c.get("stated")))}<br>'
                     f'<small>{esc(c.get("message", ""))}</small></td></tr>')
    parts.append("</table>")
    return "".join(parts)


def render(result: dict, raw: str) -> str:
    """The whole page for one SPEC result and its raw document text."""
    items = _items(result)
    meta = result.get("meta") or {}
    legend = "".join(f'<span style="background:{c}">{k}</span>' for k, c in KIND_COLORS.items())
    info = {it["id"]: {"kind": it["kind"], **it["info"]} for it in items}
    title = html.escape(f'{result.get("doc_id")} · {meta.get("unit") or ""} {meta.get("fiscal_year") or ""}')
    data = json.dumps(info, ensure_ascii=False).replace("</", "<\\/")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body>"
            f'<div id="doc" data-highlights="{len(items)}">{_highlighted(raw, items)}</div>'
            f'<div id="side"><h1>{title}</h1><div class="legend">{legend}</div>'
            f'<p>{html.escape(json.dumps(meta, ensure_ascii=False))}</p>{_side(result, items, raw)}</div>'
            f'<div id="detail"></div><script>const ITEMS={data};{JS}</script></body></html>')


def render_result(result: dict, raw: str | None = None) -> str:
    """Render a result, reading its raw text from ``source.path`` when not given."""
    if raw is None:
        from ..ingest import read_document

        raw = read_document(result["source"]["path"], check=False).raw
    return render(result, raw)


def page_href(doc_id: str) -> str:
    """The link to a document's page, URL-encoded (``报告#1`` -> ``%E6%8A%A5%E5%91%8A%231.html``).

    >>> page_href("a b#1?")
    'a%20b%231%3F.html'
    """
    from urllib.parse import quote

    return quote(f"{doc_id}.html")


def render_index(out: Path, doc_ids: list[str] | None = None) -> str:
    """Index page for a batch folder: per-document summaries, links, and boilerplate plots if present.

    ``doc_ids``: the documents to list (default: every ``docs/*.json``)."""
    esc = html.escape
    rows = []
    paths = ([out / "docs" / f"{d}.json" for d in doc_ids] if doc_ids is not None
             else sorted((out / "docs").glob("*.json")))
    for path in paths:
        r = json.loads(path.read_text(encoding="utf-8"))
        m = r.get("meta") or {}
        fails = sum(1 for c in r.get("checks", []) if c.get("status") == "fail")
        rows.append(f'<tr><td><a href="{esc(page_href(r["doc_id"]))}">{esc(r["doc_id"])}</a></td>'
                    f'<td>{esc(str(m.get("unit") or ""))}</td><td>{esc(str(m.get("fiscal_year") or ""))}</td>'
                    f'<td>{len(r.get("facts", []))}</td><td>{len(r.get("problems", []))}</td>'
                    f'<td>{len(r.get("measures", []))}</td><td class="{"fail" if fails else "pass"}">{fails}</td></tr>')
    plots = []
    for png in sorted(out.glob("**/*.png")):
        data = base64.b64encode(png.read_bytes()).decode()
        plots.append(f'<figure><img src="data:image/png;base64,{data}" style="max-width:100%">'
                     f"<figcaption>{esc(png.name)}</figcaption></figure>")
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>jixiao corpus</title>'
            f"<style>{CSS} body{{display:block;padding:1em}}</style></head><body><h1>jixiao corpus: {len(rows)} documents</h1>"
            "<table><tr><th>doc</th><th>unit</th><th>year</th><th>facts</th><th>problems</th><th>measures</th>"
            f"<th>failed checks</th></tr>{''.join(rows)}</table>{''.join(plots)}</body></html>")
