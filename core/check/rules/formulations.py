"""Rule `formulation`: official names written with a character dropped, added, changed or moved;
a 全会 named without its 届次; meetings and campaigns that do not fit the report's own period.

The names, meetings and campaigns are data (resources/rules/formulations.toml). A near miss is found
without listing it: each name is looked for by a few pieces of it (anchors, all in one pass), and
only where a piece turns up but the whole name does not is the text around it compared with the
name by edit distance. Whatever equals some official name exactly is never a near miss of another.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from core import resources
from core.check.findings import Finding
from core.check.rules import Context, rule
from core.check.rules.messages import say
from core.text import multimatch
from core.text.periods import recalls_before

FILE = "rules/formulations.toml"
RUNNING_KINDS = ("theory", "formula", "campaign", "body")
TITLE_KINDS = ("book", "document")
# characters a name never spans: a near miss cannot cross a sentence or clause boundary
_BREAKS = set("\n。，；：！？,;:!?（）()《》")
_NUMERALS = set("0123456789０１２３４５６７８９一二三四五六七八九十百千零〇两第")
_QUOTES = "“”‘’\"'"


@dataclass(frozen=True)
class Name:
    id: str
    name: str
    kind: str
    edits: int
    severity: str | None
    anchors: tuple[tuple[str, int], ...]  # (piece, its offset in the name)
    bigrams: frozenset
    since: tuple[int, int] | None = None  # the name is written so from this month on …
    earlier: str | None = None  # … and so before it
    substitutions: int = 2  # how many of the differences may be changed characters (not dropped or added)

    def right(self, when: tuple[int, int] | None) -> str:
        """The correct form for a report whose period ends in `when`."""
        if self.earlier and self.since and when is not None and when < self.since:
            return self.earlier
        return self.name

    @property
    def max_insertions(self) -> int:
        return 1


def _default_edits(name: str) -> int:
    n = len(name)
    if n < 6:
        return 0
    return 1 if n < 12 else 2


def _anchors(name: str, edits: int) -> tuple[tuple[str, int], ...]:
    """edits + 1 disjoint pieces (so one survives any `edits` changes), each at least two characters,
    and the name's first and last few characters (a name whose words were moved keeps an end)."""
    parts = max(2, edits + 1)
    size = len(name) // parts
    end = 2 if len(name) < 8 else 3  # two characters of a long name would turn up everywhere (教育, 思想)
    out = [(name[:end], 0), (name[-end:], len(name) - end)]
    for i in range(parts):
        start = i * size
        end = len(name) if i == parts - 1 else start + size
        piece = name[start:end]
        if len(piece) >= 2:
            out.append((piece, start))
    return tuple(dict.fromkeys(out))


def substitutions(right: str, wrong: str) -> int:
    """How many characters were changed (not dropped or added) between the two."""
    return sum(min(i2 - i1, j2 - j1) for op, i1, i2, j1, j2
               in SequenceMatcher(None, right, wrong, autojunk=False).get_opcodes() if op == "replace")


def _bigrams(s: str) -> frozenset:
    return frozenset(map(operator.add, s, s[1:]))  # the pairs made in C: near_misses makes thousands


@dataclass(frozen=True)
class Data:
    running: tuple[Name, ...]
    titles: tuple[Name, ...]
    canonical: multimatch.Matcher  # every correct form
    canonical_set: frozenset
    central: dict  # 届 → [(y, m) of each plenum]
    ccdi: dict
    closed: frozenset
    campaigns: tuple
    anchors: multimatch.Matcher  # piece → ((name, offset of the piece in it), …)


