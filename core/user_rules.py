"""The user's own word lists (terms, stat items and their norms), edited from the window.

They live in the per-user folder under the same names as the shipped files and are merged over
them (see core.resources), so an upgrade never overwrites them. Text is validated with the real
loaders before it is saved: a broken file never reaches the checker.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from core import resources
from core.drafts import save_text

USER_FILES = {
    "terms": ("rules/terms.toml", "规范提法"),
    "stats": ("stats.toml", "统计事项与常规要求"),
}

EXAMPLES = {
    "terms": '''# 本单位自己的提法。每条：wrong（错误写法）和 right（正确写法），或 pattern / replace（正则）。
# [[term]]
# id = "local-unit-name"
# wrong = "市审计所"
# right = "市审计局"
# message = "本单位名称应写作“市审计局”。"
# bad = "市审计所党组。"
# good = "市审计局党组。"
''',
    "stats": '''# 本单位自己的统计事项，或修改已有事项（写上已有 id，只写要改的字段）。
# 改常规要求（如党课每年至少 2 次）：
# [[kind]]
# id = "dangke"
# norm = { per = "year", min = 2 }
#
# 给已有事项添加说法：
# [[kind]]
# id = "dangke"
# extra_phrases = ["微党课"]
#
# 新事项：
# [[kind]]
# id = "qingnian"
# name = "青年理论学习小组活动"
# category = "理论学习"
# phrases = ['青年理论学习小组(?:活动)?']
# units = ["次"]
''',
}


@dataclass
class UserFile:
    key: str
    relative: str
    title: str

    @property
    def path(self):
        return resources.user_data_dir() / self.relative

    def read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return EXAMPLES[self.key]


def user_files() -> list[UserFile]:
    return [UserFile(key, rel, title) for key, (rel, title) in USER_FILES.items()]


def validate(key: str, text: str) -> str | None:
    """None when `text` is a usable file for `key`, else a Chinese sentence saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from core.messages import toml_error

        return f"格式有误：{toml_error(exc)}"
    if key == "terms":
        for n, entry in enumerate(data.get("term", []), start=1):
            if not isinstance(entry, dict) or not (("wrong" in entry and "right" in entry) or "pattern" in entry):
                return f"第{n}条提法缺少 wrong/right 或 pattern。"
            if "pattern" in entry:
                try:
                    resources.compile_pattern(entry["pattern"], f"第{n}条提法")
                except resources.ResourceError as exc:
                    return str(exc)
    if key == "stats":
        shipped = {k["id"] for k in tomllib.loads((resources.resources_dir() / "stats.toml").read_text(encoding="utf-8"))["kind"]}
        for n, entry in enumerate(data.get("kind", []), start=1):
            if not isinstance(entry, dict) or "id" not in entry:
                return f"第{n}个统计事项缺少 id。"
            if entry["id"] not in shipped and not (entry.get("name") and entry.get("phrases")):
                return f"新统计事项“{entry['id']}”需要写 name 和 phrases。"
            for p in [*entry.get("phrases", []), *entry.get("extra_phrases", [])]:
                try:
                    resources.compile_pattern(p, f"统计事项“{entry['id']}”")
                except resources.ResourceError as exc:
                    return str(exc)
            norm = entry.get("norm")
            if norm is not None and (not isinstance(norm, dict) or norm.get("per") not in ("month", "quarter", "year")
                                     or not isinstance(norm.get("min", 0), int)):
                return f"统计事项“{entry['id']}”的 norm 应写成 {{ per = \"month\"|\"quarter\"|\"year\", min = 次数 }}。"
    return None


def save(key: str, text: str) -> None:
    """Validate and save; raises ValueError (bad content) or drafts.SaveError (cannot write)."""
    problem = validate(key, text)
    if problem:
        raise ValueError(problem)
    relative = USER_FILES[key][0]
    path = resources.user_data_dir() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    save_text(path, text)
    resources.clear_cache()
