"""What the portal serves, as SHA-256 digests, for comparing a site with its restored copy
(tests/operations/test_backup.py). Run as a program against the database and media folder
its environment names; prints one JSON object."""

import hashlib
import json
import re

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from committee.models import AgendaPack, Meeting, Report  # noqa: E402

# What differs between two answers of the same page: the CSP nonce and the CSRF token.
VARYING = re.compile(rb'(nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|csrftoken=[^;"]*)')


def digest(content: bytes) -> str:
    return hashlib.sha256(VARYING.sub(b"", content)).hexdigest()


def main() -> None:
    public, officer = Client(), Client()
    officer.force_login(get_user_model().objects.get(username="officer"))
    pages = ["/", "/search/?q=risk", "/sitemap.xml"]
    pages += [meeting.get_absolute_url() for meeting in Meeting.objects.order_by("pk")]
    pages += [report.get_absolute_url() for report in Report.objects.order_by("pk")]
    served = {}
    for url in pages:
        response = public.get(url)
        served[url] = [response.status_code, digest(response.content)]
    packs = {}
    for pack in AgendaPack.objects.filter(status="ready").order_by("pk"):
        response = officer.get(f"/packs/{pack.pk}/")
        packs[pack.pk] = [
            response.status_code,
            hashlib.sha256(b"".join(response.streaming_content)).hexdigest(),
            pack.checksum,
        ]
    history = {
        model.__name__: sorted(
            (str(h.history_date), h.history_type, h.history_user_id, str(h.pk))
            for h in model.history.model.objects.all()
        )
        for model in (Meeting, Report)
    }
    print(json.dumps({"pages": served, "packs": packs, "history": history}))


main()
