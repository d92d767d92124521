"""What a person does in the browser, in small steps the journeys share."""

import io

from django.utils import dateformat, timezone
from playwright.sync_api import expect
from pypdf import PdfReader


def meeting_day(starts_at) -> str:
    """The date as the portal writes it in meeting lists: "Wednesday 6 January 2027"."""
    return dateformat.format(timezone.localtime(starts_at), "l j F Y")


def open_meeting_from_home(page, committee_name: str, starts_at, section: str = "Upcoming meetings"):
    """From the home page, the meeting a person is looking for: its committee, on its day."""
    page.goto("/")
    listing = page.get_by_role("region", name=section)
    row = listing.locator("li").filter(has_text=meeting_day(starts_at)).filter(has_text=committee_name)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=committee_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(committee_name)


def pack_links(page):
    """The pack downloads on a meeting page."""
    return page.get_by_role("region", name="Agenda pack").get_by_role("link")


def fetch_pdf(page, link) -> tuple[bytes, PdfReader]:
    """Follow a PDF link as this person (their cookies) and return the file and a reader.

    Chromium opens an inline PDF in its viewer rather than as a download, and the viewer
    hides the file from the page; the browser context's own request client fetches exactly
    what the click would, with the same session."""
    href = link.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200, f"{href} answered {response.status}"
    assert response.headers["content-type"] == "application/pdf", response.headers
    body = response.body()
    return body, PdfReader(io.BytesIO(body))


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def status_of(page, path: str) -> int:
    """What the server answers this person at `path` (a person typing or pasting an address)."""
    response = page.goto(path)
    return response.status


def pdf_outline(body: bytes) -> list[str]:
    """The titles of a PDF's bookmarks, depth first."""
    import pikepdf

    with pikepdf.open(io.BytesIO(body)) as pdf, pdf.open_outline() as outline:
        titles = []

        def walk(items):
            for item in items:
                titles.append(str(item.title))
                walk(item.children)

        walk(outline.root)
        return titles
