"""One respondent's journey through the questionnaire, as a browser with autosave makes it.

Shared by the Locust load test (`locustfile.py`) and the scale-out check (`scaleout.py`); it
needs only the standard library, and the HTTP client is given by the caller (`Transport`), so
that Locust can time each request and the scale-out driver can run without Locust.

The protocol (see src/barometre/web/responses/):
- `GET /repondre/<token>/` redirects to the page to resume; each page's
  `<form data-autosave data-save-url=...>` holds the answer fields (`data-field`, with
  `data-version` and hidden `version:FIELD` inputs on servers that version answers);
- each answer is saved at once: `POST <save-url>` with `field`, `value`, `version` (the last
  version seen, 0 if none) and `session` (one random id per tab). 200 saved (or an idempotent
  replay), 409 changed elsewhere (the client adopts the stored value and version), 400 refused,
  404 bad link, no answer or a 5xx retried later from the outbox (a 500 is still an error);
- the page's form is then posted (302 to the next page); on the last page `action=send`
  submits and redirects to `/repondre/<token>/merci/`.
A server that does not version answers yet answers 200 without a "version": both work.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlsplit

SPECIALS = ("NA", "DK")
#: What a server or proxy answers while an instance is down (0: no answer at all, connection
#: refused or reset): expected during a failover. Any 5xx is retried, as the page's script
#: does, but a 500 remains an error.
RETRYABLE = frozenset({0, 502, 503, 504})


def retried(status: int) -> bool:
    return status == 0 or status >= 500


MULTI_SEPARATOR = "|"

# --------------------------------------------------------------------------------------------
# The page as the browser sees it
# --------------------------------------------------------------------------------------------


@dataclass
class Field:
    """One answer field of a page: its kind, the choices offered and the state shown."""

    id: str
    kind: str = ""  # radio | multi | number | text
    options: list[str] = field(default_factory=list)  # codes in page order (radio: NA/DK too)
    exclusive: set[str] = field(default_factory=set)
    specials: list[str] = field(default_factory=list)  # values of the special:FIELD radios
    value: str = ""  # the current answer as the form would post it ("" when unanswered)
    version: int = 0
    range_text: str = ""

    def bounds(self) -> tuple[float, float]:
        """The range the page states for a number ("A number between 0 and 100.")."""
        numbers = [
            float(n.replace("\u202f", "").replace("\xa0", "").replace(",", "."))
            for n in re.findall(r"-?\d[\d\u202f\xa0]*(?:[.,]\d+)?", self.range_text)
        ]
        if len(numbers) >= 2:
            return min(numbers[:2]), max(numbers[:2])
        if len(numbers) == 1:
            return numbers[0], numbers[0] + 5000
        return 0.0, 1000.0


@dataclass
class Page:
    action: str = ""
    save_url: str = ""
    csrf: str = ""
    fields: dict[str, Field] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    extra_inputs: list[tuple[str, str]] = field(default_factory=list)  # other hidden inputs
    last: bool = False  # has the "send" button
    versioned: bool = False  # the server versions answers (data-version / version:FIELD)
    refused: bool = False  # the page says some answers could not be saved

    def field(self, field_id: str) -> Field:
        if field_id not in self.fields:
            self.fields[field_id] = Field(field_id)
        return self.fields[field_id]


class PageParser(HTMLParser):
    """Reads the questionnaire form of a page (html.parser: no dependency)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.in_form = False
        self.found_form = False
        self._text_of: tuple[str, Field] | None = None  # ("textarea" | "range", field)
        self._buffer: list[str] = []
        self._ticked: dict[str, list[str]] = {}
        self._special: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "div" and a.get("role") == "alert" and "error" in a.get("class", "").split():
            self.page.refused = True
        if tag == "form" and "data-autosave" in a:
            self.in_form = self.found_form = True
            self.page.action = a.get("action", "")
            self.page.save_url = a.get("data-save-url", "")
            return
        if not self.in_form:
            return
        if "data-field" in a:
            f = self.page.field(a["data-field"])
            if "data-version" in a:
                self.page.versioned = True
                f.version = _int(a["data-version"])
        if tag == "input":
            self._input(a)
        elif tag == "textarea":
            kind, _sep, field_id = a.get("name", "").partition(":")
            if kind == "f" and field_id:
                f = self.page.field(field_id)
                f.kind = "text"
                self._text_of, self._buffer = ("textarea", f), []
        elif tag == "small" and a.get("id", "").startswith("range-"):
            self._text_of, self._buffer = ("range", self.page.field(a["id"][6:])), []
        elif tag == "button" and a.get("name") == "action" and a.get("value") == "send":
            self.page.last = True

    def _input(self, a: dict[str, str]) -> None:
        name, value, kind_attr = a.get("name", ""), a.get("value", ""), a.get("type", "text")
        checked = "checked" in a
        if name == "csrfmiddlewaretoken":
            self.page.csrf = value
            return
        kind, sep, field_id = name.partition(":")
        if not sep or not field_id:
            if name and kind_attr == "hidden":
                self.page.extra_inputs.append((name, value))
            return
        if kind == "shown":
            self.page.shown.append(field_id)
            self.page.field(field_id)
        elif kind == "version":
            self.page.versioned = True
            self.page.field(field_id).version = _int(value)
        elif kind == "f":
            f = self.page.field(field_id)
            if kind_attr == "radio":
                f.kind = "radio"
                f.options.append(value)
                if checked:
                    f.value = value
            else:
                f.kind = "number" if a.get("inputmode") == "decimal" else "text"
                f.value = value.strip()
        elif kind == "multi":
            f = self.page.field(field_id)
            f.kind = "multi"
            f.options.append(value)
            if "data-exclusive" in a:
                f.exclusive.add(value)
            if checked:
                self._ticked.setdefault(field_id, []).append(value)
        elif kind == "special":
            f = self.page.field(field_id)
            f.specials.append(value)
            if checked and value:
                self._special[field_id] = value

    def handle_data(self, data: str) -> None:
        if self._text_of is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text_of is not None and tag in ("textarea", "small"):
            what, f = self._text_of
            text = "".join(self._buffer)
            if what == "textarea":
                f.value = text.strip()
            else:
                f.range_text = text
            self._text_of = None
        if tag == "form" and self.in_form:
            self.in_form = False

    def result(self) -> Page:
        page = self.page
        for field_id, codes in self._ticked.items():
            page.fields[field_id].value = MULTI_SEPARATOR.join(codes)
        for field_id, special in self._special.items():
            page.fields[field_id].value = special
        # Only real answer fields (a data-field box with inputs) are answered.
        page.fields = {k: f for k, f in page.fields.items() if f.kind}
        return page


