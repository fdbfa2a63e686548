"""Infer a report's type, unit, year and period from its title (and preamble when the title is silent)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core import resources

if TYPE_CHECKING:
    from core.document import Document, ReportMeta

YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?=年)")
_QUARTER = re.compile(r"第([一二三四1-4１-４])季度")
_QUARTER_NAMES = {"一": "第一季度", "二": "第二季度", "三": "第三季度", "四": "第四季度",
                  "1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度",
                  "１": "第一季度", "２": "第二季度", "３": "第三季度", "４": "第四季度"}
PERIODS = ("第一季度", "第二季度", "第三季度", "第四季度", "上半年", "下半年", "年度")
# The month in which each period ends: what "the report's date" means for dated rules.
PERIOD_END_MONTH = {"第一季度": 3, "第二季度": 6, "第三季度": 9, "第四季度": 12,
                    "上半年": 6, "下半年": 12, "年度": 12}


def find_period(text: str) -> str | None:
    m = _QUARTER.search(text)
    if m:
        return _QUARTER_NAMES[m.group(1)]
    for name in ("上半年", "下半年"):
        if name in text:
            return name
    if re.search(r"年度|全年|(?<![0-9])(19|20)[0-9]{2}年(?!第|上半年|下半年|[0-9一二三四五六七八九十]+月)", text):
        return "年度"
    return None


def detect_type(title: str | None, body_start: str) -> str:
    """The report type whose title patterns match first; the preamble decides only a tie."""
    for profile in resources.profiles():
        for pattern in profile.title_patterns:
            if title and pattern.search(title):
                return profile.id
    for profile in resources.profiles():
        for pattern in profile.body_patterns:
            if pattern.search(body_start):
                return profile.id
    return "unknown"


def infer_meta(doc: "Document") -> "ReportMeta":
    from core.document import ReportMeta

    title = doc.title or ""
    preamble = "\n".join(p.text for p in doc.preamble)[:400]
    meta = ReportMeta()
    meta.type = detect_type(doc.title, preamble)

    year = YEAR.search(title) or _preamble_year(preamble)
    meta.year = int(year.group(1)) if year else None
    meta.period = find_period(title) if title else None
    if meta.period is None:
        meta.period = find_period(preamble[:120])
    if meta.period is None and meta.type != "unknown" and meta.year and YEAR.search(title):
        meta.period = "年度"  # a year alone in a title means the whole year
    meta.unit = _unit_from_title(title)
    doc.meta = meta
    meta.variants = detect_variants(doc)
    return meta


# Where a preamble states the report's own year: at its start ("2023年，…", "今年以来" has none) or in
# the sentence that hands the report over ("现将2023年度…报告如下"). Any other year in it is something
# cited ("根据《2019年…》的通知") and must not date the report: dated rules would misfire.
_LEAD_YEAR = re.compile(r"^[^，。；\n]{0,8}?((?:19|20)[0-9]{2})(?=年)")
_FORMULA_YEAR = re.compile(r"现[将就][^。\n]{0,30}?((?:19|20)[0-9]{2})(?=年)[^。\n]{0,60}?(?:报告|汇报|通报)如下")


def _preamble_year(preamble: str):
    return _LEAD_YEAR.search(preamble) or _FORMULA_YEAR.search(preamble)


def detect_variants(doc: "Document") -> tuple[str, ...]:
    """The [[variant]]s of profiles.toml this report is, for its type."""
    title = doc.title or ""
    opening = "\n".join(p.text for p in doc.paragraphs if p.kind in ("byline", "preamble"))[:400]
    found = []
    for variant in resources.variants():
        if doc.meta.type not in variant.types:
            continue
        if (any(p.search(title) for p in variant.title_patterns)
                or any(p.search(opening) for p in variant.opening_patterns)):
            found.append(variant.id)
    return tuple(found)


def skipped_rules(meta: "ReportMeta") -> frozenset[str]:
    """Rules that do not apply to this report's variants (a meeting's report has no norms)."""
    by_id = {v.id: v for v in resources.variants()}
    return frozenset(r for v in meta.variants for r in by_id[v].skip)


_ROLE_SUFFIX = re.compile(
    r"(党组|党委|党工委|党总支|党支部)?(副)?(书记|主任|局长|部长|主席|委员|成员|负责人)$")


def _unit_from_title(title: str) -> str | None:
    """The words before the year in the title, minus 关于 and a leader's role."""
    title = re.sub(r"^关于", "", title.strip())
    m = YEAR.search(title)
    if not m or m.start() == 0:
        return None
    unit = title[:m.start()].strip(" ，、")
    unit = _ROLE_SUFFIX.sub("", unit).strip()
    if not unit or "*" in unit or "×" in unit or len(unit) > 30:
        return None
    return unit


def period_end(year: int | None, period: str | None) -> tuple[int, int] | None:
    """(year, month) in which the reported period ends; None when the year is unknown."""
    if year is None:
        return None
    return year, PERIOD_END_MONTH.get(period or "年度", 12)