def _month(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    y, _, m = value.partition("-")
    return int(y), int(m or 1)


@dataclass(frozen=True)
class Campaign:
    id: str
    label: str
    names: re.Pattern
    keys: tuple[str, ...]  # literals every mention contains: the patterns run only where one is
    before: re.Pattern  # what it is named by before it started: its names (unless old), its markers
    announced: tuple[int, int] | None
    ended: tuple[int, int] | None
    regular_from: tuple[int, int] | None
    current_severity: str
    before_severity: str


# “开展 X” as this period's work (the verb just before the name); not “X 成果”, “X 以来”, “X 常态化” …
_CURRENT_VERB = re.compile(r"(?:(?:扎实|深入|认真|全面|精心|持续|广泛|积极|集中)?(?:组织)?(?:开展|启动|部署开展))(?:了|好)?$")
_NOT_CURRENT_AFTER = re.compile(r"的?(?:成果|以来|期间|常态化|长效化|回头看|经验|总结|整改|要求|部署|精神|工作条例)")


@resources.data_cache
def data() -> Data:
    raw = resources.load(FILE)
    running, titles, canonical = [], [], set()
    for n, e in enumerate(raw.get("name", [])):
        name = e["name"]
        canonical.add(name)
        canonical.update(e.get("also", []))
        kind = e.get("kind", "formula")
        if kind not in RUNNING_KINDS + TITLE_KINDS:
            raise resources.ResourceError(f"{FILE} 第{n + 1}条 name：kind “{kind}” 无效")
        edits = e.get("edits", _default_edits(name))
        if edits <= 0:
            continue
        entry = Name(e.get("id", name), name, kind, edits, e.get("severity"), _anchors(name, edits), _bigrams(name),
                     _month(e.get("from")), e.get("earlier"), e.get("substitutions", 2))
        (titles if kind in TITLE_KINDS else running).append(entry)
    for kind, names in raw.get("canonical", {}).items():
        if kind not in RUNNING_KINDS + TITLE_KINDS:
            raise resources.ResourceError(f"{FILE} [canonical]：种类 “{kind}” 无效")
        for name in names:
            canonical.add(name)
            edits = _default_edits(name) if kind != "body" else 0
            if edits > 0:
                entry = Name(name, name, kind, edits, None, _anchors(name, edits), _bigrams(name))
                (titles if kind in TITLE_KINDS else running).append(entry)
    plenums = raw.get("plenums", {})
    central = {k: [_month(v) for v in vs] for k, vs in plenums.get("central", {}).items()}
    ccdi = {k: [_month(v) for v in vs] for k, vs in plenums.get("ccdi", {}).items()}
    campaigns = []
    for n, e in enumerate(raw.get("campaign", [])):
        where = f"{FILE} 第{n + 1}条 campaign"
        names = resources.compile_pattern(e["names"], where)
        campaigns.append(Campaign(
            e["id"], e.get("label", e["id"]), names, tuple(e.get("keys", ())),
            resources.compile_pattern("|".join(
                ([] if e.get("old_name") else [f"(?:{e['names']})"]) + ([f"(?:{e['markers']})"] if e.get("markers") else [])),
                where),
            _month(e.get("announced")), _month(e.get("ended")), _month(e.get("regular_from")),
            e.get("current_severity", "warning"), e.get("before_severity", "error")))
    anchors: dict[str, list] = {}
    for entry in running:
        for piece, offset in entry.anchors:
            anchors.setdefault(piece, []).append((entry, offset))
    return Data(tuple(running), tuple(titles), multimatch.Matcher((c, c) for c in sorted(canonical)),
                frozenset(canonical), central, ccdi, frozenset(plenums.get("closed", [])), tuple(campaigns),
                multimatch.Matcher((k, tuple(v)) for k, v in anchors.items()))


# --- edit distance ----------------------------------------------------------------------------

def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts once); limit + 1 when over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2 = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]):
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1] if prev[-1] <= limit else limit + 1


def describe(right: str, wrong: str) -> str:
    """What differs, in words: 漏了“中国”, 多了“的”, “注意”应为“主义”, 字序颠倒."""
    if sorted(right) == sorted(wrong):
        return "词序颠倒"
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, right, wrong, autojunk=False).get_opcodes():
        if op == "delete":
            parts.append(f"漏了“{right[i1:i2]}”")
        elif op == "insert":
            parts.append(f"多了“{wrong[j1:j2]}”")
        elif op == "replace":
            parts.append(f"“{wrong[j1:j2]}”应为“{right[i1:i2]}”")
    return "，".join(parts) or "写法不同"


