"""Report metadata: title, kind, fiscal year, unit, filing date, notice reference,
self-score and grade (SPEC ``meta``). Each value keeps the raw span it was read from.

Rules, most reliable first for each field:

- ``title``: a short line among the first ones naming a 报告 / 自评表 (not a sentence:
  no 。，；, no 现将…如下), minus everything up to its year and the unit's name
  (``2022年度…组织部（本级）部门整体支出绩效自评表`` → ``部门整体支出绩效自评表``); a
  project or fund name stays.
- ``report_kind``: ``project`` when the title or opening names 项目支出 / 项目绩效, else
  ``overall`` when it names 整体.
- ``fiscal_year``: 评价年度; else the title's year (digits or 二〇二三); else
  ``现将YYYY年度…报告如下``; else a year before 整体/项目…绩效 outside a cited 《title》.
- ``unit``: 评价单位 / 部门名称 / 单位名称 / 部门（单位）名称, cut before 本级, 及…下属单位,
  单位数 and （公章）; else the ``现将YYYY年度X整体…报告`` sentence; else 预算部门单位（公章）;
  else the title's words before its year when they end like a body's name (…局).
- ``filing_date``: 填报日期 / 报告日期 (年月日, 2024-03-15, 2024.3.15) → ISO; else a dated
  line at the end (the signature); month-only → none. A web page's 发布日期 is never it.
- ``notice_ref``: among the document numbers cited in a sentence about performance
  evaluation (绩效 + 自评/评价), the one whose cited 《title》 is about it, else any;
  a finance bureau's (…财…) before another's, never the unit's own (我局印发…) nor a
  budget allocation (下达/批复…预算); the first of equals. Brackets normalized to 〔〕
  (from [] 【】 () （） ﹝﹞ ［］), spaces removed.
- ``self_score``: 自评得分 / 自评分数 / 自评总分 … (分, or a bare number ending a table
  cell); else 综合得分 / 总得分; else the 总分 row of a score table or 总分100分，得分X分.
- ``grade``: 自评等级 / 评价等级 / 等次 / 评价结果 / 结论 为 优/良/中/差 (优秀 → 优,
  良好 → 良); ``评定为“优”等级``; a ticked box ``þ优`` (☑ √ ■) in a table; on the
  好/较好/一般/差 scale the word as written.

Traditional characters are read as simplified ones for matching (offsets kept);
values are cut from the text as written.
"""
from __future__ import annotations

import functools

from decimal import Decimal

import regex

from ..core import Document, Evidence, MetaField, Span
from ..core.registry import register
from ..normalize import fold_traditional
from ..sections import SectionTree, sections_of
from ..text.layout import Layout
from ..text.patterns import Pattern
from . import title as head

#: Patterns written inline, compiled once (the regex module's own cache costs ~18 µs a lookup).
_rx = functools.lru_cache(maxsize=None)(regex.compile)

EXTRACTOR = "meta.rules.v1"

CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
YEAR = r"(\d{4}|[〇零一二三四五六七八九]{4})"
TITLE_CORE = regex.compile(r"(?:部门|单位)?(?:整体支出|整体|项目支出|项目)?(?:绩效)?(?:自评|自我评价|评价)(?:报告|表)")
#: Words of a title itself: what stands before the core with them is no unit name (績(jī)效自評報告).
TITLE_WORDS = regex.compile(r"绩|效|支出|整体|评价|自评")
TITLE_YEAR = regex.compile(YEAR + r"\s*年度?")
NOT_TITLE = regex.compile(r"[。，；]|根据|按照|现将|如下|[:：]\s*$")
FY = [
    ("evaluation_year", regex.compile(r"(?:(?:评价|预算|自评|绩效)年度[:：]?|(?<=[|｜]\s*)年度\s*[|｜])\s*" + YEAR)),
    ("report_year", regex.compile(r"现将\s*(?:我\p{Han}{0,3})?\s*" + YEAR + r"\s*年度")),
    ("year_of", regex.compile(YEAR + r"\s*年度?[^。\n《》]{0,40}?(?:整体|项目)[^。\n《》]{0,20}?(?:绩效|自评)")),
]
UNIT = [
    ("evaluation_unit", regex.compile(
        r"(?:评价单位|部门名称|单位名称|部门[（(]单位[）)]名称|单位[（(]部门[）)]名称|项目单位|主管部门|预算单位)"
        r"(?:[（(](?:公章|盖章)[）)])?[:：]?[ \t]*([^\n]+)")),
    ("report_sentence", regex.compile(r"现将\s*\d{4}\s*年度?([\p{Han}“”()（）]{4,40}?)(?:部门|单位)?整体")),
    ("seal_line", regex.compile(r"预算部门单位[（(](?:公章|盖章)[）)][:：]?[ \t]*([^\n]+)")),
]
UNIT_CUT = regex.compile(r"本级|[（(]本级[）)]|及(?:其)?(?:非独立核算的)?下属|单位数|[（(](?:公章|盖章)[）)]|\s{2,}|\s+\S+[:：]")
BODY_END = regex.compile(r"(?:局|委员会|委|部|办公室|厅|院|中心|政府|站|所|馆|队|会)$")
DATE_CUE = r"(?:(?:填报|报告|报送|填表|评价|自评)(?:日期|时间)|^\s*日期)[:：]?\s*"
DATE_FORMS = (r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
              r"|(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})(?:\s*[-./]\s*(?P<d>\d{1,2}))?(?!\d)")
