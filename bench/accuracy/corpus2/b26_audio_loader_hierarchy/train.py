"""Entry point of the audio-tagging repo: builds the MFCC loader from a CSV."""
import csv
import sys

from loaders import MfccLoader


def read_index(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return [r[0] for r in rows], [int(r[1]) for r in rows]


if __name__ == "__main__":
    paths, labels = read_index(sys.argv[1])
    train_ds = MfccLoader(paths, labels).build(training=True)
    for feats, y in train_ds.take(1):
        print(feats.shape, y.shape)
