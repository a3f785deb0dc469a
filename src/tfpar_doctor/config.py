"""`[tool.tfpar-doctor]` in pyproject.toml: read, validate, and layer under the command line.

The keys are the ones ruff users know (`select`, `extend-select`, `ignore`, `per-file-ignores`,
`exclude`, `extend-exclude`) plus rule options. Every bad value is a `ConfigError` whose message names
the key and the file, so the CLI can exit 2 with it instead of a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfpar_doctor.settings import CheckSettings, Layer

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

# Layer lives in tfpar_doctor.settings; it is re-exported here, where callers build one.
__all__ = ["TABLE", "Config", "ConfigError", "Layer", "RuleOption", "cli_layer", "find_pyproject",
           "load_config", "project_root", "parse_table", "resolve_settings", "selector_problem"]

TABLE = "tfpar-doctor"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message is shown to the user as is."""


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A rule's tunable: the key users write, the rule it belongs to, and how to validate it."""

    key: str
    rule: str
    attribute: str  # the CheckSettings field it sets
    parse: Callable[[Any], Any]
    description: str


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a positive integer")
    return value


def _python_version(value: Any) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)", value) if isinstance(value, str) else None
    if match is None:
        raise ValueError('must be a Python version such as "3.12"')
    return int(match[1]), int(match[2])


# Rule options as data: adding one means adding a row here and a field on CheckSettings.
RULE_OPTIONS: dict[str, RuleOption] = {
    option.key: option
    for option in (
        RuleOption("loop-threshold", "TFP004", "loop_threshold", _positive_int,
                   "shortest constant loop that TFP004 reports (default 32)"),
        RuleOption("target-python", "TFP202", "target_python", _python_version,
                   "lowest Python the project runs on, e.g. \"3.14\": from 3.14 Linux starts processes with "
                   "forkserver by default, and TFP202 then reports explicit fork only (default: below 3.14)"),
    )
}

_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
KNOWN_KEYS = frozenset((*_LIST_KEYS, "per-file-ignores", *RULE_OPTIONS))


@dataclass(frozen=True, slots=True)
class Config:
    """The settings read from one file. `root` anchors relative patterns (the file's directory)."""

    layer: Layer
    root: Path
    source: Path | None = None


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.tfpar-doctor] table."""
    directory = start.resolve()
    if directory.is_file():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / "pyproject.toml"
        if candidate.is_file():
            try:
                data = _read_toml(candidate)
            except ConfigError:
                # A broken pyproject.toml that may be ours: report it rather than silently skip it.
                if f"[tool.{TABLE}" in candidate.read_text(encoding="utf-8", errors="replace"):
                    raise
                continue
            tool = data.get("tool")
            if isinstance(tool, dict) and TABLE in tool:
                return candidate
    return None


def project_root(start: Path) -> Path:
    """Where the project's configuration is (the directory of the nearest pyproject.toml with our table),
    else the working directory: the cache lives there, as ruff keeps `.ruff_cache` next to its config."""
    found = find_pyproject(start)
    return found.parent.resolve() if found is not None else Path.cwd().resolve()


def load_config(path: Path, *, explicit: bool = False) -> Config:
    """Settings from a pyproject.toml (`[tool.tfpar-doctor]`) or, with --config, a tfpar-doctor toml file.

    A file passed explicitly may hold the keys at its top level (a dedicated config file) or in the
    `[tool.tfpar-doctor]` table of a pyproject.toml.
    """
    data = _read_toml(path)
    table: Any = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if table is None:
        if not explicit:
            return Config(Layer(), path.parent.resolve(), path)
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown(path)}: [tool.{TABLE}] must be a table")
    where = "the file" if table is data else f"[tool.{TABLE}]"
    return Config(parse_table(table, _shown(path), where), path.parent.resolve(), path)


def _shown(path: Path) -> Path:
    """The file as error messages name it: relative to the working directory when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{_shown(path)}: cannot read the configuration: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {exc}") from None


def parse_table(table: Mapping[str, Any], path: Path, where: str = f"[tool.{TABLE}]") -> Layer:
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key `{unknown[0]}` in {where} (known keys: {', '.join(sorted(KNOWN_KEYS))})"
        )
    lists = {key: _string_list(table[key], key, path) for key in _LIST_KEYS if key in table}
    for key in ("select", "extend-select", "ignore"):
        for selector in lists.get(key, ()):
            problem = selector_problem(selector)
            if problem:
                raise ConfigError(f"{path}: `{key}` has {problem}")
    per_file: list[tuple[str, tuple[str, ...]]] = []
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
    for pattern, codes in raw.items():
        key = f"per-file-ignores.{pattern!r}"
        parsed = _string_list(codes, key, path)
        for selector in parsed:
            problem = selector_problem(selector)
            if problem:
                raise ConfigError(f"{path}: `{key}` has {problem}")
        per_file.append((pattern, parsed))
    options: dict[str, Any] = {}
    for key, option in RULE_OPTIONS.items():
        if key in table:
            try:
                options[option.attribute] = option.parse(table[key])
            except ValueError as exc:
                raise ConfigError(f"{path}: `{key}` {exc} (got {table[key]!r})") from None
    return Layer(
        select=lists.get("select"),
        extend_select=lists.get("extend-select", ()),
        ignore=lists.get("ignore", ()),
        per_file_ignores=tuple(per_file),
        exclude=lists.get("exclude"),
        extend_exclude=lists.get("extend-exclude", ()),
        options=options,
    )


