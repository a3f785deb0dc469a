"""Imitates a TF1 GAN research repo (VAE-GAN on point clouds): a model class that builds
its own input pipeline in `make_dataset`, a `tf.py_func` inside a lambda with
`tuple(...)`, a reinitializable iterator, contrib batch_and_drop_remainder. The
Python reader does `np.load` (I/O-bound) and the map asks for 16 parallel calls."""
import numpy as np
import tensorflow as tf
from tensorflow import convert_to_tensor


class CloudVAEGAN:

    def __init__(self, data_ob, batch_size=32, latent_dim=128, repeat_num=100):
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.repeat_num = repeat_num
        self.z = tf.placeholder(tf.float32, [self.batch_size, self.latent_dim])
        self.zp = tf.random_normal(shape=[self.batch_size, self.latent_dim])
        self.next_x, self.training_init_op = self.make_dataset(data_ob.train_data_list)
        self.next_x_val, self.val_init_op = self.make_dataset(data_ob.val_data_list)

    def _read_cloud(self, filename):
        cloud = np.load(filename.decode("utf-8"))
        return cloud.astype(np.double)

    def make_dataset(self, data_list):
        dataset = tf.data.Dataset.from_tensor_slices(
            convert_to_tensor(data_list, dtype=tf.string))
        dataset = dataset.map(lambda filename: tuple(tf.py_func(self._read_cloud,  # expect: TFP101, TFP103
                                                                [filename], [tf.double])), num_parallel_calls=16)
        dataset = dataset.repeat(self.repeat_num)
        dataset = dataset.apply(
            tf.contrib.data.batch_and_drop_remainder(self.batch_size))

        iterator = tf.data.Iterator.from_structure(
            dataset.output_types, dataset.output_shapes)
        next_x = tf.squeeze(iterator.get_next())
        init_op = iterator.make_initializer(dataset)
        return next_x, init_op

    def encode(self, x, reuse=False):
        with tf.variable_scope("encode", reuse=reuse):
            h = tf.layers.dense(tf.layers.flatten(x), 512, activation=tf.nn.relu)
            mu = tf.layers.dense(h, self.latent_dim)
            log_var = tf.layers.dense(h, self.latent_dim)
        return mu, log_var

    def train(self, sess, steps):
        sess.run(self.training_init_op)
        for step in range(steps):
            batch = sess.run(self.next_x)
            if step % 100 == 0:
                print("step", step, batch.shape)
