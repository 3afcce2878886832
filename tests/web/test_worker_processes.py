"""The background worker and the web server as real processes, killed with `kill -9`.

- A worker killed in the middle of the reports of a wave: another worker finds the job
  silent, runs it again, keeps the reports already made, and the archive is whole; nothing
  half-written is left.
- A worker killed in the middle of a batch of e-mails: no e-mail goes twice; the one it was
  handing over is marked "uncertain", every other is sent once.
- Concurrent respondents autosaving on the SQLite default: no server error.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.served import Server

pytestmark = pytest.mark.slow

COMPUTED_WAVE = """
from barometre.questionnaire import builtin_path, load_questionnaire
from barometre.simulate import simulate_sector
from barometre.files import csv_text
from barometre.organisations import FRAME_COLUMNS
from barometre.web.campaigns.computation import wave_compute
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.services import wave_create, wave_transition
from barometre.web.demo import load_answers
hlm = load_questionnaire("hlm-2026")
sector = simulate_sector(hlm, organisations=24, response_rate=0.3, seed=5)
wave = wave_create(
    year=2026, title="Baromètre 2026 (données synthétiques)",
    questionnaire_yaml=builtin_path("hlm-2026").read_text(encoding="utf-8"),
    frame_csv=csv_text(sector.frame[FRAME_COLUMNS]),
)
wave_transition(wave=wave, target=Wave.Status.OPEN)
load_answers(wave, sector.responses)
wave_transition(wave=wave, target=Wave.Status.CLOSED)
wave_compute(wave=wave)
print(sum(1 for o in Wave.objects.get().scores.organisations if o.scored))
"""

START_REPORTS = """
from django.db import transaction
from barometre.web.campaigns.jobs import report_job_start
from barometre.web.campaigns.models import Wave
with transaction.atomic():
    job = report_job_start(wave=Wave.objects.get())
print(job.pk)
"""

QUEUE_EMAILS = """
from django.db import transaction
from barometre.web.campaigns.mailing import emails_queue
from barometre.web.campaigns.models import AccessLink, Email
from tests.served import open_tiny_wave
with transaction.atomic():
    open_tiny_wave(respondents=12)
    links = list(AccessLink.objects.all())
    emails_queue(links=links, kind=Email.Kind.INVITATION, base_url="http://127.0.0.1")
print(len(links))
"""


def quick_worker(tmp_path: Path, **env: str) -> Server:
    """A server whose worker gives up on a silent job after 3 s and looks every 0.5 s."""
    return Server(
        tmp_path,
        extra_env={
            "BAROMETRE_JOB_STALE_SECONDS": "3",
            "BAROMETRE_SCHEDULER_SECONDS": "0.5",
            **env,
        },
    )


def test_a_worker_killed_mid_reports_loses_nothing(tmp_path):
    server = quick_worker(tmp_path)
    try:
        scored = int(server.prepare(COMPUTED_WAVE))
        assert scored >= 5
        job_id = int(server.run(START_REPORTS))
        server.start_worker()
        server.wait_for(
            "select done from jobs_job where id = ?", lambda r: r[0][0] >= 2, 120, job_id
        )
        server.kill9_worker()  # in the middle of the reports
        status, done = server.query("select status, done from jobs_job where id = ?", job_id)[0]
        assert status == "running" and done < scored

        server.start_worker()  # another worker: the silent job is taken again and finished
        rows = server.wait_for(
            "select status, attempts, output, done, total from jobs_job where id = ?",
            lambda r: r[0][0] in ("done", "failed"),
            180,
            job_id,
        )
        status, attempts, output, done, total = rows[0]
        assert (status, attempts, done, total) == ("done", 2, scored, scored)
        with zipfile.ZipFile(output) as archive:
            assert archive.testzip() is None
            names = archive.namelist()
        assert len(names) == scored and all(name.endswith(".pdf") for name in names)
        leftovers = [p for p in (tmp_path / "reports").rglob("*") if p.name.endswith(".tmp")]
        assert leftovers == [] and not list((tmp_path / "reports").rglob("job-*"))
    finally:
        server.stop()


REDIS = "redis://127.0.0.1:6379/15"  # db 15: the tests' own, emptied first


def redis_queue() -> dict[str, str]:
    """The environment of a worker on the Redis queue (RQ), after emptying db 15; the test is
    skipped where no Redis runs, except in CI, where it must run."""
    import os

    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 for the RQ queue; skipped on this machine")
    return {"REDIS_URL": REDIS}


@pytest.mark.parametrize("queue", ["database", "redis"])
def test_a_worker_killed_mid_emails_sends_none_twice(tmp_path, queue):
    deliveries = tmp_path / "deliveries.log"
    server = quick_worker(
        tmp_path,
        BAROMETRE_EMAIL_BACKEND="tests.web.mail_servers.SlowEmailBackend",
        BAROMETRE_TEST_DELIVERIES=str(deliveries),
        **(redis_queue() if queue == "redis" else {}),
    )
    try:
        queued = int(server.prepare(QUEUE_EMAILS))
        server.start_worker()
        server.wait_for(
            "select count(*) from campaigns_email where status = 'sent'",
            lambda r: r[0][0] >= 3,
            60,
        )
        server.kill9_worker()
        server.start_worker()
        rows = server.wait_for(
            "select status, count(*) from campaigns_email group by status",
            lambda r: {s for s, _n in r} <= {"sent", "uncertain"},
            120,
        )
        counts = dict(rows)
        assert counts.get("uncertain", 0) <= 1  # at most the one being handed over
        assert counts["sent"] + counts.get("uncertain", 0) == queued
        delivered = deliveries.read_text().split()
        assert len(delivered) == len(set(delivered))  # no e-mail went twice
        sent_ids = {
            str(i) for (i,) in server.query("select id from campaigns_email where status='sent'")
        }
        assert sent_ids <= set(delivered)
    finally:
        server.stop()


def test_concurrent_autosaves_on_sqlite_give_no_server_error(tmp_path):
    server = Server(tmp_path)
    tokens_script = """
from tests.served import open_tiny_wave
print(",".join(open_tiny_wave(respondents=12)))
"""
    try:
        tokens = server.prepare(tokens_script).split(",")
        server.start()
        statuses: list[int] = []
        lock = threading.Lock()

        def respondent(token: str) -> None:
            jar = CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            page = opener.open(f"{server.url}/repondre/{token}/page/2/").read().decode()
            csrf = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            version = 0
            for n in range(25):  # 25 changes of the same answer, as fast as possible
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": csrf,
                        "field": "a_scale",
                        "value": str(n % 5),
                        "version": version,
                        "session": "t",
                    }
                ).encode()
                request = urllib.request.Request(f"{server.url}/repondre/{token}/reponse/", body)
                try:
                    with opener.open(request) as reply:
                        version = json.loads(reply.read())["version"]
                        code = reply.status
                except urllib.error.HTTPError as error:
                    code = error.code
                with lock:
                    statuses.append(code)

        threads = [threading.Thread(target=respondent, args=(t,)) for t in tokens]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(statuses) == 12 * 25
        assert statuses.count(200) == len(statuses), sorted(set(statuses))
        stored = server.query("select count(*), sum(version) from responses_answer")
        assert stored == [(12, 12 * 25)]  # each change stored, with its version
    finally:
        server.stop()
