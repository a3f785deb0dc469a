"""Imitates a small TF1 research script (BiRNN classifier over per-recording .npy
feature files): module-level hyper-parameters, `glob` of paths, a py_func reader in a
lambda with no num_parallel_calls, padded_batch and a one-shot iterator. The reader
body is `np.load` plus slicing (I/O-bound), the map is sequential and stateful."""
import os
from glob import glob

import numpy as np
import tensorflow as tf

learning_rate = 0.001
num_hidden = 128
num_classes = 13
FEAT_DIM = 160


def _read_py_function(filename):
    data = np.load(filename)

    x = data[:, :FEAT_DIM]
    # one-vs-all labels still to be done for the 13 classes
    y = data[:, FEAT_DIM]
    l = np.array([x.shape[0]])
    return x.astype(np.float32), y.astype(np.int32), l.astype(np.int32)


# return next_batch
def read_dataset(dir_path, batchsize):
    path_set = glob(os.path.join(dir_path, "*.npy"))
    dataset = tf.data.Dataset.from_tensor_slices(path_set)
    dataset = dataset.map(lambda filename: tuple(tf.py_func(_read_py_function, [filename], [tf.float32, tf.int32, tf.int32])))  # expect: TFP101, TFP105
    batch = dataset.padded_batch(batchsize, padded_shapes=([None, None], [None], [None]))
    iterator = batch.make_one_shot_iterator()
    x, y, length = iterator.get_next()
    return x, y, length


def BiRNN(x, seq):
    with tf.variable_scope('lstm'):
        fw = tf.contrib.rnn.BasicLSTMCell(num_hidden, forget_bias=1.0, state_is_tuple=True)
        bw = tf.contrib.rnn.BasicLSTMCell(num_hidden, forget_bias=1.0, state_is_tuple=True)
        outputs, _ = tf.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=seq,
                                                     dtype=tf.float32)
    return tf.layers.dense(tf.concat(outputs, 2), num_classes)


if __name__ == "__main__":
    x, y, length = read_dataset("./features/train", 8)
    logits = BiRNN(x, tf.reshape(length, [-1]))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(1000):
            _, l = sess.run([train_op, loss])
            if i % 50 == 0:
                print(i, l)
