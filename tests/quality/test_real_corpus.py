"""The checker on real reports nobody here wrote (../shared/corpus/real/), against a reviewer's verdicts.

Skipped when the corpus folder is absent (it is never copied into the repository). See
tests/quality/real_labels.toml for the verdicts and eval_real.py for the table.
"""
from __future__ import annotations

import pytest
from eval_real import DEFAULT_CORPUS, corpus_available, evaluate, load_labels, render, summary

pytestmark = pytest.mark.skipif(not corpus_available(), reason=f"real corpus not found at {DEFAULT_CORPUS}")


@pytest.fixture(scope="module")
def ev():
    return evaluate()


def _show(findings) -> str:
    return "\n".join(f"{f.file} L{f.line} {f.rule}/{f.severity}: {f.text[:50]!r} {f.message[:50]}"
                     for f in findings)


def test_every_finding_and_count_is_judged(ev):
    """A new error or warning on a real text needs a verdict in real_labels.toml before it lands."""
    assert not ev.unjudged, "findings with no verdict:\n" + _show(ev.unjudged)
    assert not ev.unjudged_counts, "counts with no verdict:\n" + "\n".join(
        f"{c.file} {c.kind}={c.value}{c.measure}: {c.sentence[:60]}" for c in ev.unjudged_counts)


def test_no_labelled_false_alarm_comes_back(ev):
    wrong = [f for f in ev.findings if f.verdict in ("FP", "D")]
    assert not wrong, "false or debatable alarms:\n" + _show(wrong)


def test_no_caught_defect_is_lost(ev):
    """Every defect the checker has caught (TP verdicts, and misses marked caught) stays caught."""
    pinned = {m["id"] for m in load_labels().get("miss", []) if m.get("caught")}
    lost = [d for d, caught in ev.defects.items()
            if not caught and (d in pinned or not any(m["id"] == d for m in load_labels().get("miss", [])))]
    assert not lost, f"defects no longer caught: {lost}"


def test_counts_right_and_found(ev):
    wrong = [c for c in ev.counts if c.verdict == "wrong"]
    assert not wrong, "wrong counts extracted: " + ", ".join(f"{c.file}:{c.kind}={c.value}" for c in wrong)
    lost = [c for c, found in ev.expected_counts if not found and not c.get("missed")]
    assert not lost, "countable items no longer found: " + ", ".join(
        f"{c['file']}:{c['kind']}={c['value']}" for c in lost)


def test_targets(ev):
    """The targets of issue 12 and 13 on the real texts (copy artefacts left out of precision)."""
    s = summary(ev)
    report = render(ev)
    assert s["error"]["precision_no_A"] >= 0.95, report
    assert s["warning"]["precision_no_A"] >= 0.80, report
    assert s["recall"]["recall"] >= 0.85, report
    assert s["counts"]["accuracy"] >= 0.95, report
    assert s["counts"]["found_share"] >= 0.90, report
