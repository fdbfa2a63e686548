"""Countable items: what the report says was done, and how many times.

The kinds (党组会, 谈心谈话, 发展党员 …) are data in resources/stats.toml. For each mention of a
kind, the number is the nearest number-with-measure-word after it in the same clause, or one
just before it ("5名预备党员按期转正"). A number serves one mention only.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from core import resources
from core.text import numerals
from core.text.document import Document, Sentence
from core.text.periods import period_months

BLANK_CHARS = "*＊×xXＸｘ"

# A number as reports write it: Arabic, Chinese, approximate, or left blank.
NUMBER = (r"(?P<pre>近|约|逾|超过|达)?"
          r"(?P<num>[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+|[*＊×]+|[xXＸｘ]{1,3})"
          r"(?P<post>余|多)?")
CLAUSE_BREAK = "，。；！？：\n,;"
_CLAUSE_BREAKS = re.compile(f"[{CLAUSE_BREAK}]")
SOURCE_LIMIT = 300  # characters of a count's sentence kept for tooltips, JSON and ledgers
# The words before a figure that make it a plan, a requirement or a reference are looked for this
# far back in its clause. Real clauses are far shorter (the longest in the seeds and corpora is
# 211 characters); a text pasted without punctuation is one "clause" of any length, and looking
# through all of it for every figure would be quadratic.
ROLE_LOOKBACK = 500
# Characters a number token (NUMBER's num group) is made of, and the longest prefix (超过).
_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万*＊×xXＸｘ")
_LONGEST_PRE = 2


@dataclass(frozen=True)
class StatKind:
    id: str
    name: str
    category: str
    phrases: tuple[re.Pattern, ...]
    measures: tuple[str, ...]  # measure words a number of this kind may carry (次, 人次, 家)
    norm_per: str | None = None  # "month" | "quarter" | "year"
    norm_min: int = 0
    warn_if_missing: bool = False
    unquantified: bool = False
    consistency: bool = True  # the number is a period total that must agree wherever stated
    before_gap: int = 6  # words allowed between a number and the phrase after it ("4家单位开展常规巡察")
    counts_aspects: bool = False  # "N个方面" is a count of this kind (otherwise of something else)
    after_measure: tuple[tuple[str, re.Pattern], ...] = ()  # measure word -> what must follow it
    not_after: tuple[str, ...] = ()  # a phrase right after one of these is not this kind (持续整改)
    origin: object = field(default=None, compare=False)  # resources.Origin of a user's own item


@dataclass(frozen=True)
class StatItem:
    kind: str
    item: str  # the kind's display name (指标)
    category: str
    value: int | None  # None: the report left the number blank
    measure: str  # the measure word as written (次, 人次, 名)
    qualifier: str | None  # 余, 多, 近, 约, 以上 …
    placeholder: bool
    start: int
    end: int
    sentence: str
    number_start: int = -1
    number_end: int = -1
    sentence_start: int = -1
    phrase_end: int = -1  # where the phrase ends when the number follows it
    # "done": an activity of the reported period, the only role that reaches ledgers, totals,
    # comparisons and norms. "plan": in the next-step part or said as intended (计划/拟/将于);
    # "requirement": a rule or norm (要求/至少/不少于/每季度…); "reference": a figure already
    # counted, mentioned again (上述3次, 已完成整改的15个问题); "part": a part of another count
    # (其中…, 剩余2个, 问题中还有3个, 党组会专题研究…2次).
    role: str = "done"
    # 口径, what the figure covers (see basis()): whose ("书记", "班子成员"), which source for kinds
    # counted by source (发现问题: "巡视巡察", "专项检查"), and its scope: "part" of the period
    # (第二批主题教育开展以来…) or "each" branch or person (各支部…, 人均…), with the words saying so.
    subject: str = ""
    sort: str = ""
    scope: str = ""
    scope_words: str = ""

    def display(self) -> str:
        """The count as a reader says it: 60余次, 近100人次, 50人次以上, 待填."""
        if self.value is None:
            return f"（待填）{self.measure}"
        q = self.qualifier or ""
        before = q if q in ("近", "约", "逾", "超过", "达") else ""
        middle = q if q in ("余", "多") else ""
        after = q if q in ("以上", "左右") else ""
        return f"{before}{self.value}{middle}{self.measure}{after}"

    def source(self, limit: int = SOURCE_LIMIT) -> str:
        """The sentence that states the count, clipped around it when very long (a text pasted
        without full stops is one sentence; thousands of copies of it would fill memory)."""
        s = self.sentence
        if len(s) <= limit:
            return s
        at = max(0, self.start - self.sentence_start) if self.sentence_start >= 0 else 0
        lo = max(0, min(at - limit // 3, len(s) - limit))
        hi = lo + limit
        return ("…" if lo else "") + s[lo:hi] + ("…" if hi < len(s) else "")

    @property
    def basis(self) -> str:
        """口径 as the ledger writes it: "" for the unit's whole figure of the period, else what sets
        it apart (班子成员; 巡视巡察; 时段：第二批主题教育开展以来; 每个：各支部). Figures of
        different 口径 are never added or compared."""
        return basis_text(self.subject, self.sort, self.scope, self.scope_words)

    def to_json(self) -> dict:
        return {"item": self.item, "value": self.value, "measure": self.measure, "qualifier": self.qualifier,
                "placeholder": self.placeholder, "start": self.start, "end": self.end,
                "sentence": self.source(), "role": self.role}


@dataclass(frozen=True)
class Mention:
    """A kind named without any number (for count-unquantified)."""
    kind: StatKind
    start: int
    end: int


def parse_number(token: str) -> tuple[int | None, bool]:
    """(value, is_blank) of a number token."""
    if all(ch in BLANK_CHARS for ch in token):
        return None, True
    return numerals.parse_number(token), False


@resources.data_cache
def kinds() -> tuple[StatKind, ...]:
    out = []
    for entry in resources.load("stats.toml").get("kind", []):
        norm = entry.get("norm", {})
        out.append(StatKind(
            id=entry["id"], name=entry["name"], category=entry.get("category", "其他"),
            phrases=tuple(resources.compile_pattern(p, f"stats.toml [{entry['id']}]")
                          for p in [*entry.get("phrases", []), *entry.get("extra_phrases", [])]),
            # "units" is what user files written before the rename call the measure words
            measures=tuple(sorted(entry.get("measures", entry.get("units", ["次"])), key=len, reverse=True)),
            norm_per=norm.get("per"), norm_min=norm.get("min", 0),
            warn_if_missing=norm.get("warn_if_missing", False),
            unquantified=entry.get("unquantified", False),
            consistency=entry.get("consistency", True),
            before_gap=entry.get("before_gap", 6),
            counts_aspects=entry.get("counts_aspects", False),
            after_measure=tuple((m, resources.compile_pattern(p, f"stats.toml [{entry['id']}]"))
                                for m, p in entry.get("after_measure", {}).items()),
            not_after=tuple(entry.get("not_after", ())), origin=resources.origin(entry)))
    return tuple(out)


ROLE_ORDER = ("plan", "requirement", "reference", "part", "repeat", "subset")
# What the window and the command line call each role that keeps a figure out of the period's counts.
ROLE_NAMES = {"plan": "计划", "requirement": "要求", "reference": "引用", "part": "其中部分"}


@resources.data_cache
def _measure_rules() -> tuple[dict[str, str], re.Pattern | None, tuple[tuple[str, re.Pattern], ...]]:
    """From stats.toml [measure] and [role]: characters that turn a measure word into a noun
    (讲 + 堂 is 讲堂, not “N讲”), what a count of something else looks like (N个方面), and the
    clause words that make a figure a plan, a requirement or a reference."""
    data = resources.load("stats.toml")
    measure = data.get("measure", {})
    nouns = dict(measure.get("noun_after", {}))
    other = measure.get("other_things", [])
    other_re = resources.compile_pattern("|".join(other), "stats.toml [measure]") if other else None
    roles = tuple((name, resources.compile_pattern(p, f"stats.toml [role.{name}]"))
                  for name, p in data.get("role", {}).items() if name in ROLE_ORDER)
    return nouns, other_re, roles


@resources.data_cache
def _number_patterns(measures: tuple[str, ...], before_gap: int = 6) -> tuple[re.Pattern, re.Pattern]:
    measure = "|".join(re.escape(m) for m in measures)
    # After a phrase the number may follow a few words ("召开党组会60余次"), but not across a list
    # (、) or into a new quotation (“两讲堂”): those name other things.
    # a space may sit between the number and its measure word in text copied from a PDF ("32 个")
    after = re.compile(f"(?P<gap>[^{CLAUSE_BREAK}、“0-9０-９]{{0,10}}?){NUMBER}[ \u3000]?(?P<measure>{measure})(?P<tail>以上|左右)?")
    before = re.compile(f"{NUMBER}[ \u3000]?(?P<measure>{measure})(?P<gap>[^{CLAUSE_BREAK}0-9０-９*＊×]{{0,{before_gap}}})$")
    return after, before


def extract(doc: Document, parts: dict | None = None) -> tuple[list[StatItem], list[Mention]]:
    """Every count the report states, each with its role (see StatItem.role), and the kinds named
    with no number. `parts` (core.check.parts.locate_parts) tells where the next-step plan is."""
    sentences = list(doc.sentences())
    starts = [x.start for x in sentences]
    per_sentence: dict[int, list] = {}
    # Each phrase pattern runs once over the whole text; matches are then dealt to sentences.
    for kind in kinds():
        if kind.origin is not None:
            resources.using(kind.origin)  # a user's phrase: named if the check process stops on it
        for pattern in kind.phrases:
            for m in pattern.finditer(doc.text):
                if m.end() == m.start():
                    continue
                if kind.not_after and doc.text.endswith(kind.not_after, 0, m.start()):
                    continue
                i = bisect_right(starts, m.start()) - 1
                if i >= 0 and m.end() <= sentences[i].end:
                    per_sentence.setdefault(i, []).append((m.start(), m.end(), kind))
        if kind.origin is not None:
            resources.using(None)
    items: list[StatItem] = []
    bare: list[Mention] = []
    for i in sorted(per_sentence):
        found, unquantified = _extract_sentence(sentences[i], _longest_first(per_sentence[i]))
        items.extend(found)
        bare.extend(unquantified)
    return _with_basis(_with_roles(items, doc, parts), doc.text), bare


@resources.data_cache
def _topic_pattern() -> re.Pattern | None:
    source = resources.load("stats.toml").get("role", {}).get("topic")
    return resources.compile_pattern(source, "stats.toml [role.topic]") if source else None


def activities(items: list[StatItem]) -> list[StatItem]:
    """The counts that are things done in the reported period: what ledgers and totals take."""
    return [i for i in items if i.role == "done"]


def _with_roles(items: list[StatItem], doc: Document, parts: dict | None) -> list[StatItem]:
    plan = parts.get("plan") if parts else None
    _, _, role_patterns = _measure_rules()
    topic = _topic_pattern()
    totals = {k.id for k in kinds() if k.consistency}
    out = []
    seen: set[tuple[str, int | None, str]] = set()
    kinds_in_sentence: set[tuple[int, str]] = set()  # (sentence start, kind) of the counts taken
    text = doc.text
    breaks = [m.start() for m in _CLAUSE_BREAKS.finditer(text)] if items else []
    for item in items:
        role = "done"
        if plan is not None and plan.found and plan.contains(item.start):
            role = "plan"
        else:
            # the clause up to the number says what kind of figure it is
            k = bisect_left(breaks, item.number_start) - 1
            clause_start = breaks[k] + 1 if k >= 0 and breaks[k] >= item.sentence_start else item.sentence_start
            lead = text[max(clause_start, item.number_start - ROLE_LOOKBACK):item.number_start]
            gap = text[item.phrase_end:item.number_start] if item.phrase_end >= 0 else ""
            if topic is not None and item.kind in totals and topic.search(gap):
                # "召开党组会专题研究意识形态工作2次": the meetings on one topic, not all of them
                out.append(replace(item, role="part"))
                continue
            for name, pattern in role_patterns:
                if not pattern.search(lead):
                    continue
                if name == "repeat" and (item.kind, item.value, item.measure) not in seen:
                    continue  # "的15个" is a reference only to a figure counted before
                if name == "subset" and (item.sentence_start, item.kind) not in kinds_in_sentence:
                    continue  # "其中" of another kind's total: a count of its own
                role = {"repeat": "reference", "subset": "part"}.get(name, name)
                break
        if role == "done":
            kinds_in_sentence.add((item.sentence_start, item.kind))
            if item.value is not None:
                seen.add((item.kind, item.value, item.measure))
        out.append(replace(item, role=role) if role != "done" else item)
    return out


def _longest_first(candidates):
    """No two phrase matches overlap: the longer one wins, then the earlier."""
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    # The chosen spans never overlap, so sorted by start their ends are sorted too and one
    # bisect finds the only neighbours a candidate could touch (a long sentence has thousands).
    starts: list[int] = []
    chosen: list = []
    for start, end, kind in candidates:
        i = bisect_right(starts, start)
        if i and chosen[i - 1][1] > start:
            continue
        if i < len(chosen) and chosen[i][0] < end:
            continue
        starts.insert(i, start)
        chosen.insert(i, (start, end, kind))
    return chosen


def _extract_sentence(sentence: Sentence, phrases) -> tuple[list[StatItem], list[Mention]]:
    s = sentence.text
    base = sentence.start
    phrases = [(start - base, end - base, kind) for start, end, kind in phrases]
    # "民主生活会（组织生活会）38次": the name in brackets is another name for the same meetings
    phrases = [p for n, p in enumerate(phrases)
               if not (n and phrases[n - 1][1] == p[0] - 1 and s[p[0] - 1] in "（(" and s[p[1]:p[1] + 1] in "）)")]
    phrase_starts = [p[0] for p in phrases]  # sorted: phrases come in text order
    # Clause breaks found once: a pasted report without full stops can be one 300,000-character
    # "sentence", and searching back from every phrase would make it quadratic.
    breaks = [m.start() for m in _CLAUSE_BREAKS.finditer(s)]
    used: set[tuple[int, int]] = set()
    items, bare = [], []
    for start, end, kind in phrases:
        after, before = _number_patterns(kind.measures, kind.before_gap)
        hit = None
        # A number right before the phrase ("5名预备党员转正", "××家单位的巡察") is its own;
        # otherwise the nearest one after it in the same clause ("召开党组会60余次").
        k = bisect_left(breaks, start)
        clause_start = breaks[k - 1] + 1 if k else 0
        b = before.search(s, max(clause_start, _number_reach(s, start, kind)), start)
        if (b and (b.start("num"), b.end("num")) not in used and not _ordinal(s, b.start("num"))
                and _counts_this(s, b.end("measure"), kind)):
            hit = (b, b.start(), end)
        else:
            # "反馈4个方面21个问题": a number that counts something else is passed over
            pos = end
            for _ in range(3):
                m = after.match(s, pos)
                if not m or _blocked(m, phrase_starts, end, s, used):
                    break
                if _counts_this(s, m.end("measure"), kind):
                    hit = (m, start, m.end())
                    break
                pos = m.end("measure")
        if hit is None:
            bare.append(Mention(kind, base + start, base + end))
            continue
        match, span_start, span_end = hit
        used.add((match.start("num"), match.end("num")))
        value, blank = parse_number(match.group("num"))
        qualifier = match.group("pre") or match.group("post")
        if "tail" in match.groupdict() and match.group("tail"):
            qualifier = qualifier or match.group("tail")
        items.append(StatItem(kind.id, kind.name, kind.category, value, match.group("measure"), qualifier,
                              blank, base + span_start, base + span_end, sentence.text,
                              base + match.start("num"), base + match.end("num"), base,
                              phrase_end=base + end if span_start == start else -1))
    return items, bare


def _counts_this(s: str, measure_end: int, kind: StatKind) -> bool:
    """False when the measure word starts a noun (两讲堂) or counts something else (四个方面的整改)."""
    nouns, other, _ = _measure_rules()
    for measure, followers in nouns.items():
        if s.endswith(measure, 0, measure_end) and s[measure_end:measure_end + 1] and s[measure_end] in followers:
            return False
    if not kind.counts_aspects and other is not None and other.match(s, measure_end):
        return False
    for measure, needed in kind.after_measure:
        if s.endswith(measure, 0, measure_end) and not needed.match(s, measure_end):
            return False
    return True


def _number_reach(s: str, phrase_start: int, kind: StatKind) -> int:
    """The earliest place a number-with-measure-word ending right before the phrase (the `before`
    pattern, anchored at the phrase) can start: searching from there finds exactly what searching
    from the clause start finds, without walking a clause of any length for every phrase.

    After the number come at most a 余/多, a space, a measure word and `before_gap` words, so the
    number ends at or after `reach`; it is one run of number characters, so it starts no earlier than
    the run that holds the character before `reach`; a prefix (近, 超过) adds at most two."""
    reach = phrase_start - (2 + max(map(len, kind.measures), default=0) + kind.before_gap)
    if reach <= 0:
        return 0
    while reach > 0 and s[reach - 1] in _NUMBER_CHARS:
        reach -= 1
    return max(0, reach - _LONGEST_PRE)


def _ordinal(s: str, at: int) -> bool:
    return at > 0 and s[at - 1] == "第"


def _blocked(m: re.Match, phrase_starts: list[int], phrase_end: int, s: str, used) -> bool:
    """The number after a phrase belongs to it unless another kind is named in between."""
    if (m.start("num"), m.end("num")) in used or _ordinal(s, m.start("num")):
        return True
    gap_end = m.start("num") - len(m.group("pre") or "")
    k = bisect_left(phrase_starts, phrase_end)
    if k < len(phrase_starts) and phrase_starts[k] < gap_end:
        return True
    # a blank of Latin letters must stand alone, not be part of a word
    num = m.group("num")
    if num[0] in "xXＸｘ" and m.start("num") > 0 and s[m.start("num") - 1].isascii() and s[m.start("num") - 1].isalpha():
        return True
    return False


def report_totals(items: list[StatItem]) -> dict[tuple[str, str], StatItem]:
    """One figure per (kind, measure word) for the whole report, keyed in order of first mention.

    A period total stated twice ("整改问题15个" in two places) counts once, as the largest stated;
    kinds counted per activity (stats.toml: consistency = false) add up. The result keeps the first
    mention's span; a total is blank only when every mention left the number blank.
    """
    per_kind = {k.id: k for k in kinds()}
    groups: dict[tuple[str, str], list[StatItem]] = {}
    for item in items:
        groups.setdefault((item.kind, item.measure), []).append(item)
    totals = {}
    for key, group in groups.items():
        stated = [i for i in group if i.value is not None]
        if not stated:
            totals[key] = group[0]
            continue
        kind = per_kind.get(key[0])
        if kind is not None and not kind.consistency and len(stated) > 1:
            qualifiers = {i.qualifier for i in stated} - {None}
            value = sum(i.value for i in stated)
            qualifier = next(iter(qualifiers)) if len(qualifiers) == 1 else ("约" if qualifiers else None)
            totals[key] = replace(stated[0], value=value, qualifier=qualifier, placeholder=False)
        else:
            totals[key] = max(stated, key=lambda i: i.value)
    return totals


def expected_minimum(kind: StatKind, period: str | None) -> int | None:
    """The norm for a report of `period`, or None when the norm cannot be judged over it."""
    if not kind.norm_per or kind.norm_min <= 0:
        return None
    months = period_months(period)
    per_months = {"month": 1, "quarter": 3, "year": 12}[kind.norm_per]
    if months < per_months:
        return None  # a yearly norm says nothing about one quarter
    return kind.norm_min * (months // per_months)


# ---------------------------------------------------------------------------------------------
# 口径 and the one rule for a period's figure (the 统计 chart and the ledger's 汇总 both use it)
# ---------------------------------------------------------------------------------------------

PART_PREFIX, EACH_PREFIX = "时段：", "每个："
_LOOK_BACK = 80  # characters before a number searched for its 口径 (bounded: a text may have no full stops)


def basis_text(subject: str, sort: str, scope: str, words: str) -> str:
    pieces = [subject, sort]
    if scope == "part":
        pieces.append(PART_PREFIX + words)
    elif scope == "each":
        pieces.append(EACH_PREFIX + words)
    return "；".join(p for p in pieces if p)


def parse_basis(text: str) -> tuple[str, str]:
    """(scope, 口径) of a 口径 text read back from a ledger: scope "part", "each" or ""."""
    pieces = [p.strip() for p in (text or "").split("；") if p.strip()]
    scope = ""
    for piece in pieces:
        if piece.startswith(PART_PREFIX):
            scope = "part"
        elif piece.startswith(EACH_PREFIX) and not scope:
            scope = "each"
    return scope, "；".join(pieces)


@resources.data_cache
def _basis_rules() -> dict:
    """stats.toml [basis]: the patterns that give a figure its 口径, and each kind's sorts."""
    data = resources.load("stats.toml")
    basis = data.get("basis", {})
    where = "stats.toml [basis]"
    compiled: dict = {name: resources.compile_pattern(basis[name], where)
                      for name in ("part", "whole_before", "each", "total") if basis.get(name)}
    compiled["subjects"] = tuple((name, resources.compile_pattern(p, where))
                                 for name, p in basis.get("subjects", {}).items())
    compiled["subject_kinds"] = frozenset(basis.get("subject_kinds", ()))
    compiled["sorts"] = {
        entry["id"]: tuple((name, resources.compile_pattern(p, f"stats.toml [{entry['id']}] sorts"))
                           for name, p in entry["sorts"].items())
        for entry in data.get("kind", []) if entry.get("sorts")}
    return compiled


