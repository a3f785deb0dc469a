"""Imitates a JAX/Flax diffusion-model repo that feeds tf.data from Hugging Face
`datasets`: HF `.map(..., remove_columns=..., batch_size=...)` (not tf.data),
`from_generator(lambda: hfds)` over in-memory records, tfds for CelebA with a
random crop mapped without num_parallel_calls, a dispatch on a string name."""
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds
from datasets import load_dataset


def random_crop_fn(x):
    img = tf.cast(x["image"], tf.float32)
    img = tf.image.random_crop(img, (140, 140, 3))
    return tf.image.resize(img, (64, 64))


def get_dataset(dataset: str, batch_size: int):
    if dataset == "pokemon":
        hfds = load_dataset("lambdalabs/pokemon-blip-captions", split="train")
        hfds = hfds.map(
            lambda sample: {"image": sample["image"].resize((64 + 16, 64 + 16))},
            remove_columns=["text"],
            batch_size=96,
        )
        X = np.stack(hfds["image"])
        ds = tf.data.Dataset.from_tensor_slices(X.astype(np.float32))
    elif dataset == "cartoonset":
        hfds = load_dataset("cgarciae/cartoonset", "10k", split="train")
        ds = tf.data.Dataset.from_generator(
            lambda: hfds,
            output_signature={
                "img_bytes": tf.TensorSpec(shape=(), dtype=tf.string),
            },
        )

        def process_fn(x):
            x = tf.image.decode_png(x["img_bytes"], channels=3)
            x = tf.cast(x, tf.float32)
            x = tf.image.resize(x, (128, 128))
            return x

        ds = ds.map(process_fn)
    elif dataset == "celeba":
        ds = tfds.load("celeb_a", split="train")
        ds = ds.map(random_crop_fn)  # expect: TFP105
    else:
        raise ValueError(f"Unknown dataset {dataset}")

    ds = ds.map(lambda x: x / 127.5 - 1.0)
    ds = ds.repeat()
    ds = ds.shuffle(seed=42, buffer_size=1_000)
    ds = ds.batch(batch_size, drop_remainder=True)
    ds = ds.prefetch(tf.data.AUTOTUNE)
    return tfds.as_numpy(ds)
