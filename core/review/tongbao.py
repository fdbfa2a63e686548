"""A draft 情况通报 on a batch of reports, in GB/T 9704 layout, for the reviewer to finish.

The reviewer's final product after reading thirty reports is a 通报 like the seed 003: how many
reports came in, the problems several units share (with named examples and short quotes, as its
part 六 does), and what every unit must do. The draft is built from the batch's reviews; the
wording is data in resources/tongbao.toml. 主送, 落款 and date are left as marked blanks (××××).

The draft must itself pass this program's check as a 通报. A quote from a unit's report may be the
very defect it illustrates (a blank, web residue, a wrong 提法), so each example is a list of
phrasings: the draft is checked, and any phrasing a finding falls on is replaced by the next one,
until only the marked blanks are left.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core import resources
from core.check.compare import copied_share
from core.check.engine import check
from core.files.drafts import SaveError, save_with
from core.office.docx_export import APPLICATION, build_document
from core.office.docx_layout import qn_w, set_ppr
from core.review.reviews import BatchError, key_array, refuse_unwritable_output
from core.text.numerals import to_chinese
from core.text.periods import PERIOD_END_MONTH

# in the draft's document properties (类别), so a later batch over the same folder leaves it out
MARK = "报告助手生成的情况通报草稿"
MAX_NAMED = 3  # reports given an example in one paragraph
MAX_LISTED = 8  # reports named in a list before "等N份"
MAX_FILES = 3  # file names listed (long names set badly in a justified line)
_PASSES = 8  # rounds of checking the draft and replacing flagged phrasings


class TongbaoError(Exception):
    """The draft cannot be written; str() is one Chinese sentence naming the file."""


@resources.data_cache
def wording() -> dict:
    data = resources.load("tongbao.toml")
    return {"draft": data.get("draft", {}), "groups": {g["id"]: g for g in data.get("group", [])},
            "kinds": data.get("kind", [])}


# --- the draft as text with replaceable phrasings ----------------------------------------------

@dataclass
class Slot:
    """A place in the draft with phrasings to try in order."""
    choices: list[str]
    index: int = 0

    @property
    def text(self) -> str:
        return self.choices[min(self.index, len(self.choices) - 1)]

    def next(self) -> bool:
        if self.index + 1 < len(self.choices):
            self.index += 1
            return True
        return False


@dataclass
class Draft:
    lines: list[list]  # each line: str and Slot pieces
    blanks: tuple[str, ...]  # the lines left for the reviewer to fill
    signature: tuple[str, str]  # 落款 and date lines, placed by the export
    title: str = ""
    problems: list[str] = field(default_factory=list)  # the problem headings, in order

    def text(self, with_signature: bool = False) -> tuple[str, list[tuple[int, int, Slot]]]:
        out, spans, at = [], [], 0
        for n, line in enumerate(self.lines):
            if n:
                out.append("\n")
                at += 1
            for piece in line:
                s = piece.text if isinstance(piece, Slot) else piece
                if isinstance(piece, Slot):
                    spans.append((at, at + len(s), piece))
                out.append(s)
                at += len(s)
        text = "".join(out)
        if with_signature:
            text += "\n\n" + "\n".join(self.signature)
        return text, spans


# --- what the batch found ------------------------------------------------------------------------

_LONG_LATIN = re.compile(r"[\x21-\x7e]{12,}")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _file_name(r) -> str:
    return _XML_UNSAFE.sub("", Path(r.file).name)


def _names(reviews) -> dict[int, str]:
    """How each report is named: the unit it states; with its period when the unit has several
    reports; a report that names no unit by its file (said as a file, never as a unit)."""
    units = Counter(r.unit for r in reviews if r.unit)
    out = {}
    for r in reviews:
        if not r.unit:
            out[id(r)] = f"文件“{_file_name(r)}”"
        elif units[r.unit] > 1 and r.period:
            out[id(r)] = f"{r.unit}{r.period}报告"
        else:
            out[id(r)] = f"{r.unit}报告"
    return out


def _period_title(reviews) -> str:
    """The period the title names, taken from the reports, never one no report has: the period
    they all share; the year when they share only that (2024年); else the span of their years
    (2019—2025年), 年度 when every report is an annual one. "" when no report states one."""
    draft = wording()["draft"]
    periods = [r.period for r in reviews if r.period]
    if not periods:
        return ""
    if len(set(periods)) == 1:
        return periods[0]
    years = sorted({r.year for r in reviews if r.period and r.year})
    annual = all(p.endswith("年度") for p in periods)
    if not years:
        return ""
    if len(years) == 1:
        return f"{years[0]}年" + ("度" if annual else "")
    return draft["span"].format(first=years[0], last=years[-1]) + "年" + ("度" if annual else "")


def _kind(reviews) -> str:
    draft = wording()["draft"]
    kinds = Counter(r.type_id for r in reviews if r.type_id and r.type_id != "unknown")
    if any(r.type_id == "unknown" for r in reviews):
        return draft["other_kind"]  # some are none of the four kinds: not all are 主体责任 reports
    if len(kinds) == 1:
        profile = resources.profile(next(iter(kinds)))
        if profile:
            return profile.name
    return draft["mixed_kind"]


_HEDGES = re.compile(r"^(?:疑似|可能是?)|(?<=[，。；：])(?:疑似|可能)|可能(?=[是被有])")


def _head(message: str) -> str:
    """The finding's message without its instruction and without the checker's hedges:
    疑似漏字：“示范带动作”应为“示范带动作用”。 → 漏字：“示范带动作”应为“示范带动作用”."""
    cut = len(message)
    for mark in ("，请", "：请", "。请", "；请", "，应删除", "，审核时", "：可用"):
        at = message.find(mark)
        if at != -1:
            cut = min(cut, at)
    head = message[:cut]
    stop = min((head.find(m) for m in "。？！" if m in head), default=-1)
    if stop != -1:
        head = head[:stop]
    head = _HEDGES.sub("", head)
    head = re.sub(r"（共\d+处[^（）]*）", "", head)
    for profile in resources.profiles():  # 述责述廉报告缺少…: the report is named already
        if head.startswith(profile.name):
            head = head[len(profile.name):]
            break
    return head.rstrip("：，。；")


def _plain(message: str, quote: str) -> str:
    """The head with the quoted defect itself taken out, so quoting it does not repeat it."""
    head = _head(message)
    if quote.strip():
        head = head.replace(f"“{quote.strip()}”", "")
    return re.sub(r"[：，]{2,}", "：", head).strip("：，")


def _inner(text: str) -> str:
    """Words quoted inside a quotation take single quotes."""
    return text.replace("“", "‘").replace("”", "’").strip()


def phrasings(group: dict, ex) -> list[str]:
    """Ways to describe one example (after the report's name), best first."""
    return [phrase for _rank, phrase in ranked_phrasings(group, ex)]


def ranked_phrasings(group: dict, ex) -> list[tuple[int, str]]:
    """(rank of its template in the group's list, phrase) for one example."""
    quote = _inner(ex.quote)
    # a replacement of a piece of a word ("y" → "中央" in y纪委) says nothing alone
    suggestion = ex.suggestion if ex.suggestion and len(ex.suggestion) >= group.get("suggestion_min", 3) else None
    before, after = _inner(ex.before), _inner(getattr(ex, "after", ""))
    fields = {"quote": quote, "before": before if len(before) >= 2 else "",
              "after": after if len(after) >= 2 else "", "start": quote[:8], "context": before + quote + after,
              "head": _head(ex.message), "plain": _plain(ex.message, ex.quote), "suggestion": suggestion}
    out = []
    templates = group.get("phrases", ["{head}"])
    for rank, entry in enumerate(templates):
        template, when = (entry["text"], entry.get("when")) if isinstance(entry, dict) else (entry, None)
        if when and not re.search(when, ex.message):
            continue
        needed = re.findall(r"{(\w+)}", template)
        if any(not fields.get(n) for n in needed):
            continue
        phrase = template.format(**fields)
        if all(phrase != p for _r, p in out):
            out.append((rank, phrase))
    if not out:
        out.append((len(templates), fields["head"] or group.get("problem", "")))
    return out


# --- composing ---------------------------------------------------------------------------------

def compose(reviews: list, copies: dict[int, tuple[float, int]] | None = None) -> Draft:
    """The draft for `reviews` (core.review.batch.ReportReview) and the batch's copying pairs
    (core.review.reviews.cross_copies, by index into `reviews`)."""
    w = wording()
    draft, groups = w["draft"], w["groups"]
    readable = [r for r in reviews if not r.error]
    unreadable = [r for r in reviews if r.error]
    names = _names(readable)
    period, kind = _period_title(readable), _kind(readable)
    titles = {e["id"]: e["title"] for e in resources.load("checklist.toml").get("item", [])}
    order = list(titles)

    title = (draft["title"] if period else draft["title_no_period"]).format(period=period, kind=kind)
    # the empty line stands for the one the export puts under the title, so the text checked
    # here reads as the document will
    lines: list[list] = [[title], [""], [draft["addressee"]], [draft["preamble"].format(period=period, kind=kind)]]

    # 一、基本情况
    lines.append([draft["basic"]])
    lines.append(_basic(readable, unreadable, names))

    # 二、存在的主要问题: errors only, the groups most reports have first
    shared, single = [], []
    for gid in order:
        having = [r for r in readable if r.groups.get(gid, (0, 0))[0] and r.examples.get(gid)]
        if not having:
            continue
        errors = sum(r.groups[gid][0] for r in having)
        (shared if len(having) >= 2 else single).append((gid, having, errors))
    shared.sort(key=lambda e: (-len(e[1]), -e[2], order.index(e[0])))
    single.sort(key=lambda e: (-e[2], order.index(e[0])))
    # Few shared problems: each of the others gets its own paragraph too (a 通报 lists at least
    # three, as the check asks of every problems part); the rest go into one paragraph.
    while single and len(shared) < 3:
        shared.append(single.pop(0))

    items: list[tuple[str, list]] = []  # (group id, paragraph pieces after the number)
    copying = _copying(readable, reviews, copies or {}, names, copied_share())
    for gid, having, errors in shared:
        items.append((gid, _group_paragraph(groups.get(gid, {}), having, errors, names, gid)))
    if copying:  # among the shared groups, by how many units it involves
        involved, pieces = copying
        at = next((i for i, entry in enumerate(shared) if len(entry[1]) < involved), len(items))
        items.insert(at, ("copying", pieces))
    if single:
        items.append(("other", _other_paragraph(groups, single, names)))

    lines.append([draft["problems"]])
    lines.append([draft["problems_intro"] if items else draft["problems_none"]])
    problem_heads = []
    for n, (gid, pieces) in enumerate(items, start=1):
        head = groups.get(gid, {}).get("problem") if gid != "other" else "其他问题"
        problem_heads.append(head)
        lines.append([f"（{_cn(n)}）{head}。", *pieces])
    warned = [gid for gid in order if any(r.groups.get(gid, (0, 0))[1] for r in readable)
              and groups.get(gid, {}).get("topic")]
    if warned:
        topics = "、".join(groups[g]["topic"] for g in warned[:4])
        lines.append([draft["warnings"].format(topics=topics)])

    # 三、工作要求: by kind, the kinds of the problems above first, then the resubmission
    lines.append([draft["requirements"]])
    lines.append([draft["requirements_intro"]])
    named = [gid for gid, _p in items if gid != "other"] + [gid for gid, *_r in single]
    for n, (kind_title, details) in enumerate(_requirements(named, w), start=1):
        lines.append([f"（{_cn(n)}）{kind_title}。{details}"])
    lines.append([f"（{_cn(n + 1)}）{draft['resubmit']}。{draft['resubmit_detail']}"])
    lines.append([draft["contact"]])
    return Draft(lines, (draft["addressee"], draft["signature"], draft["date"]),
                 (draft["signature"], draft["date"]), title, problem_heads)


MIN_KINDS = 2  # with the resubmission, 三、工作要求 has at least three requirements


def _requirements(named: list[str], w: dict) -> list[tuple[str, str]]:
    """(title, text) of each kind of requirement: the kinds the problems fall in, in their order,
    each saying what its problems ask; kinds with nothing to say fill up to MIN_KINDS."""
    groups, kinds = w["groups"], w["kinds"]
    kind_of = {g: k["id"] for k in kinds for g in k.get("groups", [])}
    chosen: dict[str, list[str]] = {}
    for gid in named:
        k = kind_of.get(gid)
        if k is not None:
            chosen.setdefault(k, []).append(gid)
    for k in kinds:
        if len(chosen) >= MIN_KINDS:
            break
        chosen.setdefault(k["id"], [k["groups"][0]])
    out = []
    by_id = {k["id"]: k for k in kinds}
    for kid, gids in chosen.items():
        parts = []
        for gid in dict.fromkeys(gids):
            g = groups.get(gid, {})
            parts.append(f"{g.get('requirement', '')}，{g.get('detail', '')}".rstrip("，"))
        out.append((by_id[kid]["title"], "".join(p if p.endswith("。") else p + "。" for p in parts)))
    return out


def _cn(n: int) -> str:
    return to_chinese(n)


def _listed(names: list[str]) -> str:
    shown = "、".join(names[:MAX_LISTED])
    return shown + (f"等{len(names)}份" if len(names) > MAX_LISTED else "")


def _basic(readable, unreadable, names) -> list:
    units = {r.unit for r in readable if r.unit}
    unitless = [r for r in readable if not r.unit]
    text = f"本次共审核报告{len(readable)}份"
    text += f"，来自{len(units)}个单位" if units else ""
    if unitless:
        files = "、".join(f"“{_file_name(r)}”" for r in unitless[:MAX_FILES])
        more = f"等{len(unitless)}份" if len(unitless) > MAX_FILES else ""
        text += f"；另有{len(unitless)}份报告的报送单位需要核实（文件名{files}{more}），下文以文件名称之"
    text += "。"
    kinds = Counter(r.type_name for r in readable if r.type_id != "unknown")
    others = sum(1 for r in readable if r.type_id == "unknown")
    if kinds:
        text += "其中，" + "、".join(f"{k}{n}份" for k, n in kinds.most_common())
        text += f"，另有{others}份不属于以上类别" if others else ""
        text += "。"
    periods = Counter(r.period for r in readable if r.period)
    unknown = sum(1 for r in readable if not r.period)
    if len(periods) == 1 and not unknown:
        text += f"报告期均为{next(iter(periods))}。"
    elif periods:
        text += "报告期为" + "、".join(f"{p}{n}份" for p, n in sorted(periods.items(), key=lambda kv: (-kv[1], kv[0])))
        text += f"，另有{unknown}份的报告期需要核实" if unknown else ""
        text += "。"
    parts = [text]
    good = _done_well(readable)
    if good:
        parts.append(good)
    clean = [r for r in readable if r.errors == 0]
    if clean and len(clean) < len(readable):
        parts.append(f"经审核，{len(clean)}份报告未发现需要退回修改的错误（{_listed([names[id(r)] for r in clean])}），"
                     f"{len(readable) - len(clean)}份报告存在错误，需修改后重新报送。")
    elif clean:
        parts.append(f"经审核，{len(clean)}份报告均未发现需要退回修改的错误。")
    else:
        parts.append(f"经审核，{len(readable)}份报告均存在错误，需修改后重新报送。")
    if unreadable:
        parts.append(f"另有{len(unreadable)}份文件无法读取（"
                     + "；".join(f"“{_file_name(r)}”{r.error.rstrip('。')}" for r in unreadable[:MAX_LISTED])
                     + ("等" if len(unreadable) > MAX_LISTED else "") + "），请相关单位重新报送。")
    return ["".join(parts)]


def _done_well(readable) -> str:
    """What most reports did well, counted: only what more than half of them did, and only
    where nothing, not even a warning, was found."""
    typed = [r for r in readable if r.type_id != "unknown"]
    said = []
    complete = [r for r in typed if not r.missing]
    if typed and len(complete) * 2 > len(readable):
        said.append(f"{len(complete)}份报告规定部分齐全，写明了工作情况、存在问题和下一步打算")
    filled = [r for r in readable if not sum(r.groups.get("placeholder", (0, 0)))]
    if len(filled) * 2 > len(readable):
        said.append(f"{len(filled)}份报告没有留下空白或占位符号")
    clean_text = [r for r in readable if not any(sum(r.groups.get(g, (0, 0))) for g in ("typo", "term", "residue"))]
    if len(clean_text) * 2 > len(readable):
        said.append(f"{len(clean_text)}份报告未发现错别字、不规范提法和网页残留")
    if not said:
        return ""
    return "从审核情况看，多数报告在以下方面做得较好：" + "；".join(said) + "。"


def _group_paragraph(group: dict, having: list, errors: int, names, gid: str) -> list:
    """One problem several reports have: how many reports and places, which, and examples in the
    reports' own words."""
    ranked = sorted(having, key=lambda r: -r.groups[gid][0])
    pieces: list = [f"{len(having)}份报告存在这类问题，共{errors}处。"]
    shown = []
    for r in ranked[:MAX_NAMED]:
        choices = _choices(group, r.examples.get(gid, []))
        if choices:
            shown.append([names[id(r)], Slot(choices)])
    if shown:
        pieces.append("如")
        for n, (who, slot) in enumerate(shown):
            pieces += ["；" if n else "", who, slot]
        pieces.append("。")
    return pieces


def _choices(group: dict, examples: list) -> list[str]:
    """The phrasings of a report's examples, by the rank of their template (the most telling kind
    first), then by example. A phrasing that quotes the report begins after its name with 中."""
    ranked = sorted((rank, n, phrase) for n, ex in enumerate(examples) for rank, phrase in ranked_phrasings(group, ex))
    return list(dict.fromkeys(("中" + p) if p.startswith("“") else p for _rank, _n, p in ranked))


def _other_paragraph(groups: dict, single: list, names) -> list:
    pieces: list = [f"以下{_cn(len(single))}类问题各只在1份报告中出现：" if len(single) > 1 else ""]
    for n, (gid, having, _errors) in enumerate(single):
        r = having[0]
        # each named with its problem: 文件“x”导语缺失或不完整，缺少导语：…; 市局报告提法不规范，如“…”之后…
        choices = [("如" + p[1:]) if p.startswith("中“") else p
                   for p in _choices(groups.get(gid, {}), r.examples.get(gid, []))]
        pieces += ["；" if n else "", f"{names[id(r)]}{groups.get(gid, {}).get('problem', '')}，", Slot(choices)]
    pieces.append("。")
    return pieces


def _period_key(r) -> tuple[int, int]:
    name = (r.period or "")[len(f"{r.year}年"):] if r.year else ""
    return r.year or 0, PERIOD_END_MONTH.get("年度" if name == "度" else name, 12)


def _shared_share(a, b) -> float:
    """The share of a's sentences that b also has (the batch's sentence hashes)."""
    keys = key_array(a)
    return len(set(keys) & set(key_array(b))) / len(keys) if len(keys) else 0.0


def _copying(readable, reviews, copies, names, threshold) -> tuple[int, list] | None:
    """Reports copying each other in the batch, and a unit's report copying its own earlier one
    (two periods of one unit in the batch)."""
    index = {id(r): i for i, r in enumerate(reviews)}
    found: dict[frozenset, tuple] = {}
    by_unit: dict[str, list] = {}
    for r in readable:
        if r.unit:
            by_unit.setdefault(r.unit, []).append(r)
    for rs in by_unit.values():
        rs = sorted(rs, key=_period_key)
        for older, newer in zip(rs, rs[1:]):
            if _period_key(older) == _period_key(newer):
                continue
            share = _shared_share(newer, older)
            if share > threshold:
                found[frozenset((id(older), id(newer)))] = (share, newer, older, True)
    # a unit's earlier report is there to compare with; its likeness to others is not news
    earlier = {id(p[2]): p[1] for p in found.values()}
    for r in readable:
        best = copies.get(index[id(r)])
        if best is None or id(r) in earlier:
            continue
        share, j = best
        other = reviews[j]
        if id(other) in earlier:  # matched the earlier of two alike reports: name the current one
            other = earlier[id(other)]
            share = _shared_share(r, other)
        pair = frozenset((id(r), id(other)))
        if share <= threshold or other.error or id(other) in earlier or pair in found \
                or (r.unit and r.unit == other.unit):
            continue
        found[pair] = (share, r, other, False)
    if not found:
        return None
    pairs = sorted(found.values(), key=lambda p: (-p[0], p[1].file))
    involved = {id(p[1]) for p in pairs} | {id(p[2]) for p in pairs}
    pieces: list = [f"{len(involved)}份报告与本批其他报告大段相同。"]
    shown = []
    for share, r, other, same_unit in pairs[:MAX_NAMED]:
        if same_unit:
            shown.append(f"{names[id(r)]}与该单位{other.period or '上期'}报告有{share:.0%}的句子相同，"
                         f"基本沿用了上期报告")
        else:
            shown.append(f"{names[id(r)]}与{names[id(other)]}有{share:.0%}的句子相同")
    pieces.append("如" + "；".join(shown) + "。")
    return len({r.unit or r.file for r in readable if id(r) in involved}), pieces


# --- checking and writing ----------------------------------------------------------------------

def settle(draft: Draft) -> list:
    """Check the draft as a 通报 and replace every phrasing a finding falls on, until none is
    left or nothing more can be replaced. Returns the findings that remain (on the blanks)."""
    findings = []
    for _round in range(_PASSES):
        text, spans = draft.text(with_signature=True)
        result = check(text, report_type="tongbao")
        findings = [f for f in result.findings if f.severity != "info"]
        hit = {id(slot): slot for f in findings for start, end, slot in spans
               if start < f.end and f.start < end or (f.start == f.end and start <= f.start <= end)}
        # each flagged phrasing moves on once a round, however many findings fall on it
        changed = [slot.next() for slot in hit.values()]
        if not any(changed):
            break
    return findings


def check_tongbao_target(path: Path) -> None:
    """Refuse before any work: a wrong suffix, a missing folder, a file open in Word."""
    refuse_unwritable_output(path, f"无法写入情况通报草稿“{path}”：", ".docx", "通报草稿只能保存为 Word 文档（.docx）。",
                             " Word/WPS 等程序")


def build(draft: Draft):
    """The python-docx document: the export's GB/T 9704 layout (its 落款 placement included), 主送
    flush left."""
    text, _spans = draft.text()
    document, _counts = build_document(text, unit=draft.signature[0], date=draft.signature[1],
                                       report_type="tongbao")
    addressee = next((p for p in document.paragraphs if p.text == draft.blanks[0]), None)
    if addressee is not None:
        ind = addressee._p.pPr.find(qn_w("w:ind"))
        if ind is not None:
            for name in ("firstLineChars", "firstLine"):
                ind.set(qn_w(f"w:{name}"), "0")
    for p in document.paragraphs:
        if _LONG_LATIN.search(p.text):
            # a file name is one long Latin "word": let Word and WPS break it at the line's end
            # instead of spreading the justified line (LibreOffice ignores this and spreads it)
            set_ppr(p._p, "wordWrap", val=0)
    document.core_properties.category = MARK
    document.core_properties.title = draft.title
    document.core_properties.author = document.core_properties.last_modified_by = APPLICATION
    return document


def write_tongbao(reviews: list, copies: dict | None, path: str | os.PathLike) -> str:
    """Compose, settle and write the draft at `path` (atomically); returns the path."""
    target = Path(path)
    draft = compose(reviews, copies)
    settle(draft)
    document = build(draft)
    try:
        save_with(target, document.save)
    except SaveError as exc:
        raise BatchError(f"无法写入情况通报草稿“{target}”：{exc.reason}") from None
    return str(target)