def _string_list(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings (got {value!r})")
    return tuple(v.strip() for v in value if v.strip())


def selector_problem(selector: str) -> str | None:
    """Why a rule selector matches nothing (None when it is fine): `ALL`, a code, or a code prefix."""
    from tfpar_doctor.rules import ALL_RULES

    if selector == "ALL":
        return None
    if not any(rule.code.startswith(selector) for rule in ALL_RULES):
        return f"an unknown rule selector `{selector}` (use ALL, a code like TFP101, or a prefix like TFP1)"
    return None


def cli_layer(
    select: list[str] | None,
    extend_select: list[str] | None,
    ignore: list[str] | None,
    per_file_ignores: list[str] | None,
    exclude: list[str] | None,
    extend_exclude: list[str] | None,
) -> Layer:
    """The command line's settings; list options accept repeats and commas (`--select TFP1,TFP4`)."""

    def split(values: list[str] | None, option: str, validate: bool = True) -> tuple[str, ...]:
        out = tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())
        if validate:
            for selector in out:
                problem = selector_problem(selector)
                if problem:
                    raise ConfigError(f"{option} has {problem}")
        return out

    pairs: list[tuple[str, tuple[str, ...]]] = []
    for entry in per_file_ignores or ():
        pattern, sep, codes = entry.rpartition(":")
        if not sep or not pattern or not codes.strip():
            raise ConfigError(
                f"--per-file-ignores expects PATTERN:CODES (e.g. 'tests/*:TFP1'), got {entry!r}"
            )
        pairs.append((pattern, split([codes], "--per-file-ignores")))
    return Layer(
        select=split(select, "--select") if select is not None else None,
        extend_select=split(extend_select, "--extend-select"),
        ignore=split(ignore, "--ignore"),
        per_file_ignores=tuple(pairs),
        exclude=split(exclude, "--exclude", validate=False) if exclude is not None else None,
        extend_exclude=split(extend_exclude, "--extend-exclude", validate=False),
    )


def resolve_settings(
    cli: Layer,
    paths: list[Path],
    config_file: Path | None = None,
    *,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
) -> CheckSettings:
    """CheckSettings from the configuration file (found near the paths, or `--config`) under the CLI."""
    from tfpar_doctor.analysis.discover import DEFAULT_EXCLUDE, Excludes
    from tfpar_doctor.selection import PerFileIgnores, select_rules

    if config_file is not None:
        config = load_config(config_file, explicit=True)
    else:
        found = find_pyproject(_common_start(paths))
        config = load_config(found) if found else Config(Layer(), Path.cwd().resolve())
    layers = (config.layer, cli)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    for layer in layers:
        if layer.exclude is not None:
            exclude = layer.exclude
        exclude = (*exclude, *layer.extend_exclude)
    options = {**config.layer.options, **cli.options}
    return CheckSettings(
        rules=select_rules(layers),
        # Config patterns are anchored at the config file's directory; the CLI's at the same root,
        # which keeps one meaning for `--per-file-ignores 'tests/*:TFP1'` run from anywhere in the project.
        per_file_ignores=PerFileIgnores.build(
            config.root, [*config.layer.per_file_ignores, *cli.per_file_ignores]
        ),
        excludes=Excludes(config.root, exclude, respect_gitignore=respect_gitignore, force=force_exclude),
        project_root=config.root,
        **options,
    )


def _common_start(paths: list[Path]) -> Path:
    """The deepest directory holding every path, symlinks resolved (where the configuration is looked for).
    Each distinct directory is resolved once: resolving thousands of files one by one took 0.1 s."""
    directories: dict[str, str] = {}
    resolved: list[str] = []
    for path in paths:
        text = os.path.abspath(path)
        if os.path.islink(text):
            resolved.append(os.path.realpath(text))
            continue
        parent, name = os.path.split(text)
        if parent not in directories:
            directories[parent] = os.path.realpath(parent)
        resolved.append(os.path.join(directories[parent], name) if name else directories[parent])
    if not resolved:
        return Path.cwd().resolve()
    try:
        return Path(os.path.commonpath(resolved))
    except ValueError:
        return Path.cwd().resolve()
