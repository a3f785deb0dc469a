"""The runtime probe: runs a user's tf.data pipeline in a child process and measures each call site.

Only this package imports TensorFlow, psutil, gilknocker and NumPy, and only in the child process (or
lazily inside functions). Importing `tfpar_doctor.probe`, `.cli`, `.results` or `.verdict` is cheap.
"""
