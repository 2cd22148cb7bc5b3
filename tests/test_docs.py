import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rules_doc_is_current():
    spec = importlib.util.spec_from_file_location(
        "make_rules_doc", ROOT / "scripts" / "make_rules_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "RULES.md").read_text("utf-8") == module.render(), (
        "run python scripts/make_rules_doc.py"
    )


def test_every_rule_documents_why_and_examples():
    from peixun_audit.rules import RULES

    for code, rule in RULES.items():
        doc = rule.doc()
        assert "Why" in doc and "Anti-pattern" in doc and "Compliant" in doc, code
