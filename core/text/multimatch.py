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
    found = _factors(list(tree))
    if found and tree.state.flags & re.IGNORECASE:
        found = _case_variants(found)  # the automaton matches exact characters
    return frozenset(found) if found else None


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
