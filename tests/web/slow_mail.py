"""An e-mail backend for the worker tests: each message takes 0.3 s to hand over and is then
recorded (its e-mail id, one per line) in the file named by BAROMETRE_TEST_DELIVERIES, so
that a test can kill the worker mid-batch and count what went out."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


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
