"""A newsroom's webhook receiver on loopback (tests/local_http.py): it checks each delivery's
signature as the newsroom would, and answers `status`."""

import hashlib
import hmac
import json
import time

from tests.local_http import Answer, Request

SECRET = "s3cret-for-the-newsroom"


class Receiver:
    def __init__(self):
        self.received, self.status, self.url = [], 204, ""

    def answer(self, request: Request) -> Answer:
        timestamp = request.headers["Quorum-Timestamp"]
        expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(request.headers["Quorum-Signature"], f"sha256={expected}")
        fresh = abs(time.time() - int(timestamp)) < 300  # the receiver's guard against replay
        self.received.append({"valid": valid and fresh, "body": json.loads(request.body), "headers": request.headers})
        return Answer(self.status if valid else 401)
