"""Imitates a data-loading benchmark repository that simulates storage latency with
time.sleep inside py_function, next to thread-pool baselines (ThreadPool.map,
concurrent.futures) that are not tf.data at all."""
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

import numpy as np
import tensorflow as tf

LATENCY_S = 0.02


def slow_read(i):
    time.sleep(LATENCY_S)
    return np.full([128], i, dtype=np.float32)


def tf_pipeline(n, parallel=8):
    ds = tf.data.Dataset.range(n)
    ds = ds.map(lambda i: tf.py_function(slow_read, [i], tf.float32),  # expect: TFP101, TFP103
                num_parallel_calls=parallel)
    return ds


def threadpool_baseline(n, workers=8):
    with ThreadPool(workers) as pool:
        return pool.map(slow_read, range(n))


def futures_baseline(n, workers=8):
    with ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(slow_read, range(n)))


def main():
    n = 200
    t0 = time.perf_counter()
    for _ in tf_pipeline(n):
        pass
    print("tf.data", time.perf_counter() - t0)
    t0 = time.perf_counter()
    threadpool_baseline(n)
    print("ThreadPool", time.perf_counter() - t0)
    time.sleep(1.0)
    futures_baseline(n)


if __name__ == "__main__":
    main()
