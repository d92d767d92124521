"""The two outside judges: axe-core (accessibility, injected into the page the browser
shows) and the Nu HTML checker (validity, run once over every page the suite saved)."""

import json
import subprocess
from pathlib import Path

from .harness import AXE_JS, VNU_JAR

# WCAG 2.2 at levels A and AA: axe tags each rule with the version that introduced it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# Every page reports what its Content-Security-Policy blocked (the browser fires
# `securitypolicyviolation` in the page for each); the listener hands each to Python.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (e) => window.quorumCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}` +
    (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : '') + (e.sample ? `: ${e.sample}` : '')));"""


# Refused on purpose. Redoc's side bar (/api/docs/) asks Redocly's CDN for its logo on every
# load, and has no option to stop it; the policy is right to refuse, so that no page of the
# portal makes a resident's browser call a third party. The image hides itself when refused.
REFUSED_ON_PURPOSE = ("img-src blocked https://cdn.redoc.ly/redoc/logo-mini.svg ",)


def watch_csp(context) -> list[str]:
    """Collect every Content-Security-Policy violation on any page this browser context opens
    (except the refusals above, which are the policy doing its work)."""
    found: list[str] = []

    def report(violation: str) -> None:
        if not violation.startswith(REFUSED_ON_PURPOSE):
            found.append(violation)

    context.expose_function("quorumCspViolation", report)
    context.add_init_script(CSP_LISTENER)
    return found


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations (empty when none)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, which the page's CSP does not
        # govern: a <script> element added to the page would be refused (no inline script).
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def describe_axe(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} accessibility violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      at {node['target']}: {node['html'][:160]}")
            for detail in (node["summary"] or "").splitlines()[:3]:
                lines.append(f"        {detail.strip()}")
        if len(v["nodes"]) > 5:
            lines.append(f"      ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def fits(page, where: str) -> None:
    """Nothing on the page is wider than the screen: the page itself never scrolls sideways
    (WCAG 1.4.10, reflow), though a wide table may scroll inside its own box."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where} is wider than {width} px"


def fits_and_passes_axe(page, where: str) -> None:
    """axe finds nothing on the page, and nothing is wider than the screen (no sideways scroll)."""
    violations = axe_violations(page)
    assert not violations, describe_axe(where, violations)
    fits(page, where)


def vnu_errors(files: list[Path]) -> dict[Path, list[dict]]:
    """Validate the files with the Nu HTML checker in one Java run; errors per file."""
    errors: dict[Path, list[dict]] = {path.resolve(): [] for path in files}
    if not files:
        return errors
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *[str(p) for p in files]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(run.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise RuntimeError(f"The Nu HTML checker gave no report (exit {run.returncode}): {run.stderr[:2000]}") from exc
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"}:
            continue  # "info" messages (warnings) do not make a page invalid
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")).resolve() if url.startswith("file:") else None
        errors.setdefault(path, []).append(message)
    return errors


def describe_vnu(where: str, messages: list[dict]) -> str:
    lines = [f"{where}: {len(messages)} HTML error(s)"]
    for m in messages[:20]:
        lines.append(f"  line {m.get('lastLine', '?')}: {m.get('message')}")
        if m.get("extract"):
            lines.append(f"      {m['extract'].strip()[:160]}")
    if len(messages) > 20:
        lines.append(f"  ... and {len(messages) - 20} more")
    return "\n".join(lines)
