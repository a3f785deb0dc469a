"""The one registry of `report` output formats: a name, the -o suffixes that choose it, its renderer.

The command line builds its help from these rows and `report.format_for` looks the chosen one up here;
adding a format means adding one renderer module and one row below. Each renderer is imported only when
chosen, so a JSON report never loads the HTML renderer, and the command line can read this table at
start-up without loading the report pipeline.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tfpar_doctor.report_model import Report


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """One output format: its name, the -o suffixes that choose it, its media type and its renderer."""

    name: str
    suffixes: tuple[str, ...]
    content_type: str
    renderer: str  # "module:function", imported on use
    aliases: tuple[str, ...] = ()

    def render(self, report: Report) -> str:
        module, function = self.renderer.split(":")
        render_function: Callable[[Report], str] = getattr(importlib.import_module(module), function)
        return render_function(report)


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("html", (".html", ".htm"), "text/html", "tfpar_doctor.render.html:render_html"),
    ReportFormat("markdown", (".md", ".markdown"), "text/markdown",
                 "tfpar_doctor.render.markdown:render_markdown", aliases=("md",)),
    ReportFormat("json", (".json",), "application/json",
                 "tfpar_doctor.render.report_json:render_report_json"),
)
BY_NAME: dict[str, ReportFormat] = {n: f for f in REPORT_FORMATS for n in (f.name, *f.aliases)}
FORMATS: dict[str, str] = {suffix: f.name for f in REPORT_FORMATS for suffix in f.suffixes}
DEFAULT_FORMAT = "markdown"  # on stdout: readable in a terminal and pasteable into a pull request


def format_names() -> str:
    """The format names as a sentence lists them: "html, markdown or json"."""
    names = [f.name for f in REPORT_FORMATS]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def output_examples() -> str:
    """One -o file name per format: "report.html, report.md or report.json"."""
    files = [f"report{f.suffixes[0]}" for f in REPORT_FORMATS]
    return ", ".join(files[:-1]) + f" or {files[-1]}"
