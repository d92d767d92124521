"""Checks of a page's HTML that any test of a form page can make."""

import re


def unexplained_fields(response) -> list[str]:
    """A field marked wrong (aria-invalid) with no message the page holds where its
    aria-describedby points: the reader is told something is wrong, not what."""
    html = response.content.decode()

    def says_something(name: str) -> bool:  # the element with that id, and text in it
        found = re.search(rf'<(\w+)\b[^>]*\sid="{re.escape(name)}"[^>]*>(.*?)</\1>', html, re.DOTALL)
        return bool(found and re.sub(r"<[^>]*>|\s", "", found[2]))

    problems = []
    for found in re.finditer(r"<(?:input|select|textarea)\b[^>]*>", html):
        tag = found[0]
        if 'aria-invalid="true"' not in tag:
            continue
        described = re.search(r'aria-describedby="([^"]*)"', tag)
        if described:
            named = described[1].split()
        elif re.search(r'type="(?:radio|checkbox)"', tag) and (own := re.search(r'\sid="([^"]+)_\d+"', tag)):
            # A choice of boxes is read with its group's legend: the message is in the legend.
            legend = html[html.rfind("<fieldset", 0, found.start()) : found.start()]
            named = [f"{own[1]}_error"] if f'id="{own[1]}_error"' in legend.split("</legend>")[0] else []
        else:
            named = []
        if not any(says_something(name) for name in named):
            problems.append(f"no message for {tag[:120]}")
    return problems
