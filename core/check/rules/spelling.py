"""Misspellings no list names: a character the statistics of edited official prose find improbable
where a character of like sound or shape would be far more probable (rule `spelling`).

For each line: positions where the text leaves the counted language (a pair of characters seen
rarely or never) are the suspects; for each, the characters one may have meant (resources/lm/
confusion.txt) that make an attested sequence with both neighbours are tried, and the line's
probability under the n-gram model (core/text/ngrams.py) with the best of them is compared with
the line as written. Only a correction far more probable than the text is reported: a warning, or an
error when the gain is overwhelming. Names of people and places are the usual rare sequences of
correct text, so the thresholds are set on prose that has none of these errors.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat

from core.check.findings import Finding
from core.check.rules import Context, patterns, rule
from core.check.rules.messages import say
from core.text import ngrams, segment

RARE = 3  # a pair of characters counted fewer times than this makes its characters suspects
FIT = 5  # a correction must make pairs counted at least this often with both neighbours
MIN_GAIN = 6.0  # natural-log gain in the characters' probability below which nothing is said
# Set on half of the typo benchmark (eval_typos.py --split tune) and half of the held-out official
# prose (eval_typos.py --official --part A): the most misspelt sentences found while official prose
# gets under 0.3 warnings and 0.1 errors per 10,000 characters.
WORD_WEIGHT = 1.0  # a gain in words counts as much as a gain in characters
SHAPE_PENALTY = 3.0
WARN_SCORE = 22.0  # the score (Suspect.score) for a warning
ERROR_SCORE = 30.0  # … and for an error


@dataclass(frozen=True)
class Suspect:
    start: int  # offset in the line
    char: str
    correction: str
    gain: float  # log P(line corrected) - log P(line as written), characters
    kind: str  # "sound" or "shape"
    word_gain: float = 0.0  # the same in words of jieba's dictionary, around the character

    @property
    def score(self) -> float:
        """The evidence for the correction: characters, words, and a shape slip counted less
        (typing by pinyin makes slips of sound; one of shape is rarer)."""
        return self.gain + WORD_WEIGHT * self.word_gain - (SHAPE_PENALTY if self.kind == "shape" else 0.0)


_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS


def _segment_logprob(text: str, freq: dict, log_total: float) -> float:
    """The best segmentation of `text` into words of jieba's dictionary (up to four characters),
    as a sum of log word probabilities; a character in no word costs a rare word's price."""
    best = [0.0] + [-1e18] * len(text)
    for i in range(1, len(text) + 1):
        for n in range(1, min(4, i) + 1):
            f = freq.get(text[i - n:i])
            if f:
                v = best[i - n] + math.log(f) - log_total
            elif n == 1:
                v = best[i - 1] - log_total - 3.0
            else:
                continue
            if v > best[i]:
                best[i] = v
    return best[-1]


def _in_word(line: str, at: int) -> bool:
    """Whether the character at `at` is part of a word of jieba's dictionary (two to four characters)."""
    freq = segment.ensure_loaded().FREQ
    return any(freq.get(line[a:a + n]) for n in (2, 3, 4) for a in range(max(0, at - n + 1), at + 1)
               if a + n <= len(line))


def word_gain(line: str, at: int, ch: str, reach: int = 4) -> float:
    """How much more probable the words around `at` are with `ch` there (jieba's dictionary)."""
    tokenizer = segment.ensure_loaded()
    lo, hi = max(0, at - reach), min(len(line), at + reach + 1)
    written = line[lo:hi]
    corrected = written[:at - lo] + ch + written[at - lo + 1:]
    log_total = math.log(tokenizer.total)
    return (_segment_logprob(corrected, tokenizer.FREQ, log_total)
            - _segment_logprob(written, tokenizer.FREQ, log_total))


class _Index:
    """What the cheap first steps need, made once from the model: the pairs of characters counted
    often enough not to be suspect (a set of strings), and three tables of character sets as bit
    masks over the model's characters (an intersection is then one `&` of two integers): the
    characters one may have meant for each character, and those counted after / before each."""

    def __init__(self, model: ngrams.Model, table: dict[str, tuple[str, str]]):
        chars1, chars2, counts2, off = model.chars[1], model.chars[2], model.counts[2], model.offsets[1]
        bit = model._unigram
        decode = model._decode
        size = len(chars1) // 8 + 1
        after = [bytearray(size) for _ in chars1]
        before = [bytearray(size) for _ in chars1]
        common = []
        for i, a in enumerate(chars1):
            lo, hi = off[i], off[i + 1]
            row = after[i]
            for k in range(lo, hi):
                n = decode[counts2[k]]
                if n < RARE:
                    continue
                b = chars2[k]
                common.append(a + b)
                if n >= FIT:
                    j = bit[b]
                    row[j >> 3] |= 1 << (j & 7)
                    before[j][i >> 3] |= 1 << (i & 7)
        self.common = frozenset(common)
        self.follow = {ch: int.from_bytes(after[i], "little") for i, ch in enumerate(chars1)}
        self.precede = {ch: int.from_bytes(before[i], "little") for i, ch in enumerate(chars1)}
        self.chars = chars1

        def mask(chars: str) -> int:
            row = bytearray(size)
            for c in chars:
                j = bit.get(c)
                if j is not None and _is_han(c):
                    row[j >> 3] |= 1 << (j & 7)
            return int.from_bytes(row, "little")

        self.sound = {x: mask(sound) for x, (sound, _) in table.items() if _is_han(x) and x in bit}
        self.shape = {x: mask(shape) for x, (_, shape) in table.items() if _is_han(x) and x in bit}
        self.candidates = {x: self.sound[x] | self.shape[x] for x in self.sound}


