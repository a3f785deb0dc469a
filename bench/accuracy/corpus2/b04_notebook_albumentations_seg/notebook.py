"""Imitates a Kaggle segmentation notebook exported to .py (`# In[...]` cell markers):
OpenCV reads + albumentations (random) inside a numpy_function called from a lambda
with three arguments (one a Python bool closed over), a `.batch` chained on the map
line, a cache after the augmenting map, and sklearn/pandas around it."""
import albumentations as A
import cv2
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split

IMG_SIZE = (256, 256)
BATCH_SIZE = 16

# In[101]:

df = pd.read_csv("../input/masks/train.csv")
df["Image"] = df["id"].map(lambda s: f"../input/images/{s}.png")
df["Mask"] = df["id"].map(lambda s: f"../input/masks/{s}.png")

transform = A.Compose([
    A.HorizontalFlip(p=0.5),
    A.RandomBrightnessContrast(p=0.3),
    A.ShiftScaleRotate(shift_limit=0.05, scale_limit=0.1, rotate_limit=15, p=0.5),
])

# In[104]:


def modify_mask(mask):
    mask = np.expand_dims(mask, axis=2)
    return np.where(mask > 127, 1.0, 0.0)


def map_function(img, mask, training):
    img = cv2.imread(img.decode())[:, :, ::-1]
    mask = cv2.imread(mask.decode(), cv2.IMREAD_GRAYSCALE)
    img = cv2.resize(img, IMG_SIZE)
    mask = modify_mask(cv2.resize(mask, IMG_SIZE))

    img = img/255.0
    if training == True:
        transformed = transform(image=img, mask=mask)
        img = transformed['image']
        mask = transformed['mask']

    return img.astype(np.float64), mask.astype(np.float64)


# In[105]:


def create_dataset(data, training = True):
    dataset = tf.data.Dataset.from_tensor_slices((data['Image'], data['Mask']))
    dataset = dataset.shuffle(100)
    dataset = dataset.map(lambda img, mask : tf.numpy_function(  # expect: TFP101
                    map_function, [img, mask, training], [tf.float64, tf.float64]),
                    num_parallel_calls = tf.data.experimental.AUTOTUNE).batch(BATCH_SIZE)
    dataset = dataset.cache()  # expect: TFP005

    dataset = dataset.prefetch(buffer_size = tf.data.experimental.AUTOTUNE)
    return dataset


# In[106]:


df_train, df_test = train_test_split(df, test_size = 0.1)

print(df_train.shape, df_test.shape)
train_dataset = create_dataset(df_train, training = True)
test_dataset = create_dataset(df_test, training = False)
