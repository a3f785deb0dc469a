"""Imitates a tf.data-service tutorial-derived script: an in-process dispatcher and
worker, a `from_generator` source that simulates slow per-element work (sleep plus a
NumPy transform), `register_dataset` + `from_dataset_id`, and a second, tf-native
dataset registered the same way (fine)."""
import time

import numpy as np
import tensorflow as tf

DISPATCHER_PORT = 5050


def slow_records(n=1000):
    rng = np.random.default_rng(0)
    for i in range(n):
        time.sleep(0.002)
        arr = rng.normal(size=(32, 32)).astype(np.float32)
        yield np.fft.fft2(arr).real.astype(np.float32), i


def main():
    dispatcher = tf.data.experimental.service.DispatchServer(
        tf.data.experimental.service.DispatcherConfig(port=DISPATCHER_PORT))
    worker = tf.data.experimental.service.WorkerServer(
        tf.data.experimental.service.WorkerConfig(dispatcher_address=dispatcher.target.split("://")[1]))

    ds = tf.data.Dataset.from_generator(  # expect: TFP104
        slow_records,
        output_signature=(tf.TensorSpec((32, 32), tf.float32), tf.TensorSpec((), tf.int64)))
    ds = ds.batch(16)
    dataset_id = tf.data.experimental.service.register_dataset(dispatcher.target, ds)  # expect: TFP301
    remote = tf.data.experimental.service.from_dataset_id(
        processing_mode="parallel_epochs", service=dispatcher.target,
        dataset_id=dataset_id, element_spec=ds.element_spec)

    native = tf.data.Dataset.range(1000).map(lambda i: tf.cast(i, tf.float32) * 2.0)
    native_id = tf.data.experimental.service.register_dataset(dispatcher.target, native)

    for batch in remote.take(3):
        print(batch[1].numpy())
    return worker, native_id


if __name__ == "__main__":
    main()
