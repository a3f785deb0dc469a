"""TensorFlow ops that give the same result on one element or on a batch of them (TFP402).

A map whose traced function uses only these (and arithmetic) can run after `batch`: one op per batch
instead of one per element, with the same output. Ops whose result depends on the element's shape or
position (`reshape`, `expand_dims`, `resize`, decoders, reductions over an axis) are deliberately absent:
moving them after `batch` changes what they compute, or does not work with ragged elements.
"""

from __future__ import annotations

# Qualified names as the project index resolves them (`tf.cast` -> "tensorflow.cast").
ELEMENTWISE_OPS: frozenset[str] = frozenset(
    {
        "tensorflow.cast",
        "tensorflow.dtypes.cast",
        "tensorflow.one_hot",
        "tensorflow.clip_by_value",
        "tensorflow.image.convert_image_dtype",
        "tensorflow.add",
        "tensorflow.subtract",
        "tensorflow.multiply",
        "tensorflow.divide",
        "tensorflow.truediv",
        "tensorflow.abs",
        "tensorflow.sqrt",
        "tensorflow.square",
        "tensorflow.exp",
        "tensorflow.maximum",
        "tensorflow.minimum",
        "tensorflow.where",
        "tensorflow.nn.relu",
        "tensorflow.nn.sigmoid",
        "tensorflow.math.add",
        "tensorflow.math.subtract",
        "tensorflow.math.multiply",
        "tensorflow.math.divide",
        "tensorflow.math.truediv",
        "tensorflow.math.abs",
        "tensorflow.math.sqrt",
        "tensorflow.math.rsqrt",
        "tensorflow.math.square",
        "tensorflow.math.exp",
        "tensorflow.math.log",
        "tensorflow.math.log1p",
        "tensorflow.math.maximum",
        "tensorflow.math.minimum",
        "tensorflow.math.sigmoid",
        "tensorflow.math.tanh",
        "tensorflow.keras.utils.to_categorical",
    }
)
