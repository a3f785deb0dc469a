"""Imitates an ECG / biosignal repository packaged as `sigproc`."""
