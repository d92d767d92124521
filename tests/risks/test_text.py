"""Rich text cells to spreadsheet lines and back (imports and exports)."""

from risks.text import html_to_text, text_to_html


def test_rich_text_becomes_bulleted_lines():
    html = "<p>Intro</p><ul><li>One</li><li>Two:<ul><li>a</li><li>b</li></ul></li></ul><ol><li>x</li></ol>"
    assert html_to_text(html) == "Intro\n• One\n• Two:\n  ◦ a\n  ◦ b\n1. x"


def test_bulleted_lines_become_rich_text_with_nesting():
    text = "Intro\n• One\n• Two:\n  ◦ a\n  ◦ b\n- Three\nEnd & more"
    assert text_to_html(text) == (
        "<p>Intro</p><ul><li>One</li><li>Two:<ul><li>a</li><li>b</li></ul></li><li>Three</li></ul><p>End &amp; more</p>"
    )
    assert text_to_html("<p>Already HTML</p>") == "<p>Already HTML</p>"