def _with_basis(items: list[StatItem], text: str) -> list[StatItem]:
    """Each figure's 口径 (StatItem.basis), from the words before its number in its sentence."""
    if not items:
        return items
    rules = _basis_rules()
    each, total = rules.get("each"), rules.get("total")
    part, whole = rules.get("part"), rules.get("whole_before")
    out = []
    for item in items:
        start = max(item.sentence_start, item.number_start - _LOOK_BACK)
        lead = text[start:item.number_start]  # the sentence up to the number
        clause = lead[max(lead.rfind(c) for c in CLAUSE_BREAK) + 1:]
        around = text[start:max(item.end, item.number_end)]  # the phrase may follow the number
        subject = sort = scope = words = ""
        for name, pattern in rules["sorts"].get(item.kind, ()):
            if pattern.search(around):
                sort = name
                break
        m = each.search(clause) if each is not None else None
        if m and not (total is not None and total.search(clause, m.end())):
            scope, words = "each", m.group(0)
        elif part is not None:
            for m in part.finditer(lead):
                if whole is None or not whole.search(lead, 0, m.start("mark")):
                    scope, words = "part", m.group("words")
        if item.kind in rules["subject_kinds"] and scope != "each":
            nearest = -1
            for name, pattern in rules["subjects"]:
                for found in pattern.finditer(clause):
                    if found.end() > nearest:
                        nearest, subject = found.end(), name
        if subject or sort or scope:
            item = replace(item, subject=subject, sort=sort, scope=scope, scope_words=words)
        out.append(item)
    return out
