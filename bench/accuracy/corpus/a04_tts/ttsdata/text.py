"""Text front end of a TTS repository: pure-Python cleaners and symbol lookup."""
import re

_PAD = "_"
_EOS = "~"
_CHARS = "abcdefghijklmnopqrstuvwxyz!'(),-.:;? "
SYMBOLS = [_PAD, _EOS] + list(_CHARS)
_SYMBOL_TO_ID = {s: i for i, s in enumerate(SYMBOLS)}

_WHITESPACE = re.compile(r"\s+")
_ABBREVIATIONS = [
    (re.compile(r"\b%s\." % abbr, re.IGNORECASE), full)
    for abbr, full in [("mrs", "misess"), ("mr", "mister"), ("dr", "doctor"), ("st", "saint")]
]


def expand_abbreviations(text):
    for regex, replacement in _ABBREVIATIONS:
        text = regex.sub(replacement, text)
    return text


def english_cleaners(text):
    text = text.lower()
    text = expand_abbreviations(text)
    return _WHITESPACE.sub(" ", text).strip()


def text_to_sequence(text):
    ids = []
    for ch in english_cleaners(text):
        if ch in _SYMBOL_TO_ID:
            ids.append(_SYMBOL_TO_ID[ch])
    ids.append(_SYMBOL_TO_ID[_EOS])
    return ids
