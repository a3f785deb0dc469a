"""Imitates a JAX language-model notebook feeding tiny_shakespeare from tfds through a
Python tokenizer: `tokenize_fn` decodes the tensor and runs a pure-Python BPE merge
loop; `py_tokenize_fn` wraps it in `tf.py_function`; the map uses AUTOTUNE and
deterministic=False. CPU-bound Python at AUTOTUNE: TFP101 + TFP102."""
import tensorflow as tf
import tensorflow_datasets as tfds

MERGES = {("t", "h"): "th", ("th", "e"): "the", ("i", "n"): "in"}
STOI = {}


def bpe(word):
    parts = list(word)
    changed = True
    while changed:
        changed = False
        for i in range(len(parts) - 1):
            pair = (parts[i], parts[i + 1])
            if pair in MERGES:
                parts[i:i + 2] = [MERGES[pair]]
                changed = True
                break
    return parts


def tokenize_fn(text_tensor):
    text = text_tensor.numpy().decode("utf-8")
    tokens = []
    for word in text.split():
        tokens.extend(STOI.get(p, 0) for p in bpe(word))
    return tf.constant(tokens, dtype=tf.int32)


def py_tokenize_fn(text_tensor):
    # tf.py_function is needed to run python code in a tf.data pipeline
    return tf.py_function(tokenize_fn, [text_tensor], tf.int32)


def load_shakespeare_dataset(batch_size, max_len, num_epochs):
    train_ds_raw = tfds.load("tiny_shakespeare", split="train", as_supervised=False)
    lines = train_ds_raw.flat_map(
        lambda ex: tf.data.Dataset.from_tensor_slices(tf.strings.split(ex["text"], "\n")))
    tokens = lines.map(py_tokenize_fn, num_parallel_calls=tf.data.AUTOTUNE,  # expect: TFP101, TFP102
                       deterministic=False)
    tokens = tokens.filter(lambda t: tf.size(t) > 1)
    tokens = tokens.padded_batch(batch_size, padded_shapes=[max_len])
    return tokens.repeat(num_epochs).prefetch(tf.data.AUTOTUNE)
