"""The layout's one rule that code can check: core/ holds what every app shares and knows no
domain app, so that any app can use it without a cycle (docs/architecture.md)."""

import ast
from pathlib import Path

import core

DOMAIN_APPS = {"committee", "risks", "performance", "send_actions", "accounts", "interests", "decisions", "alerts"}


def _imports_of(package: str, apps: set[str]) -> list[str]:
    """Every absolute import, in the package's modules, of one of `apps`."""
    found = []
    for path in (Path(core.__file__).parent.parent / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in apps]
    return found


def test_core_imports_no_domain_app():
    assert _imports_of("core", DOMAIN_APPS) == []


def test_the_domain_apps_tell_core_outbox_and_never_import_alerts():
    # Alerts listens (core.outbox's registry); the apps that change things do not know it.
    assert _imports_of("committee", {"alerts"}) == []
    assert _imports_of("decisions", {"alerts"}) == []
