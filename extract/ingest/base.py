"""Shared steps of every reader: read the bytes, hash them, refuse what is not a report.

Error kinds raised here and by the readers (``IngestError.kind``): ``missing`` (no such
file), ``unreadable`` (a folder, no permission), ``empty``, ``binary`` (NUL bytes or
many control characters), ``encoding`` (no confident text decoding), ``format`` (a
corrupt or truncated PDF/DOCX/HTML), ``no_text`` (a PDF without a text layer) and
``not_a_report`` (see :func:`check_report`).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..core import Document, IngestError
from ..normalize import fold_traditional

#: Fewer CJK characters than this (after normalization, outside a table of contents) is not a report.
MIN_CJK = 20
#: Share of control bytes (other than tab, newline, CR, form feed, ESC) that marks binary data.
MAX_CONTROL_SHARE = 0.02

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable or empty file raises :class:`IngestError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "no such file", "missing") from None
    except IsADirectoryError:
        raise IngestError(path, "is a folder, not a file", "unreadable") from None
    except OSError as e:
        raise IngestError(path, f"cannot read ({e.strerror or type(e).__name__})", "unreadable") from None
    if not data.strip():
        raise IngestError(path, "empty file", "empty")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_binary(path: Path, data: bytes) -> None:
    """Refuse NUL bytes or a high share of control characters (not text)."""
    head = data[:65536]
    if b"\x00" in head:
        raise IngestError(path, "binary data (NUL bytes), not a text file", "binary")
    controls = len(_CONTROL.findall(head))
    if controls > MAX_CONTROL_SHARE * len(head):
        raise IngestError(path, f"binary data ({controls} control bytes in {len(head)}), not a text file", "binary")


# --------------------------------------------------------------------------- is it a report?

#: A report's title: 绩效 … 自评/评价 … 报告 (or 自评表, 部门决算) near the top.
TITLE = re.compile(r"""
    (?:绩效|支出|项目|部门).{0,24}(?:自评|评价|决算).{0,12}(?:报告|报告书|自评表|评价表|说明|說明)
  | (?:年度)?部门(?:整体)?决算\s*$
  | 绩效自评
""", re.X)
#: Words of the sections a performance report has, in a heading-like line.
SECTION_WORDS = ("基本情况", "单位概况", "部门概况", "项目概况", "绩效目标", "预算执行", "资金使用", "资金管理",
                 "资金投入", "绩效指标", "产出", "效益", "存在的问题", "存在问题", "问题及原因", "改进措施",
                 "整改措施", "改进意见", "意见建议", "下一步", "自评结论", "评价结论", "自评结果", "结果应用",
                 "绩效管理", "组织实施", "自评工作", "偏差", "支出决算", "决算情况")
#: A heading-like line: a list or chapter marker, or a short line of its own.
HEADING = re.compile(r"""^\s*(?:
    [一二三四五六七八九十]+\s*[、.．]         # 一、
  | [（(]\s*[一二三四五六七八九十\d]+\s*[)）]  # （一） (1)
  | \d+\s*[、.．](?!\d)                     # 1、 1.
  | 第[一二三四五六七八九十\d]+[部章节]分?      # 第一部分
  | [^。，,；;：:]{2,24}$                     # a short line of its own
)""", re.X)
#: Labels of the metadata a report or its self-evaluation table carries.
META_LABELS = ("单位名称", "项目名称", "主管部门", "实施单位", "填报单位", "预算单位", "自评得分", "评价得分",
               "自评等级", "评价等级", "年初预算数", "年度预算数", "全年预算数", "全年执行数", "预算执行率",
               "项目负责人", "财务负责人", "填报日期", "资金来源", "评价年度", "预算年度", "绩效自评表", "自评分值",
               # scoring-table and staffing-table headers (a table fragment is a report's part)
               "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "评价结论",
               "编制人数", "行政编制", "事业编制", "实有人数")
#: A money figure after a budget cue, or a rate after an execution cue.
FIGURE = re.compile(r"""
    (?:预算|支出|资金|决算|拨款|收入|结转|结余)[^。\n]{0,24}?\d[\d,，.]*\s*(?:万元|亿元|元)
  | (?:执行率|完成率|达成率|到位率|支出率|得分)[^。\n]{0,12}?\d+(?:\.\d+)?\s*(?:%|％|分)
