"""Evidence viewer: exact rendering of the text, one highlight per item, and a real browser check."""
from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest

from extract.view import _items, render

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

RAW = "标题<script>&amp; 𠀋𠀋 收入预算 2724.71 万元，\n问题：预算编制不精准。措施：细化预算。"


def small_result() -> dict:
    def span(s):
        i = RAW.index(s)
        return [i, i + len(s)]

    return {"doc_id": "t", "meta": {"unit": "测试单位"},
            "facts": [{"type": "finance", "name": "income", "stage": "budget", "qualifier": None,
                       "value": 27247100.0, "entity": None, "span": span("2724.71 万元")}],
            "problems": [{"id": "p1", "span": span("预算编制不精准。"), "categories": ["budget_preparation"],
                          "source": "section"}],
            "measures": [{"id": "m1", "span": span("细化预算。"), "addresses": ["p1"]}],
            "indicators": [], "checks": [{"name": "income_parts", "identity": "a = b", "status": "fail",
                                          "computed": "1", "stated": "2", "message": "<diff>"}]}


def doc_text(page_html: str) -> str:
    body = page_html[page_html.index('<div id="doc"'):page_html.index('<div id="side"')]
    body = body[body.index(">") + 1:-len("</div>")]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body))


def test_text_renders_exactly_including_astral_and_html_special_characters():
    page = render(small_result(), RAW)
    assert doc_text(page) == RAW
    assert "<script>&amp;" not in page.split('<div id="side"')[0]  # escaped, never live markup


def test_one_highlight_start_per_item():
    result = small_result()
    page = render(result, RAW)
    starts = re.findall(r'data-starts="([^"]+)"', page)
    ids = [i for s in starts for i in s.split()]
    assert len(ids) == len(set(ids)) == len(_items(result)) == 3


def test_nested_items_each_get_a_scroll_target():
    result = small_result()
    inner = result["facts"][0]["span"]
    result["problems"].append({"id": "p2", "span": [inner[0] - 5, inner[1] + 1], "categories": ["other"],
                               "source": "inline"})
    page = render(result, RAW)
    ids = [i for s in re.findall(r'data-starts="([^"]+)"', page) for i in s.split()]
    assert sorted(ids) == sorted(it["id"] for it in _items(result))


def _browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("headless Chromium not installed (make sysdeps installs Debian's chromium)")
    return sync_api, chromium


@pytest.mark.browser
def test_seed_view_in_headless_chromium(tmp_path):
    sync_api, chromium = _browser()
    from extract.ingest import read_document
    from extract.pipeline import run_stages

    doc = read_document(ROOT / "annotations" / "docs" / "000_cf9d040ced9b439b.txt")
    result = run_stages(doc).to_spec()
    expected = len(_items(result))
    assert result["facts"], "the extractor found no fact to click on"
    page_path = tmp_path / "view.html"
    page_path.write_text(render(result, doc.raw), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 700})
            page.goto(page_path.as_uri())
            ids = page.eval_on_selector_all("[data-starts]", "els => els.flatMap(e => e.dataset.starts.split(' '))")
            assert len(set(ids)) == expected
            # click the LAST fact row: its evidence starts far down, so it must scroll into view
            rows = page.locator("tr.fact-row")
            row = rows.nth(rows.count() - 1)
            target = row.get_attribute("data-target")
            row.click()
            page.wait_for_timeout(200)
            box = page.eval_on_selector(f'[data-starts~="{target}"]',
                                        "e => {const r = e.getBoundingClientRect();"
                                        " return [r.top, r.bottom, window.innerHeight]}")
            assert 0 <= box[0] and box[1] <= box[2], box
            assert page.locator("#detail").is_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "view_000.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "view_000.png").stat().st_size > 10_000
