"""PDF appendices are checked by their content, their size and their readability."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from committee import services
from committee.models import Appendix
from tests.committee.pdfs import pdf_bytes
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _appendix(upload) -> Appendix:
    return Appendix(report=ReportFactory(), letter="A", title="Framework", kind="document", document=upload)


def test_a_real_pdf_is_accepted_with_its_page_count():
    appendix = _appendix(SimpleUploadedFile("framework.pdf", pdf_bytes(3), content_type="application/pdf"))
    appendix.full_clean()
    services.appendix_prepare(appendix=appendix)
    appendix.save()
    appendix.refresh_from_db()
    assert appendix.document_pages == 3
    # Stored under a random name, never the uploaded one.
    assert "framework" not in appendix.document.name and appendix.document.name.endswith(".pdf")


def test_a_word_file_renamed_to_pdf_is_refused():
    fake = SimpleUploadedFile("report.pdf", b"PK\x03\x04 this is really a .docx", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _appendix(fake).full_clean()
    assert "not a PDF" in str(refused.value)
    assert not Appendix.objects.exists()


def test_a_broken_pdf_is_refused_with_a_clear_message():
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n garbage with no pages", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _appendix(broken).full_clean()
    assert "cannot be read" in str(refused.value) or "no pages" in str(refused.value)


def test_a_password_protected_pdf_is_refused():
    locked = SimpleUploadedFile("locked.pdf", pdf_bytes(1, password="secret"), content_type="application/pdf")
    with pytest.raises(ValidationError, match="password"):
        _appendix(locked).full_clean()


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.QUORUM_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", pdf_bytes(1) + b"%" * (1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _appendix(big).full_clean()
    assert "largest file Quorum accepts is 1.0" in str(refused.value)
