"""PDF appendices are checked by their content, their size and their readability, in a
separate program with limits; readers get a cleaned copy, officers the file as uploaded;
stored files go when their appendix does."""

import io
import os
import re
import time
import zlib
from datetime import timedelta
from types import SimpleNamespace

import pikepdf
import pytest
from celery.schedules import crontab
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import Appendix, cleaned_document_name
from tests.committee.pdfs import pdf_bytes
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory

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


# Cleaned copies, hostile files, stored names ------------------------------------------------

HIDDEN = b"ATTACHED-SPREADSHEET-ROWS"


def hostile_pdf(pages: int = 1) -> bytes:
    """A PDF as a hostile (or careless) uploader sends it: JavaScript run on opening, an
    attached file, its author in the metadata, an XFA form, a link that runs JavaScript."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes(pages)))
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('https://x.example')"))
    )
    pdf.attachments["rows.xlsx"] = pikepdf.AttachedFileSpec(pdf, HIDDEN, mime_type="text/plain")
    pdf.docinfo.Author = pikepdf.String("J Bloggs, Legal")
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = ["J Bloggs, Legal"]
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))
    pdf.pages[0].obj.Annots = pikepdf.Array(
        [
            pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[10, 10, 100, 30],
                    A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.exportDataObject()")),
                )
            )
        ]
    )
    pdf.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _raw_pdf(extra: bytes) -> bytes:
    """A one-page PDF written byte by byte, whose page points at `extra` (object 4)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Extra 4 0 R >>",
        extra,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _bomb(megabytes: int, *, twice: bool = False) -> bytes:
    """A PDF with one stream of `megabytes` MB of zeros, compressed (a few hundred kB)."""
    squeeze = zlib.compressobj(9)
    zeros = bytes(1024 * 1024)
    data = b"".join(squeeze.compress(zeros) for _ in range(megabytes)) + squeeze.flush()
    filters = b"[/FlateDecode /FlateDecode]" if twice else b"/FlateDecode"
    if twice:
        data = zlib.compress(data, 9)
    return _raw_pdf(b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream" % (len(data), filters, data))


def _many_pages(pages: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _no_pages() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def meeting(committee, officer):
    """A published meeting with a Part I report."""
    meeting = MeetingFactory(committee=committee)
    report = ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.report = report
    return meeting


def _upload_form(report, data: bytes, name: str = "letter.pdf", **fields) -> dict:
    return {
        "report": report.pk,
        "placement": "appendix",
        "order": 1,
        "letter": "A",
        "title": "Letter from the Department",
        "kind": "document",
        "document": SimpleUploadedFile(name, data, content_type="application/pdf"),
        "body": "",
        "access": "public",
        "public_interest_reasons": "",
        "confidential_basis": "",
        **fields,
    }


def _stored(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def _javascript_anywhere(pdf: pikepdf.Pdf) -> bool:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if d.get("/S") == pikepdf.Name.JavaScript or "/JS" in d:
                return True
    return False


def test_the_public_get_a_cleaned_copy_and_officers_the_file_as_uploaded(client, media, meeting, officer, councillor):
    original = hostile_pdf(pages=2)
    client.force_login(officer)
    response = client.post(
        reverse("admin:committee_appendix_add"), _upload_form(meeting.report, original, "Letter from DfE.pdf")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appendix = Appendix.objects.get()
    assert appendix.document_pages == 2 and appendix.document_name == "Letter from DfE.pdf"

    for reader in (None, councillor):
        client.logout()
        if reader:
            client.force_login(reader)
        served = client.get(reverse("committee:appendix-document", args=[appendix.pk]))
        assert served.status_code == 200
        assert 'filename="Letter from DfE.pdf"' in served["Content-Disposition"]
        data = b"".join(served.streaming_content)
        pdf = pikepdf.open(io.BytesIO(data))
        assert len(pdf.pages) == 2
        assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root and "/AcroForm" not in pdf.Root
        assert not pdf.attachments and HIDDEN not in data
        assert not _javascript_anywhere(pdf)
        assert "/Author" not in pdf.docinfo and "/Metadata" not in pdf.Root and b"Bloggs" not in data
        assert all("/Annots" not in page.obj and "/AA" not in page.obj for page in pdf.pages)
        listed = client.get(meeting.report.get_absolute_url()).content.decode()
        assert f"(PDF, 2 pages, {filesizeformat(len(data))})" in listed, "the size of what they download"
        # Neither the public nor a councillor may have the file as uploaded.
        assert client.get(reverse("committee:appendix-original", args=[appendix.pk])).status_code == 404

    client.force_login(officer)
    as_uploaded = client.get(reverse("committee:appendix-original", args=[appendix.pk]))
    assert as_uploaded.status_code == 200 and b"".join(as_uploaded.streaming_content) == original
    assert as_uploaded["Cache-Control"] == "private, no-store"
    assert 'filename="Letter from DfE.pdf"' in as_uploaded["Content-Disposition"]


def test_the_admin_shows_the_uploaded_name_and_opens_the_file_through_the_gate(client, media, meeting, officer):
    original = hostile_pdf()
    client.force_login(officer)
    client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, original, "schedule.pdf"))
    appendix = Appendix.objects.get()
    page = client.get(reverse("admin:committee_appendix_change", args=[appendix.pk])).content.decode()
    link = reverse("committee:appendix-original", args=[appendix.pk])
    assert f'Currently: <a href="{link}">schedule.pdf</a>' in page
    assert b"".join(client.get(link).streaming_content) == original
    report_page = client.get(reverse("admin:committee_report_change", args=[meeting.report.pk])).content.decode()
    assert f'<a href="{link}">schedule.pdf</a>' in report_page


def test_uploads_are_stored_as_pdf_whatever_their_name_and_downloaded_under_it(client, media, meeting, officer):
    client.force_login(officer)
    client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, pdf_bytes(1), "minutes.HTML"))
    appendix = Appendix.objects.get()
    assert appendix.document.name.endswith(".pdf") and "minutes" not in appendix.document.name
    assert appendix.document_name == "minutes.HTML"
    served = client.get(reverse("committee:appendix-document", args=[appendix.pk]))
    assert 'filename="minutes.pdf"' in served["Content-Disposition"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _many_pages(10_000), "This PDF has 10000 pages; Quorum accepts at most 2000."),
        (lambda: _bomb(300), "holds more than 256.0\xa0MB in one part once decompressed"),
        (lambda: _raw_pdf(b"[" * 50_000 + b"]" * 50_000), "its contents are nested too deeply"),
        (lambda: _raw_pdf(b"[" * 200 + b"]" * 200), "its contents are nested too deeply"),
        (_no_pages, "This PDF has no pages."),
        (lambda: b"<html><body>Minutes</body></html>", "This file is not a PDF"),
        (lambda: pdf_bytes(1, password="secret"), "password-protected"),
    ],
    ids=["10000-pages", "decompression-bomb", "nested-50000-deep", "nested-200-deep", "no-pages", "html", "password"],
)
def test_a_hostile_or_unusable_upload_is_refused_at_the_field_keeping_the_form(
    client, media, meeting, officer, make, message
):
    client.force_login(officer)
    response = client.post(
        reverse("admin:committee_appendix_add"), _upload_form(meeting.report, make(), title="Traffic survey results")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["document"] and message in " ".join(errors["document"]), errors
    assert "The submitted file is empty" not in response.content.decode()
    assert 'value="Traffic survey results"' in response.content.decode()
    assert not Appendix.objects.exists() and not _stored(media)


def test_a_file_that_exhausts_the_checkers_memory_is_refused_not_the_web_process(
    client, media, meeting, officer, settings
):
    # Doubly compressed, so the checker has to decompress it whole: it hits its memory limit.
    settings.QUORUM_UPLOAD_MAX_DECOMPRESSED_MB = 100_000
    settings.QUORUM_UPLOAD_CHECK_MEMORY_MB = 300
    client.force_login(officer)
    response = client.post(
        reverse("admin:committee_appendix_add"), _upload_form(meeting.report, _bomb(600, twice=True))
    )
    assert response.status_code == 200
    assert "too long or needed too much memory to check" in " ".join(
        response.context["adminform"].form.errors["document"]
    )
    assert not Appendix.objects.exists()


def _draft_appendix(client, officer, media, name="first.pdf") -> Appendix:
    report = ReportFactory()
    client.force_login(officer)
    response = client.post(reverse("admin:committee_appendix_add"), _upload_form(report, hostile_pdf(), name))
    assert response.status_code == 302
    return Appendix.objects.get()


def test_a_deleted_appendix_takes_its_files_once_the_deletion_commits(
    client, media, officer, django_capture_on_commit_callbacks
):
    appendix = _draft_appendix(client, officer, media)
    files = _stored(media)
    assert files == {appendix.document.name, cleaned_document_name(appendix.document.name)}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("admin:committee_appendix_delete", args=[appendix.pk]), {"post": "yes"})
        assert _stored(media) == files, "nothing is deleted before the deletion commits"
    assert callbacks and not Appendix.objects.exists()
    assert not _stored(media)


