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
import re
import sys
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
SHAPE_PENALTY = 3.0  # checked again with the drawn like-shape sets (shapes.txt): 1.5 and 4.5 do worse
WARN_SCORE = 22.0  # the score (Suspect.score) for a warning
ERROR_SCORE = 30.0  # … and for an error
# A word replaced by another of the same reading (two characters at once) is one guess among many
# more: it needs more evidence, most of it from the characters (names and rare words of correct prose
# score high on words alone). Set the same way, on the tune half and the dev part of the corpus.
WORD_WARN_SCORE = 26.0
WORD_MIN_GAIN = 20.0
# A character typed twice (落到实处处, 监督督检查): reported when the line without the second copy is this
# much more probable (natural log). Set by doubling a random character of 600 sentences of held-out
# official prose (74 % found) against every doubled character of the official corpus (six above it
# before the filters of `doubled_chars`, none after).
DOUBLED_GAIN = 12.0
DOUBLED_MIN_COUNT = 500  # a rarer character doubled is most often a name (王婷婷)
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")
# A character left over before the full stop by an edit (引领高质量发展量。): reported when the sentence
# without it is this much more probable and the character stands in a word earlier in the sentence
# (the edit's residue). None of the 23,155 sentence ends of the official corpus reaches it; the two
# leftovers we have (a real report and a reviewer's example) score 18.1 and 19.1.
STRAY_GAIN = 17.5
_END_MARK = re.compile("[。！？；]")
_PARTICLES = frozenset("了吧啊呢吗呀嘛哦等的呐哟么")
_HAN_AROUND = re.compile(r"[\u4e00-\u9fff]*")


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


# A pair of characters as one integer, the way the text's UTF-16 holds it in four bytes: the rare
# pairs of a line are then read straight from its encoding and looked up in C (`_rare_pairs`),
# without a string made and hashed for each pair. Both characters are in the Basic Multilingual
# Plane (ngrams.normalise replaces the others).
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
_FIRST, _SECOND = (0, 16) if sys.byteorder == "little" else (16, 0)


def _pair(a: str, b: str) -> int:
    return ord(a) << _FIRST | ord(b) << _SECOND


def _pair_text(key: int) -> str:
    return chr(key >> _FIRST & 0xFFFF) + chr(key >> _SECOND & 0xFFFF)


