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
from datetime import datetime
from pathlib import Path

from core import resources
from core.check.compare import copied_share
from core.check.engine import check
from core.files.drafts import SaveError, save_with
from core.office.docx_export import APPLICATION, build_document
from core.office.docx_layout import qn_w
from core.review.reviews import BatchError, key_array, refuse_unwritable_output
from core.text.numerals import to_chinese
from core.text.periods import PERIOD_END_MONTH

# in the draft's document properties (类别), so a later batch over the same folder leaves it out
MARK = "报告助手生成的情况通报草稿"
MAX_NAMED = 4  # units named as examples in one paragraph
_PASSES = 8  # rounds of checking the draft and replacing flagged phrasings


class TongbaoError(Exception):
    """The draft cannot be written; str() is one Chinese sentence naming the file."""


@resources.data_cache
def wording() -> dict:
    data = resources.load("tongbao.toml")
    return {"draft": data.get("draft", {}), "groups": {g["id"]: g for g in data.get("group", [])}}


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
    signature: tuple[str, str]  # 落款 and date lines, appended right-aligned by the export
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

def _names(reviews) -> dict[int, str]:
    """How each report is named in the draft: its unit; with the period when a unit has several;
    the file name when the report names no unit."""
    units = Counter(r.unit for r in reviews if r.unit)
    out = {}
    for r in reviews:
        if not r.unit:
            out[id(r)] = f"“{Path(r.file).stem}”"
        elif units[r.unit] > 1 and r.period:
            out[id(r)] = f"{r.unit}{r.period}"
        else:
            out[id(r)] = r.unit
    return out


def _key(r) -> str:
    return r.unit or r.file


def _year_and_kind(reviews) -> tuple[str, str]:
    """The period for the title (2024年度, or 2024年第三季度 when every report of that year is of
    that quarter) and the kind of reports."""
    draft = wording()["draft"]
    years = Counter(r.year for r in reviews if r.year)
    year = years.most_common(1)[0][0] if years else datetime.now().year
    names = {r.period[len(f"{year}年"):] for r in reviews if r.year == year and r.period}
    period = f"{year}年{names.pop()}" if len(names) == 1 and "度" not in names else f"{year}年度"
    kinds = Counter(r.type_id for r in reviews if r.type_id and r.type_id != "unknown")
    if len(kinds) == 1:
        profile = resources.profile(next(iter(kinds)))
        kind = profile.name if profile else draft["mixed_kind"]
    else:
        kind = draft["mixed_kind"]
    return period, kind


def _head(message: str) -> str:
    """The finding's message without its instruction: 数字空白“*”：请填写实际数字。 → 数字空白“*”."""
    cut = len(message)
    for mark in ("，请", "：请", "。请", "；请", "，应删除", "，应"):
        at = message.find(mark)
        if at != -1:
            cut = min(cut, at)
    head = message[:cut]
    stop = min((head.find(m) for m in "。？！" if m in head), default=-1)
    if stop != -1:
        head = head[:stop]
    return head.rstrip("：，。；")


def _brief(message: str) -> str:
    """The head's first clause, not cut inside quotes or brackets, without a closing remark in
    brackets: 三级标题序号“1、”应写作“1.”（…） → 三级标题序号“1、”应写作“1.”."""
    head = _head(message)
    depth = 0
    for i, ch in enumerate(head):
        if ch in "“（(":
            depth += 1
        elif ch in "”）)" and depth:
            depth -= 1
        elif ch in "：，；" and depth == 0 and i >= 4:
            head = head[:i]
            break
    head = re.sub(r"（[^（）]*）$", "", head)
    return re.sub(r"^报告(?=[^，。]{4})", "", head)


def _plain(message: str, quote: str) -> str:
    """The head with the quoted defect itself taken out, so quoting it does not repeat it."""
    head = _head(message)
    if quote.strip():
        head = head.replace(f"“{quote.strip()}”", "")
    return re.sub(r"[：，]{2,}", "：", head).strip("：，")


def _clause_before(before: str) -> str:
    """The words just before a blank, back to the last punctuation: 全年召开党组会."""
    parts = re.split(r"[，。；：、！？,;:\s“”（）()]", before)
    return parts[-1] if parts else ""


