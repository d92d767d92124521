"""The settings an IT team reads about are the settings Quorum reads: every environment
variable the code reads is documented (README's configuration table or the docs), and every
variable the configuration tables list is read. A documented setting that nothing reads is
set in production and quietly does nothing."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Read by a library itself, not by our code: boto3 (object storage's credentials).
READ_BY_A_LIBRARY = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
NOT_THE_SITE = {"node_modules", "tests", "bench", "var"}
NAME = r"[A-Z][A-Z0-9]*_[A-Z0-9_]+|DEBUG"


def _read_by_the_code() -> set[str]:
    names = set(re.findall(rf'env(?:str|int|bool|list)\(\s*"({NAME})"', (ROOT / "config" / "settings.py").read_text()))
    apps = [d for d in ROOT.iterdir() if d.is_dir() and d.name not in NOT_THE_SITE and not d.name.startswith(".")]
    for path in (path for app in apps for path in app.rglob("*.py")):
        names |= set(re.findall(rf'os\.environ\.get\(\s*"({NAME})"', path.read_text()))
    return names


def _docs() -> list[Path]:
    # docs/benchmarks.md names settings of the benchmark scripts, not of the site.
    return [ROOT / "README.md", *(p for p in sorted((ROOT / "docs").glob("*.md")) if p.name != "benchmarks.md")]


def _configuration_tables() -> set[str]:
    """The variables in the first column of the tables that list settings: README's
    "Configuration for production" and the docs' tables whose first heading is `variable`
    or `setting`."""
    names: set[str] = set()
    for path in _docs():
        in_table = False
        for line in path.read_text().splitlines():
            if not line.startswith("|"):
                in_table = False
                continue
            first = line.split("|")[1].strip()
            if first in {"variable", "setting"}:
                in_table = True
            elif in_table:
                names |= set(re.findall(rf"`({NAME})`", first))
    return names


def test_every_variable_the_code_reads_is_documented():
    written = "\n".join(path.read_text() for path in _docs())
    undocumented = {name for name in _read_by_the_code() if f"`{name}`" not in written}
    assert not undocumented, f"read by the code but in no document: {sorted(undocumented)}"


def test_every_variable_the_configuration_tables_list_is_read():
    listed = _configuration_tables()
    assert {"QUORUM_ENVIRONMENT", "EMAIL_PORT", "QUORUM_LOG_FORMAT", "QUORUM_CALL_IN_WORKING_DAYS"} <= listed
    never_read = listed - _read_by_the_code() - READ_BY_A_LIBRARY
    assert not never_read, f"documented but never read: {sorted(never_read)}"