def parse_page(html: str) -> Page | None:
    """The questionnaire form of a page, or None when the page has none."""
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser.result() if parser.found_form else None


def _int(text: str | None) -> int:
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0


# --------------------------------------------------------------------------------------------
# Answers a person would give
# --------------------------------------------------------------------------------------------

PHRASES = (
    "Réponse synthétique de test de charge.",
    "Nous avançons par étapes, agence par agence.",
    "Le projet de portail locataire est prévu pour l'an prochain.",
    "Synthetic load-test answer: nothing to read here.",
)


def choose_answer(f: Field, rng: random.Random, special_rate: float = 0.05) -> str:
    """A value a respondent could give to this field, from the codes the page offers; a
    different one from the current answer when there is a choice (a change of mind)."""
    for _attempt in range(5):
        value = _draw(f, rng, special_rate)
        if value != f.value:
            return value
    return value


def _draw(f: Field, rng: random.Random, special_rate: float) -> str:
    specials = [s for s in (f.options if f.kind == "radio" else f.specials) if s in SPECIALS]
    if specials and rng.random() < special_rate:
        return rng.choice(specials)
    if f.kind == "radio":
        codes = [o for o in f.options if o not in SPECIALS] or f.options
        return rng.choice(codes)
    if f.kind == "multi":
        plain = [o for o in f.options if o not in f.exclusive]
        if f.exclusive and (not plain or rng.random() < 0.1):
            return rng.choice(sorted(f.exclusive))
        ticked = set(rng.sample(plain, rng.randint(1, max(1, min(len(plain), 4)))))
        return MULTI_SEPARATOR.join(o for o in plain if o in ticked)
    if f.kind == "number":
        low, high = f.bounds()
        if rng.random() < 0.25 and high - low >= 2:
            return f"{rng.uniform(low, high - 1):.1f}"
        return str(rng.randint(int(low), int(high)))
    return rng.choice(PHRASES)


