"""Comparison with last period's report: reuse, promises followed up, counts that went down."""
from __future__ import annotations

import json

from helpers import CLEAN, SEEDS, read_fixture

from core.check.compare import PreviousReport, compare, normalize_sentence
from core.check.engine import check
from core.text.document import parse
from main import main

ANNUAL = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt"))
Q3 = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_q3.txt"))


# The comparison's examples in rules/compare.toml are run with every other rule example by
# tests/check/test_rule_examples.py.


def test_normalising_sets_aside_punctuation_dates_and_numbers():
    assert normalize_sentence("2023年，召开党组会24次。") == normalize_sentence("2024年召开党组会 26 次；")
    assert normalize_sentence("全年开展谈心谈话一百二十人次") == normalize_sentence("全年开展谈心谈话98人次")
    assert normalize_sentence("召开党组会24次") != normalize_sentence("召开支委会24次")


def test_a_report_copied_with_the_year_changed_is_all_reused():
    copied = ANNUAL.replace("2024", "2025").replace("26次", "28次")
    comparison = check(copied, previous=PreviousReport(ANNUAL)).comparison
    assert comparison.sentences > 50
    assert comparison.share == 1.0 and comparison.identical == len(comparison.reused)


def test_a_rewritten_sentence_is_not_reuse_but_a_small_edit_is():
    doc = parse(ANNUAL)
    sentence = max(doc.sentences(), key=lambda s: len(s.text))
    previous = PreviousReport(ANNUAL)
    edited = ANNUAL.replace(sentence.text, sentence.text.replace("坚持", "始终坚持", 1)
                            if "坚持" in sentence.text else sentence.text[:-1] + "，取得实效。")
    rewritten = ANNUAL.replace(sentence.text, "今年的做法与往年完全不同，由各支部轮流牵头，每月一个主题，季度末集中交流。")
    near = compare(previous, parse(edited))
    span = next(r for r in near.reused if edited[r.start:r.end].startswith(sentence.text[:8]))
    assert 0.8 <= span.similarity < 1.0 and not span.identical
    far = compare(previous, parse(rewritten))
    assert len(far.reused) == len(near.reused) - 1


def test_reused_spans_point_at_the_sentences_in_both_texts():
    title, rest = ANNUAL.split("\n", 1)
    new = title + "\n前言不同的一句话，专门用来错开位置。\n" + rest
    comparison = compare(PreviousReport(ANNUAL), parse(new))
    for r in comparison.reused:
        assert normalize_sentence(new[r.start:r.end]) == normalize_sentence(ANNUAL[r.old_start:r.old_end])


def test_copied_is_a_warning_only_past_half(tmp_path):
    doc = parse(ANNUAL)
    sentences = [s for s in doc.sentences() if len(normalize_sentence(s.text)) >= 8]
    text = ANNUAL
    # rewrite all but 40% of the sentences: 40% reused is no `copied` finding
    keep = int(len(sentences) * 0.4)
    for n, s in enumerate(sentences[keep:]):
        text = text.replace(s.text, f"第{n}句是新写的内容，与去年的措辞没有共同之处，讲的是本期新情况。", 1)
    result = check(text, previous=PreviousReport(ANNUAL))
    assert 0.3 < result.comparison.share <= 0.5
    assert not [f for f in result.findings if f.rule == "copied"]
    copied = check(ANNUAL, previous=PreviousReport(ANNUAL))
    [finding] = [f for f in copied.findings if f.rule == "copied"]
    assert finding.severity == "warning" and "100%" in finding.message
    assert (finding.start, finding.end) == (copied.document.title_start, copied.document.title_end)


def test_checklist_shows_comparison_groups_only_when_comparing():
    plain = {i.id for i in check(ANNUAL).checklist}
    compared = {i.id for i in check(ANNUAL, previous=PreviousReport(ANNUAL)).checklist}
    assert "copied" not in plain and "followup" not in plain
    assert {"copied", "followup"} <= compared


