"""Score tfpar-doctor against the second blind corpus (bench/accuracy/corpus2).

Thin wrapper around bench/accuracy/score.py (which has no corpus argument): it points
the module's CORPUS at this directory and writes results next to it, so the first
corpus's results.json is left alone.

Usage: python bench/accuracy/corpus2/score2.py [--json PATH]
"""
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("tfpar_score", HERE.parent / "score.py")
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
score.CORPUS = HERE

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--json" not in argv:
        argv += ["--json", str(HERE / "results2.json")]
    sys.exit(score.main(argv))