def _only_numbers_differ(right: str, wrong: str) -> bool:
    for op, i1, i2, j1, j2 in SequenceMatcher(None, right, wrong, autojunk=False).get_opcodes():
        if op != "equal" and not set(right[i1:i2] + wrong[j1:j2]) <= _NUMERALS:
            return False
    return True


# --- near misses ------------------------------------------------------------------------------

def _occurrences(text: str, canonical: multimatch.Matcher) -> dict[str, list[tuple[int, int]]]:
    """Where each official form stands in the text, exactly."""
    found: dict[str, list[tuple[int, int]]] = {}
    for start, end, (c,) in canonical.find(text):
        found.setdefault(c, []).append((start, end))
    return found


def _best_span(text: str, entry: Name, e0: int) -> tuple[int, int, int] | None:
    """(start, end, distance) of the stretch near e0 closest to the name, its first two and last two
    characters matching the name's: what stands before and after a name is not known, and a stretch
    that only shares one character at its edge (学【习贯彻…思想】) is another word's end."""
    name, k, size = entry.name, entry.edits, len(entry.name)
    best = None
    for s in range(max(0, e0 - k), min(len(text), e0 + k + 1)):
        if text[s:s + 2] != name[:2]:
            continue
        for e in range(s + size - k, min(len(text), s + size + entry.max_insertions) + 1):
            if e - s < 4 or text[e - 2:e] != name[-2:]:
                continue
            piece = text[s:e]
            if any(ch in _BREAKS and ch not in name for ch in piece):
                continue
            d = distance(name, piece, k)
            if d <= k and (best is None or (d, abs(e - s - size)) < (best[2], abs(best[1] - best[0] - size))):
                best = (s, e, d)
    return best


def _reordered(text: str, entry: Name, e0: int) -> tuple[int, int] | None:
    """The name's words in another order (same characters, same length), at e0."""
    name = entry.name
    if e0 < 0:
        return None
    piece = text[e0:e0 + len(name)]
    if len(piece) == len(name) and piece != name and sorted(piece) == sorted(name) \
            and not any(ch in _BREAKS for ch in piece):
        # a short name's characters in another order may well be other words (学习党纪教育读本 is not
        # 党纪学习教育 reordered): there the first word must stay in place
        if len(name) < 8 and piece[:2] != name[:2]:
            return None
        return e0, e0 + len(name)
    return None


def near_misses(text: str, d: Data | None = None) -> list[tuple[int, int, Name, str]]:
    """(start, end, name, how) of every near miss of a running-text name; how: near-miss | reordered."""
    d = d or data()
    where = _occurrences(text, d.canonical)
    found: list[tuple[int, int, Name, str]] = []
    taken = bytearray(len(text) + 1)
    # every piece is looked for once, however many names share it (习近平…)
    starts: dict[int, set[int]] = {}  # id(name) → where it would begin
    for pos, _, (users,) in d.anchors.find(text):
        for entry, offset in users:
            starts.setdefault(id(entry), set()).add(pos - offset)
    windows: dict[tuple[int, int], frozenset] = {}
    for entry in d.running:
        own = where.get(entry.name, [])
        for e0 in sorted(starts.get(id(entry), ())):
            if any(s <= e0 < e for s, e in own):
                continue
            hit = _candidate(text, entry, e0, where, taken, d, windows)
            if hit:
                s, e, how = hit
                taken[s:e] = b"\x01" * (e - s)
                found.append((s, e, entry, how))
    return found


