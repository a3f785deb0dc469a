"""TFP900 unparsable-file."""

from __future__ import annotations

from collections.abc import Iterator

from tfpar_doctor.analysis.prefilter import SiteNeeds
from tfpar_doctor.model import Finding, Location, Severity
from tfpar_doctor.rules.base import Rule, RuleDoc, finding
from tfpar_doctor.rules.context import Context


def check(ctx: Context) -> Iterator[Finding]:
    for module in ctx.index.modules.values():
        if module.error is None:
            continue
        message, line, column = module.error
        yield finding(
            RULE,
            message,
            Location(module.path, line, column, line, column),
            advice="Fix the syntax (tfpar-doctor parses Python 3 only), or exclude the file.",
        )


RULE = Rule(
    code="TFP900",
    name="unparsable-file",
    severity=Severity.ERROR,
    summary="A file could not be read or parsed",
    doc=RuleDoc(
        what="Reports files that cannot be read, decoded or parsed as Python 3, with the parser's message.",
        why="A file that is not analysed could hide any other finding; saying so is better than silence "
        "or a crash.",
        example='print "hello"  # Python 2',
        use_instead='print("hello")',
        fix_safety="No automatic fix.",
        references=("https://docs.python.org/3/reference/grammar.html",),
    ),
    check=check,
    needs=SiteNeeds(methods=frozenset()),
)
