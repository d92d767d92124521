"""The layout's one rule that code can check: core/ holds what every app shares and knows no
domain app, so that any app can use it without a cycle (docs/architecture.md)."""

import ast
from pathlib import Path

import core

DOMAIN_APPS = {"committee", "risks", "performance", "send_actions", "accounts", "interests"}


def test_core_imports_no_domain_app():
    found = []
    for path in Path(core.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in DOMAIN_APPS]
    assert not found
