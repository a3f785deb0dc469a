"""Property tests: the advisor and every report format never raise, whatever the user's code looks like.

Programs come from hypothesmith; each becomes the body of a per-element Python function that a finding
names, and of the module around it, so the advisor parses, rewrites and unparses code it has never seen.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import hypothesmith
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tfpar_doctor.advice.source import parse_quietly
from tfpar_doctor.model import BodyClass, Classification, Finding, Location, Related, Severity
from tfpar_doctor.render.html import render_html
from tfpar_doctor.render.markdown import render_markdown
from tfpar_doctor.render.report_json import render_report_json
from tfpar_doctor.report import build_report

from .programs import GRAMMAR_PROGRAMS

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture],
)

KINDS = ("tf-native", "multiprocessing", "thread-pool", "move-cache", "add-parallelism", "tf-random",
         "tf-range", "move-side-effect", "data-service", "vectorise", "prefetch", "nondeterministic",
         "unknown-kind")


def program_file(tmp_path: Path, program: str) -> tuple[str, int]:
    """A module with `program` at top level and as the body of `per_element`; the line of the map call."""
    body = textwrap.indent(program, "    ") or "    pass"
    source = (f"{program}\n\nimport numpy as np\nimport tensorflow as tf\n\n\ndef per_element(x):\n{body}\n"
              "    return x\n\n\nds = tf.data.Dataset.range(8)\n"
              "ds = ds.map(lambda x: tf.py_function(per_element, [x], tf.int64), num_parallel_calls=4)\n")
    path = tmp_path / "generated.py"
    path.write_text(source, encoding="utf-8", errors="surrogatepass")
    return str(path), source.count("\n")


def render_all(tmp_path: Path, program: str, kinds: list[str], line_offset: int) -> None:
    path, map_line = program_file(tmp_path, program)
    site = Location(path, map_line + line_offset, 13, map_line + line_offset, 15)
    finding = Finding(
        code="TFP101", name="python-in-map", message="m", location=site, severity=Severity.WARNING,
        call_site=site, function=f"{path}:per_element",
        related=(Related(Location(path, map_line, 23, map_line, 60),
                         "tf.py_function runs Python per element here"),),
        classification=Classification(BodyClass.CPU, "per_element"), advice_kinds=tuple(kinds),
    )
    report = build_report([finding], [], [path])
    for section in report.sections:
        for advice in section.advice:
            assert advice.site == section.location
            parse_quietly(advice.code)  # whatever the user wrote, the code handed over parses
    render_markdown(report)
    render_report_json(report)
    html = render_html(report)
    assert html.count("<section") == html.count("</section>") == len(report.sections) + 1


def valid(program: str) -> bool:
    try:
        parse_quietly(program)
        parse_quietly("def f():\n" + (textwrap.indent(program, "    ") or "    pass"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@settings(SETTINGS, max_examples=5)  # from_node programs are slow to generate; the grammar test does the bulk
@given(hypothesmith.from_node(), st.lists(st.sampled_from(KINDS), max_size=4), st.integers(-3, 3))
def test_advice_and_reports_never_raise_on_generated_code(tmp_path_factory, program: str, kinds: list[str],
                                                          line_offset: int) -> None:
    assume(valid(program))
    render_all(tmp_path_factory.mktemp("prog"), program, kinds, line_offset)


@settings(SETTINGS, max_examples=60)
@given(GRAMMAR_PROGRAMS, st.lists(st.sampled_from(KINDS), max_size=4))
def test_advice_never_raises_on_programs_from_the_grammar(tmp_path_factory, program: str,
                                                          kinds: list[str]) -> None:
    assume(valid(program))
    render_all(tmp_path_factory.mktemp("prog"), program, kinds, 0)
