"""A file chosen in an admin form that comes back with a message about another field is kept,
not lost. A browser never fills a file box in again, so the officer had to notice that the
file was gone and choose it again (and a PDF appendix saved without it was then refused as
"needs its file"). Here, when the form comes back, each file whose own field was not refused
is stored in a private folder and the form carries a signed token for it; the next try, with
no other file chosen in that box, takes the kept file, checked again as any upload is. Saved,
the kept copy is deleted; any left behind go after a day (committee.tasks.prune_appendix_files,
nightly, and `manage.py prune_appendix_files`).

Used by every careful admin (core.forms.CarefulAdminMixin.changeform_view) and shown by the
file widgets that offer it (KeepsChosenFile)."""

import os
import uuid
from datetime import timedelta

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile, UploadedFile

from core.storage import delete_old_files

FOLDER = "held-uploads"  # in the default storage, which is never served (MEDIA_URL)
SUFFIX = "__held"  # the token's field: the file box's name and this
KEPT_FOR = timedelta(days=1)
_SALT = "quorum.held-upload"


def restore(request) -> list[str]:
    """Put into request.FILES each file kept from the form's last try whose box has no other
    file chosen now, as if chosen again. Returns where they are kept, to delete once saved.
    A token that is not this server's, not this person's, or older than a day is ignored."""
    restored = []
    for key, token in request.POST.items():
        name = key.removesuffix(SUFFIX)
        if name == key or name in request.FILES:
            continue
        try:
            person, path, filename, content_type = signing.loads(token, salt=_SALT, max_age=KEPT_FOR.total_seconds())
        except (signing.BadSignature, ValueError):
            continue
        if person != request.user.pk or not path.startswith(f"{FOLDER}/") or not default_storage.exists(path):
            continue
        with default_storage.open(path, "rb") as kept:
            upload = SimpleUploadedFile(filename, kept.read(), content_type=content_type)
        upload.held = token
        request.FILES[name] = upload
        restored.append(path)
    return restored


def hold(request, bound_forms) -> None:
    """Keep each file chosen in these forms whose own field was not refused (a refused file
    is not offered again), and mark it with its token for the widget to write."""
    for form in bound_forms:
        for name, field in form.fields.items():
            upload = form.files.get(form.add_prefix(name))
            if not isinstance(field.widget, KeepsChosenFile) or not isinstance(upload, UploadedFile):
                continue  # a box that cannot offer it again, or nothing chosen
            if name in form.errors:
                continue
            if not getattr(upload, "held", None):  # else kept already (restored from the last try)
                upload.seek(0)
                path = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}", upload)
                upload.seek(0)
                upload.held = signing.dumps([request.user.pk, path, upload.name, upload.content_type], salt=_SALT)
            # Told to this form's own widget (each form has copies of its own): a bound file
            # field's value is what was stored before, never the file chosen.
            field.widget.held = (upload.held, upload.name)


def chosen_again(request) -> None:
    """Make each file of the request ready to be saved by a second try of the same save (one
    that lost a race, core.forms). A file larger than FILE_UPLOAD_MAX_MEMORY_SIZE arrives as a
    temporary file, which the file system storage moved into place in the first try: the
    second found nothing at its path. What was moved is still open, so it is copied into a
    new temporary file."""
    for name, uploads in list(request.FILES.lists()):
        request.FILES.setlist(name, [_readable_again(upload) for upload in uploads])


def _readable_again(upload):
    upload.seek(0)
    if not isinstance(upload, TemporaryUploadedFile) or os.path.exists(upload.temporary_file_path()):
        return upload
    copy = TemporaryUploadedFile(
        upload.name, upload.content_type, upload.size, upload.charset, upload.content_type_extra
    )
    for chunk in upload.chunks():
        copy.write(chunk)
    copy.seek(0)
    upload.close()
    return copy


def release(paths: list[str]) -> None:
    """Delete kept files once the form that used them is saved."""
    for path in paths:
        default_storage.delete(path)


def prune(*, older_than: timedelta = KEPT_FOR) -> int:
    """Delete kept files older than a token lasts (forms abandoned after a refusal)."""
    return delete_old_files(default_storage, FOLDER, older_than=older_than)


class KeepsChosenFile:
    """For a file widget: the file kept from the form's last try (`hold`) is named under the
    box, with the token that brings it back, so the officer need not choose it again."""

    template_name = "core/widgets/held_file.html"  # the admin's file box, then the kept file

    held: tuple[str, str] | None = None  # the token and the file's name, set by `hold`

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.held:
            token, filename = self.held
            note = f"{context['widget']['attrs'].get('id', name)}_held"
            context["widget"]["held"] = {"field": name + SUFFIX, "token": token, "name": filename, "id": note}
            described = context["widget"]["attrs"].get("aria-describedby", "")
            context["widget"]["attrs"]["aria-describedby"] = f"{described} {note}".strip()
        return context