DATE = regex.compile(DATE_CUE + r"(?:" + DATE_FORMS + r")", regex.M)
CN_NUM = "〇零一二三四五六七八九十"
END_DATE = regex.compile(
    rf"(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{CN_NUM}]{{1,2}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{CN_NUM}]{{1,3}})\s*日\s*$", regex.M)
NOT_SIGNATURE = regex.compile(r"发布|来源|浏览|时间|更新|截至|截止")
#: A document number: 湛财绩〔2021〕5号, 湛财[2018]12号, 湛霞财〔2024〕 68 号 (found from its bracketed year,
#: then its Han prefix is read backwards: a scan led by the prefix is slow on Chinese text).
DOCNUM_TAIL = regex.compile(r"[〔\[【(（﹝［]\s*(\d{4})\s*[〕\]】)）﹞］]\s*第?\s*(\d{1,4})\s*号")
DOCNUM_PREFIX = regex.compile(r"([\p{Han}]{1,12})\s*$")
DOCNUM_LEAD = regex.compile(r"^(?:.*?(?:财政局|财政厅|财政部|关于|通知|文件|印发))?(?:根据|按照|依据|依照|参照|落实|执行|贯彻)*")
CITED_TITLE = regex.compile(r"《([^《》]{2,80})》[\s“”\"（(]*$")
EVAL_WORDS = regex.compile(r"绩效.{0,30}?(?:自评|评价|评估)|(?:自评|评价).{0,30}?绩效")
#: A sentence citing the notice speaks of the evaluation (绩效…评价) or at least of 自评.
SENT_EVAL = regex.compile(EVAL_WORDS.pattern + r"|自评")
ALLOCATION = regex.compile(r"下达|批复|预算的通知|分配|拨付|指标的通知")
#: The unit citing its own document (我局印发《…》): never the notice.
OWN_DOC = regex.compile(r"(?:我|本)(?:局|单位|部门|部|办|委|院|中心|们|校)")
SCORE = [
    ("self_score", regex.compile(r"自评(?:得分|分数|总分|分)[为是：:]?\s*(\d{1,3}(?:\.\d+)?)\s*分")),
    ("self_score_cell", regex.compile(r"自评(?:得分|分数|总分)(?:[（(]分[）)])?[：:]?[ \t|]*\n?[ \t|]*(\d{1,3}(?:\.\d+)?)"
                                      r"(?=\s|$|\||[\p{Han}])")),
    ("total_words", regex.compile(r"(?:综合|最终|合计|整体)得分|总得分")),
    ("total_row", regex.compile(r"总分[\s|]*(?:100|１００)[\s|]+(\d{1,3}(?:\.\d+)?)(?!\s*分?\s*[≤<])")),
    ("total_then_score", regex.compile(r"总分\s*(?:100|１００)\s*分?[，,、；\s]*(?:自评)?得分[为是：:]?\s*(\d{1,3}(?:\.\d+)?)")),
]
TOTAL_SCORE = regex.compile(r"[为是：:]?\s*(?:为|是)?\s*(\d{1,3}(?:\.\d+)?)\s*分")
GRADE_WORDS = r"(优秀|优|良好|良|中等|中|较差|差|较好|好|一般)"
GRADE = [
    ("grade_stated", regex.compile(r"(?:(?:自评|评价|绩效|综合)?(?:等级|等次)|(?:自评|评价|绩效|综合|评定)(?:结果|结论))"
                                   r"(?:为|是|[：:]|评定为|达到)\s*[“\"「]?"
                                   + GRADE_WORDS + r"(?=[”\"」]|等|档|级|[^\p{Han}\d、]|$)")),
    ("grade_rated", regex.compile(r"(?:评定|评|定)为\s*[“\"「]?" + GRADE_WORDS + r"[”\"」]?\s*(?:等级|等次|档次)")),
    ("ticked_box", regex.compile(r"[þ☑√■✔]\s*(优|良|中|差)(?=秀|好|等|[^\p{Han}]|$)")),  # not ■优化流程
]
GRADE_MAP = {"优秀": "优", "良好": "良", "中等": "中"}
# Patterns that scan the whole document are named and time-limited (extract.text.patterns).
FY, UNIT, SCORE, GRADE = ([Pattern(name, rx) for name, rx in group] for group in (FY, UNIT, SCORE, GRADE))
DATE = Pattern("filing_date_cue", DATE)
END_DATE = Pattern("signature_date", END_DATE)
DOCNUM_TAIL = Pattern("document_number", DOCNUM_TAIL)


