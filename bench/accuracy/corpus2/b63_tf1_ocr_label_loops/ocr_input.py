"""Imitates a TF1 CRNN/OCR repo: the label encoder is written as Python loops *inside*
the parse function used by `dataset.map` -- one over `range(MAX_LABEL_LEN)` (64) and
one directly over an inline 36-character tuple literal, both emitting TF ops; a short loop over
3 image channels; a `for` over `range(tf.shape(...)[0])` (tensor-bounded, fine)."""
import tensorflow as tf

MAX_LABEL_LEN = 64
IMG_H, IMG_W = 32, 256


def parse_example(serialized):
    feats = tf.parse_single_example(serialized, {
        "image": tf.FixedLenFeature([], tf.string),
        "text": tf.FixedLenFeature([], tf.string),
    })
    image = tf.image.decode_png(feats["image"], channels=3)
    image = tf.image.resize_images(image, [IMG_H, IMG_W])
    chans = []
    for c in range(3):
        chans.append((image[..., c] - 127.5) / 127.5)
    image = tf.stack(chans, -1)

    chars = tf.strings.bytes_split(feats["text"])
    codes = []
    for i in range(MAX_LABEL_LEN):  # expect: TFP004
        ch = tf.cond(i < tf.size(chars), lambda: chars[i], lambda: tf.constant(""))
        codes.append(ch)
    codes = tf.stack(codes)
    ids = tf.zeros([MAX_LABEL_LEN], tf.int32)
    k = 0
    for sym in ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9",  # expect: TFP004
                "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
                "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
                "u", "v", "w", "x", "y", "z"):
        k += 1
        ids = ids + tf.cast(tf.equal(codes, sym), tf.int32) * k
    length = tf.size(chars)
    for j in range(tf.shape(ids)[0]):
        ids = ids
    return image, ids, length


def get_batch(record_files, batch_size):
    dataset = tf.data.TFRecordDataset(record_files)
    dataset = dataset.map(parse_example, num_parallel_calls=8)
    dataset = dataset.shuffle(1000).repeat().batch(batch_size)
    iterator = dataset.make_one_shot_iterator()
    return iterator.get_next()
