"""Imitates a multi-task recommender (MMoE) training class: feature specs built in
loops over list attributes, an `interleave` of TFRecordDataset without
num_parallel_calls (cycle_length from an attribute), a discarded `dataset.shuffle`
(real bug), a parallel parse map, and a hand-written train loop."""
import os

import tensorflow as tf


class MMoETrainer:
    def __init__(self, data_dir, sparse_features, continuous_features, n_threads=8,
                 batch=512, shuffle=10000):
        self.data_dir = data_dir
        self.sparse_features = sparse_features
        self.continuous_features = continuous_features
        self.n_threads = n_threads
        self.batch = batch
        self.shuffle = shuffle

    def build_dataset(self, mode):
        def _parse_example(example):
            record = {}
            for feature_name in self.sparse_features:
                record[feature_name] = tf.io.FixedLenFeature(shape=[1], dtype=tf.int64)
            for feature_name in self.continuous_features:
                record[feature_name] = tf.io.FixedLenFeature(shape=[1], dtype=tf.float32)
            record["ctr_label"] = tf.io.FixedLenFeature(shape=[1], dtype=tf.float32)
            record["cvr_label"] = tf.io.FixedLenFeature(shape=[1], dtype=tf.float32)
            feats = tf.io.parse_single_example(example, record)
            return feats

        file_name_list = [f for f in os.listdir(self.data_dir) if mode in f and f.startswith('mmoe')]
        files = [os.path.join(self.data_dir, f) for f in file_name_list]

        dataset = tf.data.Dataset.list_files(files)
        #
        dataset = dataset.interleave(  # expect: TFP105
            lambda filename: tf.data.TFRecordDataset(filename),
            cycle_length=self.n_threads)
        #
        if mode == 'train':
            dataset.shuffle(self.shuffle)
        #
        dataset = dataset.map(_parse_example,
                              num_parallel_calls=self.n_threads)

        dataset = dataset.batch(self.batch)

        dataset = dataset.prefetch(buffer_size=1)
        return dataset

    def train(self, model, optimizer, epochs=1):
        ds = self.build_dataset('train')
        for epoch in range(epochs):
            for step, feats in enumerate(ds):
                with tf.GradientTape() as tape:
                    ctr, cvr = model(feats, training=True)
                    loss = tf.reduce_mean(tf.keras.losses.binary_crossentropy(feats["ctr_label"], ctr))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                if step % 100 == 0:
                    print(epoch, step, float(loss))
