"""Renderers: one module per output format, all fed the same `Finding` objects."""
