"""Mail servers for the tests, as Django e-mail backends that behave as real ones do:

- `SlowEmailBackend` takes 0.3 s per message and records each one's e-mail id in the file
  named by BAROMETRE_TEST_DELIVERIES, so that a test can kill the worker mid-batch and count
  what went out;
- `RefusingBackend` refuses the addresses of bounce.example, as an SMTP server does (550);
- `UnreachableBackend` cannot be connected to;
- `DroppingBackend` loses the connection in the middle of one message;
- `GreylistingBackend` refuses one address for now (450), as greylisting does.
"""

from __future__ import annotations

import os
import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["BAROMETRE_TEST_DELIVERIES"]
        for message in email_messages:
            time.sleep(0.3)
            with open(path, "a", encoding="utf-8") as log:
                log.write(message.extra_headers["X-Barometre-Email"] + "\n")
                log.flush()
                os.fsync(log.fileno())
        return len(email_messages)


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        for message in messages:
            if message.to[0].endswith("@bounce.example"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 unknown user")})
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


class DroppingBackend(LocmemBackend):
    """A mail server whose connection drops while the message to drop@alpha.example is being
    handed over."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] == "drop@alpha.example":
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class GreylistingBackend(LocmemBackend):
    """A mail server that answers 450 (try again later) to grey@alpha.example."""

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] == "grey@alpha.example":
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"4.2.0 greylisted")})
        return super().send_messages(messages)
