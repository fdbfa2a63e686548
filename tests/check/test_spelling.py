"""The spelling rule's statistics (core/text/ngrams.py) and detector (core/check/rules/spelling.py)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import resources
from core.check.engine import check
from core.check.rules import spelling
from core.text import ngrams

pytestmark = pytest.mark.skipif(ngrams.model() is None, reason="resources/lm/ngrams.bin not built")


def test_the_model_loads_and_knows_official_prose():
    m = ngrams.model()
    assert m.order == 4
    assert m.count("党风廉政") > m.count("党风连政") == 0
    assert m.prob("党风", "廉") > 100 * m.prob("党风", "连")
    assert "廉" in m.followers("党风")


def test_counts_survive_their_16_bit_encoding():
    for n in (0, 1, 4095, 4096, 10_000, 1_000_000, 10**9):
        assert math.isclose(ngrams.decode_count(ngrams.encode_count(n)), n, rel_tol=0.003)


_TEXT = "坚持全面从严治党，加强党风廉政建设，推动主体责任落实。0123456789ABCabc\x02\x03"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_TEXT, min_size=1, max_size=12))
def test_walking_a_text_gives_the_same_probabilities_as_looking_each_up(text):
    m = ngrams.model()
    prev = m.start()
    for k, ch in enumerate(text):
        cur = m.step(prev, ch)
        assert math.isclose(m.logp(prev, cur), m.logprob(text[max(0, k - m.order + 1):k], ch), rel_tol=1e-9)
        prev = cur


def test_numerals_and_names_of_numbers_are_not_corrected():
    """一九八二年 is a year: no other numeral is 'more probable' in its place."""
    assert not spelling.line_findings("一九八二年同一九七八年相比，全国工农业总产值增长百分之三十。", 0)


def test_a_correct_report_line_is_left_alone():
    line = "局党组认真履行全面从严治党主体责任，全年召开党组会12次，专题研究党风廉政建设工作4次。"
    assert spelling.suspects(line) == () or all(s.score < spelling.WARN_SCORE for s in spelling.suspects(line))


def test_offsets_point_at_the_character_in_a_longer_text():
    text = "某局2024年度全面从严治党主体责任落实情况报告\n现将有关情况报告如下：\n全年专题研究党风连政建设工作4次。\n"
    found = [f for f in check(text, rules=["spelling"]).findings if f.rule == "spelling"]
    assert len(found) == 1
    f = found[0]
    assert text[f.start:f.end] == "连" and f.suggestion == "廉"
    assert "“风廉政”远比“风连政”常见" in f.message


def test_silent_without_its_statistics(monkeypatch):
    """A checkout without resources/lm/ still checks everything else."""
    monkeypatch.setattr(ngrams, "model", lambda: None)
    spelling.suspects.cache_clear()
    try:
        assert not [f for f in check("专题研究党风连政建设工作。", rules=["spelling"]).findings]
    finally:
        spelling.suspects.cache_clear()


def test_an_error_only_where_the_text_makes_no_word():
    """扭住 is a word: 抓住 may be far more common, but the writer may mean it, so at most a warning."""
    found = check("各级党组织紧紧扭住新时代全面从严治党的任务。", rules=["spelling"]).findings
    assert all(f.severity != "error" for f in found)
    found = check("全年专题研究党风连政建设工作4次。", rules=["spelling"]).findings
    assert [f.severity for f in found] == ["error"]


def test_a_word_of_the_same_reading_is_corrected_as_a_whole():
    """注题 for 主体 (zhuti): neither character alone can be put right, since its neighbour is wrong too."""
    text = "党委切实履行注题责任，定期研究全面从严治党工作。"
    found = check(text, rules=["spelling"]).findings
    assert [(text[f.start:f.end], f.suggestion) for f in found] == [("注题", "主体")]


def test_a_word_written_twice_and_never_as_the_correction_is_the_writers_own():
    """A name or a local term comes back; an input slip is put right elsewhere in the same text."""
    twice = "党委切实履行注题责任。各支部同样履行注题责任。"
    assert not check(twice, rules=["spelling"]).findings
    elsewhere = "党委切实履行注题责任。各支部同样履行主体责任。"
    found = check(elsewhere, rules=["spelling"]).findings
    assert [(elsewhere[f.start:f.end], f.suggestion) for f in found] == [("注题", "主体")]


def test_the_same_reading_table_is_built_for_every_run():
    """The words tried for a pair of readings come in a fixed order (ties are broken by it)."""
    index = spelling._index()
    table = spelling._words_by_reading(index)
    assert ("zhu", "ti") in table and "主体" in table[("zhu", "ti")]
    assert all(list(words) == sorted(words) for words in table.values())


def test_like_shape_sets_drawn_from_the_glyphs_are_loaded():
    """shapes.txt (tests/tools/build_shapes.py) adds what ECSpell's shape sets lack: a dot (木/术),
    a stroke on top (革/草), an inner part (而/面)."""
    assert resources.table_rows("lm/shapes.txt")
    table = ngrams.confusion()
    for written, meant in ("木术", "术木", "而面", "革草", "未末", "己已"):
        assert meant in table[written][1], (written, meant)
    assert "党" not in table["木"][1]  # nothing unlike


def test_a_slip_of_shape_only_the_drawn_sets_know_is_put_right():
    text = "深入推进科技创新，加快关键核心技木攻关。"
    found = check(text, rules=["spelling"]).findings
    assert [(text[f.start:f.end], f.suggestion) for f in found] == [("木", "术")]


def test_the_shape_sets_are_drawn_the_same_way_every_time():
    """The build's measure: 末 is the character most like 未, 已 like 己, 太 and 犬 like 大 (needs
    Pillow and the Noto CJK fonts, as the build does)."""
    pytest.importorskip("PIL")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import build_shapes

    if not all(Path(f.partition(":")[0]).is_file() for f in build_shapes.FONTS):
        pytest.skip("Noto CJK fonts not installed")
    chars = list("未末来己已巳大太犬人党")
    maps = [build_shapes.bitmaps(chars, f) for f in build_shapes.FONTS]
    near = build_shapes.nearest(maps, maps, 2, 0.5)
    assert near["未"][0][1] == "末" and near["己"][0][1] == "已"
    assert {c for _, c in near["大"]} == {"太", "犬"}
    assert "党" not in {c for _, c in near["大"]}
    assert build_shapes.nearest(maps, maps, 2, 0.5) == near


def test_a_two_character_correction_too_weak_to_report_hides_nothing(monkeypatch):
    """A word correction below its own threshold must not take the place of a one-character one
    that would be reported: it is not a suspect at all."""
    line = "党委切实履行注题责任，定期研究全面从严治党工作。"
    spelling.suspects.cache_clear()
    assert any(len(s.char) == 2 for s in spelling.suspects(line))
    monkeypatch.setattr(spelling, "word_gain", lambda *a, **k: -100.0)  # its score falls below the bar
    spelling.suspects.cache_clear()
    try:
        assert not any(len(s.char) == 2 for s in spelling.suspects(line))
    finally:
        spelling.suspects.cache_clear()


def test_rare_pairs_read_from_the_encoding_are_those_of_the_characters():
    """`_rare_pairs` reads pairs as integers from the text's UTF-16: the same places as testing every
    pair of characters, for odd and even lengths, the shortest texts and a lone surrogate."""
    common = frozenset(spelling._pair(a, b) for a, b in ("主体", "体责", "责任", "\x02主", "任\x03"))
    for s in ("", "主", "主体", "\x02主体责任\x03", "\x02主体责任。\x03", "\x02主体\ud800责任\x03", "体主任责体"):
        expected = [k for k in range(len(s) - 1) if spelling._pair(s[k], s[k + 1]) not in common]
        assert spelling._rare_pairs(s, common) == expected, s
    assert spelling._pair_text(spelling._pair("主", "体")) == "主体"


def test_a_character_official_prose_never_uses_is_corrected_to_one_it_does():
    """The confusion sets hold corrections for characters the counts never saw (禾 for 和, 瘀 for 淤):
    such a character is itself a sign of a slip. A variant form the typo rule reports (拚) is left to it."""
    for text, written, meant in (("中央政治局禾它的常务委员会。", "禾", "和"), ("各支部认真开展清瘀疏浚工作。", "瘀", "淤")):
        assert "禾" not in ngrams.model()._unigram and "瘀" not in ngrams.model()._unigram
        found = check(text, rules=["spelling"]).findings
        assert [(text[f.start:f.end], f.suggestion) for f in found] == [(written, meant)], text
    text = "全体干部顽强拚搏。"
    assert [f.rule for f in check(text, rules=["spelling", "typo"]).findings] == ["typo"]


def test_a_leftover_character_at_a_sentence_end_needs_an_echo_earlier_in_the_sentence():
    """发展量。: 量 makes no word with 发展, stands in 质量 earlier, and the sentence is far more probable
    without it. A last character that ends a word (质量。), one that stands in no word before it (稳定锚。)
    or one of a parallel phrase (经常讲、反复讲。) stays."""
    assert spelling.stray_ends("坚持以高质量党建引领高质量发展量。") == ((15, "量"),)
    for text in ("全面提升工作质量。", "成为区域发展的稳定锚。", "当前任务重、挑战多。", "经常讲、反复讲。"):
        assert spelling.stray_ends(text) == (), text


def test_a_character_typed_twice_is_not_a_reduplication_a_name_or_a_quotation():
    assert spelling.doubled_chars("持续推进监督督检查。") == ((5, "督"),)  # the first copy
    for text in ("层层压实责任，处处体现担当。", "坚决整治团团伙伙问题。", "王婷婷同志工作认真。", "脚踏实地地干。"):
        assert spelling.doubled_chars(text) == (), text
    quoted = "反对“墙上挂挂”的做法。"
    assert not check(quoted, rules=["spelling"]).findings
