"""Conventions over the whole registry (Refurb-style meta-tests), instead of relying on review."""

from __future__ import annotations

import re

from tfpar_doctor.advice.advisor import _HANDLERS
from tfpar_doctor.knowledge.advice_kinds import AdviceKind
from tfpar_doctor.model import VERDICT_MEANING, Location, Severity
from tfpar_doctor.rules import ALL_RULES, RULES_BY_CODE, python_body_of
from tfpar_doctor.rules.base import PythonBody, finding


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


def test_every_advice_kind_has_one_advisor_handler() -> None:
    # a kind a rule or a verdict asks for and no handler knows would vanish from the report unseen
    assert set(_HANDLERS) == set(AdviceKind)
    asked = {kind for rule in ALL_RULES for kind in rule.advice}
    asked |= {kind for meaning in VERDICT_MEANING.values() for kind in meaning.advice_kinds}
    assert asked <= set(_HANDLERS)
    assert all(isinstance(kind, AdviceKind) for kind in asked)


def test_rules_that_report_python_at_a_site_declare_advice() -> None:
    # every rule but the tool's own (unparsable file, unused suppression) tells the user what to change
    for rule in ALL_RULES:
        assert bool(rule.advice) == (not rule.code.startswith("TFP9")), rule.code


def test_findings_ask_for_the_rule_advice_or_the_subset_named() -> None:
    rule = RULES_BY_CODE["TFP101"]
    here = Location("m.py", 3, 1, 3, 5)
    assert finding(rule, "m", here).advice_kinds == ("tf-native", "multiprocessing")
    assert finding(rule, "m", here, advice_kinds=(AdviceKind.TF_NATIVE,)).advice_kinds == ("tf-native",)
    assert finding(rule, "m", here).severity is Severity.WARNING


def test_python_bodies_are_declared_by_the_per_element_python_rules() -> None:
    bodies = {rule.code: rule.python_body for rule in ALL_RULES if rule.python_body is not None}
    assert bodies == {"TFP101": PythonBody.CALLBACK, "TFP102": PythonBody.GIL_HOLDING,
                      "TFP103": PythonBody.WAITING, "TFP104": PythonBody.GENERATOR}
    assert python_body_of("TFP104") is PythonBody.GENERATOR and not PythonBody.GENERATOR.is_callback
    assert python_body_of("TFP001") is None and python_body_of("") is None
