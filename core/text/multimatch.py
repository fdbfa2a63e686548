"""Many fixed strings found in one pass over a text (Aho–Corasick: the Rust aho-corasick crate
through ahocorasick-rs).

The word lists hold thousands of literal entries and a few hundred regular expressions. A regex pass
per entry costs time in proportion to the list; one automaton pass costs time in proportion to the
text. Regular expressions are not matched here, but most of them contain a literal every match must
include (布署 in `(?<![宣发公颁])布署(?![名长])`): `required_literals` finds it, the automaton looks
for it with the plain strings, and only the expressions whose literal occurs are run at all.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_left
from functools import lru_cache
from re import _compiler as sre_compiler
from re import _constants as sre_c
from re import _parser as sre_parse

import ahocorasick_rs


class Matcher:
    """Strings with payloads; `find(text)` gives every occurrence of every string (overlaps too)."""

    def __init__(self, items):
        """`items`: (string, payload) pairs; a string given twice keeps all its payloads, in order."""
        payloads: dict[str, list] = {}
        for key, payload in items:
            if key:
                payloads.setdefault(key, []).append(payload)
        self._payloads = [tuple(v) for v in payloads.values()]
        self.size = len(payloads)
        # Standard semantics: every occurrence, overlapping ones too; the rules choose among them
        self._automaton = ahocorasick_rs.AhoCorasick(list(payloads)) if payloads else None

    def find(self, text: str) -> list[tuple[int, int, tuple]]:
        """(start, end, payloads) of every occurrence, in order of their end (offsets in characters)."""
        if self._automaton is None:
            return []
        payloads = self._payloads
        return [(start, end, payloads[i])
                for i, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)]


_ZERO_WIDTH = (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT)
_MAX_CLASS = 12  # a character class of up to this many plain characters counts as a set of literals


def required_literals(pattern: str | re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when no such set is found.

    Sound, not complete: None only costs speed (the expression is then always run)."""
    if isinstance(pattern, re.Pattern):
        flags, source = pattern.flags, pattern.pattern
    else:
        flags, source = 0, pattern
    try:
        tree = sre_parse.parse(source, flags)
    except (re.error, TypeError, ValueError):
        return None
    return _literals_of(tree)


def _literals_of(tree) -> frozenset[str] | None:
    found = _factors(list(tree))
    if found and tree.state.flags & re.IGNORECASE:
        found = _case_variants(found)  # the automaton matches exact characters
    return frozenset(found) if found else None


_MAX_WIDTH = 1000  # a longer (or unbounded) match is looked for the plain way
# a match tried at one place costs about as much as the plain scan of this many characters
_TRY_COST = {"": 6, "charset": 24}


@lru_cache(maxsize=8192)
def _plan(regex: re.Pattern) -> tuple[tuple[str, ...], tuple[int, ...], int | None, int] | None:
    """For `finditer`: strings one of which every match contains, their lengths, the longest a
    match can be (None: unbounded, so the strings only tell whether to look at all) and what trying
    a place costs (_TRY_COST); None when no such strings are known or when the re module's own scan
    is as quick."""
    if not isinstance(regex.pattern, str):
        return None
    try:
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, TypeError, ValueError):
        return None
    if _case_changed(tree.data):
        return None  # (?i:…) inside: the strings found would miss the other case
    scan = _first_scan(tree, regex.flags)
    if scan == "prefix":
        return None  # the re module finds where it can start as quickly by itself
    literals = _literals_of(tree)
    if not literals or not all(literals):
        return None
    literals = tuple(sorted(literals))
    width = tree.getwidth()[1]
    return literals, tuple(map(len, literals)), width if width <= _MAX_WIDTH else None, _TRY_COST[scan]


def _first_scan(tree, flags: int) -> str:
    """How the re module finds where the expression may start: "prefix" (a string it looks for, as
    in 整改(?!措施)), "charset" (each character tested against the possible first ones, as in
    (?:专项|监督)检查) or "" (a match tried at every character, as for (?:专题)?党课)."""
    try:
        if sre_compiler._get_literal_prefix(tree, flags)[0]:
            return "prefix"
        return "charset" if sre_compiler._get_charset_prefix(tree, flags) else ""
    except Exception:  # noqa: BLE001 - private helpers of the re module; without them try each place
        return ""


