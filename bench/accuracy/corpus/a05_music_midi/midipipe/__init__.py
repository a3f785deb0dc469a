"""Imitates a symbolic-music (MIDI) modelling repository."""
