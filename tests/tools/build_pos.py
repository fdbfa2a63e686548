"""Build resources/rules/pos.txt: the words that make a sentence more than a noun phrase, for the
grammar rule's no-predicate check (a sentence that is only “……的……”).

    python tests/tools/build_pos.py

Reads the dictionary of the installed jieba package (dict.txt, MIT License; every line is word,
count, part of speech) and writes, sorted:
- `v` lines: verbs (tags v, vd, vg, vi, vn, vq; counted at least MIN_COUNT times);
- `x` lines: words that show a clause is built (adjectives, adverbs, prepositions, conjunctions
  other than 和/与/及, pronouns, set phrases and idioms: tags a, ad, an, d, p, c, r, l, i, z; counted
  as often);
- `x` lines too for words of four characters or more tagged as names (nr): mostly idioms;
- `v` lines for report verbs jieba tags otherwise (EXTRA_VERBS: 规范 n, 深化 j, 落实 a, 压实 n).
The output is the same for the same jieba.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "rules" / "pos.txt"
MIN_COUNT = 3
VERB_TAGS = {"v", "vd", "vg", "vi", "vn", "vq"}
CLAUSE_TAGS = {"a", "ad", "an", "d", "p", "c", "r", "l", "i", "z"}
NOT_CLAUSE = {"和", "与", "及", "以及", "的", "之"}  # they join noun phrases
EXTRA_VERBS = ["规范", "深化", "落实", "压实", "夯实", "精准", "聚焦", "统筹", "对标", "对表", "严防", "严把", "严守",
               "筑牢", "织密", "扎牢", "拧紧", "补齐", "做实", "抓实", "走深", "走实", "见效"]


def main() -> int:
    import jieba  # the dictionary the program ships with

    path = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    verbs, clause = set(EXTRA_VERBS), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, count, tag = parts
        if tag in VERB_TAGS and int(count) >= MIN_COUNT:
            verbs.add(word)
        elif tag in CLAUSE_TAGS and word not in NOT_CLAUSE and int(count) >= MIN_COUNT:
            clause.add(word)
        elif tag == "nr" and len(word) >= 4:
            clause.add(word)  # mostly idioms mistagged as names (安如磐石 nr): they can be a predicate
    header = ["# 判断“缺谓语”用的词性词表（tests/tools/build_pos.py 由 jieba 的 dict.txt 生成，MIT License；勿手改）",
              "# v = 动词；x = 说明句子有结构的词（形容词、副词、介词、连词、代词、成语、习用语）"]
    lines = [f"v\t{w}" for w in sorted(verbs)] + [f"x\t{w}" for w in sorted(clause - verbs)]
    OUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{len(verbs)} verbs, {len(clause - verbs)} other words -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