def _candidate(text, entry: Name, e0: int, where: dict, taken, d: Data, windows: dict):
    size, k = len(entry.name), entry.edits
    lo, hi = max(0, e0 - k), min(len(text), e0 + size + k)
    if hi - lo < size - k or any(taken[lo:hi]):
        return None
    # cheap filter: most of the name's character pairs must be there
    window = windows.get((lo, hi))
    if window is None:  # names that share their first words look at the same stretches
        window = windows[(lo, hi)] = _bigrams(text[lo:hi])
    if len(entry.bigrams & window) < len(entry.bigrams) - 2 * k - 1:
        return None
    best = _best_span(text, entry, e0)
    how = "near-miss"
    if best is None:
        span = _reordered(text, entry, e0)
        if span is None:
            return None
        s, e = span
        how = "reordered"
    else:
        s, e, _ = best
    piece = text[s:e]
    if (piece in d.canonical_set or _only_numbers_differ(entry.name, piece)
            or (how == "near-miss" and substitutions(entry.name, piece) > entry.substitutions)):
        return None
    for c, spans in where.items():
        for cs, ce in spans:
            if ce <= s or cs >= e:
                continue
            if c == entry.name or (cs <= s and ce >= e):
                return None  # overlaps the name written right, or lies inside a longer official name
            if _other_words_around(entry.name, piece, c, cs - s, ce - s):
                return None
    return s, e, how


def _other_words_around(name: str, piece: str, c: str, cs: int, ce: int) -> bool:
    """The stretch is another official name with different words before or after it (深入落实 +
    中央八项规定精神学习教育), not the longer name misspelt: what differs is only the words outside."""
    if ce == len(piece) and name.endswith(c):
        head, want = piece[:cs], name[:len(name) - len(c)]
        return len(head) == len(want) and head != want
    if cs == 0 and name.startswith(c):
        tail, want = piece[ce:], name[len(c):]
        return len(tail) == len(want) and tail != want
    return False


_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_INNER_TITLE = re.compile(r"〈([^〈〉\n]{2,80})〉")
_EDITION = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def title_misses(text: str, d: Data | None = None) -> list[tuple[int, int, Name, str]]:
    """Near misses of a book's or a document's title, comparing the whole title inside 《》."""
    d = d or data()
    out = []
    seen: dict[str, tuple[Name, str] | None] = {}  # a report quotes the same titles again and again
    for regex in (_TITLE, _INNER_TITLE):
        for m in regex.finditer(text):
            title = m.group(1)
            edition = _EDITION.search(title)
            if edition and edition.start() > 0:
                title = title[:edition.start()]
            if title in d.canonical_set or len(title) < 6:
                continue
            s = m.start(1)
            if title not in seen:
                seen[title] = _title_miss(title, d)
            if seen[title]:
                out.append((s, s + len(title), *seen[title]))
    return out


def _title_miss(title: str, d: Data) -> tuple[Name, str] | None:
    """The official title that `title` misses by a character or two, and how; None if none."""
    for entry in d.titles:
        k = entry.edits
        if abs(len(title) - len(entry.name)) > k:
            continue
        if len(entry.bigrams & _bigrams(title)) < len(entry.bigrams) - 2 * k - 1:
            continue
        if sorted(title) == sorted(entry.name):
            return entry, "reordered"
        # one changed character at most: a sibling title differs by a word (保密法/监察法实施条例);
        # in a title, unlike in running text, a word added is as sure as one dropped
        if (distance(entry.name, title, k) <= k and substitutions(entry.name, title) <= 1
                and not _only_numbers_differ(entry.name, title)):
            return entry, "near-miss"
    return None


# --- meetings ---------------------------------------------------------------------------------

# Each pattern starts with a character that must be there (a pattern that starts with an optional
# 届 would be tried at every character); the 届 in front is then read backwards (_session_before).
_SESSION = r"十[一二三四五六七八九]?|二十"
_CENTRAL = re.compile(r"(?P<nums>(?:[一二三四五六七八九]中[、和及与])*[一二三四五六七八九]中)全会")
_CCDI = re.compile(r"中央纪委(?P<n>[一二三四五六七八九十])次全会")
_CCDI_REVERSED = re.compile(rf"中央纪委(?P<session>{_SESSION})届(?P<n>[一二三四五六七八九十])次全会")
_ANY_SESSION = re.compile(rf"(?:{_SESSION})届")
_SESSION_BEFORE = re.compile(rf"(?:{_SESSION})届$")
# 党的二十届三次全会: a central plenum is the N中全会; the N次全会 is the 中央纪委's
_CENTRAL_AS_CI = re.compile(r"届(?P<n>[一二三四五六七八九])次全会")


