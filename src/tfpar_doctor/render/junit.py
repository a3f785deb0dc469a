"""`junit` output: one test suite per checked file, one failing test case per finding.

CI systems (GitLab, Jenkins, Azure) show JUnit XML as test results; a file with no findings gets one
passing case so that the number of checked files is visible there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from tfpar_doctor.model import Finding


def render_junit(findings: Sequence[Finding], files: Sequence[str]) -> str:
    by_file: dict[str, list[Finding]] = {path: [] for path in files}
    for f in findings:
        by_file.setdefault(f.location.path, []).append(f)
    tests = sum(max(1, len(v)) for v in by_file.values())
    root = ET.Element(
        "testsuites", name="tfpar-doctor", tests=str(tests), failures=str(len(findings)), errors="0"
    )
    for path in sorted(by_file):
        found = by_file[path]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(1, len(found))),
                              failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", name="tfpar-doctor", classname=path)
            continue
        for f in found:
            loc = f.location
            name = f"{f.code} {f.name} at line {loc.line}, column {loc.column}"
            case = ET.SubElement(suite, "testcase", name=name, classname=path, file=path, line=str(loc.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
            failure.text = f"{loc.path}:{loc.line}:{loc.column}: {f.code} {f.message}" + (
                f"\nhelp: {f.advice}" if f.advice else "")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
