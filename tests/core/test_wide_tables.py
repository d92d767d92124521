"""On a phone (390 CSS px) a table wider than the screen scrolls inside its own box, never
the page (WCAG 1.4.10, reflow): every table on a public page sits in a `.table-scroll`
region. The browser tour (tests/browser/test_accessibility.py) measures the pages it
visits; this walks every kind of public page of the demo, whose own figures decide which
tables happen to fit, so a table left unwrapped is found before a longer row overflows."""

from urllib.parse import urlsplit

import lxml.html
import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from committee.models import BackgroundPaper, Report

pytestmark = pytest.mark.django_db

START = ["/", "/committees/", "/councillors/", "/meetings/", "/risks/", "/performance/", "/send/", "/interests/"]


def _public_pages():
    """Each kind of public HTML page (one per URL name), found by following links from START."""
    client = Client()
    queue, kinds = list(START), set()
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        yield path, lxml.html.fromstring(response.content.decode())
        for href in lxml.html.fromstring(response.content.decode()).xpath("//main//a/@href"):
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/"):
                continue
            try:
                kind = resolve(link.path).view_name
            except Resolver404:
                continue
            if kind not in kinds:
                kinds.add(kind)
                queue.append(link.path)


def test_every_table_on_a_public_page_scrolls_in_its_own_box(demo_for_the_module):
    # The demo's reports list no background papers and hold no table in their text (a Word
    # report often does): both are drawn only when there is one.
    for report in Report.objects.all():
        BackgroundPaper.objects.create(report=report, paper="Cabinet report, Library Service Review", date="2018")
        report.background_and_advice += "<table><tr><th>Library</th><th>Opening hours</th></tr></table>"
        report.save()
    unwrapped = [
        f"{path}: {' '.join(table.xpath('string(caption)').split()) or 'a table without a caption'}"
        for path, page in _public_pages()
        for table in page.xpath("//main//table[not(ancestor::*[contains(concat(' ', @class, ' '), ' table-scroll ')])]")
    ]

    assert unwrapped == []
