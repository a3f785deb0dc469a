"""Imitates an NLP fine-tuning repository mixing Hugging Face `datasets` preprocessing
(whose .map is not tf.data) with a tf.data pipeline over Wikipedia from tfds that
tokenises through a decorated py_function."""
import datasets
import tensorflow as tf
import tensorflow_datasets as tfds
from transformers import AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
MAX_LEN = 128


@tf.py_function(Tout=tf.int32)
def tokenize_py(text):
    ids = tokenizer.encode(text.numpy().decode("utf-8"), truncation=True, max_length=MAX_LEN)
    return tf.constant(ids, dtype=tf.int32)


def hf_glue(batch_size=32):
    raw = datasets.load_dataset("glue", "sst2")
    encoded = raw.map(lambda b: tokenizer(b["sentence"], truncation=True, padding="max_length",
                                          max_length=MAX_LEN), batched=True, num_proc=4)
    encoded = encoded.map(lambda ex: {"labels": ex["label"]})
    return encoded["train"].to_tf_dataset(columns=["input_ids", "attention_mask"],
                                          label_cols=["labels"], batch_size=batch_size)


def wiki_lm(batch_size=16):
    ds = tfds.load("wikipedia/20230601.en", split="train")
    ds = ds.map(lambda ex: ex["text"], num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.map(tokenize_py, num_parallel_calls=tf.data.AUTOTUNE)  # expect: TFP101
    ds = ds.map(lambda ids: {"x": ids[:-1], "y": ids[1:]})
    return ds.padded_batch(batch_size).prefetch(1)
