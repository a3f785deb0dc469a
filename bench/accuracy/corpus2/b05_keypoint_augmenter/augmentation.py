"""Imitates a pose-estimation library's augmentation module (SLEAP-like): an attrs-ish
config class whose `transform_dataset(self, input_ds)` defines a py_function wrapper
and maps it over a dataset it receives as a *parameter* (no num_parallel_calls).
The receiver is a bare parameter, so by the rule catalogue the analyzer cannot decide it is a
tf.data dataset and must stay silent. Expected: nothing (see LABELING2.md R4)."""
import imgaug.augmenters as iaa
import numpy as np
import tensorflow as tf


class ImgaugAugmenter:
    """Data transformer based on the `imgaug` library."""

    def __init__(self, rotate=(-15, 15), scale=(0.9, 1.1)):
        self.augmenter = iaa.Sequential([
            iaa.Affine(rotate=rotate, scale=scale),
        ])
        self.input_keys = ["image", "instances"]
        self.output_keys = ["image", "instances"]

    def transform_dataset(self, input_ds):
        """Create a dataset with input keys augmented by this transformer."""

        def py_augment(image, instances):
            """Local processing function that will not be autographed."""
            aug_det = self.augmenter.to_deterministic()
            img = image.numpy()
            kps = instances.numpy()
            original_shape = kps.shape
            kps = kps.reshape(-1, 2)
            augmented = aug_det(image=img, keypoints=kps)
            aug_img = augmented[0]
            aug_instances = np.array(augmented[1]).reshape(original_shape)
            return aug_img, aug_instances

        def augment(frame_data):
            """Wrap local processing function for dataset mapping."""
            image, instances = tf.py_function(
                py_augment,
                [frame_data["image"], frame_data["instances"]],
                [frame_data["image"].dtype, frame_data["instances"].dtype],
            )
            image.set_shape(frame_data["image"].get_shape())
            instances.set_shape(frame_data["instances"].get_shape())
            frame_data.update({"image": image, "instances": instances})
            return frame_data

        # Apply the augmentation to each element.
        output_ds = input_ds.map(augment)

        return output_ds
