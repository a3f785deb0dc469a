"""Greedy longest-match-first WordPiece in pure Python (as in the original BERT code)."""


class WordpieceTokenizer:
    def __init__(self, vocab, unk="[UNK]", max_chars=100):
        self.vocab = vocab
        self.unk = unk
        self.max_chars = max_chars

    def tokenize(self, text):
        output = []
        for token in text.strip().split():
            chars = list(token)
            if len(chars) > self.max_chars:
                output.append(self.unk)
                continue
            start, sub_tokens, bad = 0, [], False
            while start < len(chars):
                end = len(chars)
                cur = None
                while start < end:
                    piece = "".join(chars[start:end])
                    if start > 0:
                        piece = "##" + piece
                    if piece in self.vocab:
                        cur = piece
                        break
                    end -= 1
                if cur is None:
                    bad = True
                    break
                sub_tokens.append(cur)
                start = end
            output.extend([self.unk] if bad else sub_tokens)
        return output
