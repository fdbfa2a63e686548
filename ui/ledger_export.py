"""导出台账 from the window: confirm unit and period, say what the export will do, write off the GUI thread.

The unit and 报告期 come from the report (core.office.report_ledger.report_identity), not from 设置; the
dialog shows them for confirmation, asks for a unit when the report names none or leaves it blank
(市**局), points out a change from the last export, asks which unit(s) the ledger's titles name
(kept in the ledger itself, so the next export offers it again), and reads the target workbook
first to say whether the export will make a new ledger or add to an existing one, and which rows
(same unit + 报告期 + 报告类型) it replaces. The progress shows in the status bar from the moment
the export starts, also while it waits for another export of the same ledger to finish.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
)

from core.check.engine import CheckResult
from core.office import report_ledger
from core.office.ledger import EXPORT_STEPS, LedgerError, LedgerPreview, canonical_period, preview_ledger
from core.office.ledger.cells import type_name
from core.office.report_ledger import replaced_text, report_identity
from core.text.metadata import is_blank_unit

WARN = "color: #b35c00;"
ERROR = "color: #c62828;"
SOURCE_NAMES = {"title": "标题", "signature": "落款", "byline": "署名", "preamble": "导语"}


class _Relay(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, func):
        super().__init__()
        self.relay, self.func = relay, func

    def run(self) -> None:
        try:
            result = self.func(lambda i, n, label: self.relay.progress.emit(i, n, label))
        except (LedgerError, ValueError) as exc:
            self.relay.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash of the window
            self.relay.failed.emit(f"导出时出现内部错误（{type(exc).__name__}：{exc}），台账文件未改动。")
            return
        self.relay.done.emit(result)


class Background(QObject):
    """Runs one function at a time on a pool thread (or at once, for tests), reporting through
    signals on the GUI thread. Relays are kept here so none is freed on a worker thread."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.synchronous = False
        self._relays: list[_Relay] = []

    def run(self, func, *, done, failed, progress=None) -> None:
        relay = _Relay()
        self._relays.append(relay)
        relay.done.connect(done)
        relay.failed.connect(failed)
        if progress is not None:
            relay.progress.connect(progress)

        def forget(*_args):
            if relay in self._relays:
                self._relays.remove(relay)
                relay.deleteLater()  # on the GUI thread, once its signals are delivered

        relay.done.connect(forget)
        relay.failed.connect(forget)
        job = _Job(relay, func)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(job)

    def wait(self, msecs: int = 60000) -> bool:
        return self.pool.waitForDone(msecs)


