"""Rules driven by word lists: placeholder, residue, term, outdated, typo.

Each list is a TOML file under resources/rules/; an entry is either a literal
(`wrong`/`right`) or a regex (`pattern`/`replace`, the latter a `Match.expand` template).
Within one rule the first entry that claims a span wins; later overlapping matches are dropped.
A list is matched in one automaton pass (EntryList, core/text/multimatch.py), not one pass per entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import resources
from core.check.findings import Finding
from core.check.rules import Context, numbered, rule
from core.check.rules.messages import message, say
from core.check.rules.repeated import repeated_words
from core.text import multimatch, segment
from core.text.periods import recalls_before
from core.text.stats import parse_number


@dataclass(frozen=True)
class PatternEntry:
    id: str
    regex: re.Pattern
    replace: str | None  # template; None means no single correct replacement
    message: str
    severity: str
    message_id: str  # the entry's id when it has its own message, else the list's "<rule>.list"
    line: bool = False  # residue that fills a whole line: deleting it takes the newline too
    scope: str = "all"  # "plan": only inside the next-step part
    since: tuple[int, int] | None = None  # fires when the report period ends at/after (y, m)
    until: tuple[int, int] | None = None  # fires when it ends before (y, m)
    in_titles: bool = False  # also report inside 《…》 (the entry is about a misquoted title)
    literal: str | None = None  # the `wrong` string of a plain literal entry
    requires: tuple[str, ...] = ()  # run the pattern only when one of these is in the text (speed)
    origin: object = None  # resources.Origin of a user's entry (named if the check process stops on it)

    def suggestion(self, match: re.Match) -> str | None:
        if self.replace is None:
            return None
        return match.expand(self.replace)


class _Hit:
    """What scan needs of a match: its span and text, and the template expansion of a literal."""
    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str):
        self._start, self._end, self._text = start, end, text

    def span(self):
        return self._start, self._end

    def group(self, *_):
        return self._text

    def expand(self, template: str) -> str:
        return template.replace("\\\\", "\\")


class LiteralGroup:
    """Many plain `wrong → right` entries found together: one automaton pass over the text finds
    them all (see EntryList). At a position the longest string wins."""

    def __init__(self, by_text: dict):
        self.by_text = by_text

    def hits(self, spans) -> list[_Hit]:
        """The longest occurrence starting at each position, in text order (`spans`: (start, end, text))."""
        longest: dict[int, tuple[int, str]] = {}
        for start, end, literal in spans:
            if end > longest.get(start, (0, ""))[0]:
                longest[start] = (end, literal)
        return [_Hit(start, end, literal) for start, (end, literal) in sorted(longest.items())]


def grouped(entries: list[PatternEntry], min_run: int = 20) -> list:
    """The plain literal entries become one LiteralGroup, placed where the first of them stood, when
    there are at least `min_run` of them; the others keep their order. (A context pattern listed
    after a literal therefore still yields to it, as before; one listed before it now yields too,
    which only matters where the two overlap.)"""
    plain = [e for e in entries
             if e.literal is not None and not (e.line or e.since or e.until or e.in_titles or e.scope != "all")]
    if len(plain) < min_run:
        return list(entries)
    by_text: dict = {}
    for e in plain:
        by_text.setdefault(e.literal, e)  # the first entry for a string wins, as before
    group = LiteralGroup(by_text)
    out: list = []
    placed = False
    plain_ids = {id(e) for e in plain}
    for e in entries:
        if id(e) in plain_ids:
            if not placed:
                out.append(group)
                placed = True
        else:
            out.append(e)
    return out


class EntryList:
    """A rule's entries in order, with one automaton over every string they need (multimatch).

    A literal group's strings are its matches. An expression's required strings (or a literal
    entry's own string) only say that it may match: it runs when one of them occurs in the text.
    An expression with no required string runs on every text. So a text costs one automaton
    pass plus the few expressions whose strings it contains, however long the lists grow."""

    def __init__(self, entries: list):
        self.entries = list(entries)
        items, always = [], []
        for i, matcher in enumerate(self.entries):
            if isinstance(matcher, LiteralGroup):
                items += [(literal, i) for literal in matcher.by_text]
                continue
            # an entry's own `requires` (run only when one of these is in the text) says it best
            needed = ({matcher.literal} if matcher.literal is not None
                      else set(matcher.requires) if matcher.requires
                      else multimatch.required_literals(matcher.regex))
            if needed is None:
                always.append(i)
            else:
                items += [(literal, i) for literal in needed]
        self.matcher = multimatch.Matcher(items)
        self.always = frozenset(always)

    def __len__(self):
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def __add__(self, other):
        return EntryList(self.entries + list(getattr(other, "entries", other)))

    def matches(self, text: str):
        """(matcher, its matches in text order) for every entry that matches `text`, in list order."""
        spans: dict[int, list] = {}
        for start, end, payloads in self.matcher.find(text):
            for i in payloads:
                spans.setdefault(i, []).append((start, end, text[start:end]))
        for i in sorted(self.always.union(spans)):
            matcher = self.entries[i]
            if isinstance(matcher, LiteralGroup):
                yield matcher, matcher.hits(spans[i])
            else:
                yield matcher, multimatch.finditer(matcher.regex, text)  # as regex.finditer, quicker


def _month(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    year, _, month = value.partition("-")
    return int(year), int(month or 1)


def entries_from(file: str, key: str, rule_id: str) -> list[PatternEntry]:
    """The entries of a word list; what an entry does not say comes from messages.toml [<rule>.list]."""
    default = message(f"{rule_id}.list")
    out = []
    for n, e in enumerate(resources.load(file).get(key, [])):
        where = f"{file} 第{n + 1}条"
        if "wrong" in e:
            regex = resources.compile_pattern(re.escape(e["wrong"]), where)
            replace = e.get("right", "").replace("\\", "\\\\") if "right" in e else None
        else:
            regex = resources.compile_pattern(e["pattern"], where)
            replace = e.get("replace")
        if e.get("line"):
            regex = re.compile(regex.pattern, regex.flags | re.MULTILINE)
        entry_id = e.get("id") or e.get("wrong") or f"{key}-{n + 1}"
        out.append(PatternEntry(
            id=entry_id, regex=regex, replace=replace,
            message=e.get("message", default.text),
            severity=e.get("severity", default.level(None)),
            message_id=f"{rule_id}.{entry_id}" if "message" in e else default.id,
            line=bool(e.get("line")), scope=e.get("scope", "all"),
            since=_month(e.get("from")), until=_month(e.get("until")),
            in_titles=bool(e.get("in_titles")), literal=e.get("wrong"), requires=tuple(e.get("requires", ())),
            origin=resources.origin(e)))
    return out


@resources.data_cache
def placeholder_entries() -> EntryList:
    return EntryList(entries_from("rules/placeholder.toml", "placeholder", "placeholder"))


@resources.data_cache
def residue_entries() -> EntryList:
    entries = entries_from("rules/residue.toml", "residue", "residue")
    return EntryList([PatternEntry(e.id, e.regex, "", e.message, e.severity, e.message_id, e.line,
                                   requires=e.requires, literal=e.literal, origin=e.origin) for e in entries])


@resources.data_cache
def term_entries() -> EntryList:
    return EntryList(entries_from("rules/terms.toml", "term", "term"))


@resources.data_cache
def outdated_entries() -> EntryList:
    return EntryList(entries_from("rules/outdated.toml", "outdated", "outdated"))


TYPO_FILES = ("rules/typos.toml", "rules/typos_common.toml")  # the second: the long list of common pairs


@resources.data_cache
def typo_entries() -> EntryList:
    entries = []
    for file in TYPO_FILES:
        entries += entries_from(file, "typo", "typo")
    return EntryList(grouped(entries))


def scan_document(ctx: Context, rule_id: str, entries: EntryList | list,
                  protected: bytearray | None = None) -> list[Finding]:
    """`scan` over the whole text, read as the document model reads it: where hard-wrapped lines run
    on (Document.soft_breaks), their newlines are left out, so a word broken over two lines
    (意识⏎形态领域) is one word; the findings' spans point into the text as it is."""
    text = ctx.text
    soft = ctx.doc.soft_breaks
    if not soft:
        return scan(ctx, text, rule_id, entries, protected=protected)
    joined, positions = ctx.doc.unwrapped()
    kept = bytearray(protected[i] for i in positions) if protected is not None else None
    return scan(ctx, joined, rule_id, entries, protected=kept, positions=positions)


def scan(ctx: Context | None, text: str, rule_id: str, entries: EntryList | list,
         offset: int = 0, protected: bytearray | None = None, positions: list[int] | None = None) -> list[Finding]:
    """Every match of every entry, first entry winning where two overlap.

    `protected` marks characters (quoted document titles) where only errors are reported.
    `positions`: where each character of `text` is in the document (a view without some characters).
    """
    def at(i: int) -> int:
        return offset + i if positions is None else positions[i]

    taken = bytearray(len(text) + 1)
    findings = []
    plan = ctx.part("plan") if ctx else None
    if not isinstance(entries, EntryList):
        entries = EntryList(entries)
    for matcher, found in entries.matches(text):
        if isinstance(matcher, PatternEntry) and not _applies(matcher, ctx):
            continue
        if isinstance(matcher, PatternEntry) and matcher.requires and not any(w in text for w in matcher.requires):
            continue
        watched = isinstance(matcher, PatternEntry) and matcher.origin is not None
        if watched:
            resources.using(matcher.origin)  # a user's slow expression is named if the check is stopped
        for m in found:
            entry = matcher.by_text[m.group()] if isinstance(matcher, LiteralGroup) else matcher
            start, end = m.span()
            if start == end or any(taken[start:end]):
                continue
            if entry.scope == "plan" and not (plan and plan.contains(at(start))):
                continue
            if (protected is not None and entry.severity != "error" and not entry.in_titles
                    and any(protected[start:end])):
                continue
            suggestion = entry.suggestion(m)
            if entry.line and end < len(text) and text[end] == "\n":
                end += 1  # deleting a whole junk line should not leave a blank line
            taken[start:end] = b"\x01" * (end - start)
            message = entry.message.format(match=m.group(), suggestion=suggestion or "")
            findings.append(Finding(rule_id, entry.severity, message, at(start), at(end - 1) + 1,
                                    suggestion, entry.message_id))
        if watched:
            resources.using(None)
    return findings


def _applies(entry: PatternEntry, ctx: Context | None) -> bool:
    if entry.since is None and entry.until is None:
        return True
    when = ctx.report_end if ctx else None
    if when is None:
        return False  # a dated formulation cannot be judged without the report's date
    if entry.since and when < entry.since:
        return False
    if entry.until and when >= entry.until:
        return False
    return True


@rule("placeholder")
def check_placeholder(ctx: Context):
    return scan_document(ctx, "placeholder", placeholder_entries())


@rule("residue")
def check_residue(ctx: Context):
    return scan_document(ctx, "residue", residue_entries())


_BOOK_TITLE = re.compile(r"《[^《》\n]{1,80}》")


def book_titles(text: str) -> bytearray:
    """Characters inside 《…》: a document's real title is quoted as issued, older wording and all."""
    marks = bytearray(len(text) + 1)
    for m in _BOOK_TITLE.finditer(text):
        marks[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return marks


def _not_own_words(ctx: Context) -> bytearray:
    """Document titles in 《》 and words quoted from an authoritative text (Document.quoted): there
    a wording is as issued, so only errors are reported."""
    marks = book_titles(ctx.text)
    quoted = ctx.doc.quoted_mask()
    if not any(quoted):
        return marks
    both = int.from_bytes(marks, "little") | int.from_bytes(quoted, "little")  # one OR, not a loop
    return bytearray(both.to_bytes(len(marks), "little"))


@rule("term")
def check_term(ctx: Context):
    protected = _not_own_words(ctx)
    found = scan_document(ctx, "term", term_entries(), protected=protected)
    return found + list(numbered.findings(ctx, found, protected))


_PARTY_ANNIVERSARY = re.compile(
    r"(?:建党|党的|中国共产党成立|中国共产党)([0-9０-９]{2,3}|[一二三四五六七八九十百零〇]{2,6})(?:周年|年华诞)")
_YEAR_IN_TEXT = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年")


@rule("outdated")
def check_outdated(ctx: Context):
    # a replaced regulation cited by its title is the defect itself: only quoted words are spared
    found = scan_document(ctx, "outdated", outdated_entries(), protected=ctx.doc.quoted_mask())
    since = {f"outdated.{e.id}": e.since for e in outdated_entries() if e.since}
    found = [f for f in found if f.message_id not in since or not recalls_before(ctx.text, f.start, since[f.message_id])]
    return found + list(_anniversaries(ctx))


def _anniversaries(ctx: Context):
    """建党N周年 falls in 1921 + N: in the report's year, or the next one in its plans."""
    year = ctx.doc.meta.year
    if year is None or ("周年" not in ctx.text and "年华诞" not in ctx.text):
        return
    for sentence in ctx.doc.sentences():
        for m in _PARTY_ANNIVERSARY.finditer(sentence.text):
            n, _ = parse_number(m.group(1))
            if n is None:
                continue
            named = {int(y) for y in _YEAR_IN_TEXT.findall(sentence.text)}
            allowed = named or {year, year + 1}  # "2021年是建党100周年" names its own year
            if n + 1921 not in allowed:
                at = sentence.start + m.start()
                yield say("outdated.anniversary", at, sentence.start + m.end(), n=n, year=n + 1921,
                          allowed="/".join(str(y) for y in sorted(allowed)))


# --- typo: the confusion list, doubled characters, unmatched brackets and quotes -------------

@resources.data_cache
def traditional_chars() -> tuple[dict[str, str], re.Pattern | None]:
    """Traditional characters with no place in a simplified report → their simplified form
    (resources/rules/traditional.txt, derived from OpenCC by tests/tools/build_traditional.py)."""
    table = {row[0]: row[1] for row in resources.iter_table_rows("rules/traditional.txt") if len(row) == 2}
    return table, re.compile("[" + "".join(table) + "]") if table else None


_TRADITIONAL_GROUP = 4  # this many in one paragraph: a pasted traditional text, one finding for all


def traditional(text: str) -> list[Finding]:
    """Traditional characters (習近平, 維護) in a simplified text: copied from a traditional web page or
    document. One finding a character, or one for a paragraph that has many."""
    table, pattern = traditional_chars()
    if pattern is None:
        return []
    findings = []
    start = 0
    for line in text.split("\n"):
        found = list(pattern.finditer(line))
        if len(found) >= _TRADITIONAL_GROUP:
            first, last = found[0].start(), found[-1].end()
            fixed = pattern.sub(lambda m: table[m.group()], line[first:last])
            chars = "".join(dict.fromkeys(m.group() for m in found))
            findings.append(say("typo.traditional-text", start + first, start + last, fixed,
                                count=len(found), chars=chars[:10] + ("…" if len(chars) > 10 else "")))
        else:
            findings.extend(say("typo.traditional", start + m.start(), start + m.end(), table[m.group()],
                                char=m.group(), simplified=table[m.group()]) for m in found)
        start += len(line) + 1
    return findings


@resources.data_cache
def doubled_data() -> tuple[re.Pattern | None, tuple[str, ...]]:
    data = resources.load("rules/typos.toml").get("doubled", {})
    chars = data.get("chars", "")
    if not chars:
        return None, ()
    return re.compile(f"([{re.escape(chars)}])\\1"), tuple(data.get("exceptions", []))


@resources.data_cache
def _doubled_word_end_min() -> int:
    return resources.load("rules/typos.toml").get("doubled", {}).get("word_end_min", 3)


def _ends_a_word(text: str, at: int) -> bool:
    """The character at `at` is the last one of a word of three or four characters (实事求是): the
    same character after it starts a new word, it is not typed twice."""
    if not segment.available():
        return False
    shortest = _doubled_word_end_min()
    return any(segment.is_word(text[at + 1 - n:at + 1]) for n in range(shortest, 5) if at + 1 - n >= 0)


@resources.data_cache
def variant_forms() -> tuple[int | None, tuple[str, ...]]:
    data = resources.load("rules/typos.toml").get("variants", {})
    return data.get("written_before"), tuple(data.get("forms", []))


def forms_then_right(ctx: Context) -> tuple[str, ...]:
    """The old spellings (帐目, 成份, 拚搏) that were right when this text was written (before they were
    standardised); none for a text written since, or of unknown year."""
    before, forms = variant_forms()
    return forms if before and ctx.written is not None and ctx.written < before else ()


_PAIRS = {"（": "）", "《": "》", "【": "】", "“": "”", "‘": "’", "〔": "〕"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_BRACKET = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")


def unmatched_brackets(text: str, offset: int, report_unclosed: bool = True) -> list[Finding]:
    """Openers never closed and closers never opened, within one paragraph."""
    stack: list[tuple[str, int]] = []
    findings = []
    for m in _BRACKET.finditer(text):  # only the brackets: a walk over every character costs a millisecond
        i, ch = m.start(), m.group()
        if ch in _PAIRS:
            # “ cannot nest inside “: a second opener means the first one was never closed
            if ch in "“‘" and stack and stack[-1][0] == ch:
                findings.append(_bracket_finding(ch, offset + stack.pop()[1], opener=True))
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            elif any(s[0] == _CLOSERS[ch] for s in stack):
                while stack and stack[-1][0] != _CLOSERS[ch]:
                    opener, pos = stack.pop()
                    findings.append(_bracket_finding(opener, offset + pos, opener=True))
                stack.pop()
            else:
                findings.append(_bracket_finding(ch, offset + i, opener=False))
    if report_unclosed:
        for opener, pos in stack:
            findings.append(_bracket_finding(opener, offset + pos, opener=True))
    return findings


def _bracket_finding(ch: str, at: int, opener: bool) -> Finding:
    if opener:
        return say("typo.unclosed", at, at + 1, char=ch, pair=_PAIRS[ch])
    return say("typo.unopened", at, at + 1, char=ch, pair=_CLOSERS[ch])


@rule("typo")
def check_typo(ctx: Context):
    text = ctx.text
    findings = scan_document(ctx, "typo", typo_entries()) + traditional(text)
    forms = forms_then_right(ctx)
    if forms:
        findings = [f for f in findings if not any(form in text[f.start:f.end] for form in forms)]
    pattern, exceptions = doubled_data()
    if pattern:
        for m in pattern.finditer(text):
            window = text[max(0, m.start() - 4): m.end() + 4]
            if any(exc in window and _covers(text, m, exc) for exc in exceptions):
                continue
            if _ends_a_word(text, m.start()):
                continue  # 实事求是是……: the second 是 starts the predicate
            findings.append(say("typo.doubled", m.start(), m.end(), m.group(1), match=m.group(), char=m.group(1)))
    findings.extend(repeated_words(text))
    doc = ctx.doc
    for p in doc.body_paragraphs:
        # a paragraph cut off mid-sentence leaves its quotes open: that is the cut, reported once
        cut_off = p.text[-1] not in "。！？；：…”’」』）)!?;:"
        findings.extend(unmatched_brackets(p.text, p.start, report_unclosed=not cut_off))
    for h in doc.headings:
        line = text[h.start:h.line_end]
        cut_off = h.title_end >= h.line_end and line[-1:] not in "。！？；：…”’」』）)!?;:"
        findings.extend(unmatched_brackets(text[h.marker_end:h.title_end], h.marker_end,
                                           report_unclosed=not cut_off))
    if doc.title:
        findings.extend(unmatched_brackets(doc.title, doc.title_start))
    return findings


def _covers(text: str, m: re.Match, exception: str) -> bool:
    """True when an occurrence of `exception` includes the doubled characters at m."""
    lo = max(0, m.start() - len(exception))
    pos = text.find(exception, lo)
    while pos != -1 and pos <= m.start():
        if pos + len(exception) >= m.end():
            return True
        pos = text.find(exception, pos + 1)
    return False