def _case_changed(seq) -> bool:
    for op, av in seq:
        if op is sre_c.SUBPATTERN:
            if av[1] & re.IGNORECASE or _case_changed(av[3]):
                return True
        elif op is sre_c.BRANCH:
            if any(_case_changed(b) for b in av[1]):
                return True
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            if _case_changed(av[2]):
                return True
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if _case_changed(av[1]):
                return True
        elif op is sre_c.ATOMIC_GROUP:
            if _case_changed(av):
                return True
        elif op is sre_c.GROUPREF_EXISTS:
            if _case_changed(av[1]) or (av[2] is not None and _case_changed(av[2])):
                return True
    return False


def finditer(regex: re.Pattern, text: str):
    """The matches `regex.finditer(text)` gives, the same ones in the same order, found by trying the
    expression only where a match can be.

    An expression that starts with optional words or a look-behind ((?:专题)?党课, (?<!党的)二十大)
    gets no quick scan from the re module: it tries a match at every character of the text. But
    every match contains one of its required strings and is at most `width` long, so it starts
    between (an occurrence) + (its length) − width and the occurrence: only those places are tried.
    No match can be empty (each contains a string), so finditer's rule for empty matches never
    applies. Where the strings are so common that trying each place costs more, or a match has no
    bound on its length, the plain scan runs — and where none of the strings occurs, nothing does.
    Where the strings occur comes from one pass over the text for the strings of every expression
    (`_where`), not from a search of the text per string."""
    if _at_line_starts(regex):
        yield from _line_matches(regex, text)
        return
    plan = _plan(regex)
    if plan is not None:
        literals, lengths, width, cost = plan
        where = _where(text, literals)  # the sorted starts of each string
        occurrences = sum(map(len, where))
        if not occurrences:
            return  # every match contains one of the strings: none here, no match
        if width is None or occurrences * (width + 4) * cost > len(text):
            plan = None
    if plan is None:
        yield from regex.finditer(text)
        return
    match = regex.match
    nexts = [0] * len(where)  # for each string, the index in `where` of its next occurrence
    pos = 0
    while True:
        first, lo = -1, len(text)
        for k, starts in enumerate(where):
            i = nexts[k]
            if i < len(starts) and starts[i] < pos:  # an occurrence before pos cannot lie inside a match starting at pos or later
                i = nexts[k] = bisect_left(starts, pos, i)
            if i < len(starts):
                at = starts[i]
                if first < 0 or at < first:
                    first = at
                lo = min(lo, at + lengths[k] - width)
        if first < 0:
            return
        # a match starting at or before the first occurrence starts no earlier than `lo`
        m = None
        for at in range(max(lo, pos), first + 1):
            m = match(text, at)
            if m is not None:
                break
        if m is None:
            pos = first + 1
        else:
            yield m
            pos = m.end()


# Where the required strings occur, for the last few texts: one Aho-Corasick pass finds every string
# of every expression `finditer` has planned, instead of a `str.count` and `str.find` walk of the
# whole text per string (about a hundred expressions run over each report). A string first met after
# a text was indexed is looked for with str.find in that text, and joins the automaton built for the
# next text.
_INDEXED_TEXTS = 4
_MAX_KNOWN = 100_000  # beyond this many strings (never with the shipped lists) new ones are not learnt
_index_lock = threading.Lock()
_known: dict[str, None] = {}  # every string planned so far, in order
_automaton: tuple[object, list[str]] | None = None  # (automaton, its strings) over `_known` when made
_indexes: dict[str, dict[str, list[int]]] = {}  # text → string → its starts (a few recent texts)


def _where(text: str, literals: tuple[str, ...]) -> list[list[int]]:
    """The sorted starts of each of `literals` in `text`, overlapping occurrences included."""
    index = _indexes.get(text)
    if index is None:
        index = _index_text(text)
    out = []
    for literal in literals:
        starts = index.get(literal)
        if starts is None:
            starts = index[literal] = _find_all(text, literal)
            if len(_known) < _MAX_KNOWN:
                with _index_lock:
                    _known[literal] = None
        out.append(starts)
    return out


