"""Report metadata: title, kind, fiscal year, unit, filing date, notice reference,
self-score and grade (SPEC ``meta``). Each value keeps the raw span it was read from.

Rules, most reliable first for each field:

- ``title``: a short first line naming a 报告 / 自评表, minus a leading year and the
  unit's name (``2022年度…组织部（本级）部门整体支出绩效自评表`` → ``部门整体支出绩效自评表``).
- ``report_kind``: ``project`` when the title or opening names 项目支出 / 项目绩效, else
  ``overall`` when it names 整体.
- ``fiscal_year``: 评价年度; else the title's year; else ``现将YYYY年度…报告如下``.
- ``unit``: 评价单位 / 部门名称 / 单位名称, cut before 本级, 及…下属单位 and 单位数; else the
  ``现将YYYY年度X整体…报告`` sentence; else 预算部门单位（公章）.
- ``filing_date``: 填报日期 / 报告日期 → ISO; else a dated last line; month-only → none.
- ``notice_ref``: the first document number cited in a sentence about performance
  evaluation (绩效 + 自评/评价) — the notice that ordered it — brackets normalized
  to 〔〕 (from [] 【】 () （） ﹝﹞), spaces removed.
- ``self_score``: 自评得分 / 自评分数 / 自评分 … 分; else the 总分 row of a score table.
- ``grade``: 自评等级 / 评价等级 为 优/良/中/差 (优秀 → 优, 良好 → 良); a ticked box
  ``þ优`` in a table; on the 好/较好/一般/差 scale the word as written.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from ..core import Document, Evidence, MetaField

EXTRACTOR = "meta.rules.v1"

TITLE_CORE = regex.compile(r"(?:部门|单位)?(?:整体支出|整体|项目支出|项目)?(?:绩效)?(?:自评|自我评价|评价)(?:报告|表)")
YEAR_PREFIX = regex.compile(r"^\s*(\d{4})\s*年度?")
FY = [
    ("evaluation_year", regex.compile(r"评价年度[:：]?\s*(\d{4})")),
    ("report_year", regex.compile(r"现将\s*(\d{4})\s*年度")),
    ("year_of", regex.compile(r"(\d{4})\s*年度?[^。\n]{0,40}?(?:整体|项目)[^。\n]{0,20}?(?:绩效|自评)")),
]
UNIT = [
    ("evaluation_unit", regex.compile(r"(?:评价单位|部门名称|单位名称|项目单位|主管部门)[:：]?[ \t]*([^\n]+)")),
    ("report_sentence", regex.compile(r"现将\s*\d{4}\s*年度?([\p{Han}“”()（）]{4,40}?)(?:部门|单位)?整体")),
    ("seal_line", regex.compile(r"预算部门单位（公章）[:：]?[ \t]*([^\n]+)")),
]
UNIT_CUT = regex.compile(r"本级|[（(]本级[）)]|及(?:其)?(?:非独立核算的)?下属|单位数|（公章）|\s{2,}|\s+\S+[:：]")
DATE = regex.compile(r"(?:填报日期|报告日期|填报时间|日期)[:：]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
END_DATE = regex.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", regex.M)
DOCNUM = regex.compile(
    r"([\p{Han}]{1,10})\s*[〔\[【(（﹝]\s*(\d{4})\s*[〕\]】)）﹞﹝]\s*(\d{1,4})\s*号")
DOCNUM_LEAD = regex.compile(r"^(?:根据|按照|依据|依照|参照|落实|执行|贯彻)+")
SCORE = [
    ("self_score", regex.compile(r"自评(?:得分|分数|分|总分)[为是：:]?\s*(\d{1,3}(?:\.\d+)?)\s*分")),
    ("score_words", regex.compile(r"(?:综合|最终|总)?得分[为是：:]\s*(\d{1,3}(?:\.\d+)?)\s*分")),
    ("total_row", regex.compile(r"总分\s*(?:100|１００)\s+(\d{1,3}(?:\.\d+)?)(?!\s*分?\s*[≤<])")),
]
GRADE = [
    ("grade_stated", regex.compile(r"(?:自评|评价|绩效)?等级(?:为|是|[：:])\s*[“\"]?(优秀|优|良好|良|中等|中|差|较好|好|一般)")),
    ("ticked_box", regex.compile(r"þ\s*(优|良|中|差)")),
]
GRADE_MAP = {"优秀": "优", "良好": "良", "中等": "中"}


def _field(doc: Document, name: str, value, start: int, end: int, rule: str, why: str) -> MetaField:
    return MetaField(name, value, doc.to_raw(start, end), Evidence(EXTRACTOR, rule, 0.9, why))


def _title(doc: Document, unit: str | None) -> MetaField | None:
    text = doc.text
    pos = 0
    for _ in range(3):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if line.strip() and len(line) <= 80 and regex.search(r"报告|自评表|评价表", line) \
                and not regex.search(r"[。，；]|根据|按照", line):
            s = pos + len(line) - len(line.lstrip())
            m = YEAR_PREFIX.match(text, s, end)
            if m:
                s = m.end()
            for cut in ("（本级）", "(本级)"):
                k = text.find(cut, s, end)
                if k >= 0:
                    s = k + len(cut)
            if unit and text.startswith(unit, s):
                s += len(unit)
            core = TITLE_CORE.search(text, s, end)
            if core and core.end() == end and "项目" not in core.group(0) + text[s:core.start()]:
                s = core.start()
            return _field(doc, "title", text[s:end].strip(), s, end, "title_line", f"first line {line!r}")
        pos = end + 1
        if pos >= len(text):
            break
    return None


def _unit(doc: Document) -> MetaField | None:
    text = doc.text
    for rule, rx in UNIT:
        m = rx.search(text)
        if not m:
            continue
        s, e = m.span(1)
        cut = UNIT_CUT.search(text, s, e)
        if cut:
            e = cut.start()
        value = text[s:e].strip(" \t：:")
        if len(value) >= 3:
            return _field(doc, "unit", value, s, s + len(text[s:e].rstrip()), rule, f"{text[m.start():m.end()][:40]!r}")
    return None


def _notice(doc: Document) -> MetaField | None:
    text = doc.text
    for m in DOCNUM.finditer(text):
        sent_s = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        sent_e = min([i for i in (text.find("。", m.end()), text.find("\n", m.end())) if i >= 0] or [len(text)])
        sentence = text[sent_s:sent_e]
        if not ("绩效" in sentence and regex.search(r"自评|评价", sentence)):
            continue
        prefix = DOCNUM_LEAD.sub("", m.group(1))
        if not prefix or prefix in ("第", "号"):
            continue
        s = m.start(1) + (len(m.group(1)) - len(prefix))
        value = f"{prefix}〔{m.group(2)}〕{m.group(3)}号"
        return _field(doc, "notice_ref", value, s, m.end(), "evaluation_notice",
                      "first document number cited in a sentence about performance evaluation")
    return None


def _kind(doc: Document, title: MetaField | None) -> MetaField | None:
    text = doc.text
    head = text[:600]
    m = regex.search(r"项目支出绩效|项目绩效自评|项目支出", head)
    if m and not regex.search(r"部门整体|单位整体|整体支出绩效自评|整体绩效自评", head[:m.start() + 20]):
        return _field(doc, "report_kind", "project", m.start(), m.end(), "project_words", m.group(0))
    m = regex.search(r"整体", text)
    if m:
        return _field(doc, "report_kind", "overall", m.start(), m.end(), "overall_words", "整体 (overall spending)")
    return None


def extract(doc: Document, sections=None) -> list[MetaField]:
    text = doc.text
    out: list[MetaField] = []
    unit = _unit(doc)
    title = _title(doc, unit.value if unit else None)
    out += [f for f in (title, _kind(doc, title)) if f]
    for rule, rx in FY:
        m = rx.search(text)
        if m:
            out.append(_field(doc, "fiscal_year", int(m.group(1)), m.start(1), m.end(1), rule, m.group(0)[:30]))
            break
    if unit:
        out.append(unit)
    m = DATE.search(text)
    if m and m.group(3):
        y, mo, d = (int(g) for g in m.groups())
        out.append(_field(doc, "filing_date", f"{y:04d}-{mo:02d}-{d:02d}", m.start(1), m.end(), "filing_date",
                          m.group(0)))
    elif not m:
        ends = list(END_DATE.finditer(text, max(0, len(text) - 400)))
        if ends:
            m = ends[-1]
            y, mo, d = (int(g) for g in m.groups())
            out.append(_field(doc, "filing_date", f"{y:04d}-{mo:02d}-{d:02d}", m.start(1), m.end(3) + 1,
                              "dated_signature", "dated last line"))
    notice = _notice(doc)
    if notice:
        out.append(notice)
    for rule, rx in SCORE:
        m = rx.search(text)
        if m:
            out.append(_field(doc, "self_score", Decimal(m.group(1)), m.start(1), m.end(1), rule, m.group(0)))
            break
    for rule, rx in GRADE:
        m = rx.search(text)
        if m:
            g = GRADE_MAP.get(m.group(1), m.group(1))
            out.append(_field(doc, "grade", g, m.start(1), m.end(1), rule, m.group(0)))
            break
    return out
