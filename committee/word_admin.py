"""The admin's pages for reports written in Word: upload (with a preview to confirm), and
downloads of the council's template and of a report as a .docx.

The upload is read twice: once for the preview, once more when the officer confirms, by
the same service that saves; between the two the file waits under a random name, named to
the browser only in a signed token, so an officer can neither swap nor guess another's."""

import re
import secrets

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from core.forms import CarefulAdminMixin

from . import services, word
from .models import AgendaItem, Report, ReportSource, WordHeading

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SALT = "committee.word_admin.pending"
_PENDING_FOR = 2 * 60 * 60  # seconds an officer has to confirm a preview


class WordUploadForm(forms.Form):
    document = forms.FileField(
        label="Word document (.docx)",
        help_text="A report written from the council's template. It is checked and shown to you before anything is saved.",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > word.MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {word.MAX_UPLOAD_BYTES // (1024 * 1024)} MB: put pictures and long tables "
                "in appendices, or reduce the pictures' size in Word."
            )
        return upload


def _report_admin():
    return admin.site._registry[Report]


def report_import_view(model_admin, request, pk):
    report = get_object_or_404(Report.objects.select_related("agenda_item"), pk=pk)
    if not model_admin.has_change_permission(request, report):
        raise PermissionDenied

    def save(upload, name, seen):
        changed = services.report_import_docx(
            report=report, upload=upload, by=request.user, original_name=name, version_seen=seen
        )
        return report, changed

    return _upload_page(
        model_admin, request, obj=report, target=f"report:{report.pk}", report=report, agenda_item=None, save=save
    )


def report_from_word_view(model_admin, request, pk):
    item = get_object_or_404(AgendaItem, pk=pk)
    if not _report_admin().has_add_permission(request):
        raise PermissionDenied
    if Report.objects.filter(agenda_item=item).exists():
        model_admin.message_user(request, "This agenda item already has a report: upload the document on the report.",
                                 messages.WARNING)  # fmt: skip
        return redirect("admin:committee_report_change", item.report.pk)

    def save(upload, name, seen):
        return services.report_create_from_docx(
            agenda_item=item, upload=upload, by=request.user, original_name=name
        ), True

    return _upload_page(
        model_admin, request, obj=item, target=f"item:{item.pk}", report=None, agenda_item=item, save=save
    )


def _upload_page(model_admin, request, *, obj, target, report, agenda_item, save):
    form = WordUploadForm()
    proposal, token, errors = None, "", []
    if request.method == "POST" and request.POST.get("token"):
        try:
            pending = _pending(request, target)
        except ValidationError as exc:
            errors = exc.messages
        else:
            try:
                with default_storage.open(pending["path"], "rb") as upload:
                    saved, changed = save(upload, pending["name"], pending.get("seen"))
            except ValidationError as exc:
                errors = exc.messages
            else:
                default_storage.delete(pending["path"])
                if changed:
                    from .admin import rebuild_if_published  # the admin imports this module

                    rebuild_if_published(request, saved.agenda_item.meeting)
                    said = (
                        f"“{saved}” is filled from {pending['name']}; the document is kept with the report's history."
                    )
                else:
                    said = f"“{saved}” already says what the document says: nothing was saved."
                model_admin.message_user(request, said, messages.SUCCESS if changed else messages.INFO)
                return redirect("admin:committee_report_change", saved.pk)
    elif request.method == "POST":
        form = WordUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                proposal = services.report_word_read(upload=upload, report=report, agenda_item=agenda_item)
            except ValidationError as exc:
                form.add_error("document", exc)
            else:
                # The report as the preview is shown against: a confirmation over a later save is refused.
                seen = services.report_word_version(report=report) if report is not None else None
                token = _keep_pending(request, upload, target, seen)
    opts = obj._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": obj,
        "action": "Upload from Word",
        "title": f"Upload from Word: {obj}",
        "back_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        "errors": errors,
        "form": form,
        "proposal": proposal,
        "token": token,
        "preview": _preview(proposal, report) if proposal else None,
    }
    return TemplateResponse(request, "admin/committee/report/word_import.html", context)


