"""Imitates an NLP fine-tuning repo built on Hugging Face `datasets`: `Dataset.from_generator`
(HF, not tf.data), `.map(tokenize, batched=True, num_proc=1)`, pandas `.map` on a label
column, then `to_tf_dataset` and a Keras fit. None of these `.map`/`from_generator`
calls are tf.data. Expected: nothing."""
import json

from datasets import Dataset
from transformers import AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")


def dummy_gen(path="instructions.jsonl"):
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            yield {"instruction": rec["instruction"], "input": rec.get("input", ""),
                   "label": rec["label"]}


def tokenize(batch):
    texts = [a + "\n" + b for a, b in zip(batch["instruction"], batch["input"])]
    out = tokenizer(texts, truncation=True, max_length=128, padding="max_length")
    return {"input_ids": out["input_ids"], "attention_mask": out["attention_mask"]}


def build(label2id):
    dataset = Dataset.from_generator(dummy_gen)
    frame = dataset.to_pandas()
    frame["label"] = frame["label"].map(label2id)
    dataset = Dataset.from_pandas(frame)
    dataset = dataset.map(
        tokenize,
        batched=True,
        batch_size=len(dataset),
        num_proc=1,
        keep_in_memory=True,
        load_from_cache_file=False,
        remove_columns=["instruction", "input"],
    )
    tf_ds = dataset.to_tf_dataset(columns=["input_ids", "attention_mask"], label_cols=["label"],
                                  batch_size=16, shuffle=True)
    return tf_ds
