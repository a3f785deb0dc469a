"""Text utilities shared by the NLP pipelines of the corpus (pure Python: they hold the GIL)."""

import collections
import re
import unicodedata

_TAG_RE = re.compile(r"<[^>]+>")
_URL_RE = re.compile(r"https?://\S+")
_PUNCT_RE = re.compile(r"([.,!?;:()\"'])")
_SPACE_RE = re.compile(r"\s+")

WORDS = (
    "the a movie film was is great terrible plot actor actress scene story director really quite "
    "boring brilliant awful wonderful music score camera ending beginning character characters "
    "performance script dialogue laugh cry watch watched again never always recommend minutes hour "
    "time worst best love hate funny sad dark light slow fast long short"
).split()


def synthetic_reviews(n, words_per_review=220, seed=0):
    """Deterministic fake movie reviews with some HTML noise and URLs."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        toks = [rng.choice(WORDS) for _ in range(words_per_review)]
        for j in range(0, words_per_review, 37):
            toks[j] = toks[j].capitalize() + rng.choice([".", "!", "?", ","])
        toks.insert(rng.randrange(len(toks)), "<br /><br />")
        toks.insert(rng.randrange(len(toks)), f"http://example.com/r/{i}")
        out.append(" ".join(toks))
    return out


def normalize_text(text):
    text = unicodedata.normalize("NFKC", text)
    text = _TAG_RE.sub(" ", text)
    text = _URL_RE.sub(" <url> ", text)
    text = _PUNCT_RE.sub(r" \1 ", text.lower())
    return _SPACE_RE.sub(" ", text).strip()


class Vocab:
    """A word-piece-like vocabulary: greedy longest-match over sub-words, in Python."""

    def __init__(self, words=WORDS, max_pieces=4):
        self.token_to_id = {"<pad>": 0, "<unk>": 1, "<url>": 2}
        for w in sorted(set(words)):
            for k in range(1, min(len(w), max_pieces) + 1):
                self.token_to_id.setdefault(w[:k], len(self.token_to_id))
                self.token_to_id.setdefault("##" + w[k:], len(self.token_to_id))
            self.token_to_id.setdefault(w, len(self.token_to_id))
        for p in ".,!?;:()\"'":
            self.token_to_id.setdefault(p, len(self.token_to_id))

    def wordpiece(self, word):
        if word in self.token_to_id:
            return [self.token_to_id[word]]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.token_to_id:
                    pieces.append(self.token_to_id[piece])
                    break
                end -= 1
            else:
                return [self.token_to_id["<unk>"]]
            start = end
        return pieces

    def encode(self, text, max_len=256):
        ids = []
        for word in normalize_text(text).split(" "):
            ids.extend(self.wordpiece(word))
        ids = ids[:max_len]
        return ids + [0] * (max_len - len(ids))


def char_ngram_counts(text, n=3, buckets=512):
    """Hashed character n-gram histogram (fastText-style), one Python loop per character."""
    counts = [0] * buckets
    padded = f"<{text}>"
    for i in range(len(padded) - n + 1):
        h = 2166136261
        for ch in padded[i:i + n]:
            h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
        counts[h % buckets] += 1
    return counts


def top_terms(text, k=32):
    c = collections.Counter(normalize_text(text).split())
    return [w for w, _ in c.most_common(k)]
