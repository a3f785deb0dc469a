"""Every output format, rendered from one small project: golden files plus structural checks.

Golden files live in tests/golden/formats/. When a message or position changes on purpose,
regenerate them with `TFPAR_UPDATE_GOLDEN=1 python -m pytest tests/test_formats.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from tfpar_doctor.cli import app
from tfpar_doctor.model import Finding, Location, Severity
from tfpar_doctor.render.github import render_github
from tfpar_doctor.rules import ALL_RULES

GOLDEN = Path(__file__).parent / "golden" / "formats"
PIPE = '''import time

import tensorflow as tf


def slow(x):
    time.sleep(0.1)
    return x


def augment(image):
    return tf.image.random_flip_left_right(image)


ds = tf.data.Dataset.range(10).map(slow)
ds = ds.map(augment)
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "pipe.py").write_text(PIPE, encoding="utf-8")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()  # marks the repository root, which SARIF's URIs are relative to
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render(fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(app, ["check", ".", "--output-format", fmt, *extra])
    assert result.exit_code == 1, result.output
    return result.stdout


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TFPAR_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with TFPAR_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "name"), [
    ("concise", "concise.txt"), ("full", "full.txt"), ("github", "github.txt"),
    ("json-lines", "json-lines.jsonl"), ("junit", "junit.xml"), ("gitlab", "gitlab.json"),
    ("pylint", "pylint.txt"), ("grouped", "grouped.txt"), ("rdjson", "rdjson.json"), ("azure", "azure.txt"),
])
def test_golden(project: Path, fmt: str, name: str) -> None:
    golden(name, render(fmt))


def test_json_and_json_lines_agree(project: Path) -> None:
    whole = json.loads(render("json"))
    lines = [json.loads(line) for line in render("json-lines").splitlines()]
    assert whole == lines
    positions = [(f["location"]["path"], f["location"]["line"]) for f in whole]
    assert positions == [("pkg/pipe.py", 7), ("pkg/pipe.py", 16)]
    assert whole[1]["fix"]["edits"][0]["replacement"] == ", num_parallel_calls=tf.data.AUTOTUNE"


def test_output_is_deterministic(project: Path) -> None:
    (project / "a_first.py").write_text(PIPE, encoding="utf-8")
    first = render("concise")
    assert first == render("concise")
    paths = [line.split(":")[0] for line in first.splitlines() if line.count(":") >= 3]
    assert paths == sorted(paths)


def test_sarif_is_what_github_code_scanning_reads(project: Path) -> None:
    log = json.loads(render("sarif"))
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "tfpar-doctor" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in ALL_RULES]
    for descriptor in rules:
        assert descriptor["shortDescription"]["text"] and descriptor["fullDescription"]["text"]
        assert "Why is this bad?" in descriptor["help"]["markdown"] and descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["TFP001", "TFP105"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "pkg/pipe.py", "uriBaseId": "%SRCROOT%"}
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        assert result["message"]["text"]
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", result["partialFingerprints"]["tfparDoctorLineHash/v1"])
    # TFP001 at `time.sleep(0.1)`: columns 5..19 inclusive, so SARIF's exclusive end is 20.
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 20}
    assert results[0]["relatedLocations"][0]["message"]["text"]


# Properties SARIF 2.1.0 defines for the objects we write (its schema has additionalProperties: false).
SARIF_KEYS = {
    "log": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
            "artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates",
            "baselineGuid", "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
            "columnKind", "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
            "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties"},
    "toolComponent": {"guid", "name", "organization", "product", "productSuite", "shortDescription",
                      "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
                      "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings",
                      "notifications", "rules", "taxa", "locations", "language", "contents",
                      "isComprehensive", "localizedDataSemanticVersion",
                      "minimumRequiredLocalizedDataSemanticVersion",
                      "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"},
    "reportingDescriptor": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
                            "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
                            "helpUri", "help", "relationships", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations",
               "guid", "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks",
               "codeFlows", "graphs", "graphTraversals", "relatedLocations", "suppressions", "baselineState",
               "rank", "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
               "webRequest", "webResponse", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships",
                 "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
               "byteLength", "snippet", "message", "sourceLanguage", "properties"},
}


def test_sarif_uses_only_properties_the_spec_defines(project: Path) -> None:
    log = json.loads(render("sarif"))
    assert set(log) <= SARIF_KEYS["log"]
    run = log["runs"][0]
    assert set(run) <= SARIF_KEYS["run"]
    assert set(run["tool"]["driver"]) <= SARIF_KEYS["toolComponent"]
    for descriptor in run["tool"]["driver"]["rules"]:
        assert set(descriptor) <= SARIF_KEYS["reportingDescriptor"]
        configuration = {"enabled", "level", "rank", "parameters", "properties"}
        assert set(descriptor["defaultConfiguration"]) <= configuration
        assert set(descriptor["help"]) <= {"text", "markdown", "properties"}
    for result in run["results"]:
        assert set(result) <= SARIF_KEYS["result"]
        for location in [*result["locations"], *result.get("relatedLocations", [])]:
            assert set(location) <= SARIF_KEYS["location"]
            physical = {"address", "artifactLocation", "region", "contextRegion", "properties"}
            assert set(location["physicalLocation"]) <= physical
            assert set(location["physicalLocation"]["region"]) <= SARIF_KEYS["region"]
    assert run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")


def test_sarif_fingerprints_survive_moved_code(project: Path) -> None:
    def fingerprints() -> list[str]:
        results = json.loads(render("sarif"))["runs"][0]["results"]
        return [r["partialFingerprints"]["tfparDoctorLineHash/v1"] for r in results]

    before = fingerprints()
    pipe = project / "pkg" / "pipe.py"
    pipe.write_text('"""A docstring added above."""\n\n' + PIPE, encoding="utf-8")
    assert fingerprints() == before
    assert len(set(before)) == len(before)


def test_output_file_and_statistics(project: Path) -> None:
    result = CliRunner().invoke(app, ["check", ".", "-o", "out.sarif", "--output-format", "sarif"])
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((project / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    stats = render("concise", "--statistics")
    # [-]: fixable with --unsafe-fixes only (adding parallelism to a stateful map is unsafe)
    assert stats.splitlines() == [
        "1\tTFP001\ttrace-time-side-effect", "1\tTFP105\t[-] sequential-stateful-map"]
    data = json.loads(render("json", "--statistics"))
    counts = {d["code"]: (d["fixable"], d["unsafe_fixable"]) for d in data}
    assert counts == {"TFP001": (0, 0), "TFP105": (0, 1)}


def test_junit_counts(project: Path) -> None:
    root = ET.fromstring(render("junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"clean.py", "pkg/pipe.py"}
    assert suites["pkg/pipe.py"].get("failures") == "2" and suites["clean.py"].get("failures") == "0"
    assert [f.get("type") for f in root.iter("failure")] == ["TFP001", "TFP105"]


def test_github_escapes_properties_and_data() -> None:
    finding = Finding("TFP101", "python-in-map", "100% slow,\nreally", Location("a,b:c.py", 3, 1, 3, 4),
                      Severity.INFO)
    assert render_github([finding]) == (
        "::notice file=a%2Cb%3Ac.py,line=3,col=1,endLine=3,endColumn=4,"
        "title=TFP101 (python-in-map)::TFP101 100%25 slow,%0Areally\n"
    )


def test_every_registered_format_is_offered_and_renders(project: Path) -> None:
    from tfpar_doctor.render.check_formats import FORMATS

    help_text = CliRunner().invoke(app, ["check", "--help"]).stdout
    for name in FORMATS:
        assert name in help_text
        assert render(name)  # each renders the two findings
    assert CliRunner().invoke(app, ["check", ".", "--output-format", "nope"]).exit_code == 2


def test_gitlab_code_quality_fields(project: Path) -> None:
    issues = json.loads(render("gitlab"))
    names = [i["check_name"] for i in issues]
    assert names == ["TFP001 trace-time-side-effect", "TFP105 sequential-stateful-map"]
    for issue in issues:
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == "pkg/pipe.py"
        assert issue["location"]["positions"]["begin"]["line"] >= 1
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_rdjson_ranges_are_exclusive_utf8_columns(project: Path) -> None:
    (project / "pkg" / "pipe.py").write_text(PIPE.replace("time.sleep(0.1)", "é = 1; time.sleep(0.1)"),
                                            encoding="utf-8")
    log = json.loads(render("rdjson"))
    assert log["source"]["name"] == "tfpar-doctor"
    first = log["diagnostics"][0]
    assert first["code"]["value"] == "TFP001" and first["severity"] == "ERROR"
    # `time.sleep(0.1)` starts at character 12 after "é = 1; " (é is 2 bytes in UTF-8): byte column 13.
    expected = {"start": {"line": 7, "column": 13}, "end": {"line": 7, "column": 28}}
    assert first["location"]["range"] == expected
    assert "suggestions" not in log["diagnostics"][1]  # unsafe fixes are not offered as suggestions


def test_azure_escapes_properties_and_data() -> None:
    from tfpar_doctor.render.azure import render_azure

    finding = Finding("TFP101", "python-in-map", "100% slow;\nreally]", Location("a;b].py", 3, 1, 3, 4),
                      Severity.INFO)
    assert render_azure([finding]) == (
        "##vso[task.logissue type=warning;sourcepath=a%3Bb%5D.py;linenumber=3;columnnumber=1;code=TFP101;]"
        "TFP101 100%AZP25 slow;%0Areally]\n"
    )
