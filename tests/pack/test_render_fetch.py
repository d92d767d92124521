"""The pack renderer fetches nothing but inline data: an image given as a data: URI is
printed; an image, stylesheet or attachment on the network or in the worker's files is
refused without a request being made, and without the render failing."""

import base64
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from committee.pack.render import Job, render_job
from tests.local_http import Answer, local_http_server

from .conftest import page_texts


def _png_data_uri() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def listening_server():
    """A web server on this machine that records every request it receives."""
    with local_http_server(lambda request: Answer(200, b"", "image/png")) as server:
        yield server


def _images_on(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
    return count


def _render(body: str) -> bytes:
    html = f'<html lang="en"><head><title>Paper</title></head><body><h1>Paper</h1>{body}</body></html>'
    return render_job(Job(key="fetch-test", html=html, tagged=False)).pdf


def test_a_data_image_is_printed():
    pdf = _render(f'<p>Chart:</p><img src="{_png_data_uri()}" alt="A chart" style="width: 4cm">')
    assert _images_on(pdf) == 1


def test_data_image_in_a_tagged_pack_paper():
    html = (
        '<html lang="en"><head><title>Paper</title></head><body><h1>Paper</h1>'
        f'<img src="{_png_data_uri()}" alt="A chart"></body></html>'
    )
    pdf = render_job(Job(key="fetch-test-ua", html=html)).pdf
    assert _images_on(pdf) == 1


def test_network_and_files_are_refused_without_a_request(listening_server):
    base = listening_server.url
    pdf = _render(
        f'<link rel="stylesheet" href="{base}/style.css">'
        f'<style>@import url("{base}/imported.css"); p {{ background: url("{base}/bg.png") }}'
        f' @font-face {{ font-family: X; src: url("{base}/font.woff") }}</style>'
        f'<p style="font-family: X">Text</p>'
        f'<img src="{base}/tracker.png" alt="Tracker">'
        f'<img src="https://127.0.0.1:1/secure.png" alt="Secure">'
        '<img src="file:///etc/passwd" alt="Password file">'
        '<a rel="attachment" href="file:///etc/passwd">Attached</a>'
        f'<a rel="attachment" href="{base}/attached.txt">Attached too</a>'
        f'<p><a href="{base}/page">An ordinary link</a></p>'
    )
    assert listening_server.requests == []
    assert _images_on(pdf) == 0
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert b"root:" not in pdf
    assert "Text" in page_texts(pdf)[0]
