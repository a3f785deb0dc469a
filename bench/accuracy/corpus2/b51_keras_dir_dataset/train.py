"""Imitates the Keras image-classification tutorial as adapted in countless repos:
`image_dataset_from_directory` (a Keras utility, then not in the receiver list), a
map applying a Keras augmentation *model* without num_parallel_calls (receiver not
decidable, Keras layer not resolvable: silent), then a second dataset whose map carries
`num_parallel_calls` and random tf.image ops followed by `.cache()`."""
import tensorflow as tf
from tensorflow.keras import layers

data_dir = "datasets"
batch_size = 32
img_height = 224
img_width = 224

train_ds = tf.keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.2, subset="training", seed=123,
    image_size=(img_height, img_width), batch_size=batch_size)
val_ds = tf.keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.2, subset="validation", seed=123,
    image_size=(img_height, img_width), batch_size=batch_size)

data_augmentation = tf.keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.1),
])

AUTOTUNE = tf.data.AUTOTUNE
aug_ds = train_ds.map(lambda x, y: (data_augmentation(x, training=True), y))
train_ds = train_ds.cache().shuffle(1000).prefetch(buffer_size=AUTOTUNE)
val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)


def color_jitter(x, y):
    x = tf.image.random_saturation(x, 0.8, 1.2)
    x = tf.image.random_brightness(x, 0.1)
    return x, y


jit_ds = val_ds.map(color_jitter, num_parallel_calls=AUTOTUNE)
jit_ds = jit_ds.cache()  # expect: TFP005

model = tf.keras.Sequential([
    layers.Rescaling(1. / 255, input_shape=(img_height, img_width, 3)),
    layers.Conv2D(16, 3, activation='relu'),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5),
])
model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, validation_data=val_ds, epochs=30)
