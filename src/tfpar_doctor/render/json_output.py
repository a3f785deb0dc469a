"""`json` and `json-lines` output.

The schema is stable: a JSON array (or one object per line) of findings with the keys
`code`, `name`, `message`, `severity` ("error" | "warning" | "info"), `location`
(`path`, 1-based `line`, `column`, `end_line`, `end_column`), `advice`, `call_site` (a location or
null), `function` (the resolved function, "path:name", or null), `related` (a list of
{`location`, `message`}), `classification` (null or {`kind`: "cpu" | "io" | "native" | "unknown",
`function`, `evidence`: [{`description`, `location`}]}), `advice_kinds` (keys into the advisor's
knowledge) and `fix` (null or {`description`, `edits`: [{`line`, `column`, `end_line`, `end_column`,
`replacement`}]}). New keys may be added; existing keys keep their meaning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tfpar_doctor.model import Finding


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, sort_keys=False) + "\n"


def render_json_lines(findings: Sequence[Finding]) -> str:
    return "".join(json.dumps(f.to_dict(), sort_keys=False) + "\n" for f in findings)
