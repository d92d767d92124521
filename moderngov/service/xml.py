"""ModernGov's way of writing values into XML (docs/moderngov.md, "The web service").

Elements are built with the standard library's ElementTree, which escapes what XML needs;
these helpers only say how ModernGov writes each kind of value.
"""

import re
from xml.etree import ElementTree as ET

from django.utils import dateformat, timezone

# ModernGov HTML-encodes plain text before it goes into the XML, so that an apostrophe
# arrives as "&#39;" once the XML is parsed (on the wire: "&amp;#39;"). Clients written
# against it decode it a second time; Quorum writes text the same way so that they keep
# working (an unencoded "O'Brien" would be shown as it is, but an "&" in a title would be
# decoded twice by them: "R&amp;D" must reach them as ModernGov sends it).
_HTML_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


# Characters XML 1.0 cannot carry at all (NUL, most control characters): dropped, or the
# document would not parse for anyone.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def encoded(text: str | None) -> str:
    return (text or "").translate(_HTML_ENTITIES)


def flag(value: bool) -> str:
    """.NET writes booleans as "True" and "False"."""
    return "True" if value else "False"


def mg_date(moment) -> str:
    """dd/mm/yyyy, in the council's time zone; the year always four figures, as .NET writes
    it (Python's strftime writes the year 1 as "1", which a client reads as 2001)."""
    return dateformat.format(timezone.localtime(moment), "d/m/Y")


def mg_time(moment) -> str:
    """24-hour hh:mm, in the council's time zone."""
    return f"{timezone.localtime(moment):%H:%M}"


def add(parent: ET.Element, tag: str, text: str | int | None = "", **attributes) -> ET.Element:
    """A child element; `text` as given (None: an empty element). Attributes are written in
    the order given."""
    element = ET.SubElement(parent, tag, {name: xml_safe(str(value)) for name, value in attributes.items()})
    if text is not None and text != "":
        element.text = xml_safe(str(text))
    return element


def add_text(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    """A child carrying plain text, HTML-encoded as ModernGov writes it."""
    return add(parent, tag, encoded(text))


def add_list(parent: ET.Element, tag: str) -> ET.Element:
    """A list's element: always written, empty when there is nothing in it (a client reading
    `meeting.linkeddocs.linkeddoc` finds the list and no entry, never a missing list)."""
    return ET.SubElement(parent, tag)


def document(root: ET.Element) -> bytes:
    """The whole response, with the declaration as .NET writes it (double quotes: a client
    that checks the first line with a pattern, as some do, finds what it expects)."""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode()
