"""Chinese wording for the errors Python's own parsers raise in English (TOML, regular expressions).

A user editing their word lists sees these; "Expected '=' after a key" means nothing to them.
"""
from __future__ import annotations

import re

_TOML = [
    (r"Invalid statement", "这一行不是有效的写法"),
    (r"Expected '=' after a key in a key/value pair", "名称后面缺少等号“=”"),
    (r"Invalid initial character for a key part", "名称的开头有不允许的字符（名称只能用英文字母、数字、-、_，或加英文引号）"),
    (r"Unterminated string", "引号没有配对（少了结尾的英文引号）"),
    (r"Illegal character '\\n'", "引号没有配对（这一行少了结尾的英文引号）"),
    (r"Illegal character .*", "文字中有不允许的控制字符"),
    (r"Invalid value", "等号后面的值写法不对（文字要加英文引号，如 \"市审计局\"）"),
    (r"Unclosed array", "方括号 [ ] 没有配对"),
    (r"Unclosed inline table", "花括号 { } 没有配对"),
    (r"Expected ']' at the end of a table declaration", "表名后缺少“]”"),
    (r"Expected ']]' at the end of an array declaration", "条目名后缺少“]]”"),
    (r"Cannot (?:declare|overwrite|mutate|redefine).*", "同一项写了两次"),
    (r"Duplicate inline table key .*", "花括号里同一项写了两次"),
    (r"Unescaped '\\' in a string", "反斜杠“\\”要写成两个“\\\\”，或改用单引号"),
    (r"Invalid hex value|Escaped character is not a Unicode scalar value", "转义字符写法不对"),
    (r"Invalid date or datetime", "日期写法不对"),
    (r"Expected .*|Found invalid character .*", "这里有多余或不允许的字符"),
]
_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def toml_error(exc: Exception) -> str:
    """tomllib.TOMLDecodeError as a Chinese sentence with the line and column."""
    text = str(exc)
    where = _WHERE.search(text)
    body = text[:where.start()] if where else text
    reason = next((zh for pattern, zh in _TOML if re.fullmatch(pattern, body)), "写法不符合格式要求")
    if where is None:
        return f"{reason}。"
    if where.group(1):
        return f"第{where.group(1)}行第{where.group(2)}个字符处：{reason}。"
    return f"文件末尾：{reason}。"


_REGEX = [
    (r"missing \), unterminated subpattern|unbalanced parenthesis", "圆括号 ( ) 没有配对"),
    (r"unterminated character set", "方括号 [ ] 没有配对"),
    (r"nothing to repeat|multiple repeat", "次数符号 * + ? {} 前面没有可重复的内容"),
    (r"bad escape.*|incomplete escape.*", "反斜杠“\\”后面的字符不能这样用"),
    (r"bad character range.*", "字符范围写反了（如 [9-0]）"),
    (r"unknown group name.*|invalid group reference.*|bad group number|cannot refer to an open group",
     "引用了不存在的分组"),
    (r"min repeat greater than max repeat", "次数范围写反了（如 {5,2}）"),
    (r"unexpected end of pattern", "写到一半就结束了"),
    (r"look-behind requires fixed-width pattern", "向前查看的条件（?<= 或 ?<!）必须是固定长度"),
]


def regex_error(exc: re.error) -> str:
    """re.error as a Chinese phrase, with where in the pattern it went wrong."""
    msg = getattr(exc, "msg", str(exc))
    reason = next((zh for pattern, zh in _REGEX if re.fullmatch(pattern, msg)), "不符合正则表达式的写法")
    pos = getattr(exc, "pos", None)
    return f"{reason}（第{pos + 1}个字符附近）" if pos is not None else reason
