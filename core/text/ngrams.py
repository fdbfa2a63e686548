"""Character n-gram statistics of edited official prose (resources/lm/ngrams.bin), loaded offline.

The counts are a trie kept as a few flat arrays: the nodes of each level are one string of
characters (a node's children are a contiguous, sorted run of the next level's string, found by
`str.find` between two offsets) with a parallel array of counts. About 2.7 million n-grams take
some 20 MB on disk and in memory and load in a fraction of a second; no dictionary per n-gram is
built. tests/tools/build_ngrams.py makes the file (its docstring gives the format).

Probabilities are interpolated absolute discounting: the share of an n-gram's count in its
context's, minus a discount, plus the discounted mass times the next shorter context's estimate.
"""
from __future__ import annotations

import json
import math
import re
import threading
from array import array
from functools import lru_cache

from core import resources

MAGIC = b"report-assistant ngrams 1\n"
BOS, EOS = "\x02", "\x03"  # the start and end of a line, counted like characters
_DIGIT = re.compile("[1-9０-９]")  # what normalise makes 0 (a regex: str.translate is slow on Chinese text)
DISCOUNT = 0.75
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalise(text: str) -> str:
    """What the counts are of: every digit is 0 (a number's value tells nothing of its spelling);
    characters beyond the Basic Multilingual Plane (rare, and they would double the model's memory)
    become U+FFFD. Lengths are kept, so offsets stay valid."""
    text = _DIGIT.sub("0", text)
    if _ASTRAL.search(text):
        text = _ASTRAL.sub("\ufffd", text)
    return text


def encode_count(n: int) -> int:
    """A count in 16 bits: exact below 4,096, then logarithmic (under 0.3 % off) up to 2^44."""
    if n < 4096:
        return n
    return min(65535, 4096 + round(256 * math.log2(n / 4096)))


def decode_count(v: int) -> float:
    return float(v) if v < 4096 else 4096.0 * 2.0 ** ((v - 4096) / 256)