def same_unit(name: str, unit: str) -> bool:
    """Is ``name`` (区委组织部) a way of writing the reporting unit ``unit``
    (中共某市某区委员会组织部)? True when one contains the other or nearly all of the
    shorter one's characters are in the longer one."""
    a, b = "".join(name.split()), "".join(unit.split())
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return sum(ch in long_ for ch in short) / len(short) >= 0.8


def _field(doc: Document, name: str, value, start: int, end: int, rule: str, why: str) -> MetaField:
    return MetaField(name, value, doc.to_raw(start, end), Evidence(EXTRACTOR, rule, 0.9, why))


def _year(s: str) -> int:
    return int(s.translate(CN_YEAR_DIGITS))


def _cn_small(s: str) -> int | None:
    """1-31 written in digits or Chinese numerals (三, 十五, 二十三)."""
    if s.isdigit():
        return int(s)
    s = s.replace("〇", "零")
    if "十" not in s:
        return "零一二三四五六七八九".find(s) if len(s) == 1 and s in "零一二三四五六七八九" else None
    tens, _, ones = s.partition("十")
    t = 1 if not tens else "零一二三四五六七八九".find(tens)
    o = 0 if not ones else "零一二三四五六七八九".find(ones)
    return None if t < 0 or o < 0 else 10 * t + o


def _iso(y: str, m: str, d: str) -> str | None:
    year, month, day = _year(y), _cn_small(m), _cn_small(d)
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _title_line(text: str) -> tuple[int, int] | None:
    """``[start, end)`` of the title line: a short line among the first four naming a report."""
    pos, seen = 0, 0
    while pos < len(text) and seen < 4:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if line.strip():
            seen += 1
            if len(line) <= 80 and _rx(r"报告|自评表|评价表").search(line) and not NOT_TITLE.search(line):
                return pos, end
        pos = end + 1
    return None


def _title(doc: Document, text: str, line: tuple[int, int] | None, unit: str | None) -> MetaField | None:
    if line is None:
        return None
    s, end = line
    s += len(text[s:end]) - len(text[s:end].lstrip())
    m = TITLE_YEAR.search(text, s, end)
    if m and TITLE_CORE.search(text, m.end(), end):
        s = m.end()  # a place or unit before the year goes with it
    for cut in ("（本级）", "(本级)"):
        k = text.find(cut, s, end)
        if k >= 0:
            s = k + len(cut)
    if unit and text.startswith(unit, s):
        s += len(unit)
    core = TITLE_CORE.search(text, s, end)
    if core and core.end() == len(text[:end].rstrip()) and "项目" not in core.group(0) + text[s:core.start()] \
            and not TITLE_WORDS.search(text, s, core.start()):
        s = core.start()  # a unit's name before 部门整体支出绩效自评表 goes
    value = doc.text[s:end].strip()
    return _field(doc, "title", value, s, s + len(value), "title_line", f"title line {text[line[0]:end]!r}") \
        if value else None


