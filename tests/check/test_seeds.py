"""The five real reports, checked end to end.

`seeds_expected.json` holds every finding the checker gives on each seed (rule, severity, line,
column, the text it points at, the suggestion). A change in it must be deliberate: regenerate it
with tests/tools/regen_seed_expectations.py and read the diff. The hand-written tests below pin
the defects DOMAIN.md names, so a regenerated snapshot cannot silently lose them.
"""
from __future__ import annotations

import json

import pytest
from helpers import FIXTURES, SEEDS, read_fixture

from core.check.engine import check, line_column

EXPECTED = json.loads((FIXTURES / "seeds_expected.json").read_text(encoding="utf-8"))


def _rows(text: str):
    result = check(text)
    doc = result.document
    return [[f.rule, f.severity, *line_column(doc.text, f.start), doc.text[f.start:f.end][:40], f.suggestion]
            for f in result.findings]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_findings_match_snapshot(path):
    assert _rows(read_fixture(path)) == EXPECTED[path.name]


def _findings(index: int):
    result = check(read_fixture(SEEDS[index]))
    text = result.document.text
    return result, [(f.rule, f.severity, text[f.start:f.end], f.suggestion) for f in result.findings]


def test_seed_000_blanks_each_one_error():
    result, found = _findings(0)
    blanks = [f for f in found if f[0] == "placeholder"]
    text = result.document.text
    # every run of * in the report is one error, no more, no less
    import re
    assert len(blanks) == len(re.findall(r"\*+", text))
    assert all(f[1] == "error" for f in blanks)
    assert ("term", "warning", "二十大", "党的二十大") in found


def test_seed_001_residue_blanks_and_slips():
    _, found = _findings(1)
    assert ("residue", "error", "##paidbegin##", "") in found
    assert ("typo", "error", "示范带动作", "示范带动作用") in found
    assert ("typo", "error", "形态领域", "意识形态领域") in found
    assert ("typo", "error", "文定", "稳定") in found
    assert sum(1 for f in found if f[0] == "placeholder" and f[2] == "党的XX大") == 4
    assert any(f[0] == "placeholder" and f[2] == "XX" for f in found)  # 举办XX期机关小讲堂


def test_seed_002_abbreviations():
    _, found = _findings(2)
    assert found.count(("term", "error", "xjp", "习近平总书记")) == 3
    assert found.count(("term", "error", "xjp", "习近平")) == 2  # inside 《xjp著作选读》
    assert found.count(("term", "error", "y", "中央")) == 2  # y纪委, y八项规定
    assert ("typo", "error", "还够不", "还不够") in found
    assert ("placeholder", "error", "***思想", "习近平新时代中国特色社会主义思想") in found
    assert any(f[0] == "preamble" for f in found)


def test_seed_003_cut_sentences_and_site_notice():
    result, found = _findings(3)
    assert result.document.title == "关于落实全面从严治党主体责任情况通报"
    assert ("residue", "error", "本文系作者原创投稿，仅供学习参考，请勿照搬照抄！\n", "") in found
    assert any(f[0] == "truncated" and f[1] == "error" and f[2].endswith("带动作") for f in found)
    assert ("truncated", "warning", "用还不够强。", None) in found
    assert ("term", "warning", "两个坚决维护", "两个维护") in found
    unanswered = [f[2] for f in found if f[0] == "problem-measure"]
    assert unanswered == ["（九）报告工作制度重视不够。"]


def test_seed_004_numbering_and_missing_shulian():
    _, found = _findings(4)
    assert sum(1 for f in found if f[0] == "numbering" and f[2] == "1、") == 2
    assert any(f[0] == "section-missing" and f[1] == "error" for f in found)
    assert any(f[0] == "preamble" and f[1] == "error" for f in found)


def test_every_seed_has_errors():
    for path in SEEDS:
        assert check(read_fixture(path)).errors > 0, path.name