class _Plenum:
    """A plenum named in the text: the match, and the 届 written just before it (or None)."""

    def __init__(self, m: re.Match, session: re.Match | None):
        self.m, self.session = m, session.group()[:-1] if session else None
        self.start = session.start() if session else m.start()
        self.end = m.end()

    def group(self, name: str | None = None) -> str | None:
        if name is None:
            return (f"{self.session}届" if self.session else "") + self.m.group()
        return self.session if name == "session" else self.m.group(name)


_CENTRAL_HEAD = re.compile(r"(?:[一二三四五六七八九]中[、和及与])*[一二三四五六七八九]$")


def _plenums(regex: re.Pattern, text: str):
    if regex is _CENTRAL:
        # find the literal 中全会 first, then read the numbers (一中、二中、三) backwards
        pos = text.find("中全会")
        while pos != -1:
            head = _CENTRAL_HEAD.search(text, max(0, pos - 24), pos)
            if head:
                m = regex.match(text, head.start())
                if m:
                    yield _Plenum(m, _SESSION_BEFORE.search(text, max(0, m.start() - 3), m.start()))
            pos = text.find("中全会", pos + 3)
        return
    for m in regex.finditer(text):
        yield _Plenum(m, _SESSION_BEFORE.search(text, max(0, m.start() - 3), m.start()))
_DIGIT = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}


def _minus(month: tuple[int, int], n: int) -> tuple[int, int]:
    y, m = month
    m -= n
    while m < 1:
        y, m = y - 1, m + 12
    return y, m


def _plenum_findings(ctx: Context, d: Data, marks: bytearray):
    text = ctx.text
    when = ctx.report_end
    session_named = _ANY_SESSION.search(text) is not None
    if "全会" not in text:
        return
    for m in _CENTRAL_AS_CI.finditer(text):
        session = _SESSION_BEFORE.search(text, max(0, m.start() - 2), m.start() + 1)
        if session is None or text[max(0, session.start() - 2):session.start()] == "纪委":
            continue
        name = f"{session.group()}{m.group('n')}"
        party = text[max(0, session.start() - 2):session.start()] == "党的"
        fixed = f"{name}中全会" if party else None
        yield say("formulation.plenum-ci", session.start(), m.end(), fixed, wrong=text[session.start():m.end()],
                  right=fixed or f"{name}中全会”或“{session.group()}中央纪委{m.group('n')}次全会")
    for m in _CCDI_REVERSED.finditer(text):
        fixed = f"{m.group('session')}届中央纪委{m.group('n')}次全会"
        yield say("formulation.plenum-order", m.start(), m.end(), fixed, wrong=m.group(), right=fixed)
    for regex, table, kind in ((_CENTRAL, d.central, "central"), (_CCDI, d.ccdi, "ccdi")):
        for m in _plenums(regex, text):
            if text[max(0, m.start - 1):m.start] == "届":
                continue  # 中央纪委二十届三次全会: the reversed order, reported above
            numbers = ([_DIGIT[c] for c in m.group("nums") if c in _DIGIT] if kind == "central"
                       else [_DIGIT[m.group("n")]])
            session = m.group("session")
            if session is None:
                if session_named or marks[m.start]:
                    continue  # the text names the 届 elsewhere; this is a short back-reference
                yield _no_session(ctx, m, kind, numbers[-1], table, when)
                continue
            dates = table.get(session)
            if dates is None:
                continue
            for n in numbers:
                if n > len(dates):
                    if session in d.closed:
                        yield say("formulation.no-such-plenum", m.start, m.end, session=session, name=m.group(),
                                  count=len(dates), what="次中央全会" if kind == "central" else "次中央纪委全会")
                    continue
                held = dates[n - 1]
                if when is not None and when < _minus(held, 1):
                    yield say("formulation.plenum-before", m.start, m.end, name=m.group(),
                              held=f"{held[0]}年{held[1]}月")
                    break


