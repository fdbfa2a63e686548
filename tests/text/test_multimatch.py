"""The one-pass matcher of the word lists (core/text/multimatch.py) and its use in the list rules."""
from __future__ import annotations

import re
from unittest import mock

import pytest
from helpers import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from core import resources
from core.check.rules import patterns
from core.text import multimatch, stats
from core.text.multimatch import Matcher, required_literals


def test_every_occurrence_overlapping_ones_too_with_character_offsets():
    m = Matcher([("干部", "a"), ("党员干部", "b"), ("部署", "c"), ("干部", "d")])
    found = sorted((s, e, p) for s, e, p in m.find("xy党员干部署"))
    assert found == [(2, 6, ("b",)), (4, 6, ("a", "d")), (5, 7, ("c",))]
    assert Matcher([]).find("任何文字") == []


def test_required_literals_of_the_list_shapes():
    assert required_literals("(?<![宣发公颁])布署(?![名长])") == {"布署"}
    assert required_literals("(?<=补齐|补强|补足)短版|短版(?=弱项)") == {"短版"}
    assert required_literals("(取得|获得)的(?=成绩)") == {"取得", "获得"}
    assert required_literals("不[敢能想]腐") == {"不敢腐", "不能腐", "不想腐"}
    assert required_literals("(?i)(?<![a-z])xjp(?![a-z])") >= {"xjp", "XJP", "Xjp"}
    assert required_literals(r"\uFFFD+") == {"\ufffd"}
    # nothing every match must contain: the expression runs on every text
    assert required_literals("[^，。]{2,}") is None
    assert required_literals("a*") is None


_ALPHABET = "的布署短版补齐弱项取得获得不敢能想腐成绩xX"
_PATTERNS = ["(?<![宣发公颁])布署(?![名长])", "(?<=补齐|补强|补足)短版|短版(?=弱项)", "(取得|获得)的(?=成绩)",
             "不[敢能想]腐[、，]?不[敢能想]腐", "(?i)x{2,}", "(?:布署|短版)+的", "取得?成绩"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.text(alphabet=_ALPHABET, max_size=30))
def test_a_text_without_the_required_strings_has_no_match(pattern, text):
    """Sound: whenever the expression matches, one of its required strings is in the text."""
    needed = required_literals(pattern)
    if re.search(pattern, text):
        assert needed is None or any(s in text for s in needed)


class _PlainList(patterns.EntryList):
    """The lists as they were run before: every expression over the whole text, in order, and the
    literal group's strings looked up one by one (str.find), without an automaton."""

    def __init__(self, entries):
        self.entries = list(entries)

    def matches(self, text):
        for m in self.entries:
            if isinstance(m, patterns.LiteralGroup):
                spans = []
                for literal in m.by_text:
                    at = text.find(literal)
                    while at != -1:
                        spans.append((at, at + len(literal), literal))
                        at = text.find(literal, at + 1)
                yield m, m.hits(spans)
            else:
                yield m, m.regex.finditer(text)


_LISTS = {"typo": ("typo_entries", "rules/typos.toml", "rules/typos_common.toml"),
          "term": ("term_entries", "rules/terms.toml"), "outdated": ("outdated_entries", "rules/outdated.toml"),
          "placeholder": ("placeholder_entries", "rules/placeholder.toml"),
          "residue": ("residue_entries", "rules/residue.toml")}


def test_lists_find_what_one_pass_per_entry_found():
    """The shipped lists through the automaton report exactly what running every entry did, on a
    text made of all the lists' examples and counterexamples."""
    texts = [re.sub("[⟦⟧]", "", e.get(k, "")) for _, *files in _LISTS.values() for file in files
             for rule_id in _LISTS for e in resources.load(file).get(rule_id, []) for k in ("example", "counterexample")]
    text = "\n".join(t for t in texts if t)
    for rule_id, (name, *_) in _LISTS.items():
        entries = getattr(patterns, name)()
        fast = [(f.start, f.end, f.message_id, f.suggestion) for f in patterns.scan(None, text, rule_id, entries)]
        slow = [(f.start, f.end, f.message_id, f.suggestion)
                for f in patterns.scan(None, text, rule_id, _PlainList(entries.entries))]
        assert fast == slow, rule_id
        assert len(fast) > 5 or rule_id == "outdated", rule_id  # dated entries need a report date


