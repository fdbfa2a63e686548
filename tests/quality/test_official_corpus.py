"""False alarms on published, edited official prose (../shared/corpus/official/): issue 20's targets.

Every error or warning on these texts is a false alarm (the notice that a text is none of the four
report types aside). The test fails when the rate rises above the targets, on the whole corpus and on
each half of the split eval_official.py uses against overfitting (the held-out third is measured,
never read). Skipped when the corpus folder is absent; `python tests/quality/eval_official.py` prints
the table.
"""
from __future__ import annotations

import pytest
from eval_official import DEFAULT_CORPUS, corpus_available, evaluate, render

pytestmark = pytest.mark.skipif(not corpus_available(), reason=f"official corpus not found at {DEFAULT_CORPUS}")

MAX_ERRORS_PER_10K = 0.3
MAX_WARNINGS_PER_10K = 1.5


@pytest.fixture(scope="module")
def runs():
    return {part: evaluate(part=part) for part in ("dev", "held")}


@pytest.mark.parametrize("part", ["dev", "held"])
def test_false_alarms_per_10k_characters_stay_under_the_targets(runs, part):
    run = runs[part]
    assert run.characters > 100_000, "the corpus looks truncated"
    assert run.rate("error") <= MAX_ERRORS_PER_10K, render(run)
    assert run.rate("warning") <= MAX_WARNINGS_PER_10K, render(run)


def test_the_whole_corpus_stays_under_the_targets(runs):
    errors = sum(r.rate("error") * r.characters for r in runs.values())
    warnings = sum(r.rate("warning") * r.characters for r in runs.values())
    characters = sum(r.characters for r in runs.values())
    assert errors / characters <= MAX_ERRORS_PER_10K
    assert warnings / characters <= MAX_WARNINGS_PER_10K
