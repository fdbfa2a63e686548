"""Infer a report's type, unit, year and period from its title (and preamble when the title is silent):
`ReportMeta`, which a parsed `Document` carries. Reads a Document but never imports its module at run
time (document.py imports this one)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import resources
from core.text.periods import find_period

if TYPE_CHECKING:
    from core.text.document import Document


@dataclass(slots=True)
class ReportMeta:
    type: str = "unknown"  # zhuti | diyi | shuze | tongbao | unknown
    unit: str | None = None
    year: int | None = None
    period: str | None = None  # 第一季度…第四季度 | 上半年 | 下半年 | 年度
    type_source: str = "detected"  # "detected" or "given" (overridden by the user)
    variants: tuple[str, ...] = ()  # profiles.toml [[variant]] ids: "meeting", "secretary"


# the year of a title or preamble; the end of a range (2018—2035年) dates nothing
YEAR = re.compile(r"(?<![0-9—－\-~～至到])(19[5-9][0-9]|20[0-9]{2})(?=年)")


@resources.data_cache
def _duties() -> tuple[re.Pattern | None, re.Pattern | None]:
    """(own, other): the duties a report of our four types is about, and the other duties a
    第一责任人 or 主体责任 report may be about (profiles.toml [duty])."""
    data = resources.load("profiles.toml").get("duty", {})

    def joined(key: str) -> re.Pattern | None:
        words = data.get(key, [])
        return resources.compile_pattern("|".join(f"(?:{w})" for w in words), f"profiles.toml [duty] {key}") \
            if words else None
    return joined("own"), joined("other")


def other_duty(words: str) -> str | None:
    """The other duty `words` are about (推进法治建设第一责任人 → 法治建设), None when they name one of
    ours too (全面从严治党和意识形态工作) or none at all."""
    own, other = _duties()
    if other is None or (own is not None and own.search(words)):
        return None
    m = other.search(words)
    return m.group() if m else None


def detect_type(title: str | None, body_start: str) -> str:
    """The report type whose title patterns match first; the preamble decides only a tie. A report
    on another duty (法治建设第一责任人, 安全生产主体责任) is of none of the types: "unknown"."""
    if title and other_duty(title):
        return "unknown"
    for profile in resources.profiles():
        for pattern in profile.title_patterns:
            if title and pattern.search(title):
                return profile.id
    for profile in resources.profiles():
        for pattern in profile.body_patterns:
            m = pattern.search(body_start)
            if m and not other_duty(body_start[max(0, m.start() - 20):m.end() + 20]):
                return profile.id
    return "unknown"


def infer_meta(doc: Document) -> ReportMeta:
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
    meta.unit = report_unit(doc).name
    doc.meta = meta
    meta.variants = detect_variants(doc)
    return meta


# --- when the text was written ---------------------------------------------------------------------

# a year as written: 1995年, １９９５年, 一九九五年; not the end of a range (2018—2035年)
_ANY_YEAR = re.compile(r"(?<![0-9０-９〇零一二三四五六七八九—－\-~～至到])"
                       r"([12１２一][0-9０-９〇零一二三四五六七八九]{3})(?=年)")
_DATED_KINDS = ("front", "byline", "signature")
_DATED_ROLES = ("dateline", "docno", "caption")


def _years(text: str) -> list[int]:
    out = []
    for m in _ANY_YEAR.finditer(text):
        digits = m.group(1).translate(_FULLWIDTH)
        if not digits.isdigit():
            continue
        year = int(digits)
        if 1949 <= year <= 2100:
            out.append(year)
    return out


_FULLWIDTH = str.maketrans("０１２３４５６７８９〇零一二三四五六七八九", "01234567890012345678" + "9")


def written_year(doc: Document) -> int | None:
    """The year the text was written, for rules whose judgment depends on when words were written
    (a spelling standardised in 2002): the report's own year; else the latest date of its title block,
    datelines, 文号 and 落款; else the year the text speaks of most (a 1995 government report names
    1994 and 1995 far more than anything else). None when it names no year at all."""
    if doc.meta.year is not None:
        return doc.meta.year
    dated = [p.text for p in doc.paragraphs if p.kind in _DATED_KINDS or p.role in _DATED_ROLES]
    stated = _years("\n".join([doc.title or "", *dated]))
    if stated:
        return max(stated)
    counts: dict[int, int] = {}
    for year in _years(doc.text):
        counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


# Where a preamble states the report's own year: at its start ("2023年，…", "今年以来" has none) or in
# the sentence that hands the report over ("现将2023年度…报告如下"). Any other year in it is something
# cited ("根据《2019年…》的通知") and must not date the report: dated rules would misfire.
_LEAD_YEAR = re.compile(r"^[^，。；\n]{0,8}?((?:19|20)[0-9]{2})(?=年)")
_FORMULA_YEAR = re.compile(r"现[将就][^。\n]{0,30}?((?:19|20)[0-9]{2})(?=年)[^。\n]{0,60}?(?:报告|汇报|通报)如下")


def _preamble_year(preamble: str):
    return _LEAD_YEAR.search(preamble) or _FORMULA_YEAR.search(preamble)


def detect_variants(doc: Document) -> tuple[str, ...]:
    """The [[variant]]s of profiles.toml this report is, for its type."""
    title = doc.title or ""
    opening = "\n".join(p.text for p in doc.paragraphs if p.kind in ("byline", "front", "preamble"))[:400]
    found = []
    for variant in resources.variants():
        if doc.meta.type not in variant.types:
            continue
        if (any(p.search(title) for p in variant.title_patterns)
                or any(p.search(opening) for p in variant.opening_patterns)):
            found.append(variant.id)
    return tuple(found)


def skipped_rules(meta: ReportMeta) -> frozenset[str]:
    """Rules that do not apply to this report's variants (a meeting's report has no norms)."""
    by_id = {v.id: v for v in resources.variants()}
    return frozenset(r for v in meta.variants for r in by_id[v].skip)


# --- the report's own unit -----------------------------------------------------------------------
#
# The unit is the organisation as the report names it, without "中共" in front and without the Party
# body or the leader's role behind it: "市审计局党组" and "中共市审计局党组" are both 市审计局, "绍兴一中党委"
# is 绍兴一中, "县农业农村局党组书记" is 县农业农村局. One unit then files under one name whichever way a
# report of it is signed. Where it is stated, in this order: before or after the year in the title, the
# 落款 line above the closing date, the byline of a personal report (（市生态环境局党组成员、副局长　李华）),
# the subject of the preamble's first sentence ("我局"/"本局" is not a name). A masked or template name (市**局, ××局, XX单位, （请填写：单位名称）, a bare 局 or 市局) is a
# blank: no name, and callers can ask `report_unit(doc).blank` to have it filled in.

_ORGAN = r"(?:机关党委|党工委|党总支|党支部|党委|党组|领导班子|班子)"
_ROLE = r"(?:副)?(?:书记|主任|局长|部长|主席|委员|成员|负责人|校长|院长|总经理|董事长|厅长|处长|科长)"
_ROLE_SUFFIX = re.compile(rf"{_ORGAN}?{_ROLE}$")
_ORGAN_SUFFIX = re.compile(rf"{_ORGAN}$")
_COMMUNIST = re.compile(r"^(?:中共|中国共产党)")
# Words that begin a title's subject matter: a unit named after the year ends where they start.
_TOPIC = re.compile(
    r"全面从严治党|党风廉政|落实|履行|述职|述责|述廉|述德|意识形态|主体责任|党建|党的建设|基层党|工作|情况|"
    r"个人|巡察|巡视|关于|民主生活会|组织生活会|专题|第一责任人|一岗双责|作风|纪律|廉洁|清廉|" + _ORGAN)
_PERIOD_AFTER_YEAR = re.compile(
    r"年(?:度|全年|第[一二三四1-4１-４]季度|[一二三四1-4]季度|上半年|下半年|"
    r"[0-9一二三四五六七八九十]{1,3}(?:[-—－~～至到][0-9一二三四五六七八九十]{1,3})?月份?)?(?:以来)?[，,、\s]*")
_MASK = re.compile(r"[*＊×✕✖]|(?<![A-Za-z])[XxＸｘ]{1,3}(?![A-Za-z])|某|请填写|_{2,}|＿|○○|〇〇|□|△")
# A bare organ left where the name was (局, 市局, 本单位): a template's or a 范文 site's blank.
_BARE = re.compile(r"^(?:[本我该全]?(?:局|委|办|厅|部|院|单位|机关|系统)|"
                   r"[省市区县镇乡州旗盟]?(?:局|办|厅|部|院|署|所|站|队|中心|公司|单位|分局))$")
_SELF = re.compile(r"^(?:我|本|我们|本人|全|我单位|本单位)")
_ORG_END = re.compile(
    r"(?:局|委员会|委|办公室|办|部|厅|院|署|所|站|队|中心|公司|集团|银行|学校|中学|小学|大学|学院|医院|党校|"
    r"镇|乡|街道|社区|村|馆|会|处|科|室|社|团|场|厂|政府|分局|支队|大队|法院|检察院|一中|二中|三中|四中)$")
_DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月"
                        r"(?:[0-9一二三四五六七八九十]{1,3}日?)?\s*$")
_CLOSING_PUNCT = "。！？；：，、…”’」』）)!?;:,"
_PREAMBLE_SUBJECT = re.compile(
    r"^(?:[^，,。；;]{0,30}?(?:年|年度|以来|季度|上半年|下半年|全年|期间|来)[，,])?"
    r"(?:在[^，,。；;]{1,40}?下[，,])?"
    r"(?P<unit>[^，,。；;：:“”《》\s的]{1,24}?)"
    r"(?=始终|坚持|认真|深入|全面|紧紧|牢牢|严格|切实|持续|紧扣|紧密|围绕|聚焦|按照|着力|扎实|立足|进一步|不断|"
    r"加强|高度|以|在|把|狠抓|强化|积极|贯彻|落实|带头|主动|结合|扛牢|压实|坚决|树牢)")


@dataclass(frozen=True)
class UnitInfo:
    """The unit a report states. `name` is what ledgers file it under (None: not stated, or a blank);
    `blank` says the report has a blank where the name goes; `stated` is the wording as written
    (with the Party body: 市审计局党组, or the blank itself: 市**局); `source` is where it was found."""

    name: str | None = None
    blank: bool = False
    stated: str | None = None
    source: str | None = None  # "title" | "signature" | "byline" | "preamble"

    @property
    def signer(self) -> str | None:
        """A 落款 to offer when the report has none: the unit as the report names it."""
        return None if self.blank else (self.stated or self.name)


def _clean_unit(words: str) -> tuple[str, str] | None:
    """(name, stated) of a candidate, or None when it names nothing. A blank keeps its wording as
    both, for the caller to test with `is_blank_unit`."""
    stated = words.strip(" \u3000，,、：:")
    stated = re.sub(r"^关于", "", stated)
    stated = re.sub(r"关于$", "", stated).strip()
    while True:  # 党组书记、局长: every role of the chain goes
        shorter = _ROLE_SUFFIX.sub("", stated).rstrip("、，, ").strip()
        if shorter == stated:
            break
        stated = shorter
    if not stated or len(stated) > 30:
        return None
    name = _COMMUNIST.sub("", stated)
    if _COMMUNIST.match(stated) and name.endswith("委员会"):
        name = name[:-3]  # 中共XX委员会: the Party committee of XX
    name = _ORGAN_SUFFIX.sub("", name).strip()
    if not name:
        return None
    return name, stated


def is_blank_unit(name: str) -> bool:
    """A unit name that is a blank to fill (市**局, ××局, XX单位, 局, 市局), not a name."""
    return bool(_MASK.search(name) or _BARE.match(name.strip()))



def _from_title(title: str) -> tuple[str, str] | None:
    title = re.sub(r"^关于", "", title.strip())
    m = YEAR.search(title)
    if not m:
        return None
    if m.start() > 0:
        found = _clean_unit(title[:m.start()])
        if found:
            return found
    rest = title[m.end():]
    lead = _PERIOD_AFTER_YEAR.match(rest)
    rest = rest[lead.end():] if lead else rest
    topic = _TOPIC.search(rest)
    if not topic or topic.start() == 0:
        return None
    organ = re.match(_ORGAN, rest[topic.start():])
    words = rest[:topic.end() if organ else topic.start()]
    return _clean_unit(words)


def _from_signature(doc: Document) -> tuple[str, str] | None:
    tail = [p for p in doc.paragraphs if p.kind != "junk"][-3:]
    for i in range(len(tail) - 1, 0, -1):
        if _DATE_LINE.match(tail[i].text):
            line = tail[i - 1].text.strip()
            if 2 <= len(line) <= 30 and line[-1] not in _CLOSING_PUNCT:
                found = _clean_unit(line)
                if found and (_ORG_END.search(found[0]) or is_blank_unit(found[0])
                              or _ORGAN_SUFFIX.search(found[1])):
                    return found
            return None
    return None


_PERSON = re.compile(r"[\s\u3000]+[\u4e00-\u9fff·]{2,5}$")


def _from_byline(doc: Document) -> tuple[str, str] | None:
    """The line under a personal report's title: （市生态环境局党组成员、副局长　李华）."""
    line = next((p.text for p in doc.paragraphs if p.kind == "byline"), None)
    if not line:
        return None
    inner = re.search(r"[（(]([^）)]+)[）)]", line)
    words = _PERSON.sub("", (inner.group(1) if inner else line).strip())
    found = _clean_unit(words)
    if found and _ORG_END.search(found[0]):
        return found
    return None


