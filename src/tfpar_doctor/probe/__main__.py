"""`python -m tfpar_doctor.probe TARGET ...`: the probe command on its own (same as `tfpar-doctor probe`)."""

import typer

from tfpar_doctor.probe.cli import probe

if __name__ == "__main__":
    typer.run(probe)
