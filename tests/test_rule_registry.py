"""Conventions over the whole registry (Refurb-style meta-tests), instead of relying on review."""

from __future__ import annotations

import re

from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE


def test_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TFP\d{3}", code) for code in codes)
    assert codes == sorted(codes)


def test_names_are_kebab_case_and_unique() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)


def test_module_name_matches_code_and_name() -> None:
    for rule in ALL_RULES:
        module = rule.check.__module__.rsplit(".", 1)[-1]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def test_catalogue_is_complete() -> None:
    expected = {"TFP001", "TFP002", "TFP003", "TFP004", "TFP005", "TFP101", "TFP102", "TFP103", "TFP104",
                "TFP105", "TFP301", "TFP401", "TFP402", "TFP403", "TFP900", "TFP901"}
    assert expected <= set(RULES_BY_CODE)


def test_advice_rules_are_off_by_default_and_the_rest_on() -> None:
    for rule in ALL_RULES:
        assert rule.enabled_by_default == (not rule.code.startswith("TFP4")), rule.code