def _no_session(ctx: Context, m: _Plenum, kind: str, n: int, table: dict, when) -> Finding:
    start = m.start
    if kind == "central" and ctx.text[max(0, start - 2):start] == "党的":
        start -= 2
    suggestion = None
    if when is not None:
        held = [(dates[n - 1], s) for s, dates in table.items() if n <= len(dates) and dates[n - 1] <= when]
        if held:
            date, session = max(held)
            if (when[0] - date[0]) * 12 + when[1] - date[1] <= 30:  # the plenum of the last two years
                suggestion = (f"党的{session}届{m.group('nums')}全会" if kind == "central"
                              else f"{session}届中央纪委{m.group('n')}次全会")
    return say("formulation.plenum-no-session", start, m.end, suggestion, name=ctx.text[start:m.end])


# --- campaigns --------------------------------------------------------------------------------

_RETROSPECTIVE = re.compile(r"曾|先后|相继|历次|回顾|当年|那时|过去")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年")


def _period_start(ctx: Context) -> tuple[int, int] | None:
    meta = ctx.doc.meta
    if meta.year is None:
        return None
    start_month = {"第一季度": 1, "第二季度": 4, "第三季度": 7, "第四季度": 10, "上半年": 1, "下半年": 7}
    return meta.year, start_month.get(meta.period or "年度", 1)


def _plus_one(month: tuple[int, int]) -> tuple[int, int]:
    y, m = month
    return (y + 1, 1) if m == 12 else (y, m + 1)


def _campaign_findings(ctx: Context, d: Data, marks: bytearray):
    text = ctx.text
    when = ctx.report_end
    if when is None:
        return
    start = _period_start(ctx)
    plan = ctx.part("plan")
    known_type = ctx.doc.meta.type != "unknown"
    for c in d.campaigns:
        if c.keys and not any(k in text for k in c.keys):
            continue
        if c.announced and when < c.announced:
            for m in c.before.finditer(text):
                yield say("formulation.campaign-before", m.start(), m.end(), severity=c.before_severity,
                          name=c.label, announced=f"{c.announced[0]}年{c.announced[1]}月")
            continue
        if not (c.ended and known_type and start):
            continue
        for m in c.names.finditer(text):
            verb = _CURRENT_VERB.search(text, max(0, m.start() - 10), m.start())
            if verb is None or marks[verb.start()] or _NOT_CURRENT_AFTER.match(text, m.end()):
                continue
            # the period the words speak of: the report's own, or the next one in its plans
            speaks_of = _plus_one(when) if plan and plan.contains(m.start()) else start
            if c.ended > speaks_of or (c.regular_from and speaks_of >= c.regular_from):
                continue
            if _retrospective(ctx, verb.start()) or recalls_before(text, verb.start(), c.ended):
                continue
            yield say("formulation.campaign-current", verb.start(), m.end(), severity=c.current_severity,
                      name=c.label, ended=f"{c.ended[0]}年{c.ended[1]}月")


def _retrospective(ctx: Context, at: int) -> bool:
    """The sentence looks back: it names an earlier year, or says 曾/先后/回顾…"""
    for s in ctx.doc.sentences():
        if s.start <= at < s.end:
            before = ctx.text[s.start:at]
            years = [int(y) for y in _YEAR.findall(before)]
            year = ctx.doc.meta.year
            return bool(_RETROSPECTIVE.search(before)) or any(y < year for y in years)
    return False


# --- the rule ---------------------------------------------------------------------------------

@rule("formulation")
def check_formulation(ctx: Context):
    d = data()
    text = ctx.text
    marks = ctx.quoted()
    taken = bytearray(len(text) + 1)
    findings = []
    for s, e, entry, how in title_misses(text, d) + near_misses(text, d):
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        wrong = text[s:e]
        right = entry.right(ctx.report_end)
        findings.append(say(f"formulation.{how}", s, e, right, case=entry.kind, severity=entry.severity,
                            wrong=wrong, right=right, diff=describe(right, wrong)))
    for f in _plenum_findings(ctx, d, marks):
        if not any(taken[f.start:f.end]):
            findings.append(f)
    findings.extend(_campaign_findings(ctx, d, marks))
    return findings