def _from_preamble(doc: Document) -> tuple[str, str] | None:
    first = next((p for p in doc.paragraphs if p.kind == "preamble"), None)
    if first is None:
        return None
    m = _PREAMBLE_SUBJECT.match(first.text[:160])
    if not m:
        return None
    words = m.group("unit")
    if _SELF.match(words) or words in ("局", "委", "办", "党组", "党委", "局党组", "局党委", "班子"):
        return None  # 我局, 本局, 局党组: the report speaking of itself, not a name
    found = _clean_unit(words)
    if not found:
        return None
    if _ORG_END.search(found[0]) or _ORGAN_SUFFIX.search(found[1]) or is_blank_unit(found[0]):
        return found
    return None


def report_unit(doc: Document) -> UnitInfo:
    """The unit the report states, from its title, its 落款 or its preamble (in that order)."""
    blank = None
    for source, find in (("title", lambda: _from_title(doc.title or "")),
                         ("signature", lambda: _from_signature(doc)),
                         ("byline", lambda: _from_byline(doc)),
                         ("preamble", lambda: _from_preamble(doc))):
        found = find()
        if found is None:
            continue
        name, stated = found
        if is_blank_unit(name):
            blank = blank or UnitInfo(None, True, stated, source)
            continue
        return UnitInfo(name, False, stated, source)
    return blank or UnitInfo()

