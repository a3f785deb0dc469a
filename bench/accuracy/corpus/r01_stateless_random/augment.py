"""Imitates the TensorFlow data-augmentation tutorial's stateless variant: a seed is
zipped into the dataset and stateless ops are used, and maps carry no
num_parallel_calls (automatic map parallelization applies)."""
import tensorflow as tf

IMG = 180


def resize_and_rescale(image, label):
    image = tf.image.resize(tf.cast(image, tf.float32), [IMG, IMG]) / 255.0
    return image, label


def augment(image_label, seed):
    image, label = image_label
    image = tf.image.resize_with_crop_or_pad(image, IMG + 6, IMG + 6)
    new_seed = tf.random.experimental.stateless_split(seed, num=1)[0, :]
    image = tf.image.stateless_random_crop(image, size=[IMG, IMG, 3], seed=new_seed)
    image = tf.image.stateless_random_brightness(image, max_delta=0.5, seed=new_seed)
    image = tf.clip_by_value(image, 0, 1)
    return image, label


def build(train_ds, batch_size=32):
    counter = tf.data.experimental.Counter()
    train_ds = tf.data.Dataset.zip((train_ds, (counter, counter)))
    train_ds = train_ds.map(augment)
    train_ds = train_ds.map(lambda x, y: (tf.cast(x, tf.float16), y))
    return train_ds.batch(batch_size)


def from_arrays(images, labels):
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(resize_and_rescale)
    return build(ds)
