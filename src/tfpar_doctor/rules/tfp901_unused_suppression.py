"""TFP901 unused-suppression.

Unlike the other rules this one cannot be a function of the analysed project alone: whether a
`# noqa: TFP101` suppresses anything depends on the other rules' findings. The check pipeline
(`tfpar_doctor.selection.apply_suppressions`) calls `unused_findings` after every selected rule ran,
so `check` below has nothing to look at.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.model import Finding, Location, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context


def check(ctx: Context) -> Iterator[Finding]:
    """Reported by the pipeline after suppression (see the module docstring)."""
    return iter(())


def unused_findings(
    where: Location, codes: Sequence[str], known: Iterable[str], file_level: bool = False
) -> Finding:
    known = set(known)
    listed = ", ".join(codes)
    unknown = [c for c in codes if c not in known]
    scope = "file-level `# tfpar-doctor: noqa`" if file_level else "`# noqa`"
    if unknown and len(unknown) == len(codes):
        message = (
            f"{scope} names {listed}, which {'is not a' if len(codes) == 1 else 'are not'} tfpar-doctor "
            f"code{'' if len(codes) == 1 else 's'}"
        )
    else:
        verb = "suppresses" if len(codes) == 1 else "suppress"
        message = f"{scope} for {listed}: {'it' if len(codes) == 1 else 'they'} {verb} nothing here"
    return finding(
        RULE,
        message,
        where,
        advice="Remove the code from the comment (the finding it silenced is gone), or fix the code's "
               "spelling.",
    )


RULE = Rule(
    code="TFP901",
    name="unused-suppression",
    severity=Severity.INFO,
    summary="A `# noqa` comment suppresses nothing",
    doc=RuleDoc(
        what="Reports tfpar-doctor codes in `# noqa: ...` and `# tfpar-doctor: noqa: ...` comments that "
        "suppress no finding, and codes that are not tfpar-doctor codes but look like one (`TFP999`). "
        "Codes of other linters (`F401`) and bare `# noqa` comments are left alone, and so are codes of "
        "rules that were not selected in this run.",
        why="A suppression outlives the problem it silenced: after the pipeline is fixed the comment "
        "stays, and later hides a real regression on that line. Reporting stale suppressions keeps them "
        "honest.",
        example="ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE)  # noqa: TFP101",
        use_instead="ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE)",
        fix_safety="No automatic fix: removing the comment is left to the author, who knows whether "
        "another tool still needs it.",
        references=("https://docs.astral.sh/ruff/rules/unused-noqa/",),
    ),
    check=check,
    needs=SiteNeeds(methods=frozenset()),
)