def phrasings(group: dict, ex, title: str) -> list[str]:
    """Ways to describe one example, best first, ending with one that quotes nothing."""
    quote = ex.quote.strip()
    # a replacement shorter than what it replaces ("y" → "中央" in y纪委) says nothing alone
    suggestion = ex.suggestion if ex.suggestion and len(ex.suggestion) >= max(3, len(quote)) else None
    fields = {"line": ex.line, "quote": quote, "before": _clause_before(ex.before),
              "head": _head(ex.message), "brief": _brief(ex.message), "plain": _plain(ex.message, ex.quote),
              "suggestion": suggestion}
    out = []
    for template in group.get("phrases", []) + ["第{line}行{brief}", "第{line}行{plain}"]:
        needed = re.findall(r"{(\w+)}", template)
        if any(not fields.get(n) for n in needed):
            continue
        phrase = re.sub(r"(第\d+行)(?=\d)", r"\1，", template.format(**fields))  # 第7行，2023年…
        if phrase not in out:
            out.append(phrase)
    out.append(f"第{ex.line}行“{title}”方面有问题")
    return out


# --- composing ---------------------------------------------------------------------------------

def compose(reviews: list, copies: dict[int, tuple[float, int]] | None = None) -> Draft:
    """The draft for `reviews` (core.review.batch.ReportReview) and the batch's copying pairs
    (core.review.batch.cross_copies, by index into `reviews`)."""
    w = wording()
    draft, groups = w["draft"], w["groups"]
    readable = [r for r in reviews if not r.error]
    unreadable = [r for r in reviews if r.error]
    names = _names(readable)
    period, kind = _year_and_kind(readable)
    titles = {e["id"]: e["title"] for e in resources.load("checklist.toml").get("item", [])}
    order = list(titles)

    title = draft["title"].format(period=period, kind=kind)
    # the empty line stands for the one the export puts under the title, so the text checked
    # here reads as the document will
    lines: list[list] = [[title], [""], [draft["addressee"]], [draft["preamble"].format(period=period, kind=kind)]]

    # 一、基本情况
    lines.append([draft["basic"]])
    lines.append(_basic(readable, unreadable, names))

    # 二、存在的主要问题: groups several units share, most common first
    shared, single = [], []
    for gid in order:
        units = {}
        for r in readable:
            e, wn = r.groups.get(gid, (0, 0))
            if e + wn:
                units.setdefault(_key(r), []).append(r)
        if not units:
            continue
        total = sum(sum(r.groups[gid]) for rs in units.values() for r in rs)
        errors = sum(r.groups[gid][0] for rs in units.values() for r in rs)
        entry = (gid, units, total, errors)
        (shared if len(units) >= 2 else single).append(entry)
    shared.sort(key=lambda e: (-len(e[1]), -e[2], order.index(e[0])))
    single.sort(key=lambda e: (-e[3], -e[2], order.index(e[0])))  # errors (a missing part) first
    # Few shared problems: each of the others gets its own paragraph too (a 通报 lists at least
    # three, as the check asks of every problems part); the rest go into one paragraph.
    while single and len(shared) < 3:
        shared.append(single.pop(0))

    items: list[tuple[str, list]] = []  # (group id, paragraph pieces after the number)
    copying = _copying(readable, reviews, copies or {}, names, copied_share())
    for gid, units, total, errors in shared:
        items.append((gid, _group_paragraph(groups.get(gid, {}), titles.get(gid, gid), units, total, errors,
                                            names, gid)))
    if copying:  # among the shared groups, by how many units it involves
        involved, pieces = copying
        at = next((i for i, entry in enumerate(shared) if len(entry[1]) < involved), len(items))
        items.insert(at, ("copying", pieces))
    if single:
        items.append(("other", _other_paragraph(groups, titles, single, names)))

    lines.append([draft["problems"]])
    lines.append([draft["problems_intro"] if items else draft["problems_none"]])
    problem_heads = []
    for n, (gid, pieces) in enumerate(items, start=1):
        head = groups.get(gid, {}).get("problem", f"{titles.get(gid, gid)}方面的问题")
        problem_heads.append(head)
        lines.append([f"（{_cn(n)}）{head}。", *pieces])

    # 三、工作要求: one per problem, in the same order
    lines.append([draft["requirements"]])
    lines.append([draft["requirements_intro"]])
    for n, (gid, _pieces) in enumerate(items, start=1):
        entry = groups.get(gid, {})
        requirement = entry.get("requirement", f"{titles.get(gid, gid)}要规范")
        detail = entry.get("detail", "")
        if gid == "other":
            detail = detail.format(groups="".join(f"“{titles.get(g, g)}”" for g, *_r in single))
        lines.append([f"（{_cn(n)}）{requirement}。{detail}"])
    lines.append([draft["closing"]])
    return Draft(lines, (draft["addressee"], draft["signature"], draft["date"]),
                 (draft["signature"], draft["date"]), title, problem_heads)


