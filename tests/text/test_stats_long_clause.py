"""Counting stays linear in a clause's length (issue 25, point 14): a text pasted without
punctuation is one clause of any length, and counting used to search it from its start for every
phrase and every figure (60,000 characters took most of a minute). Measured here by the characters
the searches are given, not by time; the speed itself is a row of tests/benchmarks/bench_check.py."""
from __future__ import annotations

import random

import pytest

from core.text import stats
from core.text.document import parse
from core.text.stats import extract, kinds

UNIT = "召开党组会3次开展谈心谈话5人次组织专题培训2场发展党员1名"


class Counted:
    """A compiled pattern whose searches add up the characters they are given to look through."""

    def __init__(self, pattern, tally: list[int]):
        self.pattern, self.tally = pattern, tally

    def search(self, string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        self.tally[0] += max(0, end - pos)
        return self.pattern.search(string, pos, end)

    def match(self, *args):
        return self.pattern.match(*args)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


@pytest.fixture
def searched(monkeypatch):
    """Characters given to the number-before-phrase and the figure-role searches, in total."""
    tally = [0]
    number_patterns = stats._number_patterns
    measure_rules = stats._measure_rules

    def counted_numbers(*args, **kwargs):
        after, before = number_patterns(*args, **kwargs)
        return after, Counted(before, tally)

    def counted_roles():
        nouns, other, roles = measure_rules()
        return nouns, other, tuple((name, Counted(p, tally)) for name, p in roles)

    monkeypatch.setattr(stats, "_number_patterns", counted_numbers)
    monkeypatch.setattr(stats, "_measure_rules", counted_roles)
    return tally


def test_a_60000_character_clause_is_searched_in_proportion_to_its_length(searched):
    text = (UNIT * (60000 // len(UNIT) + 1))[:60000]
    items, bare = extract(parse(text))
    # every unit's four counts, each found, as in the same text with a comma after each count
    punctuated = parse((UNIT.replace("次", "次，").replace("场", "场，").replace("名", "名，")) * (60000 // len(UNIT) + 1))
    expected = [(i.kind, i.value, i.measure) for i in extract(punctuated)[0]][:len(items)]
    assert len(items) >= 7900 and not bare
    assert [(i.kind, i.value, i.measure) for i in items] == expected
    # quadratic work would be about 60,000² / 2 = 1.8e9 characters; linear work is a small multiple
    assert searched[0] < 2000 * len(text), searched[0]


def test_searched_characters_grow_linearly_with_the_clause(searched):
    work = []
    for size in (6000, 24000):
        searched[0] = 0
        extract(parse((UNIT * (size // len(UNIT) + 1))[:size]))
        work.append(searched[0])
    assert work[1] < 5 * work[0], work  # four times the text, about four times the work


def test_the_number_before_a_phrase_is_found_as_a_search_from_the_clause_start_finds_it():
    """`_number_reach` only skips places where no number-with-measure-word ending at the phrase
    can start: on random text made of the characters that matter, both searches agree."""
    rng = random.Random(25)
    pieces = ["1", "23", "０", "一", "二十", "两", "百", "*", "××", "x", "XX", "ｘ", "近", "约", "逾", "超过", "达",
              "余", "多", " ", "\u3000", "次", "人次", "名", "个", "场", "家", "期", "项", "的", "党组会", "单位",
              "开展", "第", "、", "“"]
    shapes = list({(k.measures, k.before_gap): k for k in kinds()}.values())  # what the bound depends on
    checked = 0
    for _ in range(150):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(5, 60)))
        for kind in shapes:
            _after, before = stats._number_patterns(kind.measures, kind.before_gap)
            for start in range(len(s) + 1):
                reach = stats._number_reach(s, start, kind)
                full = before.search(s, 0, start)
                bounded = before.search(s, reach, start)
                assert (full and (full.span(), full.groupdict())) == (bounded and (bounded.span(), bounded.groupdict())), \
                    (s, start, kind.id)
                checked += full is not None
    assert checked > 1000  # the random texts do hold many such numbers


def test_a_role_word_in_a_long_clause_still_marks_its_figure():
    """The plan/requirement words are looked for ROLE_LOOKBACK characters back in the clause."""
    padding = "深入学习贯彻" * 40  # 240 characters without a clause break
    items, _ = extract(parse(f"下一步计划{padding}召开党组会12次"))
    assert [(i.value, i.role) for i in items] == [(12, "plan")]