def _unit(doc: Document, text: str, line: tuple[int, int] | None) -> MetaField | None:
    for rx in UNIT:
        rule = rx.name
        m = rx.search(text)
        if not m:
            continue
        s, e = m.span(1)
        cut = UNIT_CUT.search(text, s, e)
        if cut:
            e = cut.start()
        value = doc.text[s:e].strip(" \t：:")
        if len(value) >= 3:
            s += len(doc.text[s:e]) - len(doc.text[s:e].lstrip(" \t：:"))
            return _field(doc, "unit", value, s, s + len(value), rule, f"{text[m.start():m.end()][:40]!r}")
    if line is not None:  # 某县农业农村局2023年度部门整体支出绩效自评报告
        s, end = line
        y = TITLE_YEAR.search(text, s, end)
        if y:
            value = doc.text[s:y.start()].strip()
            if len(value) >= 3 and BODY_END.search(fold_traditional(value)):
                s += len(doc.text[s:y.start()]) - len(doc.text[s:y.start()].lstrip())
                return _field(doc, "unit", value, s, s + len(value), "title_prefix", "words before the title's year")
    return None


def unit_name(doc: Document, text: str | None = None) -> str | None:
    """The reporting unit's name as :func:`extract` reads it; ``text`` is the folded text
    (``sections.layout.text``) when the caller has it."""
    text = text if text is not None else fold_traditional(doc.text)
    f = _unit(doc, text, _title_line(text))
    return f.value if f else None


def _fiscal_year(doc: Document, text: str, line: tuple[int, int] | None) -> MetaField | None:
    m = FY[0].search(text)
    if m:
        return _field(doc, "fiscal_year", _year(m.group(1)), m.start(1), m.end(1), FY[0].name, m.group(0)[:30])
    if line is not None:
        prev = text.rfind("\n", 0, max(0, line[0] - 1)) + 1  # a title split over two lines keeps its year above
        m = TITLE_YEAR.search(text, prev, line[1])
        if m:
            return _field(doc, "fiscal_year", _year(m.group(1)), m.start(1), m.end(1), "title_year", m.group(0))
    for rx in FY[1:]:
        rule = rx.name
        for m in rx.finditer(text):
            if text.rfind("《", 0, m.start()) > text.rfind("》", 0, m.start()):
                continue  # a year inside a cited notice's title
            return _field(doc, "fiscal_year", _year(m.group(1)), m.start(1), m.end(1), rule, m.group(0)[:30])
    return None


def _filing_date(doc: Document, text: str) -> MetaField | None:
    m = DATE.search(text)
    if m:
        if not m.group("d"):
            return None  # only a month: no filing date
        iso = _iso(m.group("y"), m.group("m"), m.group("d"))
        return _field(doc, "filing_date", iso, m.start("y"), m.end(), "filing_date", m.group(0)) if iso else None
    tail = max(0, len(text) - 300)
    for m in reversed(list(END_DATE.finditer(text, tail))):
        ls = text.rfind("\n", 0, m.start()) + 1
        if m.end() - ls > 40 or NOT_SIGNATURE.search(text, ls, m.end()):
            continue
        iso = _iso(m.group("y"), m.group("m"), m.group("d"))
        if iso:
            return _field(doc, "filing_date", iso, m.start("y"), m.end("d") + 1, "dated_signature", "dated last line")
    return None


def _docnums(text: str):
    """(prefix start, prefix, year, number, end) of each document number in ``text``."""
    for m in DOCNUM_TAIL.finditer(text):
        p = DOCNUM_PREFIX.search(text, max(0, m.start() - 14), m.start())
        if p:
            yield p.start(1), p.group(1), m.group(1), m.group(2), m.end()