def _cn(n: int) -> str:
    return to_chinese(n)


def _basic(readable, unreadable, names) -> list:
    kinds = Counter(r.type_name for r in readable)
    periods = Counter(r.period or "未注明报告期" for r in readable)
    units = len({_key(r) for r in readable})
    clean = [r for r in readable if r.errors == 0]
    parts = [f"本次共审核报告{len(readable)}份，涉及{units}个单位。其中，"
             + "、".join(f"{k}{n}份" for k, n in kinds.most_common()) + "；报告期为"
             + "、".join(f"{p}{n}份" for p, n in sorted(periods.items())) + "。"]
    if clean:
        listed = "、".join(names[id(r)] for r in clean[:MAX_NAMED])
        more = f"等{len(clean)}份" if len(clean) > MAX_NAMED else ""
        parts.append(f"经检查，{len(clean)}份报告未发现需退回修改的错误（{listed}{more}），"
                     f"{len(readable) - len(clean)}份报告存在错误，需修改后重新报送。")
    else:
        parts.append(f"经检查，{len(readable)}份报告均存在需修改的错误，需修改后重新报送。")
    scored = [r for r in readable if r.score is not None]
    if scored:
        average = sum(r.score for r in scored) / len(scored)
        worst = min(scored, key=lambda r: r.score)
        parts.append(f"按本次审核的评分办法，平均得分{average:.0f}分，"
                     f"得分最低的是{names[id(worst)]}报告（{worst.score}分）。")
    if unreadable:
        parts.append(f"另有{len(unreadable)}份文件无法读取（"
                     + "；".join(f"“{Path(r.file).name}”{r.error.rstrip('。')}" for r in unreadable[:MAX_NAMED])
                     + ("等" if len(unreadable) > MAX_NAMED else "") + "），请相关单位重新报送。")
    return ["".join(parts)]


def _group_paragraph(group: dict, title: str, units: dict, total: int, errors: int, names, gid: str) -> list:
    count = f"共{total}处" + (f"，其中错误{errors}处" if errors and errors != total else "")
    pieces: list = [f"{len(units)}个单位的报告存在这类问题，{count}。"]
    ranked = sorted(units.values(), key=lambda rs: -sum(sum(r.groups[gid]) for r in rs))
    named = []
    for rs in ranked[:MAX_NAMED]:
        r = max(rs, key=lambda r: sum(r.groups[gid]))
        examples = r.examples.get(gid, [])
        if not examples:
            continue
        named.append([f"{names[id(r)]}报告", Slot(phrasings(group, examples[0], title))])
    if named:
        pieces.append("如")
        for n, (who, slot) in enumerate(named):
            pieces += ["；" if n else "", who, slot]
        pieces.append("等。" if len(units) > len(named) else "。")
    return pieces


def _other_paragraph(groups: dict, titles: dict, single: list, names) -> list:
    pieces: list = [f"此外，还有{len(single)}类问题各只在1个单位的报告中出现："]
    for n, (gid, units, _total, _errors) in enumerate(single):
        rs = next(iter(units.values()))
        r = rs[0]
        examples = r.examples.get(gid, [])
        pieces += ["；" if n else "", f"{names[id(r)]}报告"]
        if examples:
            pieces += [Slot(phrasings(groups.get(gid, {}), examples[0], titles.get(gid, gid)))]
        else:
            pieces.append(f"在“{titles.get(gid, gid)}”方面有问题")
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
            shown.append(f"{names[id(r)]}报告与该单位{other.period or '上期'}报告有{share:.0%}的句子相同，"
                         f"基本沿用了上期报告")
        else:
            shown.append(f"{names[id(r)]}报告与{names[id(other)]}报告有{share:.0%}的句子相同")
    pieces.append("如" + "；".join(shown) + "。")
    return len({_key(r) for r in readable if id(r) in involved}), pieces


# --- checking and writing ----------------------------------------------------------------------

def settle(draft: Draft) -> list:
    """Check the draft as a 通报 and replace every phrasing a finding falls on, until none is
    left or nothing more can be replaced. Returns the findings that remain (on the blanks)."""
    findings = []
    for _round in range(_PASSES):
        text, spans = draft.text(with_signature=True)
        result = check(text, report_type="tongbao")
        findings = [f for f in result.findings if f.severity != "info"]
        changed = False
        for f in findings:
            for start, end, slot in spans:
                if start < f.end and f.start < end or (f.start == f.end and start <= f.start <= end):
                    changed |= slot.next()
        if not changed:
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
