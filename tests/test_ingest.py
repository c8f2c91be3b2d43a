"""Readers: encodings, PDF/DOCX/HTML generated in the test, bad inputs, and a runner over a mixed folder."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from extract.core import IngestError
from extract.ingest import read_document
from extract.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "annotations" / "docs"
BAD = Path(__file__).resolve().parent / "fixtures" / "bad_inputs"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
SEED = (DOCS / "000_cf9d040ced9b439b.txt").read_text(encoding="utf-8")
SEED_LINES = normalize(SEED)[0].split("\n")

needs_font = pytest.mark.skipif(not CJK_FONT.exists(),
                                reason=f"CJK font {CJK_FONT} missing (install fonts-wqy-microhei: scripts/ensure_sysdeps.sh)")


# --------------------------------------------------------------------------- text encodings

@pytest.mark.parametrize("encoding, recorded", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),
    ("utf-16", "utf-16"),
])
def test_txt_encodings(tmp_path, encoding, recorded):
    text = SEED[:3000]
    path = tmp_path / f"report_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.raw == text  # a BOM is not part of the text
    assert doc.source.encoding == recorded
    assert doc.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.source.format == "txt" and doc.doc_id == f"report_{encoding}"
    assert "行政编制20名" in doc.text


def test_short_gbk_report_is_detected(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("整体绩效自评报告：本单位年度预算支出完成率为百分之九十五，自评得分九十七分。".encode("gbk"))
    doc = read_document(path)
    assert doc.source.encoding == "gb18030" and doc.raw.startswith("整体绩效")


# --------------------------------------------------------------------------- PDF

def _seed_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=11)
    for chunk in (SEED_LINES[:10], SEED_LINES[10:16]):
        pdf.add_page()
        for para in chunk:
            pdf.multi_cell(0, 7, para, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@needs_font
def test_pdf_recovers_phrases_and_pages(tmp_path):
    path = tmp_path / "seed.pdf"
    _seed_pdf(path)
    doc = read_document(path)
    assert doc.source.format == "pdf" and len(doc.source.pages) == 2
    assert doc.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    for phrase in ("行政编制20名", "（湛坡财〔2025〕149号）", "填报日期：2025年9月8日", "下属二级预算单位0个。"):
        assert phrase in doc.text
    assert "一、单位基本情况" in doc.text.split("\n")  # a heading keeps its own line
    for phrase, page in (("整体绩效自评报告", 1), ("行政编制20名", 1), (SEED_LINES[12][:12], 2)):
        i = doc.text.index(phrase)
        span = doc.to_raw(i, i + len(phrase))
        assert doc.page_of(span) == page
        assert "".join(span.text(doc.raw).split()) == phrase


def test_pdf_without_text_layer(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)  # a drawing, no text: what a scan looks like to a text extractor
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    _assert_refused(path, "no_text")


# --------------------------------------------------------------------------- DOCX

def test_docx_reading_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("整体绩效自评报告")
    d.add_paragraph("一、部门整体支出情况")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate((("指标", "分值", "得分"), ("预算执行率", "10", "9"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("二、存在问题：预算编制不够精准，绩效自评工作有待加强。")
    path = tmp_path / "report.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.source.format == "docx"
    assert doc.text.split("\n") == ["整体绩效自评报告", "一、部门整体支出情况", "指标 | 分值 | 得分",
                                    "预算执行率 | 10 | 9", "二、存在问题：预算编制不够精准，绩效自评工作有待加强。"]


# --------------------------------------------------------------------------- HTML

NOISY_PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>湛江市人民政府门户网站</title>
<style>.nav {{color: red}}</style><script>var menu = "首页 政务公开 预算";</script></head>
<body><div id="top" class="header">湛江市人民政府门户网站 无障碍 长者模式</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>财政预算信息</li></ul>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 财政信息</div>
<div class="main"><div class="sidebar">相关链接 预算公开专栏</div>
<div id="zoom" class="TRS_Editor">{body}
<table><tr><td>指标</td><td>分值</td></tr><tr><td>预算执行率</td><td>10</td></tr></table></div></div>
<footer>版权所有：湛江市人民政府 网站标识码 4408000001</footer>
<script>document.write("统计代码");</script></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_body_drops_furniture(tmp_path, charset):
    body = "".join(f"<p>&nbsp;&nbsp;{line}</p>\n" for line in SEED_LINES[:12])
    path = tmp_path / "page.html"
    path.write_bytes(NOISY_PAGE.format(charset=charset, body=body).encode(charset))
    doc = read_document(path)
    assert doc.source.format == "html" and doc.source.encoding == ("gb18030" if charset == "gbk" else "utf-8")
    lines = doc.text.split("\n")
    assert lines[:12] == SEED_LINES[:12]
    assert lines[12:] == ["指标 | 分值", "预算执行率 | 10"]
    for noise in ("首页", "政务公开", "当前位置", "版权所有", "var menu", "统计代码", "相关链接", "无障碍"):
        assert noise not in doc.raw


def test_html_without_container_uses_largest_text_block(tmp_path):
    paras = "".join(f"<p>{line}</p>" for line in SEED_LINES[:8])
    page = (f"<html><body><div><a href='/'>首页</a> <a>机构概况</a></div>"
            f"<div><div>{paras}</div></div><div>联系我们 网站地图</div></body></html>")
    path = tmp_path / "plain.htm"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.text.split("\n") == SEED_LINES[:8]


# --------------------------------------------------------------------------- bad input

def _assert_refused(path: Path, kind: str) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_document(path)
    err = info.value
    assert err.kind == kind
    assert "\n" not in str(err) and path.name in str(err) and str(err).endswith(f"[{kind}]")
    return err


@pytest.mark.parametrize("name, kind", [
    ("empty.txt", "empty"),
    ("junk.txt", "binary"),
    ("undecodable.txt", "encoding"),
    ("truncated.pdf", "format"),
    ("broken.docx", "format"),
    ("not_a_report.txt", "not_a_report"),
])
def test_bad_fixture_refused(name, kind):
    _assert_refused(BAD / name, kind)


@pytest.mark.parametrize("case, data, kind", [
    ("missing.txt", None, "missing"),
    ("missing.xyz", None, "missing"),
    ("whitespace_only.txt", b"  \n\r\n\t ", "empty"),
    ("control_chars.txt", "预算".encode() + bytes(range(1, 8)) * 40, "binary"),
    ("too_short.txt", "绩效自评".encode(), "not_a_report"),
    ("no_cue_words.txt", ("今天天气很好我们一起去公园散步然后吃午饭再回家休息一下" * 2).encode(), "not_a_report"),
    ("fake.pdf", b"hello, I am not a PDF at all", "format"),
    ("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "format"),
    ("report.rtf", "{\\rtf1 绩效}".encode(), "format"),
])
def test_bad_input_refused(tmp_path, case, data, kind):
    path = tmp_path / case
    if data is not None:
        path.write_bytes(data)
    _assert_refused(path, kind)


def test_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    _assert_refused(folder, "unreadable")


# --------------------------------------------------------------------------- runner

def test_runner_writes_good_and_reports_bad(tmp_path):
    from extract.app.commands import extract_paths

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(DOCS / "000_cf9d040ced9b439b.txt", inbox / "good_a.txt")
    (inbox / "good_b.txt").write_bytes((DOCS / "004_23cede63a71d413d.txt").read_text(encoding="utf-8").encode("gb18030"))
    bad = ["empty.txt", "junk.txt", "truncated.pdf", "not_a_report.txt", "broken.docx"]
    for name in bad:
        shutil.copy(BAD / name, inbox / name)
    errors: list[str] = []
    out = tmp_path / "out"
    tally = extract_paths([inbox], out, echo_err=errors.append)
    assert (tally.ok, tally.failed) == (2, len(bad)) and tally.exit_code() == 1
    assert sorted(p.name for p in out.glob("*.json")) == ["good_a.json", "good_b.json"]
    assert len(errors) == len(bad) and all("\n" not in e for e in errors)
    for name in bad:
        assert sum(name in e for e in errors) == 1
    assert not any("internal error" in e for e in errors)



# --------------------------------------------------------------------------- .doc / .wps

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_wps_that_is_a_docx_is_read_as_docx(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in SEED_LINES[:40]:
        d.add_paragraph(line)
    path = tmp_path / "kingsoft.wps"
    d.save(str(path))
    doc = read_document(path)
    assert doc.source.format == "docx" and "行政编制20名" in doc.text


def test_doc_that_is_an_html_page_is_read_as_html(tmp_path):
    path = tmp_path / "saved_from_web.doc"
    path.write_text("<html><head><meta charset='utf-8'></head><body><div>" + "<p>".join(SEED_LINES[:40])
                    + "</div></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert doc.source.format == "html" and "行政编制20名" in doc.text


def test_doc_without_antiword_says_how_to_read_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no antiword on PATH
    path = tmp_path / "old.doc"
    path.write_bytes(OLE + b"\x00" * 512)
    e = _assert_refused(path, "unsupported")
    assert "antiword" in str(e) and str(path) in str(e)


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword missing (scripts/ensure_sysdeps.sh)")
def test_real_antiword_refuses_an_ole_file_that_is_not_word(tmp_path):
    path = tmp_path / "native.wps"
    path.write_bytes(OLE + b"\x00" * 4096)
    e = _assert_refused(path, "format")
    assert "antiword cannot read it" in str(e)


# --------------------------------------------------------------------------- is it a report?

REPORT_CASES = {
    # id: (text, accepted, words of the refusal)
    "title_and_headings": ("2023年度部门整体支出绩效自评报告\n一、部门基本情况\n本单位主要职能是负责全区财政预算管理工作。\n"
                           "二、存在的问题\n预算编制不够精准。\n三、改进措施\n细化预算编制。\n", True, ""),
    "self_evaluation_table": ("项目名称：农村公路养护\n主管部门：区交通运输局\n年度预算数：120万元，执行数：118万元，"
                              "预算执行率98.3%，自评得分95分。本项目按计划完成全部养护任务。\n", True, ""),
    "budget_news_story": ("市财政局召开预算工作会议\n会议指出，去年全市一般公共预算收入完成86.5亿元，同比增长6.2%；"
                          "一般公共预算支出完成132.4亿元，民生支出占比达到78%，压减一般性支出1.2亿元。\n", False,
                          "no title, heading or label"),
    "contents_only": ("目录\n一、部门基本情况……1\n二、绩效目标……3\n三、存在的问题……8\n", False, "only a table of contents"),
    "too_little_text": ("绩效自评报告\n无。\n", False, "Chinese characters"),
    "a_recipe": ("红烧肉的做法\n五花肉切块焯水，加冰糖炒出糖色，放入肉块翻炒上色，加生抽老抽和热水小火炖一小时。\n", False,
                 "no report title"),
}


@pytest.mark.parametrize("text, accepted, why", REPORT_CASES.values(), ids=REPORT_CASES.keys())
def test_report_test_looks_at_title_headings_labels_and_figures(tmp_path, text, accepted, why):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    if accepted:
        assert read_document(path).raw == text
    else:
        e = _assert_refused(path, "not_a_report")
        assert why in str(e)
