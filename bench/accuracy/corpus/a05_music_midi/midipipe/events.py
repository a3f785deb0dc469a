"""Pure-Python event encoding of note lists, the way music-transformer repos do it."""
import json

TIME_SHIFT_OFFSET = 256
VELOCITY_OFFSET = 356
MAX_SHIFT = 100


def notes_from_json(raw):
    record = json.loads(raw)
    return [(n["start"], n["end"], n["pitch"], n["velocity"]) for n in record["notes"]]


def encode_notes(notes):
    events = []
    cursor = 0
    for start, end, pitch, velocity in sorted(notes):
        gap = start - cursor
        while gap > 0:
            step = min(gap, MAX_SHIFT)
            events.append(TIME_SHIFT_OFFSET + step - 1)
            gap -= step
        events.append(VELOCITY_OFFSET + velocity // 4)
        events.append(pitch)
        events.append(128 + pitch)
        cursor = end
    return events