class Model:
    def __init__(self, data: bytes):
        if not data.startswith(MAGIC):
            raise ValueError("not an n-gram file of this program")
        line_end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC):line_end])
        self.order: int = header["order"]
        pos = line_end + 1
        self.chars: list[str] = [""]
        self.counts: list[list[float]] = [[]]
        self.offsets: list[array] = [array("I")]
        for n, nodes in enumerate(header["nodes"], start=1):
            self.chars.append(data[pos:pos + 2 * nodes].decode("utf-16-le"))
            pos += 2 * nodes
            raw = array("H")
            raw.frombytes(data[pos:pos + 2 * nodes])
            pos += 2 * nodes
            self.counts.append(raw)
            if n < self.order:
                off = array("I")
                off.frombytes(data[pos:pos + 4 * (nodes + 1)])
                pos += 4 * (nodes + 1)
                self.offsets.append(off)
        self._unigram = {ch: i for i, ch in enumerate(self.chars[1])}
        self.total = sum(decode_count(v) for ch, v in zip(self.chars[1], self.counts[1]) if ch not in (BOS, EOS))
        self._floor = 0.5 / (self.total + 0.5 * len(self.chars[1]))
        self._decode = [decode_count(v) for v in range(65536)]  # a table is faster than the formula
        self._unigram_denominator = self.total + 0.5 * len(self.chars[1])
        if self.order == 4:
            self._o1, self._o2, self._o3 = self.offsets[1:4]
            self._c2, self._c3, self._c4 = self.chars[2:5]
            self._n1, self._n2, self._n3, self._n4 = self.counts[1:5]
            self.step = self._step4
            self.logp = self._logp4

    def node(self, gram: str) -> int:
        """The index of `gram` in its level (len(gram)), or -1 when it was not counted."""
        i = self._unigram.get(gram[0], -1)
        for k in range(1, len(gram)):
            if i < 0:
                return -1
            off = self.offsets[k]
            i = self.chars[k + 1].find(gram[k], off[i], off[i + 1])
        return i

    def count(self, gram: str) -> float:
        i = self.node(gram)
        return self._decode[self.counts[len(gram)][i]] if i >= 0 else 0.0

    def followers(self, gram: str) -> str:
        """The characters counted after `gram` (an empty string when none or when it is of the top order)."""
        n = len(gram)
        if n >= self.order:
            return ""
        i = self.node(gram)
        if i < 0:
            return ""
        off = self.offsets[n]
        return self.chars[n + 1][off[i]:off[i + 1]]

    def prob(self, history: str, ch: str) -> float:
        """P(ch | the last order-1 characters of history)."""
        decode = self._decode
        i = self._unigram.get(ch, -1)
        p = (decode[self.counts[1][i]] + 0.5) / (self.total + 0.5 * len(self.chars[1])) if i >= 0 else self._floor
        for n in range(1, min(self.order, len(history) + 1)):
            ctx = history[len(history) - n:]
            j = self.node(ctx)
            if j < 0:
                break
            c_ctx = decode[self.counts[n][j]]
            off = self.offsets[n]
            lo, hi = off[j], off[j + 1]
            if hi == lo:
                break
            k = self.chars[n + 1].find(ch, lo, hi)
            c = decode[self.counts[n + 1][k]] if k >= 0 else 0.0
            p = max(c - DISCOUNT, 0.0) / c_ctx + DISCOUNT * (hi - lo) / c_ctx * p
        return p

    def logprob(self, history: str, ch: str) -> float:
        return math.log(self.prob(history, ch))

    # Walking a text: `step` gives the nodes of the n-grams ending at a character (lengths 1 to
    # order; -1 where not counted) from those ending at the one before, so each character costs at
    # most `order - 1` look-ups; `logp` is then `logprob` without looking anything up again.

    def start(self) -> tuple[int, ...]:
        """The nodes before the first character: nothing counted."""
        return (-1,) * self.order

    def step(self, prev: tuple[int, ...], ch: str) -> tuple[int, ...]:
        cur = [self._unigram.get(ch, -1)]
        chars, offsets = self.chars, self.offsets
        for n in range(1, self.order):
            i = prev[n - 1]
            if i < 0:
                cur += [-1] * (self.order - n)
                break
            off = offsets[n]
            cur.append(chars[n + 1].find(ch, off[i], off[i + 1]))
        return tuple(cur)

    def _step4(self, prev: tuple[int, ...], ch: str) -> tuple[int, ...]:
        """`step` unrolled for the shipped order 4 (the spelling rule calls it most)."""
        i0 = self._unigram.get(ch, -1)
        p = prev[0]
        if p < 0:
            return (i0, -1, -1, -1)
        o = self._o1
        i1 = self._c2.find(ch, o[p], o[p + 1])
        p = prev[1]
        if p < 0:
            return (i0, i1, -1, -1)
        o = self._o2
        i2 = self._c3.find(ch, o[p], o[p + 1])
        p = prev[2]
        if p < 0:
            return (i0, i1, i2, -1)
        o = self._o3
        return (i0, i1, i2, self._c4.find(ch, o[p], o[p + 1]))

    def _logp4(self, prev: tuple[int, ...], cur: tuple[int, ...]) -> float:
        """`logp` unrolled for the shipped order 4."""
        decode = self._decode
        i = cur[0]
        p = (decode[self._n1[i]] + 0.5) / self._unigram_denominator if i >= 0 else self._floor
        for j, k, off, n_ctx, n_next in ((prev[0], cur[1], self._o1, self._n1, self._n2),
                                          (prev[1], cur[2], self._o2, self._n2, self._n3),
                                          (prev[2], cur[3], self._o3, self._n3, self._n4)):
            if j < 0:
                break
            lo, hi = off[j], off[j + 1]
            if hi == lo:
                break
            c_ctx = decode[n_ctx[j]]
            c = decode[n_next[k]] if k >= 0 else 0.0
            p = (c - DISCOUNT if c > DISCOUNT else 0.0) / c_ctx + DISCOUNT * (hi - lo) / c_ctx * p
        return math.log(p)

    def logp(self, prev: tuple[int, ...], cur: tuple[int, ...]) -> float:
        """log P(the character of `cur` | the characters whose nodes are `prev`)."""
        decode, counts = self._decode, self.counts
        i = cur[0]
        p = (decode[counts[1][i]] + 0.5) / (self.total + 0.5 * len(self.chars[1])) if i >= 0 else self._floor
        for n in range(1, self.order):
            j = prev[n - 1]
            if j < 0:
                break
            off = self.offsets[n]
            lo, hi = off[j], off[j + 1]
            if hi == lo:
                break
            c_ctx = decode[counts[n][j]]
            k = cur[n]
            c = decode[counts[n + 1][k]] if k >= 0 else 0.0
            p = max(c - DISCOUNT, 0.0) / c_ctx + DISCOUNT * (hi - lo) / c_ctx * p
        return math.log(p)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model, loaded once (the check worker loads it while the window is built);
    None when the file is missing, so a checkout without the data still checks everything else."""
    path = resources.resources_dir() / "lm" / "ngrams.bin"
    with _lock:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return Model(data)


@lru_cache(maxsize=1)
def confusion() -> dict[str, tuple[str, str]]:
    """Character → (characters of like sound, of like shape) one may have meant instead: the sets
    of confusion.txt, with the like-shape characters of shapes.txt (drawn and compared at build
    time, tests/tools/build_shapes.py) added to the shape ones."""
    out: dict[str, tuple[str, str]] = {}
    for row in resources.iter_table_rows("lm/confusion.txt"):
        ch, sound, shape = (row + ["", ""])[:3]
        out[ch] = (sound, shape)
    for row in resources.iter_table_rows("lm/shapes.txt"):
        ch, drawn = (row + [""])[:2]
        sound, shape = out.get(ch, ("", ""))
        out[ch] = (sound, shape + "".join(c for c in drawn if c not in shape and c not in sound))
    return out


def readings() -> dict[str, str]:
    """Toneless pinyin → the characters read so (resources/lm/pinyin.txt); empty when it is missing."""
    return {row[0]: row[1] for row in resources.iter_table_rows("lm/pinyin.txt") if len(row) == 2}
