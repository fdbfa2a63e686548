"""批量审查: pick a folder, review every report in it, with a progress bar and a cancel button.

The work is core.review.batch.run_batch (worker processes) driven from a QThread, so the window stays
responsive; the thread only relays progress. Cancelling writes the reports done so far.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import resources
from core.files.settings import Settings
from core.review.batch import BatchError, run_batch
from ui import file_dialogs

RESULT_NAME = "批量审查结果.xlsx"
ANNOTATED_NAME = "带批注的报告"  # folder beside the result
TONGBAO_NAME = "情况通报（草稿）.docx"


class BatchThread(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)  # core.review.batch.BatchSummary
    failed = Signal(str)

    def __init__(self, folder: str, out: str, report_type: str | None, workers: int | None, parent=None,
                 annotate: str | None = None, tongbao: str | None = None):
        super().__init__(parent)
        self.folder, self.out, self.report_type, self.workers = folder, out, report_type, workers
        self.annotate, self.tongbao = annotate, tongbao
        self.cancel_event = threading.Event()

    def run(self) -> None:
        try:
            summary = run_batch(self.folder, self.out, workers=self.workers, report_type=self.report_type,
                                progress=self.progressed.emit, cancelled=self.cancel_event.is_set,
                                annotate=self.annotate, tongbao=self.tongbao)
        except BatchError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crashed window
            self.failed.emit(f"批量审查时出现内部错误（{type(exc).__name__}: {exc}），已检查的结果未能写入。")
            return
        self.succeeded.emit(summary)


class BatchDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("批量审查文件夹")
        self.resize(680, 320)
        self.settings = settings
        self.workers: int | None = None  # None: one process per core
        self.thread: BatchThread | None = None
        self.summary = None
        self.folder_used = ""
        self._out_edited = False
        self._annotate_edited = False
        self._tongbao_edited = False

        self.folder = QLineEdit(settings.last_folder or "")
        self.folder.setPlaceholderText("存放各单位报告（.txt、.docx）的文件夹，含子文件夹")
        self.folder.textChanged.connect(self._folder_changed)
        self.out = QLineEdit()
        self.out.setPlaceholderText("审查结果保存为 Excel 工作簿")
        self.out.textEdited.connect(lambda _t: setattr(self, "_out_edited", True))
        self.kind = QComboBox()
        for key, name in {"": "逐份按标题识别", **resources.report_types()}.items():
            self.kind.addItem(name, key)
        self.kind.setToolTip("一般按各报告的标题识别类型；全部是同一类报告而标题不规范时，可在这里统一指定")
        browse_folder = QPushButton("浏览…")
        browse_folder.clicked.connect(self._browse_folder)
        browse_out = QPushButton("浏览…")
        browse_out.clicked.connect(self._browse_out)
        self.annotate_box = QCheckBox("为每份报告写出带批注的 Word 文档，存入")
        self.annotate_box.setToolTip("每个问题作为一条批注写进报告：.docx 加在它的副本上，原有版式不变；"
                                     ".txt 按 GB/T 9704 版式导出后加批注。保持原来的子文件夹，总览中附链接")
        self.annotate_dir = QLineEdit()
        self.annotate_dir.textEdited.connect(lambda _t: setattr(self, "_annotate_edited", True))
        browse_annotate = QPushButton("浏览…")
        browse_annotate.clicked.connect(self._browse_annotate)
        self.tongbao_box = QCheckBox("起草情况通报，保存为")
        self.tongbao_box.setToolTip("根据审查结果起草“关于……报告审核情况的通报”（GB/T 9704 版式）："
                                    "基本情况、存在的主要问题（点名举例）、工作要求；主送、落款和日期留空待填")
        self.tongbao = QLineEdit()
        self.tongbao.textEdited.connect(lambda _t: setattr(self, "_tongbao_edited", True))
        browse_tongbao = QPushButton("浏览…")
        browse_tongbao.clicked.connect(self._browse_tongbao)
        for box, widgets in ((self.annotate_box, (self.annotate_dir, browse_annotate)),
                             (self.tongbao_box, (self.tongbao, browse_tongbao))):
            box.toggled.connect(lambda on, ws=widgets: [w.setEnabled(on) for w in ws])
            for w in widgets:
                w.setEnabled(False)
        self.out.textChanged.connect(self._out_changed)
        form = QFormLayout()
        form.addRow("报告文件夹", _row(self.folder, browse_folder))
        form.addRow("结果文件", _row(self.out, browse_out))
        form.addRow("报告类型", self.kind)
        form.addRow(self.annotate_box, _row(self.annotate_dir, browse_annotate))
        form.addRow(self.tongbao_box, _row(self.tongbao, browse_tongbao))

        self.progress = QProgressBar()
        self.progress.setFormat("尚未开始")  # not "0 / 100": nothing is counted yet
        self.progress.setValue(0)
        self.status = QLabel("审查结果包括：总览（每份报告一行，按得分从低到高）、明细（每条问题）、台账（各单位统计数字对照）。")
        self.status.setWordWrap(True)
        self.start_button = QPushButton("开始审查")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setToolTip("停止审查；已审查的报告仍会写入结果文件")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton("打开结果")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_result)
        self.open_tongbao_button = QPushButton("打开通报草稿")
        self.open_tongbao_button.setEnabled(False)
        self.open_tongbao_button.clicked.connect(self._open_tongbao)
        self.open_tongbao_button.hide()
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.start_button, self.cancel_button, self.open_button, self.open_tongbao_button,
                  self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._folder_changed(self.folder.text())

    # --- choosing ----------------------------------------------------------------------------
    def _folder_changed(self, text: str) -> None:
        if not self._out_edited:
            self.out.setText(str(Path(text) / RESULT_NAME) if text.strip() else "")

    def _out_changed(self, text: str) -> None:
        """The annotated copies and the 通报 go beside the result unless chosen."""
        here = Path(text).parent if text.strip() else None
        if not self._annotate_edited:
            self.annotate_dir.setText(str(here / ANNOTATED_NAME) if here else "")
        if not self._tongbao_edited:
            self.tongbao.setText(str(here / TONGBAO_NAME) if here else "")

    def _browse_annotate(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "带批注的文档存入", self.annotate_dir.text())
        if folder:
            self.annotate_dir.setText(folder)
            self._annotate_edited = True

    def _browse_tongbao(self) -> None:
        path, _ = file_dialogs.get_save_file_name(self, "情况通报草稿保存为", self.tongbao.text() or TONGBAO_NAME,
                                                  "Word 文档 (*.docx)")
        if path:
            if not path.lower().endswith(".docx"):
                path += ".docx"
            self.tongbao.setText(path)
            self._tongbao_edited = True

    def _browse_folder(self) -> None:
        folder = file_dialogs.get_existing_directory(self, "选择报告所在的文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _browse_out(self) -> None:
        path, _ = file_dialogs.get_save_file_name(self, "审查结果保存为", self.out.text() or RESULT_NAME,
                                                  "Excel 工作簿 (*.xlsx)")
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.out.setText(path)
            self._out_edited = True

    # --- running -----------------------------------------------------------------------------
    def start(self) -> None:
        folder, out = self.folder.text().strip(), self.out.text().strip()
        if not folder or not out:
            self.status.setText("请先选择报告文件夹和结果文件。")
            return
        annotate = self.annotate_dir.text().strip() if self.annotate_box.isChecked() else None
        tongbao = self.tongbao.text().strip() if self.tongbao_box.isChecked() else None
        if (self.annotate_box.isChecked() and not annotate) or (self.tongbao_box.isChecked() and not tongbao):
            self.status.setText("请选择带批注文档的文件夹和通报草稿的文件名，或者不勾选这两项。")
            return
        self.summary = None
        self.thread = BatchThread(folder, out, self.kind.currentData() or None, self.workers, self,
                                  annotate=annotate, tongbao=tongbao)
        self.thread.progressed.connect(self._progressed)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(self._failed)
        self.thread.finished.connect(self._stopped)
        self._set_running(True)
        self.progress.setRange(0, 0)  # busy until the first report is done (starting processes)
        self.progress.setFormat("%v / %m 份")
        self.status.setText("正在准备（启动检查进程）…")
        self.thread.start()

    def cancel(self) -> None:
        if self.thread is not None and self.thread.isRunning():
            self.thread.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("正在取消：已审查的报告会写入结果文件…")

    def _progressed(self, done: int, total: int, file: str) -> None:
        if self.progress.maximum() != total:
            self.progress.setRange(0, total)
        self.progress.setValue(done)
        if not self.thread.cancel_event.is_set():
            self.status.setText(f"已审查 {done}/{total}：{file}")

    def _succeeded(self, summary) -> None:
        self.summary = summary
        self.folder_used = self.folder.text().strip()
        state = "已取消。" if summary.cancelled else "审查完成。"
        unread = f"，其中{summary.unreadable}份无法读取（原因见总览）" if summary.unreadable else ""
        worst = ""
        if summary.worst:
            worst = "\n最需要关注：" + "；".join(
                f"{f}（{'无法读取' if s is None else f'{s}分'}）" for f, s in summary.worst[:3])
        extra = ""
        if summary.skipped_own:
            extra += f"\n另有{summary.skipped_own}份是本程序起草的情况通报，没有作为报告审查。"
        if summary.annotate_folder is not None:
            failed = f"（{summary.annotate_failed}份未能写出，见总览“说明”列）" if summary.annotate_failed else ""
            extra += f"\n带批注的文档{summary.annotated}份：{summary.annotate_folder}{failed}"
        if summary.tongbao:
            extra += f"\n情况通报草稿：{summary.tongbao}（请填写主送、落款和日期）"
        self.status.setText(f"{state}共审查{summary.reviewed}份{unread}，用时{summary.seconds:.1f}秒。"
                            f"\n结果已写入：{summary.path}{extra}{worst}")
        if self.progress.maximum() == 0:
            self.progress.setRange(0, max(1, summary.total))
        self.open_button.setEnabled(True)
        self.open_tongbao_button.setVisible(bool(summary.tongbao))
        self.open_tongbao_button.setEnabled(bool(summary.tongbao))

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("未能审查")
        self.status.setText(message)

    def _stopped(self) -> None:
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        for w in (self.folder, self.out, self.kind, self.annotate_box, self.tongbao_box):
            w.setEnabled(not running)
        self.annotate_dir.setEnabled(not running and self.annotate_box.isChecked())
        self.tongbao.setEnabled(not running and self.tongbao_box.isChecked())

    def _open_result(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.summary.path))

    def _open_tongbao(self) -> None:
        if self.summary is not None and self.summary.tongbao:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.summary.tongbao))

    def is_running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def reject(self) -> None:
        # Closing (Esc, the title bar) while running cancels, and the done part is still written.
        if self.is_running():
            self.cancel()
            self.thread.wait()
        super().reject()


def _row(edit: QLineEdit, button: QPushButton) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return box