def _keep_pending(request, upload, target, seen: str | None) -> str:
    _forget_old_previews()
    upload.seek(0)
    path = default_storage.save(f"word-pending/{secrets.token_urlsafe(24)}.docx", ContentFile(upload.read()))
    return signing.dumps(
        {"path": path, "name": upload.name[:255], "user": request.user.pk, "target": target, "seen": seen}, salt=_SALT
    )


def _forget_old_previews() -> None:
    """Previews never confirmed are deleted once they can no longer be (a day later)."""
    from datetime import timedelta

    from django.utils import timezone

    try:
        _, names = default_storage.listdir("word-pending")
    except FileNotFoundError:
        return
    too_old = timezone.now() - timedelta(days=1)
    for name in names:
        path = f"word-pending/{name}"
        try:
            if default_storage.get_modified_time(path) < too_old:
                default_storage.delete(path)
        except FileNotFoundError:
            pass  # deleted by a confirmation meanwhile


def _pending(request, target) -> dict:
    try:
        pending = signing.loads(request.POST["token"], salt=_SALT, max_age=_PENDING_FOR)
    except signing.BadSignature as exc:
        raise ValidationError("This preview has expired: upload the document again.") from exc
    if pending.get("user") != request.user.pk or pending.get("target") != target:
        raise ValidationError("This preview is not yours: upload the document again.")
    if not default_storage.exists(pending["path"]):
        raise ValidationError("This preview has expired: upload the document again.")
    return pending


def _preview(proposal, report):
    """Each part of the report as the import would store it."""
    sections = []
    for name, label in Report.SECTIONS:
        if name in proposal.sections:
            html = proposal.sections[name]
            sections.append({"label": label, "html": mark_safe(html) if html else "", "found": True})  # noqa: S308 - sanitised by the reader
        else:
            sections.append({"label": label, "html": "", "found": False, "kept": report is not None})
    return {
        "front": [
            ("Title", proposal.title),
            ("Report of", proposal.report_of),
            ("Part", proposal.part),
            ("Electoral Divisions affected", proposal.electoral_divisions),
            ("Contact for further information", proposal.contact),
        ],
        "sections": sections,
        "reason_for_part_ii": proposal.sections.get(word.TARGET_REASON_PART_II),
        "papers": proposal.background_papers,
        "papers_found": word.TARGET_BACKGROUND_PAPERS in proposal.section_headings,
    }


def _attachment(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_download_view(model_admin, request, pk):
    report = get_object_or_404(Report.objects.select_related("agenda_item", "contact"), pk=pk)
    if not model_admin.has_view_permission(request, report):
        raise PermissionDenied
    name = f"{slugify(report.title)[:80] or 'report'}.docx"
    return _attachment(services.report_word_document(report=report), name)


def template_download_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return _attachment(services.word_template(), "report-template.docx")


@admin.register(WordHeading)
class WordHeadingAdmin(CarefulAdminMixin, admin.ModelAdmin):
    """The council's headings and where each goes: what the importer matches and the
    template is written from."""

    list_display = ["heading", "target", "in_template", "order"]
    list_editable = ["target", "in_template", "order"]
    search_fields = ["heading"]


def source_download_view(model_admin, request, pk, source_pk):
    """A Word document a report was imported from, to whoever may see the report."""
    # report__pk, not report_id: a key's own lookup answers "no such row" for an id past any
    # key (the address takes any digits), which report_id= handed to SQLite, which refused it.
    source = get_object_or_404(ReportSource.objects.select_related("report"), pk=source_pk, report__pk=pk)
    if not model_admin.has_view_permission(request, source.report):
        raise PermissionDenied
    with source.file.open("rb") as kept:
        data = kept.read()
    name = re.sub(r"[^\w. -]+", "_", source.original_name) or "report.docx"
    return _attachment(data, name)