""", re.X)
#: A table-of-contents line: a title, leader dots (or spaces), a page number.
CONTENTS_LINE = re.compile(r"^\s*\S.{0,60}?(?:[.…·．。\-—_ ]{2,}|\s)\s*\d{1,3}\s*$")


def report_signals(text: str) -> dict[str, object]:
    """What makes ``text`` look like a performance report: a title, section headings,
    metadata labels, figures with budget cues; and how many lines are table-of-contents lines."""
    text = fold_traditional(text)  # 績效自評報告 reads as 绩效自评报告
    lines = text.split("\n")
    contents = [l for l in lines if CONTENTS_LINE.match(l) and _CJK.search(l)]
    body_lines = [l for l in lines if not (CONTENTS_LINE.match(l) and _CJK.search(l))]
    body = "\n".join(body_lines)
    top = [l.strip() for l in lines if l.strip()][:15]
    title = next((l[:80] for l in top if TITLE.search(l[:80])), None)  # a run-on title starts a long line
    first = next((i for i, l in enumerate(body_lines) if l.strip()), -1)  # a title is no section heading
    headings = sorted({w for i, l in enumerate(body_lines) if i != first and len(l.strip()) <= 40 and HEADING.match(l)
                       for w in SECTION_WORDS if w in l})
    labels = sorted({w for w in META_LABELS if w in body})
    figures = len(FIGURE.findall(body))
    return {"title": title, "headings": headings, "labels": labels, "figures": figures,
            "contents_lines": len(contents), "body_cjk": len(_CJK.findall(body))}


def report_score(sig: dict) -> int:
    """Title 2, each section heading 1 (at most 4), each metadata label 1 (at most 3),
    figures with budget cues 1 (one or two) or 2 (three or more)."""
    figures = sig["figures"]
    return (2 * bool(sig["title"]) + min(len(sig["headings"]), 4) + min(len(sig["labels"]), 3)
            + (2 if figures >= 3 else 1 if figures else 0))


#: A document needs this score, and a title, a section heading or a metadata label among its signals.
MIN_SCORE = 2


def check_report(path: Path, doc: Document) -> Document:
    """Refuse a document that is not a performance report, saying why.

    Not a report: fewer than :data:`MIN_CJK` CJK characters outside a table of contents
    (a contents-only page), or a :func:`report_score` below :data:`MIN_SCORE`, or figures
    alone with no title, heading or label of a report (a news story about a budget).
    """
    sig = report_signals(doc.text)
    if sig["body_cjk"] < MIN_CJK:
        if sig["contents_lines"]:
            raise IngestError(path, f"not a report: only a table of contents ({sig['contents_lines']} contents "
                                    f"lines, {sig['body_cjk']} Chinese characters of other text)", "not_a_report")
        raise IngestError(path, f"not a report: only {sig['body_cjk']} Chinese characters of text", "not_a_report")
    score = report_score(sig)
    structural = sig["title"] or sig["headings"] or sig["labels"]
    if score < MIN_SCORE or not structural:
        found = [f"title {sig['title'][:30]!r}" if sig["title"] else "no report title (…绩效…自评/评价…报告)",
                 f"{len(sig['headings'])} report section headings"
                 + (f" ({'/'.join(sig['headings'])})" if sig["headings"] else " (基本情况, 绩效目标, 存在的问题…)"),
                 f"{len(sig['labels'])} metadata labels" + (f" ({'/'.join(sig['labels'])})" if sig["labels"] else
                                                            " (单位名称, 自评得分…)"),
                 f"{sig['figures']} figures with budget cues"]
        why = f"score {score} < {MIN_SCORE}" if score < MIN_SCORE else f"score {score}"
        raise IngestError(path, f"not a report: {why}"
                                + ("" if structural else ", and no title, heading or label of a report")
                                + f": {'; '.join(found)}", "not_a_report")
    return doc


def one_line(e: BaseException) -> str:
    """An exception as one short line (for wrapping library errors in IngestError)."""
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg[:200]}" if msg else type(e).__name__
