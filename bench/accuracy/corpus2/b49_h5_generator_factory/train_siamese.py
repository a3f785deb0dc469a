"""Imitates a particle-physics (calorimeter hits in HDF5) siamese-network script: a
generator *factory* `generator_maker(kind, infile, batch_size)` whose generators slice
the HDF5 file and build quadruplets with NumPy per batch; `from_generator(..., args=...)`
calls inside `for` loops over radii/thresholds; `Dataset.zip` of two generator
datasets; class weights printed; an unfinished training loop."""
import h5py
import numpy as np
import tensorflow as tf


def get_zero_weight(infile, radius):
    labels = infile["labels"][:10000]
    return float(np.mean(labels == 0))


def generator_maker(kind, infile, batch_size):
    hits = infile["hits"]
    labels = infile["labels"]

    def quadruplets(event_range, radius):
        for event in event_range:
            block = hits[event * batch_size:(event + 1) * batch_size]
            dist = np.linalg.norm(block[:, :3] - block[:, 3:6], axis=1)
            feats = np.concatenate([block[:, :8], (dist < radius)[:, None]], axis=1)
            yield feats.astype(np.float32)

    def label_batches(event_range, radius):
        for event in event_range:
            yield labels[event * batch_size:(event + 1) * batch_size].astype(np.int32)

    return quadruplets if kind == "quadruplets" else label_batches


def main(inpath, batch_size=256, train_radius=0.3, test_radii=(0.1, 0.3, 0.5),
         train_event_thresholds=(50, 80)):
    print(tf.config.list_physical_devices('GPU'))

    infile = h5py.File(inpath, "r")

    zero_weight = get_zero_weight(infile, train_radius)
    print("Ratio of true to false labels:", zero_weight)
    class_weight = {0: zero_weight, 1: 1 - zero_weight}

    triplet_gen = generator_maker("quadruplets", infile, batch_size)
    label_gen = generator_maker("labels", infile, batch_size)

    test_data_lst = []
    for test_radius in test_radii:
        test_args = [range(80, 100), test_radius]
        test_triplets = tf.data.Dataset.from_generator(triplet_gen, args=test_args, output_signature=tf.TensorSpec(shape=[batch_size, 9], dtype=tf.float32))  # expect: TFP104
        test_labels = tf.data.Dataset.from_generator(label_gen, args=test_args, output_signature=tf.TensorSpec(shape=[batch_size], dtype=tf.int32))  # expect: TFP104

        test_data = tf.data.Dataset.zip((test_triplets, test_labels))
        test_data = test_data.shuffle(buffer_size=1000)
        test_data_lst.append(test_data)

    training_data_lst = []
    for threshold in train_event_thresholds:
        train_args = [range(0, threshold), train_radius]
        tr = tf.data.Dataset.from_generator(triplet_gen, args=train_args,  # expect: TFP104
                                            output_signature=tf.TensorSpec(shape=[batch_size, 9], dtype=tf.float32))
        lb = tf.data.Dataset.from_generator(label_gen, args=train_args,  # expect: TFP104
                                            output_signature=tf.TensorSpec(shape=[batch_size], dtype=tf.int32))
        training_data_lst.append(tf.data.Dataset.zip((tr, lb)))
    return training_data_lst, test_data_lst, class_weight
