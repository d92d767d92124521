"""Saving a ModernGov web service's answers to a folder, in the layout the import reads
(moderngov/source.py): a copy a council can keep, move and import later, from its old
ModernGov site or from Quorum's own service. The walk asks what the import asks, in the same
order; nothing is written to the database."""

import urllib.parse
from collections import Counter
from pathlib import Path

from . import reading
from .source import NotFound, request_name


def _document_path(folder: Path, url: str) -> Path | None:
    """Where a document is kept: at its address's path, as FolderSource reads it."""
    relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path).strip("/")
    path = (folder / relative).resolve()
    return path if relative and folder.resolve() in path.parents else None


def archive_save(*, source, folder: Path, years, most_documents: int | None = None, stream=None) -> Counter:
    """Save the answers `source` (a SiteSource) gives for the archive of `years` (pairs of
    dates) to `folder` (`most_documents`: a sample of the documents only). Documents already in the folder are not fetched again, so a save that
    stopped is continued by running it again. Returns counts, with the reasons for skipping."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()

    def keep(method: str, **params) -> bytes | None:
        try:
            data = source.call(method, **params)
        except NotFound:
            counts[f"skipped: {method} not answered"] += 1
            return None
        (folder / request_name(method, params)).write_bytes(data)
        counts["answers"] += 1
        return data

    committees = reading.committees(keep("GetCommittees", lDummy=0) or b"<committees />")
    keep("GetCouncillorsByWard")
    keep("GetMemberGroup", sOrder=0, sShortName="")
    meeting_ids: set[int] = set()
    for committee in committees:
        if committee.deleted:
            continue  # the import leaves deleted committees out
        for start, end in years:
            data = keep(
                "GetMeetings",
                lCommitteeId=committee.id,
                sFromDate=start.strftime("%d/%m/%Y"),
                sToDate=end.strftime("%d/%m/%Y"),
            )
            meeting_ids.update(reading.meeting_ids(data) if data else [])
    for done, meeting_id in enumerate(sorted(meeting_ids), start=1):
        data = keep("GetMeeting", lMeetingId=meeting_id)
        if stream is not None:
            stream.write(f"\rMeetings {done}/{len(meeting_ids)}, documents {counts['documents']}")
        if data is None:
            continue
        for item in reading.meeting(data).items:
            for doc in item.documents:
                url = doc.url
                if not url and (most_documents is None or counts["documents"] < most_documents):
                    answer = keep("GetAttachment", lAttachmentId=doc.id)
                    url = reading.attachment_url(answer) if answer else ""
                if most_documents is not None and counts["documents"] >= most_documents:
                    counts["skipped: a document beyond the sample asked for"] += 1
                    continue
                path = _document_path(folder, url) if url else None
                if path is None:
                    counts["skipped: a document without an address"] += 1
                    continue
                if path.is_file():
                    counts["documents"] += 1
                    continue
                try:
                    body = source.document(url)
                except NotFound:
                    counts["skipped: a document not found"] += 1
                    continue
                if not body.startswith(b"%PDF"):
                    # Quorum's reports are web pages, not files: the import takes PDFs only.
                    counts["skipped: a document that is a web page, not a PDF"] += 1
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(body)
                counts["documents"] += 1
    if stream is not None:
        stream.write("\n")
    return counts