def form_inputs(page: Page, answers: dict[str, str], session: str) -> list[tuple[str, str]]:
    """What the page's form posts: every input as the browser would send it."""
    data: list[tuple[str, str]] = [("csrfmiddlewaretoken", page.csrf)]
    data += [(name, value) for name, value in page.extra_inputs if name != "session"]
    data.append(("session", session))
    for field_id in page.shown:
        data.append((f"shown:{field_id}", "1"))
        if field_id in page.fields:
            data.append((f"version:{field_id}", str(page.fields[field_id].version)))
    for field_id, f in page.fields.items():
        value = answers.get(field_id, f.value)
        special = value if value in SPECIALS and f.kind != "radio" else ""
        if f.kind == "radio":
            if value:
                data.append((f"f:{field_id}", value))
        elif f.kind == "multi":
            if not special:
                codes = [code for code in value.split(MULTI_SEPARATOR) if code]
                data += [(f"multi:{field_id}", code) for code in codes]
        else:
            data.append((f"f:{field_id}", "" if special else value))
        if f.specials:
            data.append((f"special:{field_id}", special))
    return data


# --------------------------------------------------------------------------------------------
# The journey
# --------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (connection refused or reset, timeout)
    body: str = ""
    location: str = ""
    error: str = ""

    def json(self) -> dict:
        try:
            data = json.loads(self.body)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


#: judge(reply) -> None when the reply is what the protocol expects, else why it is not.
Judge = Callable[[Reply], str | None]


class Transport(Protocol):
    def request(
        self, method: str, path: str, data: list[tuple[str, str]] | None, name: str, judge: Judge
    ) -> Reply: ...


