"""The shipped pre-commit hook, installed by the real `pre-commit` tool into a throwaway repository.

pre-commit builds the hook's virtualenv from this checkout's committed HEAD (pip needs PyPI for the
dependencies), so this test takes tens of seconds on first run; it skips when git or pre-commit is
missing or when the environment cannot be built (no network), saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BAD = "import time\nimport tensorflow as tf\n\n\ndef slow(x):\n    time.sleep(0.1)\n    return x\n\n\n" \
      "ds = tf.data.Dataset.range(10).map(slow)\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}


def test_hook_manifest_matches_the_contract() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "tfpar-doctor"
    assert hook["entry"] == "tfpar-doctor check --force-exclude"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["python", "pyi"]
    assert hook["require_serial"] is True


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_blocks_a_bad_commit_and_lets_a_clean_one_through(tmp_path: Path) -> None:
    head = _run(["git", "rev-parse", "HEAD"], ROOT, dict(os.environ))
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    committed = _run(["git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"], ROOT, dict(os.environ))
    assert committed.returncode == 0, (
        ".pre-commit-hooks.yaml must be committed: pre-commit installs from HEAD"
    )
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _run(["git", "init", "-q"], repo, env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head.stdout.strip()}\n  hooks:\n  - id: tfpar-doctor\n",
        encoding="utf-8")
    assert _run(["pre-commit", "install"], repo, env).returncode == 0
    built = _run(["pre-commit", "install-hooks"], repo, env)
    if built.returncode != 0:
        pytest.skip(f"pre-commit could not build the hook environment (network?): {built.stdout[-500:]}")

    (repo / "clean.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    _run(["git", "add", ".pre-commit-config.yaml", "clean.py"], repo, env)
    clean = _run(["git", "commit", "-q", "-m", "clean"], repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (repo / "pipeline.py").write_text(BAD, encoding="utf-8")
    _run(["git", "add", "pipeline.py"], repo, env)
    bad = _run(["git", "commit", "-q", "-m", "bad"], repo, env)
    assert bad.returncode != 0
    output = bad.stdout + bad.stderr  # git runs the hook with its output on stderr
    assert "TFP001" in output and "pipeline.py:6:5" in output
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "1"

    # The same bad file under a configured exclude: pre-commit names it, --force-exclude skips it.
    _run(["git", "reset", "-q"], repo, env)
    (repo / "pipeline.py").unlink()
    (repo / "vendored").mkdir()
    (repo / "vendored" / "pipeline.py").write_text(BAD, encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.tfpar-doctor]\nextend-exclude = ["vendored"]\n',
                                         encoding="utf-8")
    _run(["git", "add", "pyproject.toml", "vendored/pipeline.py"], repo, env)
    excluded = _run(["git", "commit", "-q", "-m", "vendored"], repo, env)
    assert excluded.returncode == 0, excluded.stdout + excluded.stderr
