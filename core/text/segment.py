"""Chinese word segmentation (jieba), loaded once, with the domain dictionary.

jieba takes about a second to load its dictionary; the GUI calls `ensure_loaded` in the
background at start-up, and every other caller simply pays on first use. Its cache file goes
to the per-user data folder so a bundled program never writes next to itself or into a
shared temp folder.
"""
from __future__ import annotations

import logging
import math
import re
import threading
from functools import lru_cache

from core import resources

_lock = threading.Lock()
_tokenizer = None
_CJK = re.compile(r"[\u4e00-\u9fff]")


def ensure_loaded():
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba  # deferred: jieba takes a second to import; only segmenting needs it

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            cache_dir = resources.user_data_dir() / "cache"
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tokenizer.tmp_dir = str(cache_dir)
            except OSError:
                pass  # an unwritable data folder only costs the cache, not the function
            tokenizer.initialize()
            for path in (resources.resources_dir() / "jieba_userdict.txt",
                         resources.user_data_dir() / "jieba_userdict.txt"):
                if path.is_file():
                    tokenizer.load_userdict(str(path))
            _tokenizer = tokenizer
    return _tokenizer


def is_loaded() -> bool:
    return _tokenizer is not None


# A caller that must not wait for jieba (the window's first check at start-up) sets this to False;
# rules that would like a segmentation then do without it, and a later full check gives it.
load_on_demand = True


def available() -> bool:
    """True when segmentation can be used now (loading it first if that is allowed)."""
    if _tokenizer is None and load_on_demand:
        ensure_loaded()
    return _tokenizer is not None


def is_word(text: str) -> bool:
    """Whether jieba's dictionary (with the domain words) knows `text` as a word."""
    return bool(ensure_loaded().FREQ.get(text))


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def path(run: str) -> list[str]:
    """The words of the most probable segmentation of `run` (Chinese characters only) by jieba's
    dictionary, as jieba finds it without its HMM: a character in no word stands alone."""
    freq = ensure_loaded().FREQ
    get = freq.get
    log_total = math.log(_tokenizer.total)
    log = math.log
    size = len(run)
    best = [0.0] * (size + 1)  # best[i]: log probability of the best segmentation of run[i:]
    length = [1] * (size + 1)  # … and the length of its first word
    for i in range(size - 1, -1, -1):
        score, span = best[i + 1] + log(get(run[i]) or 1) - log_total, 1
        end = i + 2
        while end <= size:
            count = get(run[i:end])
            if count is None:  # the dictionary holds every word's prefixes (count 0): none longer
                break
            if count:
                v = best[end] + log(count) - log_total
                if v > score:
                    score, span = v, end - i
            end += 1
        best[i], length[i] = score, span
    out = []
    i = 0
    while i < size:
        out.append(run[i:i + length[i]])
        i += length[i]
    return out


@lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    """Content words of `text` (two characters or more, Chinese), sub-words included.

    The words of `path`, plus the dictionary words of two and three characters inside each longer
    one (what jieba's `cut_for_search` adds). Written here rather than asking jieba: the same words
    in about a third of the time, and the HMM's guesses at unknown words (二是, 中由局) only ever made
    accidental matches."""
    freq = ensure_loaded().FREQ
    found = set()
    for run in _HAN_RUN.findall(text):
        for word in path(run):
            span = len(word)
            if span < 2:
                continue
            found.add(word)
            for n in range(2, min(span, 4)):
                for a in range(span - n + 1):
                    if freq.get(word[a:a + n]):
                        found.add(word[a:a + n])
    return frozenset(found)
