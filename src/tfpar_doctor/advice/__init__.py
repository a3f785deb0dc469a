"""The advisor: findings and probe verdicts -> advice with code, per call site (see advisor.py)."""
