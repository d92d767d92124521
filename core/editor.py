"""The rich-text editor officers type reports, minutes and letters in (django-prose-editor's
ProseMirror editor, served from our own static files).

The editor offers exactly what core.richtext's sanitiser keeps, no more (anything else would
be typed, shown and then silently dropped on save) and no less (stored text it could not
represent would be lost the first time an officer edited it): the test in
tests/core/test_rich_text_editor.py holds the two lists together.

It is started by our own module, static/core/richtext-editor.js, not by django-prose-editor's
presets: those rely on an inline import map, which the Content-Security-Policy forbids, and
Tiptap's inline <style> element, which it forbids too."""

import json
import re

from django import forms
from django.forms import Script

# Headings are stored at relative levels and renumbered where the text is printed
# (core.richtext.level_headings): a report section under its h2 starts at h3, a minute under
# its h3 at h4. Three levels are plenty inside one section of a committee report.
HEADING_LEVELS = [3, 4, 5]

# The list styles of an <ol type="…">: a report's "(i), (ii)" and "(a), (b)" lists.
LIST_STYLES = [
    {"label": "1, 2, 3", "type": "decimal", "description": "Numbers"},
    {"label": "a, b, c", "type": "lower-alpha", "description": "Lower-case letters"},
    {"label": "A, B, C", "type": "upper-alpha", "description": "Capital letters"},
    {"label": "i, ii, iii", "type": "lower-roman", "description": "Lower-case Roman numerals"},
    {"label": "I, II, III", "type": "upper-roman", "description": "Capital Roman numerals"},
]

# django-prose-editor's extension names and settings (its own configuration format).
# "Abbreviation" is ours (static/core/richtext-editor.js): <abbr title="…">, kept by the
# sanitiser and used in imported reports; TableHeader there also keeps th's scope.
# TrailingNode keeps an empty paragraph after a closing table, so the keyboard can leave it.
EXTENSIONS = {
    "Document": True,
    "Text": True,
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": HEADING_LEVELS},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": {"listTypes": LIST_STYLES},
    "ListItem": True,
    "Blockquote": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Abbreviation": True,
    "History": True,
    "Dropcursor": True,
    "Gapcursor": True,
    "TrailingNode": True,
    "Menu": True,
}


CAPTION = re.compile(r"<caption\b", re.IGNORECASE)


class RichTextEditor(forms.Textarea):
    """A text area holding the HTML, which the editor replaces when scripts run. Without
    scripts (or before they load) the officer edits the HTML itself, as before."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vLargeTextField", "rows": 10, **(attrs or {})})

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "core/richtext-editor.css",
                ]
            },
            js=[Script("core/richtext-editor.js", type="module")],
        )

    template_name = "core/widgets/rich_text.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if CAPTION.search(str(value or "")):
            # ProseMirror's tables have no caption: the editor would drop it on the first
            # edit. Such text (a few imported tables) is edited as HTML, and says so.
            context["widget"]["html_only"] = True
        else:
            context["widget"]["attrs"]["data-richtext"] = json.dumps({"extensions": EXTENSIONS}, separators=(",", ":"))
        return context
