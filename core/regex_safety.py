"""Whether a user's regular expression is safe to run on every check: it compiles, and it is not shaped
to backtrack for minutes on a long paragraph. core.schema uses it on the user's own word lists; the
check process's time limit (core.check.check_service) stops whatever slips through.
"""
from __future__ import annotations

import re

from core.messages import regex_error

try:  # the parser re itself uses; its module name changed in 3.11
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10 and older are not supported anyway
    import sre_constants as _sre
    import sre_parse as _sre_parse

# A user's regular expression is refused when it could take minutes on a long report.
REGEX_MAX_CHARS = 300
# Two long repeats of almost any character (.*市.*局) take 30 s on a 4,000-character paragraph; one is fine.
REGEX_MAX_UNBOUNDED = 1
_CHAR_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")
REGEX_MAX_CHAIN = 2  # long repeats one after another ([市局]*[市局]*[市局]* is n⁴ on a run of 市)


def replace_problem(pattern: str, replace: str) -> str | None:
    """The replacement template refers only to groups the pattern has (\\1, \\g<name>)."""
    try:
        _sre_parse.parse_template(replace, re.compile(pattern))
    except re.error as exc:
        return f"替换写法 {replace!r} 不对：{regex_error(exc)}。"
    except Exception:  # noqa: BLE001 - the private parser's signature may change; the engine then reports it
        return None
    return None




def regex_problem(source: str) -> str | None:
    """Why a user's regular expression cannot be used, in Chinese, or None. Besides not compiling, a
    pattern is refused when it is long or shaped to backtrack without end on a long report: a repeat
    inside a repeat ((a+)+, (?:党的.*)*), a repeat of parts of different lengths ((?:市|市市)*), or more
    than one long repeat of almost any character (.*市.*局)."""
    # a character class is one step however many characters it lists (a list of surnames is cheap)
    length = len(_CHAR_CLASS.sub("C", source))
    if length > REGEX_MAX_CHARS:
        return f"正则表达式有{length}个字符，超过了{REGEX_MAX_CHARS}个，请拆成几条。"
    try:
        re.compile(source)
    except re.error as exc:
        return f"正则表达式 {source!r} 无效：{regex_error(exc)}。"
    except (RecursionError, OverflowError, ValueError):
        return f"正则表达式 {source!r} 过于复杂。"
    try:
        tree = _sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - compiled above; the private parser may differ between versions
        return None
    counts = {"open": 0, "nested": False, "ambiguous": False}
    _walk_repeats(tree, False, counts)
    if counts["ambiguous"]:
        return (f"正则表达式 {source!r} 中重复的部分长短不一（如 (?:市|市局)*），同一段文字可以有很多种拆法，"
                f"遇到长段落可能要算上几分钟，请改写（让重复的部分长度固定，或去掉外层的 * +）。")
    if counts["nested"]:
        return (f"正则表达式 {source!r} 中有重复套重复（如 (a+)+、(?:…*)*），遇到长段落可能要算上几分钟，"
                f"请改写（把外层的 * + 换成固定次数，或去掉里层的重复）。")
    if _chain(tree) > REGEX_MAX_CHAIN:
        return (f"正则表达式 {source!r} 中有{_chain(tree)}处不限次数的重复连在一起（如 [市局]*[市局]*[市局]*），"
                f"遇到长段落可能很慢，最多{REGEX_MAX_CHAIN}处（其余可改为 {{0,20}} 这样的有限次数）。")
    if counts["open"] > REGEX_MAX_UNBOUNDED:
        return (f"正则表达式 {source!r} 中有{counts['open']}处不限次数地重复任意文字（如 .* 或 [^。]*），"
                f"遇到长段落可能很慢，最多写{REGEX_MAX_UNBOUNDED}处（其余可改为 .{{0,20}} 这样的有限次数）。")
    return None


_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}


def _walk_repeats(tree, inside: bool, counts: dict) -> None:
    for op, av in tree:
        if op in _REPEATS:
            low, high, body = av
            if _long(high) and _wide(body):
                counts["open"] += 1
            repeats = high > 1
            if repeats and inside:
                counts["nested"] = True
            if (_long(high) or high > 10) and _variable_width(body):
                counts["ambiguous"] = True
            _walk_repeats(body, inside or repeats, counts)
        elif op == _sre.SUBPATTERN:
            _walk_repeats(av[-1], inside, counts)
        elif op == _sre.BRANCH:
            for branch in av[1]:
                _walk_repeats(branch, inside, counts)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            _walk_repeats(av[1], inside, counts)
        elif op == getattr(_sre, "ATOMIC_GROUP", None):
            _walk_repeats(av, inside, counts)



def _variable_width(body) -> bool:
    """A repeated part that can match texts of different lengths ((?:市|市市), (?:a|)): a long run
    can then be split into repeats in very many ways, and a match that fails tries them all."""
    try:
        low, high = body.getwidth()
    except Exception:  # noqa: BLE001 - the private parser may change; the check process's time limit remains
        return False
    return low != high


def _wide(body) -> bool:
    """A repeated part that takes almost any character: ., a negated class, \\w, \\S, \\D …"""
    if len(body) != 1:
        return True  # a group of several parts: counted, to be safe
    op, av = body[0]
    if op in (_sre.ANY, _sre.NOT_LITERAL):
        return True
    if op == _sre.IN:
        # \\s and \\d take few characters; \\w, \\S, \\D and [^…] almost any
        return any(kind == _sre.NEGATE or (kind == _sre.CATEGORY and ("NOT" in str(value) or "WORD" in str(value)))
                   for kind, value in av)
    if op == _sre.SUBPATTERN:
        return _wide(av[-1])
    return False


def _long(high) -> bool:
    return high == _sre.MAXREPEAT or high > 50


def _chain(tree) -> int:
    """How many long repeats can follow one another in a match (alternatives counted apart)."""
    total = 0
    for op, av in tree:
        if op in _REPEATS:
            total += int(_long(av[1])) + _chain(av[2])
        elif op == _sre.SUBPATTERN:
            total += _chain(av[-1])
        elif op == _sre.BRANCH:
            total += max((_chain(b) for b in av[1]), default=0)
    return total
