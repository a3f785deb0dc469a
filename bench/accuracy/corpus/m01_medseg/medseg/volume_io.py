"""NIfTI reading helpers (host-side NumPy / nibabel)."""
import nibabel as nib
import numpy as np


def load_volume(path):
    if isinstance(path, bytes):
        path = path.decode("utf-8")
    vol = nib.load(path).get_fdata(dtype=np.float32)
    vol = np.clip(vol, np.percentile(vol, 0.5), np.percentile(vol, 99.5))
    vol = (vol - vol.mean()) / (vol.std() + 1e-8)
    return vol[..., np.newaxis].astype(np.float32)


def load_label(path):
    lab = nib.load(path.decode("utf-8")).get_fdata()
    lab[lab == 4] = 3
    return lab.astype(np.int32)