class Counters:
    """Outcomes counted over every respondent of a run (thread- and greenlet-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()  # "name status" -> count

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.counts[key] += n

    def status(self, name: str, status: int) -> None:
        with self._lock:
            self.statuses[f"{name} {status}"] += 1

    def as_dict(self) -> dict:
        with self._lock:
            return {"counts": dict(self.counts), "statuses": dict(sorted(self.statuses.items()))}


@dataclass
class Pace:
    """Seconds between two answers (a tap, or a number typed), and before retrying a save."""

    answer_min: float = 1.0
    answer_max: float = 5.0
    retry_first: float = 1.0  # then doubled, up to retry_max
    retry_max: float = 8.0
    retry_attempts: int = 8  # attempts per request before giving up
    revise_rate: float = 0.1  # share of answers changed again later on the page


class JourneyFailed(Exception):
    """The journey cannot go on (bad link, unexpected page)."""


class Journey:
    """One respondent with one token, answering page by page and sending.

    `acked[field]` is the last value the server acknowledged for each field (a 200 to the
    autosave, or a 302 to the page's form); `unsure[field]` the values sent since that
    acknowledgement without one, which the server may or may not have stored."""

    def __init__(
        self,
        transport: Transport,
        token: str,
        *,
        rng: random.Random,
        pace: Pace,
        counters: Counters,
        sleep: Callable[[float], None] = time.sleep,
        deadline: float | None = None,
        max_pages: int = 40,
    ) -> None:
        self.http = transport
        self.token = token
        self.rng = rng
        self.pace = pace
        self.counters = counters
        self.sleep = sleep
        self.deadline = deadline
        self.max_pages = max_pages
        self.session = secrets.token_hex(16)  # ≤ 32 characters, like the page's script
        self.acked: dict[str, str] = {}
        self.unsure: dict[str, set[str]] = {}
        self.outcome = "started"

    # -- bookkeeping ------------------------------------------------------------------------
    def _sent(self, field_id: str, value: str) -> None:
        self.unsure.setdefault(field_id, set()).add(value)

    def _ack(self, field_id: str, value: str) -> None:
        self.acked[field_id] = value
        self.unsure.pop(field_id, None)

    def _late(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    # -- requests with the outbox's retries -------------------------------------------------
    def _call(
        self, method: str, path: str, data: list[tuple[str, str]] | None, name: str, judge: Judge
    ) -> Reply:
        delay = self.pace.retry_first
        for attempt in range(1, self.pace.retry_attempts + 1):
            reply = self.http.request(method, path, data, name, judge)
            self.counters.status(name, reply.status)
            if not retried(reply.status):
                return reply
            if attempt == self.pace.retry_attempts or self._late():
                break
            self.counters.add("retries")
            self.sleep(delay * self.rng.uniform(0.8, 1.2))
            delay = min(delay * 2, self.pace.retry_max)
        self.counters.add(f"{name} gave up")
        return reply

    # -- the journey ------------------------------------------------------------------------
    def run(self) -> str:
        self.counters.add("journeys started")
        try:
            self.outcome = self._run()
        except JourneyFailed as exc:
            self.outcome = f"failed: {exc}"
        self.counters.add(f"journeys {self.outcome.partition(':')[0]}")
        return self.outcome

    def _run(self) -> str:
        start = f"/repondre/{self.token}/"
        reply = self._call("GET", start, None, "start", _expect(302))
        if reply.status != 302:
            raise JourneyFailed(f"start page answered {reply.status}")
        path = _path(reply.location)
        for _n in range(self.max_pages):
            if path.endswith("/merci/"):
                reply = self._call("GET", path, None, "thanks", _expect(200))
                return "sent" if reply.status == 200 else f"failed: thanks {reply.status}"
            if self._late():
                return "stopped"
            reply = self._call("GET", path, None, "page", _expect(200))
            if reply.status != 200:
                raise JourneyFailed(f"page answered {reply.status}")
            page = parse_page(reply.body)
            if page is None or not page.csrf:
                raise JourneyFailed("a page without the questionnaire form")
            self.counters.add("pages")
            if page.versioned:
                self.counters.add("pages with versions")
            answers = self._answer_page(page)
            if self._late():
                return "stopped"
            path = self._post_page(path, page, answers)
        raise JourneyFailed(f"more than {self.max_pages} pages")

    def _answer_page(self, page: Page) -> dict[str, str]:
        answers: dict[str, str] = {}
        done: list[str] = []
        for field_id, f in page.fields.items():
            if self._late():
                break
            self._save(page, f, choose_answer(f, self.rng), answers)
            done.append(field_id)
            if len(done) > 1 and self.rng.random() < self.pace.revise_rate:
                again = page.fields[self.rng.choice(done[:-1])]
                self._save(page, again, choose_answer(again, self.rng), answers)
                self.counters.add("answers changed")
        return answers

    def _save(self, page: Page, f: Field, value: str, answers: dict[str, str]) -> None:
        """Autosave of one answer, as the page's script sends it."""
        self.sleep(self.rng.uniform(self.pace.answer_min, self.pace.answer_max))
        f.value = value
        answers[f.id] = value
        data = [
            ("csrfmiddlewaretoken", page.csrf),
            ("field", f.id),
            ("value", value),
            ("version", str(f.version)),
            ("session", self.session),
        ]

        def judge(reply: Reply) -> str | None:
            if reply.status == 200 and reply.json().get("ok") is True:
                return None
            if reply.status == 409 and reply.json().get("value", "") == value:
                return None  # stored already with our value: an acknowledgement
            return _why(reply)

        self._sent(f.id, value)
        reply = self._call("POST", page.save_url, data, "autosave", judge)
        body = reply.json()
        if reply.status == 200 and body.get("ok") is True:
            if "version" in body:
                f.version = _int(str(body["version"]))
                self.counters.add("saves with a version")
            self._ack(f.id, value)
            self.counters.add("saves acknowledged")
        elif reply.status == 409 and body.get("conflict"):
            # Changed elsewhere: the page adopts the stored value and its version.
            f.version = _int(str(body.get("version", f.version)))
            stored = str(body.get("value", ""))
            f.value = answers[f.id] = stored
            self._ack(f.id, stored)  # what the server says it holds
            if stored == value:
                self.counters.add("saves acknowledged")
            else:
                self.counters.add("saves in conflict")
        elif reply.status == 400:
            self.counters.add("saves refused")
        elif reply.status == 404:
            raise JourneyFailed("the link is refused (404)")
        elif reply.status not in RETRYABLE:
            self.counters.add("saves failed")

    def _post_page(self, path: str, page: Page, answers: dict[str, str]) -> str:
        """'Next page' (or 'send' on the last page): the form with every input of the page."""
        data = form_inputs(page, answers, self.session)
        name = "send" if page.last else "page"
        if page.last:
            data.append(("action", "send"))
        for field_id, f in page.fields.items():
            self._sent(field_id, answers.get(field_id, f.value))
        reply = self._call("POST", page.action or path, data, name, _expect(302))
        if reply.status != 302:
            raise JourneyFailed(f"{name} answered {reply.status}")
        for field_id, f in page.fields.items():
            self._ack(field_id, answers.get(field_id, f.value))
        return _path(reply.location)


def _expect(status: int) -> Judge:
    def judge(reply: Reply) -> str | None:
        return None if reply.status == status else _why(reply)

    return judge


def _why(reply: Reply) -> str:
    if reply.status == 0:
        return f"no answer: {reply.error or 'connection failed'}"
    error = reply.json().get("error")
    return f"HTTP {reply.status}" + (f": {error}" if error else "")


def _path(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