class LedgerExportDialog(QDialog):
    """Unit and 报告期 for the ledger, prefilled from the report and editable."""

    def __init__(self, result: CheckResult, path: str, settings, background: Background, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导出台账")
        self.setMinimumWidth(520)
        self.settings = settings
        self.identity = report_identity(result)
        self.report_type = result.document.meta.type
        self.preview: LedgerPreview | None = None
        self.preview_error: str | None = None
        self._title_typed = False

        self.file_label = QLabel(str(path))
        self.file_label.setWordWrap(True)
        self.unit = QLineEdit(self.identity.unit or "")
        self.unit.setPlaceholderText("如：市审计局")
        self.period = QLineEdit(self.identity.period or "")
        self.period.setPlaceholderText("如：2024年度、2024年第三季度、2024年上半年")
        self.type_label = QLabel(type_name(self.report_type))
        self.type_label.setToolTip("同一单位同一报告期的不同类型报告（如主体责任报告和书记的述责述廉报告）分别记入台账，互不替换")
        self.title = QLineEdit(self.identity.unit or "")
        self.title.setPlaceholderText("如：市直机关工委（台账中有多个单位时，写汇总这些报告的单位；可以不写）")
        self.title.setToolTip("写在台账明细、汇总、汇总图表和检查结果各表标题中的单位；记在台账文件里，下次导出时沿用")
        self.title.textEdited.connect(self._title_edited)
        self.unit_note = QLabel()
        self.period_note = QLabel()
        self.title_note = QLabel()
        self.change_note = QLabel()
        self.target_note = QLabel("正在读取台账…")
        for label in (self.unit_note, self.period_note, self.title_note, self.change_note, self.target_note):
            label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("台账文件", self.file_label)
        form.addRow("单位", self.unit)
        form.addRow("", self.unit_note)
        form.addRow("报告期", self.period)
        form.addRow("", self.period_note)
        form.addRow("报告类型", self.type_label)
        form.addRow("标题中的单位", self.title)
        form.addRow("", self.title_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("导出")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.change_note)
        layout.addWidget(self.target_note)
        layout.addWidget(self.buttons)
        self.unit.textChanged.connect(self.update_notes)
        self.period.textChanged.connect(self.update_notes)
        self.update_notes()
        background.run(lambda _progress: preview_ledger(path), done=self._preview_done, failed=self._preview_failed)

    # --- what the user sees ---------------------------------------------------------------------
    def values(self) -> tuple[str, str]:
        period = self.period.text().strip()
        return self.unit.text().strip(), canonical_period(period) or period

    def title_text(self) -> str:
        """The unit(s) the ledger's titles name ("" names none)."""
        return self.title.text().strip()

    def _title_edited(self, _text: str) -> None:
        self._title_typed = True
        self._update_title_note()

    def _suggest_title(self) -> None:
        """The ledger's own choice when it has one; else the unit when the ledger holds (or will
        hold) only this unit; else nothing (a title never names one unit of several)."""
        if self._title_typed:
            return
        preview = self.preview
        unit, _period = self.values()
        if preview is not None and preview.title is not None:
            suggestion = preview.title
        else:
            units = set(preview.units if preview is not None else ()) | ({unit} if unit else set())
            suggestion = next(iter(units)) if len(units) == 1 else ""
        if self.title.text() != suggestion:
            self.title.setText(suggestion)
        self._update_title_note()

    def _update_title_note(self) -> None:
        preview = self.preview
        units = len(set(preview.units if preview is not None else ()) | {self.values()[0]} - {""})
        if units > 1 and not self.title_text():
            self._note(self.title_note, f"台账中有{units}个单位，标题不写单位；也可以写上汇总这些报告的单位。")
        elif preview is not None and preview.title and self.title_text() == preview.title:
            self._note(self.title_note, "台账上次导出时选定的标题单位。")
        else:
            self._note(self.title_note, "")

    def problem(self) -> str | None:
        """Why 导出 is not possible yet; None when it is."""
        unit, period = self.unit.text().strip(), self.period.text().strip()
        if not unit:
            return "请填写单位名称。"
        if is_blank_unit(unit):
            return f"“{unit}”是空白或代称，不是单位名称，请填写本单位的名称。"
        if not period:
            return "请填写报告期。"
        if canonical_period(period) is None:
            return "报告期应写成“2024年度”“2024年第三季度”“2024年上半年”这样的形式。"
        return None

    def update_notes(self) -> None:
        identity = self.identity
        unit, period = self.values()
        if identity.unit_blank and unit == (identity.unit or ""):
            self._note(self.unit_note, f"报告中的单位是空白（“{identity.unit_stated}”），请先填写本单位名称。", ERROR)
        elif not identity.unit and not unit:
            self._note(self.unit_note, "报告的标题、落款和导语中都没有写明单位，请填写。", ERROR)
        elif identity.unit and unit == identity.unit:
            stated = f"（报告中写作“{identity.unit_stated}”）" if identity.unit_stated != identity.unit else ""
            self._note(self.unit_note, f"取自报告{self._source()}{stated}。")
        elif identity.unit:
            self._note(self.unit_note, f"已改动：报告中写的是“{identity.unit}”。", WARN)
        else:
            self._note(self.unit_note, "")
        if identity.period and period == identity.period:
            self._note(self.period_note, "取自报告标题或导语。")
        elif identity.period:
            self._note(self.period_note, f"已改动：报告中写的是“{identity.period}”。", WARN)
        else:
            self._note(self.period_note, "报告中没有年份，请填写报告期。", ERROR)
        changes = []
        last_unit, last_period = self.settings.ledger_unit, self.settings.ledger_period
        if last_unit and unit and unit != last_unit:
            changes.append(f"单位与上次导出的“{last_unit}”不同")
        if last_period and period and period != last_period:
            changes.append(f"报告期与上次导出的“{last_period}”不同")
        self._note(self.change_note, "注意：" + "，".join(changes) + "，请确认。" if changes else "", WARN)
        self._suggest_title()
        self._update_target()
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.ok_button.setToolTip(problem or "")

    def _source(self) -> str:
        return SOURCE_NAMES.get(self.identity.unit_source or "", "")

    def _update_target(self) -> None:
        if self.preview_error:
            self._note(self.target_note, self.preview_error, ERROR)
            return
        preview = self.preview
        if preview is None:
            self._note(self.target_note, "正在读取台账…")
            return
        unit, period = self.values()
        kind = type_name(self.report_type)
        if not preview.exists:
            text = "将新建这个台账，写入台账明细、汇总、汇总图表和检查结果四张表。"
        else:
            keys = preview.rows
            text = (f"将追加到这个已有的台账（现有{len({k[1] for k in keys})}个单位、"
                    f"{len({k[0] for k in keys})}个报告期，共{preview.total}行明细），其他行和您自己的表格、"
                    f"公式、格式都不动。")
            replaced = preview.replaced(unit, period, self.report_type) if unit and period else 0
            if replaced:
                text += (f"其中“{unit} {period}”的{kind}已有的{replaced}行明细及其检查结果，"
                         f"将被这次导出的内容替换。")
            else:
                text += (f"台账中还没有“{unit} {period}”的{kind}，不替换任何行。" if unit and period else "")
            untyped = preview.untyped(unit, period) if unit and period else 0
            if untyped:
                text += (f"台账中另有该单位该期的{untyped}行是旧版本写入的、没有注明报告类型，不会被替换，"
                         f"导出后请核对并删除重复的行。")
        if preview.problem:
            self._note(self.target_note, text + "\n" + preview.problem, ERROR)
        else:
            self._note(self.target_note, text)

    @staticmethod
    def _note(label: QLabel, text: str, style: str = "") -> None:
        label.setText(text)
        label.setStyleSheet(style)
        label.setVisible(bool(text))

    def _preview_done(self, preview: LedgerPreview) -> None:
        self.preview = preview
        self._suggest_title()
        self._update_target()

    def _preview_failed(self, message: str) -> None:
        self.preview_error = message
        self._update_target()


class LedgerExporter(QObject):
    """The window's 导出台账: the dialog, then the export on a pool thread with progress in the
    status bar; the result in a message box. One export at a time."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.background = Background(self)
        self.synchronous: bool | None = None  # None: as the window's check runner
        self.busy = False
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setFormat("%v/%m")
        self.progress_bar.hide()
        self.progress_label = QLabel("")
        self.progress_label.hide()
        # permanent widgets: a message shown in the status bar meanwhile never hides the progress
        window.statusBar().insertPermanentWidget(0, self.progress_label)
        window.statusBar().insertPermanentWidget(1, self.progress_bar)
        self._target: tuple[str, str, str] | None = None
        self._title: str | None = None

    def _sync(self) -> bool:
        if self.synchronous is not None:
            return self.synchronous
        return bool(getattr(self.window.runner, "synchronous", False))

    def ask(self, result: CheckResult, path: str, confirmed: tuple[str, str] | None = None) -> tuple[str, str] | None:
        """The confirmation dialog; (unit, period) or None when cancelled. `confirmed`: what was
        confirmed at this document's last export, filled in instead of what the report states."""
        self.background.synchronous = self._sync()
        dialog = LedgerExportDialog(result, path, self.window.settings, self.background, self.window)
        if confirmed is not None:
            dialog.unit.setText(confirmed[0])
            dialog.period.setText(confirmed[1])
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            self._title = dialog.title_text()
            return dialog.values()
        finally:
            dialog.deleteLater()

    def start(self, path: str, result: CheckResult, unit: str, period: str, source_file: str) -> None:
        self.busy = True
        self._target = (path, unit, period)
        title, self._title = self._title, None
        self.window.statusBar().clearMessage()
        self._progress(0, len(EXPORT_STEPS), EXPORT_STEPS[0])  # shown at once, before the work starts
        self.progress_label.show()
        self.progress_bar.show()
        self.background.synchronous = self._sync()
        self.background.run(
            # looked up at call time, through the module, so tests can stand in for it
            lambda progress: report_ledger.export_to_ledger(path, result, unit=unit, period=period,
                                                            source_file=source_file, progress=progress,
                                                            title=title),
            done=self._done, failed=self._failed, progress=self._progress)

    def wait(self, msecs: int = 60000) -> bool:
        return self.background.wait(msecs)

    def _progress(self, step: int, total: int, label: str) -> None:
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(step + 1)
        self.progress_label.setText(f"正在写入台账：{label}…")

    def _finish(self) -> None:
        self.busy = False
        self.progress_bar.hide()
        self.progress_label.hide()

    def _done(self, summary: dict) -> None:
        self._finish()
        path, unit, period = self._target
        settings = self.window.settings
        settings.ledger_path, settings.ledger_unit, settings.ledger_period = path, unit, period
        self.window._save_settings_quietly()
        how = replaced_text(summary) or ("新建了台账" if summary.get("created") else "追加在原有内容之后")
        kind = summary.get("type", "")
        QMessageBox.information(self.window, "导出台账",
                                f"已将{summary['items']}项统计写入“{Path(path).name}”（{unit}，{period}"
                                f"{'，' + kind if kind else ''}），{how}。\n\n文件位置：{path}")

    def _failed(self, message: str) -> None:
        self._finish()
        QMessageBox.warning(self.window, "导出台账失败", message)