def test_a_replaced_file_is_deleted_once_the_replacement_commits(
    client, media, officer, django_capture_on_commit_callbacks
):
    appendix = _draft_appendix(client, officer, media)
    old = _stored(media)
    form = _upload_form(appendix.report, pdf_bytes(3), "second.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:committee_appendix_change", args=[appendix.pk]), form)
        assert response.status_code == 302
        assert old <= _stored(media), "nothing is deleted before the replacement commits"
    appendix.refresh_from_db()
    assert appendix.document_name == "second.pdf" and appendix.document_pages == 3
    assert _stored(media) == {appendix.document.name, cleaned_document_name(appendix.document.name)}
    assert not old & _stored(media)


def test_an_appendix_deleted_from_its_report_takes_its_files(
    client, media, officer, django_capture_on_commit_callbacks
):
    appendix = _draft_appendix(client, officer, media)
    report = appendix.report
    page = client.get(reverse("admin:committee_report_change", args=[report.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "paragraphs"}
    data |= {"agenda_item": report.agenda_item_id, "contact": ""}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        data |= {f"{prefix}-{key}": value for key, value in management.initial.items()}
        for n, inline in enumerate(formset.formset.forms):
            for name, field in inline.fields.items():
                value = inline.initial.get(name, field.initial)
                if value is not None and name not in ("document", "paragraphs"):
                    data[f"{prefix}-{n}-{name}"] = getattr(value, "pk", value)
            if formset.formset.model is Appendix:
                data[f"{prefix}-{n}-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:committee_report_change", args=[report.pk]), data)
        assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not Appendix.objects.exists() and not _stored(media)


def test_a_file_stored_before_cleaned_copies_were_kept_is_cleaned_when_first_read(client, media, meeting):
    appendix = Appendix.objects.create(
        report=meeting.report, letter="A", title="Old upload", kind="document",
        document=ContentFile(hostile_pdf(), name="old.pdf"),
    )  # fmt: skip
    served = client.get(reverse("committee:appendix-document", args=[appendix.pk]))
    data = b"".join(served.streaming_content)
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/OpenAction" not in pdf.Root and not pdf.attachments and not _javascript_anywhere(pdf)
    assert 'filename="appendix-A.pdf"' in served["Content-Disposition"]
    assert cleaned_document_name(appendix.document.name) in _stored(media)


def test_files_left_by_appendices_removed_with_their_report_are_pruned(client, media, officer):
    kept = _draft_appendix(client, officer, media)
    client.post(reverse("admin:committee_appendix_add"), _upload_form(ReportFactory(), pdf_bytes(1), "gone.pdf"))
    gone = Appendix.objects.exclude(pk=kept.pk).get()
    gone.report.delete()  # the appendix goes with it, its files stay behind
    everything = _stored(media)
    assert len(everything) == 4
    out = io.StringIO()
    call_command("prune_appendix_files", hours=1, stdout=out)
    assert "Deleted 0 unused appendix files." in out.getvalue(), "files written in the last hour are kept"
    old = (timezone.now() - timedelta(hours=2)).timestamp()
    for path in media.rglob("*.pdf"):
        os.utime(path, (old, old))
    call_command("prune_appendix_files", hours=1, stdout=out)
    assert "Deleted 2 unused appendix files." in out.getvalue()
    assert _stored(media) == {kept.document.name, cleaned_document_name(kept.document.name)}


def _kept_token(page: str, box: str) -> str:
    found = re.search(rf'name="{re.escape(box)}__held" value="([^"]+)"', page)
    assert found, "the file chosen is not offered again"
    return found.group(1)


def test_a_file_chosen_in_a_try_refused_for_another_field_is_kept_and_saved_with_the_next(
    client, media, meeting, officer
):
    # A browser never fills a file box in again: the officer's PDF was lost whenever another
    # field was refused, and the next save refused the appendix as needing its file.
    original = pdf_bytes(2)
    client.force_login(officer)
    refused = client.post(
        reverse("admin:committee_appendix_add"), _upload_form(meeting.report, original, "Traffic survey.pdf", title="")
    )
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["title"]
    page = refused.content.decode()
    assert "Kept from your last try: <strong>Traffic survey.pdf</strong>" in page
    assert not Appendix.objects.exists()

    form = _upload_form(meeting.report, b"", title="Traffic survey results")
    del form["document"]  # nothing chosen in the box this time
    saved = client.post(
        reverse("admin:committee_appendix_add"), {**form, "document__held": _kept_token(page, "document")}
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    appendix = Appendix.objects.get()
    assert appendix.document_name == "Traffic survey.pdf" and appendix.document_pages == 2
    with appendix.document.open("rb") as stored:
        assert stored.read() == original
    assert not [name for name in _stored(media) if name.startswith("held-uploads/")], "the kept copy goes once saved"


def test_a_kept_file_is_offered_to_no_one_else_and_a_tampered_token_to_no_one(
    client, media, meeting, officer, django_user_model
):
    client.force_login(officer)
    refused = client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, pdf_bytes(1), title=""))
    token = _kept_token(refused.content.decode(), "document")
    form = _upload_form(meeting.report, b"", title="Traffic survey results")
    del form["document"]

    colleague = django_user_model.objects.create_superuser("colleague")
    client.force_login(colleague)
    for sent in (token, token[:-2] + "xx", "not a token"):
        response = client.post(reverse("admin:committee_appendix_add"), {**form, "document__held": sent})
        assert response.status_code == 200  # the form again, the file to choose: never an error page
        assert "Kept from your last try" not in response.content.decode()
    assert not Appendix.objects.exists()