def _rare_pairs(s: str, common: frozenset[int]) -> list[int]:
    """Where in `s` a pair of characters starts that is not in `common`: the pairs at even places
    and those at odd places are each the text's UTF-16 read as 32-bit integers."""
    raw = memoryview(s.encode(_UTF16, "surrogatepass"))
    n = len(s)
    is_rare = operator.not_
    rare = list(compress(count(0, 2), map(is_rare, map(common.__contains__, raw[:n // 2 * 4].cast("I")))))
    rare += compress(count(1, 2), map(is_rare, map(common.__contains__, raw[2:2 + (n - 1) // 2 * 4].cast("I"))))
    rare.sort()
    return rare


def _in_word(line: str, at: int, sizes: tuple[int, ...] = (2, 3, 4)) -> bool:
    """Whether the character at `at` is part of a word of jieba's dictionary (of `sizes` characters)."""
    freq = segment.ensure_loaded().FREQ
    return any(freq.get(line[a:a + n]) for n in sizes for a in range(max(0, at - n + 1), at + 1)
               if a + n <= len(line))


def _han_run_start(line: str, at: int) -> int:
    """Where the run of Chinese characters that reaches `at` begins."""
    while at and "\u4e00" <= line[at - 1] <= "\u9fff":
        at -= 1
    return at


def word_gain(line: str, at: int, ch: str, reach: int = 4) -> float:
    """How much more probable the words around `at` are with `ch` (one character or more) there
    (jieba's dictionary)."""
    tokenizer = segment.ensure_loaded()
    lo, hi = max(0, at - reach), min(len(line), at + len(ch) - 1 + reach + 1)
    written = line[lo:hi]
    corrected = written[:at - lo] + ch + written[at - lo + len(ch):]
    log_total = math.log(tokenizer.total)
    return (_segment_logprob(corrected, tokenizer.FREQ, log_total)
            - _segment_logprob(written, tokenizer.FREQ, log_total))


class _Index:
    """What the cheap first steps need, made once from the model: the pairs of characters counted
    often enough not to be suspect (a set of strings), and three tables of character sets as bit
    masks over the model's characters (an intersection is then one `&` of two integers): the
    characters one may have meant for each character, and those counted after / before each."""

    def __init__(self, model: ngrams.Model, table: dict[str, tuple[str, str]], readings: dict[str, str]):
        chars1, chars2, counts2, off = model.chars[1], model.chars[2], model.counts[2], model.offsets[1]
        decode = model._decode
        # bits numbered from the most frequent character: the sets' integers end at their rarest
        # member, so most of them are short and `&` on them quick
        ranked = sorted(range(len(chars1)), key=lambda i: (-decode[model.counts[1][i]], i))
        bit = {chars1[i]: r for r, i in enumerate(ranked)}
        size = len(chars1) // 8 + 1
        after = [bytearray(size) for _ in chars1]  # by the character's bit
        before = [bytearray(size) for _ in chars1]
        common = []
        for i, a in enumerate(chars1):
            lo, hi = off[i], off[i + 1]
            ia = bit[a]
            row = after[ia]
            for k in range(lo, hi):
                n = decode[counts2[k]]
                if n < RARE:
                    continue
                b = chars2[k]
                common.append(_pair(a, b))
                if n >= FIT:
                    j = bit[b]
                    row[j >> 3] |= 1 << (j & 7)
                    before[j][ia >> 3] |= 1 << (ia & 7)
        self.common = frozenset(common)  # the pairs counted at least RARE times (`_pair`)
        self.bit = bit
        self.follow = {ch: int.from_bytes(after[j], "little") for ch, j in bit.items()}
        self.precede = {ch: int.from_bytes(before[j], "little") for ch, j in bit.items()}
        self.chars = "".join(chars1[i] for i in ranked)  # the character of each bit

        def mask(chars: str) -> int:
            row = bytearray(size)
            for c in chars:
                j = bit.get(c)
                if j is not None and _is_han(c):
                    row[j >> 3] |= 1 << (j & 7)
            return int.from_bytes(row, "little")

        # for every character written, counted or not (禾 for 和): the ones meant are counted ones
        self.sound = {x: mask(sound) for x, (sound, _) in table.items() if _is_han(x)}
        self.shape = {x: mask(shape) for x, (_, shape) in table.items() if _is_han(x)}
        self.candidates = {x: self.sound[x] | self.shape[x] for x in self.sound}
        # each character's toneless pinyin: what pinyin input puts in when it picks the wrong word
        self.reading = {c: r for r, chars in readings.items() for c in chars if c in bit and _is_han(c)}


@lru_cache(maxsize=1)
def _index() -> _Index | None:
    model = ngrams.model()
    return _Index(model, ngrams.confusion(), ngrams.readings()) if model is not None else None


def prepare() -> None:
    """Load the statistics and build the index now rather than in the first check."""
    index = _index()
    if index is not None and segment.is_loaded():
        _words_by_reading(index)


class _Scorer:
    """log probabilities of stretches of one line (`s`, with its BOS and EOS) under the model, as
    written and with characters replaced. The line as written is scored once per place, however many
    corrections around it are tried (suspects come in runs)."""

    def __init__(self, model: ngrams.Model, s: str):
        self.model, self.s = model, s
        self.step, self.logp, self.order = model.step, model.logp, model.order
        self._states: dict[int, tuple] = {}
        self._terms: dict[int, float] = {}

    def state(self, k: int) -> tuple:
        """The nodes of the n-grams of the text as written that end at k (k = -1: none yet)."""
        if k < 0:
            return self.model.start()
        found = self._states.get(k)
        if found is None:
            prev = self._states.get(k - 1)
            if prev is None:  # only the last order - 1 characters matter
                prev = self.model.start()
                for i in range(max(0, k - self.order + 1), k):
                    prev = self.step(prev, self.s[i])
            found = self._states[k] = self.step(prev, self.s[k])
        return found

    def written(self, j: int, size: int) -> float:
        """`window` of the text as written, for `size` characters at j."""
        total = 0.0
        for k in range(j, min(len(self.s), j + size - 1 + self.order)):
            term = self._terms.get(k)
            if term is None:
                term = self._terms[k] = self.logp(self.state(k - 1), self.state(k))
            total += term
        return total

    def window(self, prev: tuple, j: int, ch: str, floor: float = -math.inf) -> float:
        """log P of the characters whose probability those at j… change, with `ch` (one character or
        more) there (`prev`: the nodes of the n-grams ending just before j); -inf as soon as it falls
        below `floor` (each term only lowers it)."""
        s, step, logp = self.s, self.step, self.logp
        total = 0.0
        for k in range(j, min(len(s), j + len(ch) - 1 + self.order)):
            cur = step(prev, ch[k - j] if k - j < len(ch) else s[k])
            total += logp(prev, cur)
            if total < floor:
                return -math.inf
            prev = cur
        return total


@lru_cache(maxsize=8192)
def suspects(line: str) -> tuple[Suspect, ...]:
    """The best correction at each suspect position of one line: of one character whatever its gain,
    of two characters only when strong enough to report (else it could hide a one-character
    correction that is)."""
    model = ngrams.model()
    index = _index()
    if model is None or index is None or not line:
        return ()
    s = ngrams.BOS + ngrams.normalise(line) + ngrams.EOS
    rare = _rare_pairs(s, index.common)
    if not rare:
        return ()
    unigram, off1, off2, chars2, chars3 = model._unigram, model.offsets[1], model.offsets[2], model.chars[2], model.chars[3]
    follow, precede, candidates, chars1 = index.follow, index.precede, index.candidates, index.chars
    score = _Scorer(model, s)

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
        prev = score.state(j - 1)
        written = score.written(j, 1)
        floor = written + MIN_GAIN  # a correction below it is never kept: its scoring stops there
        gain, c = max((score.window(prev, j, c, floor) - written, c) for c in fitting)
        if gain >= MIN_GAIN:
            bit = 1 << index.bit[c]
            kind = "shape" if index.shape[x] & bit and not index.sound[x] & bit else "sound"
            out.append(Suspect(j - 1, x, c, gain, kind, word_gain(line, j - 1, c)))
    out += _word_suspects(line, s, rare, index, score)
    return tuple(_best_per_place(out))


def _word_suspects(line: str, s: str, rare: list[int], index: _Index, score: _Scorer) -> list[Suspect]:
    """Two characters in a row where a word of the same sound fits: pinyin input put in the wrong
    word of a reading (淡味 for 单位, 墙画 for 强化), so neither character alone can be corrected, since
    each one's neighbour is wrong too. Tried where two of the three pairs the two characters make
    (with the one before, together, with the one after) are rare (`rare`: where a rare pair starts),
    and only with words of jieba's dictionary that are counted often, sound the same (toneless
    pinyin) and are counted with both neighbours."""
    words_read, reading, common = _words_by_reading(index), index.reading, index.common
    last = len(s) - 2  # the second character must not be the line's end mark
    # two rare pairs at most two places apart (k, k + 1 or k, k + 2) make the places between them
    # such pairs: k and k + 1 for neighbours, k + 1 for a gap of one (found from the sorted starts)
    gaps = list(map(operator.sub, rare[1:], rare))
    close = compress(zip(rare, gaps), map((3).__gt__, gaps))
    pairs = sorted({j for k, gap in close for j in ((k, k + 1) if gap == 1 else (k + 1,)) if 0 < j < last})
    # the words read as each pair is: looked up all at once (map runs in C; most pairs have none)
    readings = zip(map(reading.get, map(s.__getitem__, pairs)), map(reading.get, map(s.__getitem__, map((1).__add__, pairs))))
    out = []
    for j, same in zip(pairs, map(words_read.get, readings)):
        if not same:
            continue
        x, a, b = s[j:j + 2], s[j - 1], s[j + 2]
        words = [w for w in same if w != x and _pair(a, w[0]) in common and _pair(w[1], b) in common]
        if not words:
            continue
        prev = score.state(j - 1)
        written = score.written(j, 2)
        floor = written + WORD_MIN_GAIN
        gain, w = max((score.window(prev, j, w, floor) - written, w) for w in words)
        if gain >= WORD_MIN_GAIN:  # spare the rest the words' cost: they are never reported
            found = Suspect(j - 1, x, w, gain, "sound", word_gain(line, j - 1, w))
            if found.score >= WORD_WARN_SCORE:
                out.append(found)
    return out


@lru_cache(maxsize=1)
def _words_by_reading(index: _Index) -> dict[tuple[str, str], tuple[str, ...]]:
    """The two-character words of jieba's dictionary that the counts hold often (FIT), by the toneless
    pinyin of their characters: what _word_suspects may put in. Made once, on first use."""
    freq = segment.ensure_loaded().FREQ
    reading, follow, bit = index.reading, index.follow, index.bit
    out: dict[tuple[str, str], list[str]] = {}
    for w in map(_pair_text, index.common):
        if w[0] in reading and w[1] in reading and freq.get(w) and follow[w[0]] >> bit[w[1]] & 1:
            out.setdefault((reading[w[0]], reading[w[1]]), []).append(w)
    return {k: tuple(sorted(v)) for k, v in out.items()}  # sorted: the same order in every run


def _best_per_place(found: list[Suspect]) -> list[Suspect]:
    """One suspect per place: where a one-character and a two-character correction overlap, the
    one with the better score."""
    found.sort(key=lambda x: -x.score)
    taken: set[int] = set()
    kept = []
    for x in found:
        span = range(x.start, x.start + len(x.char))
        if taken.isdisjoint(span):
            taken.update(span)
            kept.append(x)
    return sorted(kept, key=lambda x: x.start)


def line_findings(line: str, offset: int) -> list[Finding]:
    findings = []
    listed = None
    for s in suspects(line):
        if s.score < WARN_SCORE:  # (a two-character one is in `suspects` only when strong enough)
            continue
        if listed is None:  # the 错别字 lists' own findings on this line: one finding a character
            listed = bytearray(len(line) + 1)
            for f in patterns.scan(None, line, "typo", patterns.typo_entries()) + patterns.traditional(line):
                listed[f.start:f.end] = b"\x01" * (f.end - f.start)
        size = len(s.char)
        if any(listed[s.start:s.start + size]):
            continue
        # certain only when the text as written makes no word there: a word may be meant (紧紧扭住)
        case = ("certain" if s.score >= ERROR_SCORE and not any(_in_word(line, s.start + k) for k in range(size))
                else "likely")
        at = offset + s.start
        before, after = line[s.start - 1:s.start] if s.start else "", line[s.start + size:s.start + size + 1]
        before, after = (ch if "\u4e00" <= ch <= "\u9fff" else "" for ch in (before, after))
        findings.append(say("spelling.confusion", at, at + size, s.correction, case=case, char=s.char,
                            correction=s.correction, before=before, after=after))
    return findings


def _overlaps(text: str, start: int, end: int, form: str) -> bool:
    """Whether an occurrence of `form` in `text` shares a character with start…end."""
    return form in text[max(0, start - len(form) + 1):end + len(form) - 1]


@lru_cache(maxsize=8192)
def doubled_chars(line: str) -> tuple[tuple[int, str], ...]:
    """(offset, character) of each character typed twice in `line`: the second copy makes no word
    with the first (the best segmentation puts them in different words, one of them alone: 落到实处|处,
    监督|督), the line is far more probable without it, and it is no reduplication (层层, 团团伙伙) and no
    rare character (a name). (check_spelling leaves the typo rule's doubled function words to it: that
    list is the user's to change, this cache is not cleared with it.)"""
    model = ngrams.model()
    if model is None:
        return ()
    out = []
    for m in _DOUBLED.finditer(line):
        x, at = m.group(1), m.start()
        if x == "地" or model.count(x) < DOUBLED_MIN_COUNT:
            continue  # 地 after an adverbial (脚踏实地地)
        if _DOUBLED.match(line, at + 2) or (at >= 2 and _DOUBLED.match(line, at - 2)):
            continue  # 团团伙伙, 红红火火
        if not _copies_apart(line, at):
            continue
        s = ngrams.BOS + ngrams.normalise(line) + ngrams.EOS
        if _deletion_gain(model, s, at + 2) >= DOUBLED_GAIN:
            out.append((at, x))
    return tuple(out)


@lru_cache(maxsize=8192)  # by line, as `suspects`: while typing only the edited lines are new
def stray_ends(line: str) -> tuple[tuple[int, str], ...]:
    """(offset, character) of each character left over at a sentence's end (发展量。): it makes no word
    with what comes before it, follows a word of two characters or more, stands in a word earlier in
    the same sentence, and the sentence is far more probable without it."""
    model = ngrams.model()
    if model is None:
        return ()
    freq = segment.ensure_loaded().FREQ
    out = []
    s = None
    ends = [m.start() for m in _END_MARK.finditer(line)]  # (the marks, then a look back: quicker than
    for k, end in enumerate(ends):                         # an expression tried at every character)
        at = end - 1
        x = line[at] if at >= 0 else ""
        if not "\u4e00" <= x <= "\u9fff":
            continue
        if (x in _PARTICLES or x in _NUMERALS or (at >= 1 and freq.get(line[at - 1:at + 1]))
                or (at >= 2 and freq.get(line[at - 2:at + 1])) or (at >= 3 and freq.get(line[at - 3:at + 1]))):
            continue
        sentence = line[ends[k - 1] + 1 if k else 0:at]
        if not any(_in_word(sentence, i, (2, 3)) for i, ch in enumerate(sentence) if ch == x):
            continue  # (no echo of the character in a word earlier in the sentence)
        words = segment.path(line[_han_run_start(line, at):at])
        if not words or len(words[-1]) < 2:
            continue
        if s is None:
            s = ngrams.BOS + ngrams.normalise(line) + ngrams.EOS
        if _deletion_gain(model, s, at + 1) >= STRAY_GAIN:
            out.append((at, x))
    return tuple(out)


def _copies_apart(line: str, at: int) -> bool:
    """Whether the best segmentation of the Chinese run around line[at:at + 2] (one character twice)
    puts the two copies in different words, one of them a word of one character."""
    start = _han_run_start(line, at)
    end = _HAN_AROUND.match(line, at).end()
    pos = start
    alone = False
    for word in segment.path(line[start:end]):
        if pos <= at and at + 1 < pos + len(word):
            return False  # one word holds both (处处, 熠熠生辉)
        if len(word) == 1 and pos in (at, at + 1):
            alone = True
        pos += len(word)
    return alone


def _deletion_gain(model: ngrams.Model, s: str, j: int) -> float:
    """log P(s without its character at j) - log P(s): only the characters from j to order - 1 past
    it have other histories."""
    prev = model.start()
    for i in range(max(0, j - model.order + 1), j):
        prev = model.step(prev, s[i])
    end = min(len(s), j + model.order)
    written, state = 0.0, prev
    for k in range(j, end):
        cur = model.step(state, s[k])
        written += model.logp(state, cur)
        state = cur
    deleted, state = 0.0, prev
    for k in range(j + 1, end):
        cur = model.step(state, s[k])
        deleted += model.logp(state, cur)
        state = cur
    return deleted - written


@rule("spelling")
def check_spelling(ctx: Context):
    if ngrams.model() is None or not segment.available():
        return
    text = ctx.text
    old_forms = patterns.forms_then_right(ctx)
    function_words, _ = patterns.doubled_data()  # 的的 is the typo rule's  # (拚搏, 奢糜 in a text of 1995: as the typo rule, silent)
    marks = ctx.quoted()
    start = 0
    for line in text.split("\n"):
        for at, char in stray_ends(line):
            yield say("spelling.stray", start + at, start + at + 1, "", char=char)
        for at, char in doubled_chars(line):
            if function_words is not None and function_words.match(line, at):
                continue
            # a quotation or a saying in quotation marks may double on purpose (“墙上挂挂”)
            if not marks[start + at] and line.count("“", 0, at) <= line.count("”", 0, at):
                yield say("spelling.doubled", start + at, start + at + 2, char, char=char)
        for f in line_findings(line, start):
            # A word written the same way more than once, never as the word we would put there, is the
            # writer's own (a name: 戚世国 … 戚世国), not a slip of the input method.
            written = text[f.start:f.end]
            if len(written) > 1 and text.count(written) > 1 and f.suggestion not in text:
                continue
            if any(_overlaps(text, f.start, f.end, form) for form in old_forms):
                continue
            yield f
        start += len(line) + 1
