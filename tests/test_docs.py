import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_doc_is_current():
    assert (ROOT / "docs" / "RULES.md").read_text("utf-8") == _script("make_rules_doc").render(), (
        "run python scripts/make_rules_doc.py"
    )


def test_report_schema_is_current():
    module = _script("make_schema")
    assert module.SCHEMA.read_text("utf-8") == module.render(), "run python scripts/make_schema.py"


def test_every_rule_documents_why_and_examples():
    from peixun_audit.rules import RULES

    for code, rule in RULES.items():
        doc = rule.doc()
        assert "Why" in doc and "Anti-pattern" in doc and "Compliant" in doc, code