def test_ten_times_the_entries_are_found_in_one_pass():
    """Eighteen thousand strings: every one that occurs is found, none that does not."""
    words = [chr(0x4E00 + i) + chr(0x4E00 + 7 * i % 20000) for i in range(18000)]
    m = Matcher((w, i) for i, w in enumerate(words))
    text = "前言" + words[17999] + "中间" + words[3] + words[4] + "结尾"
    hits = {p for _, _, ps in m.find(text) for p in ps}
    assert {17999, 3, 4} <= hits
    assert all(words[p] in text for p in hits)


# --- finditer: an expression tried only where a match can start ----------------------------------

_LEADS = ["(?:专题)?", "(?<!专)", "(?<=题)", "(?:专|党)?", "[^，]{0,3}", "(?i:x)?", "(?m:^)", "", "课?"]
_PIECES = ["专题", "党课", "题党", "课", "(?:专题)?", "(?:专|党)", "[专课]", "(?<!专)", "(?<=题)", "(?!课)", "(?=党)",
           "(?:党课|专题)", "党?", "(?:课){1,3}", "[^，]{0,3}", "，", "(?i:x)", "x", "(?m:^)", "$", ".", "课+", "(党)"]


@st.composite
def _expressions(draw):
    """Mostly of the shape the list entries have: something optional or a look-behind first, so the
    re module has no quick scan of its own and `finditer` takes over."""
    pattern = draw(st.sampled_from(_LEADS)) + "".join(draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4)))
    try:
        return re.compile(pattern, draw(st.sampled_from([0, re.MULTILINE, re.IGNORECASE])))
    except re.error:
        return re.compile("(?:专题)?党课")


@settings(max_examples=1500, deadline=None)
@given(_expressions(), st.text(alphabet="专题党课，X x\n", max_size=40))
def test_finditer_finds_what_the_plain_scan_finds(regex, text):
    """The same matches as regex.finditer, in the same order, whatever the expression and text (a
    short text full of the strings would get the plain scan: here it never does)."""
    with mock.patch.dict(multimatch._TRY_COST, {"": 0, "charset": 0}):
        assert [m.span() for m in multimatch.finditer(regex, text)] == [m.span() for m in regex.finditer(text)]


def test_finditer_of_the_shipped_expressions_on_the_example_reports():
    """Every expression of the word lists and of the counted phrases (stats.toml), on every report
    of the fixtures: the same spans as the plain scan."""
    regexes = [p for kind in stats.kinds() for p in kind.phrases]
    for name, *_ in _LISTS.values():
        regexes += [m.regex for m in getattr(patterns, name)() if not isinstance(m, patterns.LiteralGroup)]
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*/*.txt"))]
    assert len(texts) > 10 and len(regexes) > 100
    tried = 0
    for regex in regexes:
        tried += multimatch._plan(regex) is not None
        for text in texts:
            assert [m.span() for m in multimatch.finditer(regex, text)] == [m.span() for m in regex.finditer(text)]
    assert tried > 50  # most start with optional words or a look-behind: tried only near their strings


def test_finditer_tries_an_expression_only_near_its_strings():
    plan = multimatch._plan(re.compile("(?:专题)?党课"))
    assert plan is not None and plan[0] == ("党课",) and plan[2] == 4
    assert multimatch._plan(re.compile("整改(?!措施)")) is None  # the re module's own scan is as quick
    assert multimatch._plan(re.compile("(?i:a)b")) is None  # (?i:…) inside: other cases would be missed
    assert multimatch._plan(re.compile("专题.*党课")) is None  # no longest match


@pytest.mark.parametrize("pattern", [r"(?m)^来源[:：]\S*", r"(?m)^\s*", r"(?m)^[^\n]{0,3}", r"(?m)^a\nb", r"(?m)^$"])
@pytest.mark.parametrize("text", ["", "\n", "来源：某网站\n正文\n来源:x", "a\nb\na\nb\n", "\n\n来源：\n", "xa\nb"])
def test_an_expression_anchored_at_line_starts_gives_what_finditer_gives(pattern, text):
    regex = re.compile(pattern)
    assert multimatch._at_line_starts(regex)
    assert [m.span() for m in multimatch.finditer(regex, text)] == [m.span() for m in regex.finditer(text)]
