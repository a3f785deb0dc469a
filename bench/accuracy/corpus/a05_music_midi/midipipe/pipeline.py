"""Input pipeline of the MIDI repository: JSON-serialised performances are turned into
event ids with a decorated py_function, then windowed. flat_map uses Python's map on
a list of window sizes (a trap: that map is not tf.data)."""
import numpy as np
import tensorflow as tf

from . import events as ev

SEQ_LEN = 512


@tf.py_function(Tout=tf.int32)
def performance_to_ids(raw):
    notes = ev.notes_from_json(raw.numpy().decode("utf-8"))
    return np.array(ev.encode_notes(notes), dtype=np.int32)


def _windows(ids):
    starts = list(map(int, [0, SEQ_LEN // 2]))
    parts = [tf.data.Dataset.from_tensors(ids[s:s + SEQ_LEN]) for s in starts]
    out = parts[0]
    for p in parts[1:]:
        out = out.concatenate(p)
    return out


def make_dataset(json_files, batch_size=16):
    ds = tf.data.TextLineDataset(json_files)
    ds = ds.map(performance_to_ids, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101, TFP102
    ds = ds.flat_map(_windows)
    ds = ds.filter(lambda x: tf.shape(x)[0] == SEQ_LEN)
    return ds.shuffle(1000).batch(batch_size, drop_remainder=True)
