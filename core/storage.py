"""Files in the storage that nothing uses any more, deleted after a while."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone


def delete_old_files(
    storage, folder: str, *, older_than: timedelta, keep: Callable[[str], bool] = lambda file: False
) -> int:
    """Delete the files directly in `folder` written more than `older_than` ago, but those
    `keep(file name)` holds on to. Returns how many were deleted; a folder not there is empty."""
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for file in files:
        path = f"{folder}/{file}"
        if not keep(file) and storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            removed += 1
    return removed
