"""The families of false alarms and misses a held-out audit found (notes/h-audit.md), each pinned in
the mechanism with texts written here in the manner of the audited ones (never copied from them)."""
from __future__ import annotations

from core.check.engine import check


def _found(text, rule, report_type=None):
    result = check(text, report_type=report_type, rules=[rule])
    return [(result.document.text[f.start:f.end], f.severity, f.message_id) for f in result.findings]


# --- page furniture is residue, not a cut sentence ------------------------------------------------

def test_page_furniture_lines_are_residue_deleted_with_their_line():
    text = ("2024年度镇党委主要负责人履行全面从严治党第一责任人职责情况的报告\n"
            "更新时间：2024-12 来源：会员上传\n"
            "本年度，我认真履行第一责任人职责。\n"
            "声明：本站转载此文是出于传递更多信息之目的，若有侵权请与本站联系删除，谢谢。邮箱\n")
    found = _found(text, "residue")
    assert [f[0].rstrip("\n")[:6] for f in found] == ["更新时间：2", "声明：本站转"]
    assert all(f[1] == "error" for f in found)
    fixes = [f.suggestion for f in check(text, rules=["residue"]).findings]
    assert fixes == ["", ""]
    assert not [f for f in _found(text, "truncated") if "来源" in f[0] or "邮箱" in f[0]]
