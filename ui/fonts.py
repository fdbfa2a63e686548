"""Fonts on this PC: which of a 公文 font set are installed, and the editor's screen font."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from core.office.docx_export import FONT_ALIASES, FONT_SETS, SUBSTITUTES, FontSet

# The editor shows the report as it will print: in 仿宋, else the closest font there is.
FANGSONG_LIKE = ("仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312", "方正仿宋_GBK", "华文仿宋", "STFangsong",
                 "Noto Serif CJK SC", "Source Han Serif SC", "思源宋体", "宋体", "SimSun", "AR PL UMing CN")
SANS_LIKE = ("微软雅黑", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "思源黑体",
             "PingFang SC", "WenQuanYi Micro Hei", "文泉驿微米黑", "黑体", "SimHei")
SCREEN_FONT_NAMES = {"fangsong": "仿宋（与打印稿一致）", "sans": "无衬线字体（屏幕上更清晰）"}


def installed(name: str) -> bool:
    return any(QFontDatabase.hasFamily(n) for n in (name, *FONT_ALIASES.get(name, ())))


def missing(font_set: FontSet) -> list[str]:
    return [name for name in font_set.fonts() if not installed(name)]


def font_report(font_set: FontSet) -> str:
    """One or two Chinese sentences: are the set's fonts here, and if not what is shown instead.
    The advice never recommends the set already chosen, nor a font "instead of" itself."""
    absent = missing(font_set)
    if not absent:
        return f"本机已安装这一组的全部字体（{'、'.join(font_set.fonts())}）。"
    shown = "、".join(_instead(name) for name in absent)
    text = (f"本机缺少：{'、'.join(absent)}。在没有这些字体的电脑上，Word/WPS 会改用替代字体显示和打印"
            f"（{shown}），版式与正式公文略有差异。")
    complete = [s for s in FONT_SETS.values() if s.key != font_set.key and not missing(s)]
    if complete:
        return text + f"本机装全了的一组是“{complete[0].name}”。"
    if font_set.key != "windows":
        return text + "如果单位的电脑都没有装，可以选“Windows 自带”：Windows 10/11 的电脑都有这一组字体。"
    return text + "Windows 10/11 的电脑都自带这一组字体，在单位的 Windows 电脑上显示和打印都正常。"


def _instead(name: str) -> str:
    substitute = SUBSTITUTES.get(name, "宋体")
    return f"{name}→本机的其他中文字体" if substitute == name else f"{name}→{substitute}"


def first_installed(candidates: tuple[str, ...]) -> str | None:
    return next((name for name in candidates if QFontDatabase.hasFamily(name)), None)


def screen_font(kind: str, point_size: int) -> QFont:
    """The editor's font: 仿宋 (or the nearest installed) or a sans-serif screen font."""
    candidates = SANS_LIKE if kind == "sans" else FANGSONG_LIKE
    font = QFont()
    chosen = first_installed(candidates)
    # the whole list as fallbacks too: a glyph missing from the first is taken from the next
    font.setFamilies([chosen] + [c for c in candidates if c != chosen] if chosen else list(candidates))
    font.setPointSize(point_size)
    return font
