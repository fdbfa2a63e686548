"""`python main.py check`: JSON shape, exit codes, encodings, unreadable files, no Qt."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from helpers import CLEAN, ROOT, SEEDS, read_fixture

from core.files.textio import ReadError, decode_text, read_report

SEED_TEXT = read_fixture(SEEDS[0])


def run(*args, cwd=ROOT):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    return proc


def test_json_shape_and_offsets():
    proc = run("check", SEEDS[0], "--json")
    assert proc.returncode == 1, proc.stderr  # the seed has errors
    obj = json.loads(proc.stdout)
    # the shape in DESIGN.md, plus the figures that are not period activities (plan, requirements, references)
    assert set(obj) == {"file", "report", "sections", "checklist", "findings", "stats", "stats_excluded"}
    assert obj["report"] == {"title": "市委宣传部2023年第三季度全面从严治党主体责任落实情况报告",
                             "type": "zhuti", "unit": "市委宣传部", "year": 2023, "period": "第三季度"}
    assert set(obj["sections"][0]) == {"level", "number", "title", "start", "end"}
    assert {"id", "title", "status", "count"} == set(obj["checklist"][0])
    text = SEED_TEXT.replace("\r\n", "\n")
    for f in obj["findings"]:
        assert set(f) == {"rule", "severity", "message", "start", "end", "line", "column", "excerpt",
                          "suggestion"}
        assert 0 <= f["start"] <= f["end"] <= len(text)
        line_text = text.split("\n")[f["line"] - 1]
        assert line_text[f["column"] - 1:].startswith(text[f["start"]:f["end"]].split("\n")[0])
    assert len(obj["stats"]) == 9
    for item in obj["stats"]:
        assert set(item) == {"item", "value", "measure", "qualifier", "placeholder", "start", "end", "sentence", "role"}
        assert item["sentence"] in text and text[item["start"]:item["end"]] in item["sentence"]
    assert {"item": "讲党课", "value": None, "measure": "次", "qualifier": None, "placeholder": True} == {
        k: v for k, v in obj["stats"][2].items() if k in ("item", "value", "measure", "qualifier", "placeholder")}


def test_clean_report_exits_zero():
    proc = run("check", CLEAN[0])
    assert proc.returncode == 0, proc.stdout
    assert "错误 0 处" in proc.stdout


def test_text_output_is_chinese_checklist():
    proc = run("check", SEEDS[4])
    assert proc.returncode == 1
    assert "[不通过] 导语" in proc.stdout
    assert "建议：改为“1.”" in proc.stdout


def test_type_override(tmp_path):
    proc = run("check", SEEDS[0], "--json", "--type", "shuze")
    assert json.loads(proc.stdout)["report"]["type"] == "shuze"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_encodings_give_the_same_result(tmp_path, encoding):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(SEED_TEXT.replace("\n", "\r\n").encode(encoding))
    proc = run("check", path, "--json")
    assert proc.returncode == 1, proc.stderr
    reference = json.loads(run("check", SEEDS[0], "--json").stdout)
    obj = json.loads(proc.stdout)
    assert obj["findings"] == reference["findings"]


def test_docx_is_read(tmp_path):
    import docx

    document = docx.Document()
    for line in SEED_TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "党组会"
    table.rows[0].cells[1].text = "3次"
    path = tmp_path / "报告 2023.docx"
    document.save(path)
    text = read_report(path)
    assert text.startswith("市委宣传部2023年第三季度")
    assert "党组会\t3次" in text
    obj = json.loads(run("check", path, "--json").stdout)
    assert obj["report"]["period"] == "第三季度"


def _bad_files(tmp_path):
    files = {}
    files["missing"] = tmp_path / "不存在.txt"
    (tmp_path / "empty.txt").write_bytes(b"")
    files["empty"] = tmp_path / "empty.txt"
    (tmp_path / "blank.txt").write_text("  \n\n\t\n", encoding="utf-8")
    files["blank"] = tmp_path / "blank.txt"
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    files["binary"] = tmp_path / "binary.txt"
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    files["corrupt-docx"] = tmp_path / "corrupt.docx"
    (tmp_path / "encrypted.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    files["encrypted-docx"] = tmp_path / "encrypted.docx"
    with zipfile.ZipFile(tmp_path / "nobody.docx", "w") as zf:
        zf.writestr("hello.txt", "x")
    files["zip-not-docx"] = tmp_path / "nobody.docx"
    files["folder"] = tmp_path
    return files


def test_bad_files_give_one_chinese_line_and_exit_2(tmp_path):
    files = _bad_files(tmp_path)
    for name, path in files.items():
        proc = run("check", path, CLEAN[0])
        assert proc.returncode == 2, name
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert lines[0].startswith("无法读取“") and str(path) in lines[0], lines[0]
        assert "检查清单" in proc.stdout, name  # the good file on the same line was still checked


def test_bad_file_in_json_mode_reports_an_error_object(tmp_path):
    proc = run("check", tmp_path / "nope.txt", CLEAN[0], "--json")
    first, second = [json.loads(line) for line in proc.stdout.splitlines()]
    assert first == {"file": str(tmp_path / "nope.txt"), "error": "文件不存在。"}
    assert second["report"]["type"] == "diyi"
    assert proc.returncode == 2


def test_files_are_never_modified(tmp_path):
    path = tmp_path / "r.txt"
    data = SEED_TEXT.encode("gbk")
    path.write_bytes(data)
    run("check", path)
    assert path.read_bytes() == data


def test_decode_rejects_garbage():
    with pytest.raises(ReadError):
        decode_text(b"\x00\x01\x02\x03" * 100, "x")
    with pytest.raises(ReadError):
        decode_text(b"\xff\xfe\xfd\xfc\x80\x81" * 100, "x")  # a UTF-16 BOM, then noise
    with pytest.raises(ReadError):
        decode_text(b"\x80\x81\xfe\x90\xa0\x00\x07" * 100, "x")
    sample = "全面从严治党报告\n2023年召开党组会12次。\n"
    assert decode_text(sample.encode("utf-16-be"), "x") == sample
    assert decode_text(sample.encode("utf-16-le"), "x") == sample


def test_command_line_never_imports_qt():
    code = (f"import sys, runpy; sys.argv=['main.py','check',{str(SEEDS[0])!r}]; "
            "import main; rc = main.main(sys.argv[1:]); "
            "bad=[m for m in sys.modules if m.startswith(('PySide6','shiboken6','PyQt'))]; "
            "print('QT:', bad)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert "QT: []" in proc.stdout, proc.stdout[-500:] + proc.stderr


def test_gbk_is_not_mistaken_for_broken_utf8():
    from core.files.textio import decode_text

    text = read_fixture(SEEDS[0])
    assert decode_text(text.encode("gbk")) == text
    assert decode_text(text.rstrip().encode("utf-8")[:-1]).endswith("\ufffd")  # cut mid-character: still read