def _notice(doc: Document, text: str) -> MetaField | None:
    ranked = []
    for start, raw_prefix, year, number, end in _docnums(text):
        sent_s = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
        sent_e = min([i for i in (text.find("。", end), text.find("\n", end)) if i >= 0] or [len(text)])
        if not SENT_EVAL.search(text, sent_s, sent_e):
            continue
        lead = DOCNUM_LEAD.match(raw_prefix).end()
        prefix = raw_prefix[lead:]
        if not prefix or prefix in ("第", "号"):
            continue
        cited = CITED_TITLE.search(text, sent_s, start + lead)
        at = cited.start() if cited else start
        about = cited.group(1) if cited else _rx(r"[，,；;]").split(text[sent_s:at])[-1]
        if ALLOCATION.search(about) and not EVAL_WORDS.search(about):
            continue  # a budget-allocation notice
        if OWN_DOC.search(_rx(r"[，,；;）)]").split(text[max(sent_s, at - 12):at])[-1]):
            continue  # the unit's own document
        ranked.append(((0 if cited and EVAL_WORDS.search(cited.group(1)) else 1, 0 if "财" in prefix else 1, start),
                       start + lead, len(prefix), year, number, end))
    if not ranked:
        return None
    _, s, n, year, number, end = min(ranked, key=lambda r: r[0])
    return _field(doc, "notice_ref", f"{doc.text[s:s + n]}〔{year}〕{number}号", s, end, "evaluation_notice",
                  "document number cited for the performance evaluation")


def report_kind(doc: Document, layout: Layout | None = None) -> str | None:
    """``project``, ``overall`` or ``final_accounts`` as :func:`extract` reads it, or None."""
    layout = layout if layout is not None else sections_of(doc).layout
    found = head.find_kind(layout, head.find_title(layout, doc.raw))
    if found is not None:
        return found.value
    kind = _kind(doc, layout.text)
    return kind.value if kind is not None else None


def _kind(doc: Document, text: str | None = None) -> MetaField | None:
    """The report-kind field; ``text`` is the folded text when the caller has it."""
    text = text if text is not None else fold_traditional(doc.text)
    head = text[:600]
    m = _rx(r"项目支出绩效|项目绩效自评|项目支出|转移支付资金|专项资金|项目资金|补助资金|补助经费"
            r"|项目名称\s*[：:|｜]").search(head)  # 项目名称：… / | 项目名称 | …: the form of one project
    if m and not _rx(r"部门整体|单位整体|整体支出绩效自评|整体绩效自评").search(head[:m.start() + 20]):
        return _field(doc, "report_kind", "project", m.start(), m.end(), "project_words", m.group(0))
    m = _rx(r"整体").search(text)
    if m:
        return _field(doc, "report_kind", "overall", m.start(), m.end(), "overall_words", "整体 (overall spending)")
    return None


def _self_score(doc: Document, text: str) -> MetaField | None:
    for rx in SCORE:
        rule = rx.name
        for m in rx.finditer(text):
            if rule == "total_words":
                m2 = TOTAL_SCORE.match(text, m.end())
                if not m2:
                    continue
                s, e = m2.span(1)
            else:
                s, e = m.span(1)
            value = Decimal(text[s:e])
            if value <= 100 or rule == "self_score":
                return _field(doc, "self_score", value, s, e, rule, text[m.start():e][:40])
    return None


def _grade(doc: Document, text: str) -> MetaField | None:
    for rx in GRADE:
        rule = rx.name
        m = rx.search(text)
        if m:
            g = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i))
            word = m.group(g)
            return _field(doc, "grade", GRADE_MAP.get(word, word), m.start(g), m.end(g), rule, m.group(0))
    return None


@register(EXTRACTOR)
def _from_head(name: str, f: head.Found | None) -> MetaField | None:
    if f is None:
        return None
    return MetaField(name, f.value, Span(f.start, f.end), Evidence(EXTRACTOR, f.rule, 0.9, f.why))


def extract(doc: Document, sections: SectionTree | None = None) -> list[MetaField]:
    layout = sections_of(doc, sections).layout
    text = layout.text
    line = _title_line(text)
    unit = _from_head("unit", head.find_unit(layout, doc.raw)) or _unit(doc, text, line)
    unit_folded = layout.raw[unit.span.start:unit.span.end] if unit is not None else None
    title_found = head.find_title(layout, doc.raw, unit_folded)
    unit = unit or _from_head("unit", head.unit_before_year(layout, doc.raw, title_found)
                              or head.signature_unit(layout, doc.raw))
    title = _from_head("title", title_found) or _title(doc, text, line, unit.value if unit else None)
    kind = _from_head("report_kind", head.find_kind(layout, title_found)) or _kind(doc, text)
    year = _from_head("fiscal_year", head.find_fiscal_year(layout, title_found)) or _fiscal_year(doc, text, line)
    fields = (title, kind, year, unit, _filing_date(doc, text), _notice(doc, text), _self_score(doc, text),
              _grade(doc, text))
    return [f for f in fields if f is not None]