def test_each_unmentioned_promise_is_a_finding_naming_it():
    old = read_fixture(SEEDS[3])  # 通报 with five numbered next-step measures
    previous = PreviousReport(old)
    assert len(previous.promises) == 5
    result = check(ANNUAL, previous=previous)
    missing = result.comparison.unmentioned
    assert missing, "the clean report does not cover every promise of the 2019 通报"
    followups = [f for f in result.findings if f.rule == "followup"]
    assert len(followups) == len(missing)
    for promise, finding in zip(missing, followups):
        assert promise.title.rstrip("。")[:10] in finding.message
    work = result.parts["work"]
    for promise in result.comparison.promises:
        if promise.mentioned:
            assert work.contains(promise.evidence[0]) and promise.evidence[1] > promise.evidence[0]


def test_a_promise_reported_on_is_mentioned_with_evidence_in_the_work_part():
    result = check(ANNUAL, previous=PreviousReport(ANNUAL))
    work = result.parts["work"]
    for promise in result.comparison.promises:
        assert promise.mentioned, promise.title
        assert work.contains(promise.evidence[0])


def test_counts_that_went_down_are_listed():
    new = ANNUAL.replace("党组会26次", "党组会20次")
    assert new != ANNUAL
    comparison = check(new, previous=PreviousReport(ANNUAL)).comparison
    [down] = comparison.decreases
    assert (down.item, down.old, down.new) == ("党组会（党委会）", 26, 20)
    assert new[down.new_start:down.new_end].startswith("党组会")
    assert all(c.old == c.new for c in comparison.counts if c is not down)


def test_counts_of_periods_of_different_length_are_not_judged():
    comparison = check(Q3, previous=PreviousReport(ANNUAL)).comparison
    assert comparison.counts and not comparison.decreases
    assert any("时段" in n for n in comparison.notes)


def test_a_previous_report_newer_than_this_one_is_pointed_out():
    newer = ANNUAL.replace("2024", "2026")
    comparison = check(ANNUAL, previous=PreviousReport(newer)).comparison
    assert any("选反" in n for n in comparison.notes)


def test_previous_report_without_a_plan_says_so():
    comparison = check(ANNUAL, previous=PreviousReport("随便写的一段话，没有标题也没有结构。")).comparison
    assert comparison.promises == [] and any("下一步打算" in n for n in comparison.notes)


def test_empty_new_report_does_not_fail():
    comparison = check("", previous=PreviousReport(ANNUAL)).comparison
    assert comparison.sentences == 0 and comparison.share == 0.0


# --- command line ------------------------------------------------------------------------------

def test_cli_compare_json(tmp_path, capsys):
    old = tmp_path / "2024.txt"
    new = tmp_path / "2025.txt"
    old.write_text(ANNUAL, encoding="utf-8")
    new.write_text(ANNUAL.replace("2024", "2025").replace("党组会26次", "党组会20次"), encoding="gbk")
    assert main(["compare", str(old), str(new), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["old"] == str(old) and out["new"] == str(new)
    assert out["reuse"]["share"] == 1.0 and out["reuse"]["reused"] == out["reuse"]["sentences"]
    assert [f["rule"] for f in out["findings"]] == ["copied"]
    assert [c["item"] for c in out["counts"] if c["went_down"]] == ["党组会（党委会）"]
    assert all(p["mentioned"] for p in out["promises"])


def test_cli_compare_text(tmp_path, capsys):
    old = tmp_path / "上年.txt"
    old.write_text(read_fixture(SEEDS[3]), encoding="utf-8")
    new = tmp_path / "本年.txt"
    new.write_text(ANNUAL, encoding="utf-8")
    assert main(["compare", str(old), str(new)]) == 1  # promises not followed up
    out = capsys.readouterr().out
    assert "雷同：本期" in out and "[未写到]" in out and "上期报告承诺" in out


def test_cli_compare_unreadable_file(tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text(ANNUAL, encoding="utf-8")
    assert main(["compare", str(tmp_path / "没有这个文件.txt"), str(new)]) == 2
    assert "没有这个文件.txt" in capsys.readouterr().err