@lru_cache(maxsize=1)
def _index() -> _Index | None:
    model = ngrams.model()
    return _Index(model, ngrams.confusion()) if model is not None else None


def prepare() -> None:
    """Load the statistics and build the index now rather than in the first check."""
    _index()


@lru_cache(maxsize=8192)
def suspects(line: str) -> tuple[Suspect, ...]:
    """The best correction at each suspect position of one line, whatever its gain."""
    model = ngrams.model()
    index = _index()
    if model is None or index is None or not line:
        return ()
    s = ngrams.BOS + ngrams.normalise(line) + ngrams.EOS
    # the pairs counted too rarely, found all at once (map, compress and the set's test run in C)
    rare = list(compress(count(), map(operator.not_, map(index.common.__contains__, map(operator.add, s, s[1:])))))
    if not rare:
        return ()
    order = model.order
    unigram, off1, off2, chars2, chars3 = model._unigram, model.offsets[1], model.offsets[2], model.chars[2], model.chars[3]
    follow, precede, candidates, chars1 = index.follow, index.precede, index.candidates, index.chars
    step, logp = model.step, model.logp

    def window(prev: tuple, j: int, ch: str) -> float:
        """log P of the characters whose probability the one at j changes, with `ch` there
        (`prev`: the nodes of the n-grams ending just before j)."""
        total = 0.0
        for k in range(j, min(len(s), j + order)):
            cur = step(prev, ch if k == j else s[k])
            total += logp(prev, cur)
            prev = cur
        return total

    out = []
    last = len(s) - 1
    # a character is suspect when the pair before it or the pair after it is rare
    positions = sorted({k for k in rare if k} | {k + 1 for k in rare if k + 1 < last})
    # the characters one may have meant there that were counted after the character before and
    # before the one after: bit masks, all positions at once (map runs the look-ups and `&` in C)
    masks = map(operator.and_, map(operator.and_, map(candidates.get, map(s.__getitem__, positions), repeat(0)),
                                   map(follow.get, map(s.__getitem__, [j - 1 for j in positions]), repeat(0))),
                map(precede.get, map(s.__getitem__, [j + 1 for j in positions]), repeat(0)))
    for j, cands in zip(positions, masks):
        if not cands:
            continue
        x, a, b = s[j], s[j - 1], s[j + 1]
        ia = unigram[a]
        lo, hi = off1[ia], off1[ia + 1]
        fitting = []
        while cands:
            low = cands & -cands
            cands ^= low
            c = chars1[low.bit_length() - 1]
            # ... and that make a counted sequence of three with both (else it is not far more probable)
            k = chars2.find(c, lo, hi)
            if chars3.find(b, off2[k], off2[k + 1]) >= 0:
                fitting.append(c)
        if not fitting:
            continue
        prev = model.start()
        for k in range(max(0, j - order + 1), j):
            prev = step(prev, s[k])
        written = window(prev, j, x)
        gain, c = max((window(prev, j, c) - written, c) for c in fitting)
        if gain >= MIN_GAIN:
            bit = 1 << unigram[c]
            kind = "shape" if index.shape[x] & bit and not index.sound[x] & bit else "sound"
            out.append(Suspect(j - 1, x, c, gain, kind, word_gain(line, j - 1, c)))
    return tuple(out)


def line_findings(line: str, offset: int) -> list[Finding]:
    findings = []
    listed = None
    for s in suspects(line):
        if s.score < WARN_SCORE:
            continue
        if listed is None:  # the 错别字 lists' own findings on this line: one finding a character
            listed = bytearray(len(line) + 1)
            for f in patterns.scan(None, line, "typo", patterns.typo_entries()):
                listed[f.start:f.end] = b"\x01" * (f.end - f.start)
        if listed[s.start]:
            continue
        # certain only when the text as written makes no word there: a word may be meant (紧紧扭住)
        case = "certain" if s.score >= ERROR_SCORE and not _in_word(line, s.start) else "likely"
        at = offset + s.start
        before, after = line[s.start - 1:s.start] if s.start else "", line[s.start + 1:s.start + 2]
        before, after = (ch if "\u4e00" <= ch <= "\u9fff" else "" for ch in (before, after))
        findings.append(say("spelling.confusion", at, at + 1, s.correction, case=case, char=s.char,
                            correction=s.correction, before=before, after=after))
    return findings


@rule("spelling")
def check_spelling(ctx: Context):
    if ngrams.model() is None or not segment.available():
        return
    text = ctx.text
    start = 0
    for line in text.split("\n"):
        yield from line_findings(line, start)
        start += len(line) + 1
