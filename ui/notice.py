"""A bar above the editor for messages that matter and do not fit the status bar: where an export
was written (a long path), which fonts are missing, what could not be read. It wraps instead of
cutting, stays until closed or replaced, and never takes the keyboard from the text."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QToolButton

STYLES = {"info": "background: #e8f1fb; border: 1px solid #90b8e0;",
          "warning": "background: #fff4e0; border: 1px solid #f0b060;"}


class NoticeBar(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notice")
        self.label = QLabel()
        self.label.setWordWrap(True)  # a long path wraps; nothing is cut off
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.open_folder = QPushButton("打开所在文件夹")
        self.open_folder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_folder.clicked.connect(self._open_folder)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip("关闭这条消息")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.folder: Path | None = None
        self.keep = False
        self.hide()

    def show_message(self, text: str, kind: str = "info", folder: Path | None = None, keep: bool = False) -> None:
        """Show `text` in full; `folder`: offer to open it (where a file was written); `keep`: a
        message about the program, not the document, stays when another document is opened."""
        self.keep = keep
        self.label.setText(text)
        self.setStyleSheet(f"QFrame#notice {{{STYLES.get(kind, STYLES['info'])}}}")
        self.folder = folder
        self.open_folder.setVisible(folder is not None)
        self.show()

    def document_changed(self) -> None:
        """Another document: a message about the last one goes."""
        if not self.keep:
            self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _open_folder(self) -> None:
        if self.folder is not None:  # a local folder, in the system's file manager
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
