"""The program's file dialogs, Chinese in every word also where the platform has no native dialog.

On Windows the static QFileDialog functions show the system's own dialog, in the system's language.
Where there is none (a Linux desktop without a platform theme, the offscreen platform) Qt shows its
own widget: ui/translations.py supplies the words qtbase_zh_CN lacks (查找范围, 文件类型, 文件夹…),
and while a dialog of ours is open a proxy model gives its file list Chinese sizes, types and dates
(2026年12月6日 14:05), which Qt takes from the system locale and its MIME database, not from a
translation. The calls go through QFileDialog's static functions, looked up when called, so a test
can stand in for them as it always could.
"""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, QIdentityProxyModel, QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QTreeView

HEADERS = ("名称", "大小", "类型", "修改日期")
# What a drafter's files are called in Chinese Windows Explorer
KNOWN_TYPES = {"docx": "Word 文档", "doc": "Word 97-2003 文档", "wps": "WPS 文字文档", "txt": "文本文档",
               "xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "et": "WPS 表格工作簿", "pdf": "PDF 文件",
               "odt": "OpenDocument 文本", "bak": "备份文件", "json": "JSON 文件", "toml": "TOML 文件"}


def chinese_date(when) -> str:
    """A QDateTime as 2026年12月6日 14:05 (no leading zeros in the date, as GB/T 9704 writes dates)."""
    d, t = when.date(), when.time()
    return f"{d.year()}年{d.month()}月{d.day()}日 {t.hour():02d}:{t.minute():02d}"


def chinese_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if size >= 10 else f"{size:.1f} {unit}"
    return ""  # not reached


def chinese_type(info) -> str:
    if info.isDir():
        return "文件夹"
    suffix = info.suffix().lower()
    if suffix in KNOWN_TYPES:
        return KNOWN_TYPES[suffix]
    return f"{suffix.upper()} 文件" if suffix else "文件"


class ChineseFileModel(QIdentityProxyModel):
    """QFileSystemModel's columns (名称, 大小, 类型, 修改日期) in Chinese; sorting stays the source
    model's, so a sort by date is by the date itself."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() in (1, 2, 3):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                info = source.fileInfo(self.mapToSource(index))
                if index.column() == 1:
                    return "" if info.isDir() else chinese_size(info.size())
                if index.column() == 2:
                    return chinese_type(info)
                return chinese_date(info.lastModified())
        return super().data(index, role)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return super().headerData(section, orientation, role)


def make_chinese(dialog: QFileDialog) -> None:
    """Give Qt's own file dialog widget the Chinese file list and labels (once per dialog)."""
    if dialog.property("report_assistant_zh"):
        return
    dialog.setProperty("report_assistant_zh", True)
    dialog.setLabelText(QFileDialog.DialogLabel.LookIn, "查找范围：")
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, "文件名：")
    dialog.setLabelText(QFileDialog.DialogLabel.FileType, "文件类型：")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "取消")
    dialog.setLabelText(QFileDialog.DialogLabel.Accept,
                        "保存" if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave else
                        "选择" if dialog.fileMode() == QFileDialog.FileMode.Directory else "打开")
    if dialog.proxyModel() is None:
        dialog.setProxyModel(ChineseFileModel(dialog))
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:  # the dates are longer in Chinese: their column fits them
        metrics = view.fontMetrics()
        view.header().resizeSection(3, metrics.horizontalAdvance("2026年12月31日 00:00") + 24)
        view.header().resizeSection(2, metrics.horizontalAdvance("Excel 97-2003 工作簿") + 16)
    if dialog.width() < 760:
        dialog.resize(760, max(dialog.height(), 440))


class _Watcher(QObject):
    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            make_chinese(watched)
        return False


@contextmanager
def chinese_file_dialogs():
    """While it is open, every Qt file dialog widget shown is made Chinese (make_chinese)."""
    app = QApplication.instance()
    watcher = _Watcher()
    if app is not None:
        app.installEventFilter(watcher)
    try:
        yield
    finally:
        if app is not None:
            app.removeEventFilter(watcher)


def get_open_file_name(parent, caption: str, folder: str, filters: str) -> tuple[str, str]:
    with chinese_file_dialogs():
        return QFileDialog.getOpenFileName(parent, caption, folder, filters)


def get_save_file_name(parent, caption: str, path: str, filters: str, selected: str = "",
                       options=None) -> tuple[str, str]:
    with chinese_file_dialogs():
        if options is None:
            return QFileDialog.getSaveFileName(parent, caption, path, filters, selected)
        return QFileDialog.getSaveFileName(parent, caption, path, filters, selected, options=options)


def get_existing_directory(parent, caption: str, folder: str) -> str:
    with chinese_file_dialogs():
        return QFileDialog.getExistingDirectory(parent, caption, folder)
