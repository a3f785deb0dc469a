"""Imitates a keyword-spotting repo that builds its own mel filterbank *inside* the
mapped feature function with a Python loop over NUM_MEL_BINS (80), besides a short
3-iteration delta loop; the map runs with AUTOTUNE over decoded WAV files."""
import tensorflow as tf

SAMPLE_RATE = 16000
NUM_MEL_BINS = 80
FFT_BINS = 257


def _hz_to_mel(hz):
    return 2595.0 * tf.math.log(1.0 + hz / 700.0) / tf.math.log(10.0)


def log_mel(wav_path, label):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(wav_path), desired_channels=1)
    audio = tf.squeeze(audio, -1)
    stft = tf.abs(tf.signal.stft(audio, 480, 160, fft_length=512))
    freqs = tf.linspace(0.0, SAMPLE_RATE / 2, FFT_BINS)
    mels = _hz_to_mel(freqs)
    top = _hz_to_mel(tf.constant(SAMPLE_RATE / 2.0))
    rows = []
    for m in range(NUM_MEL_BINS):  # expect: TFP004
        lo = top * m / (NUM_MEL_BINS + 1)
        hi = top * (m + 2) / (NUM_MEL_BINS + 1)
        rows.append(tf.cast((mels >= lo) & (mels < hi), tf.float32))
    bank = tf.stack(rows, axis=1)
    feats = tf.math.log(tf.matmul(stft, bank) + 1e-6)
    deltas = [feats]
    for _ in range(3):
        deltas.append(deltas[-1][1:] - deltas[-1][:-1])
    return feats, label


def make_kws_dataset(paths, labels, batch=64):
    ds = tf.data.Dataset.from_tensor_slices((paths, labels))
    ds = ds.shuffle(len(paths))
    ds = ds.map(log_mel, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.padded_batch(batch).prefetch(tf.data.AUTOTUNE)
