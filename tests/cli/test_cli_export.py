"""`main.py export` and the window's export action: blanks and residue are never exported silently."""
from __future__ import annotations

import zipfile

from helpers import CLEAN, SEEDS
from PySide6.QtWidgets import QFileDialog, QMessageBox
from test_cli import run


def test_clean_report_exports(tmp_path):
    out = tmp_path / "报告 2024.docx"
    proc = run("export", CLEAN[2], "--docx", out)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        assert "word/document.xml" in zf.namelist()


def test_blanks_need_force(tmp_path):
    out = tmp_path / "seed.docx"
    proc = run("export", SEEDS[0], "--docx", out)
    assert proc.returncode == 1 and "--force" in proc.stderr and "空白待填" in proc.stderr
    assert not out.exists()
    proc = run("export", SEEDS[0], "--docx", out, "--force")
    assert proc.returncode == 0, proc.stderr
    assert out.exists()


def test_export_failure_is_one_chinese_line(tmp_path):
    proc = run("export", CLEAN[2], "--docx", tmp_path / "没有这个文件夹" / "x.docx")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "x.docx" in proc.stderr


def _paragraphs(path) -> list[str]:
    import re

    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml)]


def test_export_signs_with_the_unit_the_report_states(tmp_path):
    report = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")  # 市审计局2024年度…, no 落款
    out = tmp_path / "报告.docx"
    proc = run("export", report, "--docx", out)
    assert proc.returncode == 0, proc.stderr
    assert [p for p in _paragraphs(out) if p.strip()][-1] == "市审计局"
    proc = run("export", report, "--docx", out, "--unit", "中共市审计局党组")
    assert [p for p in _paragraphs(out) if p.strip()][-1] == "中共市审计局党组"


def test_export_date_on_the_command_line(tmp_path):
    """Issue 22.12: the 成文日期 could not be given on the command line."""
    report = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")
    out = tmp_path / "报告.docx"
    for given in ("2025-01-05", "2025年1月5日", "2025/1/5"):
        proc = run("export", report, "--docx", out, "--unit", "中共市审计局党组", "--date", given)
        assert proc.returncode == 0, proc.stderr
        assert [p for p in _paragraphs(out) if p.strip()][-2:] == ["中共市审计局党组", "2025年1月5日"]
        assert "注意" not in proc.stderr
    proc = run("export", report, "--docx", tmp_path / "x.docx", "--date", "2025-02-30")
    assert proc.returncode == 2 and "成文日期“2025-02-30”无法识别" in proc.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_report_without_a_unit_warns_it_will_have_no_signature(tmp_path):
    """Issue 22.12: seed 004 names no unit; the export had no 落款 and said nothing."""
    seed = next(p for p in SEEDS if p.name.startswith("004_"))
    out = tmp_path / "报告.docx"
    proc = run("export", seed, "--docx", out, "--force")
    assert proc.returncode == 0, proc.stderr
    assert "没有落款" in proc.stderr and "--unit" in proc.stderr
    proc = run("export", seed, "--docx", out, "--force", "--unit", "中共某某局党组")
    assert "没有成文日期" in proc.stderr and "--date" in proc.stderr
    proc = run("export", seed, "--docx", out, "--force", "--unit", "中共某某局党组", "--date", "2024-01-05")
    assert "注意" not in proc.stderr


def test_window_export(qtbot, tmp_path, monkeypatch):
    from helpers import read_fixture

    from core.files.drafts import AutosaveStore
    from core.files.settings import Settings
    from ui.main_window import MainWindow
    from ui.worker import BackgroundRunner

    runner = BackgroundRunner()
    runner.synchronous = True
    w = MainWindow(settings=Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "a"))
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    out = tmp_path / "导出.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.No)
    monkeypatch.setattr("ui.main_window.SignatureDialog.exec", lambda self: 1)  # 落款 as prefilled
    w.set_text(read_fixture(SEEDS[0]), None)
    w.export_docx()
    assert asked and "空白待填" in asked[0] and not out.exists()
    w.set_text(read_fixture(CLEAN[2]), None)
    w.export_docx()
    assert out.exists()


def test_window_export_with_an_empty_signature_unit_asks(qtbot, tmp_path, monkeypatch):
    """Issue 23.3: 在文末加落款 ticked, 落款单位 emptied: only a date was exported, no warning."""
    from helpers import read_fixture

    from core.files.drafts import AutosaveStore
    from core.files.settings import Settings
    from ui.dialogs import SignatureDialog
    from ui.main_window import MainWindow
    from ui.worker import BackgroundRunner

    runner = BackgroundRunner()
    runner.synchronous = True
    w = MainWindow(settings=Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "a"))
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    out = tmp_path / "导出.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or answer[0])

    def empty_unit(self):
        self.unit.clear()
        return 1

    monkeypatch.setattr(SignatureDialog, "exec", empty_unit)
    w.set_text(read_fixture(CLEAN[2]), None)
    w.export_docx()
    assert asked and "落款单位是空的" in asked[0] and not out.exists()
    answer[0] = QMessageBox.StandardButton.Yes
    w.export_docx()
    assert out.exists() and [p for p in _paragraphs(out) if p.strip()][-1].endswith("日")


def test_skipped_docx_content_is_reported_on_the_command_line(tmp_path):
    from test_docx_export import docx_with_picture

    document, _ = docx_with_picture(tmp_path, "市审计局2024年度全面从严治党主体责任落实情况报告", "正文第一段。")
    path = tmp_path / "带图片.docx"
    document.save(path)
    proc = run("check", path)
    assert "注意：" in proc.stderr and "1 张图片" in proc.stderr and "带图片.docx" in proc.stderr
    assert "检查清单" in proc.stdout