def _index_text(text: str) -> dict[str, list[int]]:
    global _automaton
    with _index_lock:
        if _automaton is None or len(_automaton[1]) != len(_known):
            strings = list(_known)
            _automaton = (ahocorasick_rs.AhoCorasick(strings) if strings else None, strings)
        automaton, strings = _automaton
    index: dict[str, list[int]] = {s: [] for s in strings}
    if automaton is not None:
        for i, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            index[strings[i]].append(start)  # in order of their end: for one string, of their start
    with _index_lock:
        while len(_indexes) >= _INDEXED_TEXTS:
            del _indexes[next(iter(_indexes))]
        _indexes[text] = index
    return index


def forget_texts() -> None:
    """Drop the texts indexed so far (a benchmark's first check of a text must index it again)."""
    with _index_lock:
        _indexes.clear()


def _find_all(text: str, literal: str) -> list[int]:
    out, at = [], text.find(literal)
    while at >= 0:
        out.append(at)
        at = text.find(literal, at + 1)
    return out


@lru_cache(maxsize=8192)
def _at_line_starts(regex: re.Pattern) -> bool:
    """Whether every match starts a line: (?m)^… (the re module tries such an expression at every
    character; only the line starts can match)."""
    if not isinstance(regex.pattern, str) or not regex.flags & re.MULTILINE:
        return False
    try:
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, TypeError, ValueError):
        return False
    return len(tree) > 0 and tree[0] == (sre_c.AT, sre_c.AT_BEGINNING)


def _line_matches(regex: re.Pattern, text: str):
    """regex.finditer(text) for an expression that only matches at line starts: tried there alone."""
    match, find, end = regex.match, text.find, len(text)
    pos = 0
    while True:
        m = match(text, pos)
        after = pos + 1
        if m is not None:
            yield m
            after = max(after, m.end())
        if after > end:
            return
        if text[after - 1] != "\n":  # the next line start at or after `after`
            newline = find("\n", after)
            if newline < 0:
                return
            after = newline + 1
        pos = after


def _case_variants(strings: set[str]) -> set[str] | None:
    out: set[str] = set()
    for s in strings:
        variants = {""}
        for ch in s:
            forms = {ch, ch.lower(), ch.upper()}
            variants = {v + f for v in variants for f in forms if len(f) == 1}
            if len(out) + len(variants) > _MAX_STRINGS * 2:
                return None
        out |= variants
    return out


_MAX_STRINGS = 16  # a run through small classes is kept as a set of at most this many strings


def _factors(seq) -> set[str] | None:
    candidates: list[set[str]] = []
    run: set[str] = set()  # the literal strings the characters matched so far spell (several after a class)
    for op, av in seq:
        chars = None
        if op is sre_c.LITERAL:
            chars = (chr(av),)
        elif op is sre_c.IN and len(av) <= _MAX_CLASS and all(o is sre_c.LITERAL for o, _ in av):
            chars = tuple(chr(a) for _, a in av)
        if chars is not None:
            grown = {r + c for r in (run or {""}) for c in chars}
            if len(grown) <= _MAX_STRINGS:
                run = grown
                continue
            if run:
                candidates.append(run)
            run = set(chars)
            continue
        if op in _ZERO_WIDTH:
            continue  # a look-around consumes nothing: the characters on both sides stay adjacent
        if run:
            candidates.append(run)
            run = set()
        found = None
        if op is sre_c.SUBPATTERN:
            found = _factors(list(av[3]))
        elif op is sre_c.BRANCH:
            branches = [_factors(list(b)) for b in av[1]]
            if all(branches):
                found = set().union(*branches)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and av[0] >= 1:
            found = _factors(list(av[2]))
        if found:
            candidates.append(found)
    if run:
        candidates.append(run)
    if not candidates:
        return None
    # the most selective: longest shortest string, then fewest strings
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))
