"""What reading a file says when it is not a plain report (issue 25, point 13): an OpenDocument
file, a document whose only text is in its headers and footers, a named pipe, a document with
tracked changes (read as accepted, with a note saying so)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from helpers import ROOT

from core.files.textio import ReadError, read_report, read_report_traced, read_report_with_notes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _odf(mimetype: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored first, uncompressed, as ODF requires
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                                  'xmlns:office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


@pytest.mark.parametrize("name", ["报告.odt", "改了扩展名.docx"])
def test_an_opendocument_text_says_what_it_is_and_how_to_open_it(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_odf("application/vnd.oasis.opendocument.text"))
    with pytest.raises(ReadError) as info:
        read_report(path)
    reason = info.value.reason
    assert "OpenDocument" in reason and ".docx" in reason and "word/document.xml" not in reason
    assert name in str(info.value)


def test_an_opendocument_spreadsheet_is_not_called_a_text(tmp_path):
    path = tmp_path / "台账.ods"
    path.write_bytes(_odf("application/vnd.oasis.opendocument.spreadsheet"))
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert "OpenDocument" in info.value.reason and "表格" in info.value.reason


def test_text_only_in_headers_and_footers_is_named(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "市审计局2024年度全面从严治党主体责任落实情况报告"
    document.sections[0].footer.paragraphs[0].text = "第1页"
    path = tmp_path / "只有页眉.docx"
    document.save(path)
    with pytest.raises(ReadError) as info:
        read_report(path)
    reason = info.value.reason
    assert "页眉" in reason and "正文" in reason and "市审计局2024年度" in reason


def test_an_empty_document_still_says_it_has_no_text(tmp_path):
    path = tmp_path / "空白.docx"
    docx.Document().save(path)
    with pytest.raises(ReadError) as info:
        read_report(path)
    assert "没有文字" in info.value.reason and "页眉" not in info.value.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "管道.txt"
    os.mkfifo(fifo)
    # opening a pipe for reading blocks until someone writes: the reader must not even try
    done: list = []
    reader = threading.Thread(target=lambda: done.append(_reason(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=60)
    if reader.is_alive():  # unblock the stuck reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a named pipe blocked")
    assert done and "不是普通文件" in done[0] and "空" not in done[0]


def _reason(path) -> str:
    try:
        read_report(path)
    except ReadError as exc:
        return exc.reason
    return ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_on_the_command_line(tmp_path):
    fifo = tmp_path / "管道.txt"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(fifo)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 2 and "管道.txt" in proc.stderr and "不是普通文件" in proc.stderr


def _tracked_docx(path):
    document = docx.Document()
    body = document.element.body

    def add(xml: str) -> None:
        body.insert(len(body) - 1, parse_xml(f'<w:p xmlns:w="{W}">{xml}</w:p>'))  # before sectPr

    add('<w:r><w:t>本年度召开党组会</w:t></w:r>'
        '<w:del w:id="1" w:author="甲" w:date="2025-01-05T00:00:00Z"><w:r><w:delText>10</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="甲" w:date="2025-01-05T00:00:00Z"><w:r><w:t>12</w:t></w:r></w:ins>'
        '<w:r><w:t>次。</w:t></w:r>')
    # a paragraph moved: the source (its mark moved too) is gone once accepted, the destination stays
    add('<w:pPr><w:rPr><w:moveFrom w:id="3" w:author="甲" w:date="2025-01-05T00:00:00Z"/></w:rPr></w:pPr>'
        '<w:moveFrom w:id="4" w:author="甲" w:date="2025-01-05T00:00:00Z"><w:r><w:t>移动的一句。</w:t></w:r>'
        '</w:moveFrom>')
    add('<w:r><w:t>中间一段。</w:t></w:r>')
    add('<w:moveTo w:id="5" w:author="甲" w:date="2025-01-05T00:00:00Z"><w:r><w:t>移动的一句。</w:t></w:r></w:moveTo>')
    # a deleted paragraph mark joins two paragraphs
    add('<w:pPr><w:rPr><w:del w:id="6" w:author="甲" w:date="2025-01-05T00:00:00Z"/></w:rPr></w:pPr>'
        '<w:r><w:t>前半句，</w:t></w:r>')
    add('<w:r><w:t>后半句。</w:t></w:r>')
    # a paragraph deleted outright
    add('<w:pPr><w:rPr><w:del w:id="7" w:author="甲" w:date="2025-01-05T00:00:00Z"/></w:rPr></w:pPr>'
        '<w:del w:id="8" w:author="甲" w:date="2025-01-05T00:00:00Z"><w:r><w:delText>整段删掉。</w:delText></w:r></w:del>')
    add('<w:r><w:t>最后一段。</w:t></w:r>')
    document.save(path)
    return path


def test_tracked_changes_are_read_as_accepted_with_a_note(tmp_path):
    path = _tracked_docx(tmp_path / "修订.docx")
    text, notes = read_report_with_notes(path)
    assert text == "本年度召开党组会12次。\n中间一段。\n移动的一句。\n前半句，后半句。\n最后一段。"
    assert any("修订" in n and "接受" in n for n in notes), notes
    traced, _notes, trace = read_report_traced(path)
    assert traced == text
    for offset, piece, _kind, _el, _first in trace.pieces:
        assert text[offset:offset + len(piece)] == piece


def test_tracked_changes_note_on_the_command_line(tmp_path):
    path = _tracked_docx(tmp_path / "修订.docx")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(path)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert "修订.docx" in proc.stderr and "接受" in proc.stderr


def test_a_document_without_revisions_has_no_note(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于落实主体责任情况的报告")
    path = tmp_path / "无修订.docx"
    document.save(path)
    assert read_report_with_notes(path)[1] == []
