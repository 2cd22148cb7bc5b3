"""Every rule's cases (``tests/rule_cases/<CODE>.yml``), run over in-memory tables.

Each rule passes on every compliant base dossier and fires exactly as each of its
failing cases expects (variant, class, student, cell, evidence).
"""

from __future__ import annotations

import pytest
from rulecases import TRAINING_TYPES, expand, load_cases, run_case

from peixun_audit.evidence import to_json
from peixun_audit.rules import RULES

CASES = load_cases()


@pytest.mark.parametrize("base", [*TRAINING_TYPES])
def test_every_rule_passes_on_a_compliant_dossier(base):
    result = run_case({"base": base}, list(RULES))
    assert result.failures == []
    assert [(f.code, f.variant) for f in result.findings] == []
    assert not result.dataset.problems


def test_every_rule_has_cases_for_every_variant():
    covered = {(code, e["variant"]) for code, _, case in CASES for e in case["expect"]}
    declared = {(code, v) for code, rule in RULES.items() for v in rule.evidence}
    assert sorted(declared - covered) == []


def _shown(finding) -> dict:
    types = RULES[finding.code].evidence[finding.variant]
    return {k: to_json(types[k], v, True) for k, v in finding.evidence.items()}


@pytest.mark.parametrize(("code", "name", "case"), CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_rule_case(code, name, case):
    result = run_case(case, [code])
    assert result.failures == []
    found = result.findings
    expected = expand(case)["expect"]
    assert [f.variant for f in found] == [e["variant"] for e in expected], [
        (f.variant, f.student_name, _shown(f)) for f in found
    ]
    for f, e in zip(found, expected, strict=True):
        for key in ("class_id", "student_name"):
            if key in e:
                assert getattr(f, key) == e[key], (key, f)
        if "cell" in e:
            assert f.source is not None and f.source.cell == e["cell"], f.source
        if "evidence" in e:
            shown = _shown(f)
            want = {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in e["evidence"].items()
            }
            assert {k: shown[k] for k in want} == want, shown
