"""A real SMTP server on loopback (aiosmtpd) that keeps what arrives, for the tests and the
benchmark. Addresses at refused.example are refused with 550 (a hard bounce)."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller
from django.core.mail.backends.smtp import EmailBackend


class Inbox:
    def __init__(self, *, keep: bool = True):
        self.messages = []
        self.count = 0
        self.keep = keep
        self.lock = threading.Lock()
        # The next this many messages are refused with 451, as by a mail server that is down
        # for a while (the sender's SMTP client raises: the message was not taken).
        self.refuse_next = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next:
                self.refuse_next -= 1
                return "451 4.3.0 Mail server busy, try again later"
            self.count += 1
            if self.keep:
                parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
                self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [message for rcpt, message in self.messages if address in rcpt]

    def clear(self):
        with self.lock:
            self.messages.clear()


def part(message, subtype: str) -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def everything(message) -> str:
    """All a message tells: its plain and HTML bodies and its subject."""
    return part(message, "plain") + part(message, "html") + str(message["Subject"])


class LoopbackSmtp:
    def __init__(self, *, keep: bool = True):
        self.inbox = Inbox(keep=keep)
        with socket.socket() as probe:  # a free port (aiosmtpd checks its own port by connecting)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }


class HookedSmtpBackend(EmailBackend):
    """Django's SMTP backend that calls `after_send` (set by a test) once the server has taken
    each message: what an officer does while a run of the alerts' tasks is still sending."""

    after_send = None

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        for message in email_messages:
            if HookedSmtpBackend.after_send is not None:
                HookedSmtpBackend.after_send(message)
        return sent
