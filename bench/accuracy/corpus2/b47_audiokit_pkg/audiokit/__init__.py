"""Imitates a small audio-feature package (`audiokit`) with relative imports."""