def test_kept_files_of_forms_never_saved_are_pruned_after_a_day(client, media, meeting, officer):
    client.force_login(officer)
    client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, pdf_bytes(1), title=""))
    [kept] = [path for path in media.rglob("*") if path.is_file() and "held-uploads" in path.parts]
    out = io.StringIO()
    call_command("prune_appendix_files", stdout=out)
    assert kept.exists(), "kept for the day a token lasts"
    old = (timezone.now() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(kept, (old, old))
    call_command("prune_appendix_files", stdout=out)
    assert not kept.exists() and "Deleted 1 file kept for a form never saved." in out.getvalue()


def test_a_kept_file_is_offered_for_a_day(client, media, meeting, officer, monkeypatch):
    client.force_login(officer)
    refused = client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, pdf_bytes(1), title=""))
    token = _kept_token(refused.content.decode(), "document")
    form = _upload_form(meeting.report, b"", title="")
    del form["document"]
    kept_at = time.time()

    def try_again_after(later: timedelta) -> str:
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: kept_at + later.total_seconds()))
        response = client.post(reverse("admin:committee_appendix_add"), {**form, "document__held": token})
        assert response.status_code == 200  # the title is still missing: the form again
        return response.content.decode()

    assert "Kept from your last try" in try_again_after(timedelta(hours=23))
    assert "Kept from your last try" not in try_again_after(timedelta(days=1, minutes=1))


def test_beat_prunes_unused_and_kept_files_every_night(client, media, meeting, officer, settings):
    from committee.tasks import prune_appendix_files

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == prune_appendix_files.name)
    assert entry["schedule"] == crontab(hour=3, minute=45)
    client.force_login(officer)
    client.post(reverse("admin:committee_appendix_add"), _upload_form(meeting.report, pdf_bytes(1), title=""))
    [kept] = [path for path in media.rglob("*") if path.is_file() and "held-uploads" in path.parts]
    assert prune_appendix_files.run() == 0 and kept.exists()
    old = (timezone.now() - timedelta(days=1, minutes=1)).timestamp()
    os.utime(kept, (old, old))
    assert prune_appendix_files.run() == 1 and not kept.exists()  # the task as the worker runs it
