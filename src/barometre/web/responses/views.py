"""The respondent's journey: open the link, answer page by page, submit, see the answers.

The token in the address is the only credential: every view looks it up again (hash, expiry,
revocation) and shows or changes only that respondent's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from barometre import formatting
from barometre.i18n import Language, language_of
from barometre.questionnaire.paths import compose
from barometre.web.campaigns.models import AccessLink, Wave
from barometre.web.campaigns.services import LinkError, link_for_token
from barometre.web.campaigns.tokens import hash_token
from barometre.web.responses.selectors import (
    PageCompletion,
    PageState,
    UnansweredQuestion,
    may_reveal,
    newly_shown,
    page_completion,
    respondent_answers,
    respondent_pages,
    respondent_progress,
    unanswered_questions,
)
from barometre.web.responses.services import (
    CHANGED_ELSEWHERE,
    AnswerRefused,
    SurveyClosed,
    answer_save,
    clean_session,
    page_save,
    respondent_for_link,
    respondent_submit,
)


def _link_problem(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "responses/link_problem.html", {"message": message}, status=404)


def respondent_view(json: bool = False):
    """Resolve the token of the address into its respondent, or refuse (unknown, expired or
    revoked link) with a page, or a JSON error for the autosave endpoint."""

    def decorate(view):
        @wraps(view)
        @never_cache  # answers change: a page or a state from a cache would be stale
        def wrapped(request: HttpRequest, token: str, *args, **kwargs):
            try:
                link = link_for_token(token, AccessLink.Kind.RESPONDENT)
            except LinkError as exc:
                if json:
                    return JsonResponse({"ok": False, "error": str(exc)}, status=404)
                return _link_problem(request, str(exc))
            return view(request, respondent_for_link(link), token, *args, **kwargs)

        return wrapped

    return decorate


@respondent_view()
def start(request: HttpRequest, respondent, token: str) -> HttpResponse:
    if respondent.submitted_at:
        return redirect("responses:thanks", token=token)
    pages = respondent_pages(respondent)
    for completion in page_completion(respondent, pages):  # resume where the respondent stopped
        if completion.state == "incomplete":
            return redirect("responses:page", token=token, number=completion.number)
    return redirect("responses:page", token=token, number=len(pages))


def _reader() -> Language:
    return language_of(get_language())


def _progress_text(answered: int, asked: int) -> str:
    """ "12 questions answered out of 57", with the numbers as the reader writes them."""
    reader = _reader()
    return ngettext(
        "%(answered)s question answered out of %(asked)s",
        "%(answered)s questions answered out of %(asked)s",
        answered,
    ) % {
        "answered": formatting.count(answered, language=reader),
        "asked": formatting.count(asked, language=reader),
    }


@dataclass(frozen=True)
class Step:
    """A page in the compact strip of pages: its number, its state, and what a screen reader
    says of it ("Page 3, complete: Governance")."""

    number: int
    shown: str  # the number as shown
    title: str
    state: PageState
    current: bool
    spoken: str
    spoken_complete: str  # for the current page, whose state the page's script may change
    spoken_incomplete: str
    #: Left out of the strip: every question of the page is hidden by its condition. The
    #: current page and the last one (where the answers are sent) are never left out.
    hidden: bool = False
    #: The page's questions, space-separated, when each has a condition and the page may be
    #: left out: the page's script (relevance.js) shows or hides the step as answers change.
    conditional_items: str = ""


def _spoken(number: str, title: str, state: PageState) -> str:
    # one msgid per state, written out so that the catalogue has them (never built)
    templates = {
        "complete": _("Page %(number)s, complete"),
        "incomplete": _("Page %(number)s, not complete"),
        "optional": _("Page %(number)s, optional questions"),
    }
    heading = templates[state] % {"number": number}
    return f"{formatting.label(heading, language=_reader())} {title}"


def _steps(completions: list[PageCompletion], current: int) -> list[Step]:
    reader = _reader()
    steps = []
    for page in completions:
        shown = formatting.count(page.number, language=reader)
        fixed = page.number in (current, len(completions))  # never left out
        steps.append(
            Step(
                number=page.number,
                shown=shown,
                title=page.title,
                state=page.state,
                current=page.number == current,
                spoken=_spoken(shown, page.title, page.state),
                spoken_complete=_spoken(shown, page.title, "complete"),
                spoken_incomplete=_spoken(shown, page.title, "incomplete"),
                hidden=page.hidden and not fixed,
                conditional_items="" if fixed else " ".join(page.conditional_items),
            )
        )
    return steps


def _next_page(completions: list[PageCompletion], number: int) -> int:
    """The page after `number` that has a question to answer (the last page, where the
    answers are sent, at the latest): a page whose questions the answers all hide is
    passed."""
    for page in completions[number:]:
        if not page.hidden:
            return page.number
    return len(completions)


def _previous_page(completions: list[PageCompletion], number: int) -> int | None:
    """The page before `number` that has a question to answer, None when there is none."""
    for page in reversed(completions[: number - 1]):
        if not page.hidden:
            return page.number
    return None


@dataclass(frozen=True)
class UnansweredLink:
    """An unanswered question on the last page's list, with the address of its anchor."""

    question: UnansweredQuestion
    href: str
    where: str  # "page 2"


def _unanswered_links(token: str, unanswered: list[UnansweredQuestion]) -> list[UnansweredLink]:
    reader = _reader()
    return [
        UnansweredLink(
            question=question,
            href=reverse("responses:page", kwargs={"token": token, "number": question.page_number})
            + f"#{question.anchor}",
            where=_("page %(number)s")
            % {"number": formatting.count(question.page_number, language=reader)},
        )
        for question in unanswered
    ]


@respondent_view()
def page(request: HttpRequest, respondent, token: str, number: int) -> HttpResponse:
    if respondent.submitted_at:
        return redirect("responses:thanks", token=token)
    pages = respondent_pages(respondent)
    if not 1 <= number <= len(pages):
        raise Http404
    refused: list[str] = []
    if request.method == "POST":
        before = pages[number - 1]
        revealing = may_reveal(before)
        if revealing:
            before.items  # noqa: B018 - the page as shown before the save, to compare
        outcome = page_save(
            respondent=respondent,
            posted=_with_paths(request, pages[number - 1], _posted_fields(request)),
            session=clean_session(request.POST.get("session")),
        )
        problems = {**outcome.refused, **outcome.conflicts}
        refused = [
            f"{formatting.label(_label(pages[number - 1], field), language=_reader())} {message}"
            for field, message in problems.items()
        ]
        if not problems and request.POST.get("action") == "send":
            try:
                respondent_submit(respondent=respondent)
            except AnswerRefused as exc:
                return _link_problem(request, str(exc))
            return redirect("responses:thanks", token=token)
        if not problems and revealing:
            # without JavaScript, an answer that reveals a question of this page (or leads
            # to a path's next step) shows the page again there instead of going on
            anchor = newly_shown(before, respondent_pages(respondent)[number - 1])
            if anchor:
                here = reverse("responses:page", kwargs={"token": token, "number": number})
                return redirect(f"{here}#{anchor}")
        if not problems:
            target = number + 1 if number < len(pages) else len(pages)
            if pages[number - 1].relevance:  # conditions: the pages the answers now call for
                saved = respondent_pages(respondent)
                target = _next_page(page_completion(respondent, saved), number)
            return redirect("responses:page", token=token, number=target)
        pages = respondent_pages(respondent)
        respondent.refresh_from_db(fields=["answered"])
    answered, asked = respondent_progress(respondent)
    conflicted = request.method == "POST" and bool(outcome.conflicts)
    completions = page_completion(respondent, pages)
    last = number == len(pages)
    previous = _previous_page(completions, number)
    reader = _reader()
    unanswered = unanswered_questions(completions) if last else []
    return render(
        request,
        "responses/page.html",
        {
            "respondent": respondent,
            "token": token,
            "page": pages[number - 1],
            "steps": _steps(completions, number),
            "page_of": _("Page %(number)s of %(total)s")
            % {
                "number": formatting.count(number, language=reader),
                "total": formatting.count(len(pages), language=reader),
            },
            "number": number,
            "last": last,
            # the previous page with a question; none: the link waits, hidden, for the
            # page's script to find one as answers change
            "previous": previous or max(1, number - 1),
            "no_previous": previous is None,
            # reached by its address, or before the answers hid its questions
            "nothing_to_answer": completions[number - 1].hidden,
            "answered": answered,
            "asked": asked,
            "progress_text": _progress_text(answered, asked),
            "percent": formatting.percent(
                100 * answered / asked if asked else 100, 0, language=reader
            ),
            "unanswered": _unanswered_links(token, unanswered),
            "unanswered_intro": ngettext(
                "%(count)s question has no answer yet:",
                "%(count)s questions have no answer yet:",
                len(unanswered),
            )
            % {"count": formatting.count(len(unanswered), language=reader)},
            # told at once when the wave closed before the page was opened
            "closed": respondent.wave.status != Wave.Status.OPEN,
            "refused": refused,
            # The browser's outbox is named after the link, never with the link itself.
            "outbox_key": hash_token(token)[:24],
        },
        status=409 if conflicted else 200,  # changed elsewhere: the page shows what is stored
    )


def _label(page, field_id: str) -> str:
    """The question (and row) a field belongs to, to name it in a refusal."""
    for item in page.items:
        if item.id == field_id:
            return item.label
        for row in item.rows:
            if row.field_id == field_id:
                return f"{item.label} — {row.label}"
    return field_id


def _posted_fields(request: HttpRequest) -> dict[str, tuple[str, int]]:
    """Form names → answer fields with the version the page showed: `f:ID` holds a value,
    `multi:ID` the ticked codes, `special:ID` NA or DK, which wins over any value, `version:ID`
    the version. `shown:ID` lists the fields of the page, so that a multi item whose boxes
    were all unticked is cleared."""
    post = request.POST
    values = _posted_values(post)
    return {field: (value, _int(post.get(f"version:{field}"))) for field, value in values.items()}


def _with_paths(
    request: HttpRequest, page, posted: dict[str, tuple[str, int]]
) -> dict[str, tuple[str, int]]:
    """The answer of each path item of the page, made from its steps' radios
    (`step:ID:STEP`): from the first step, each answer leads to the next question; answers of
    steps the path does not reach (left from an earlier choice, or given without JavaScript,
    where every step is shown) are dropped. "Not applicable" or "don't know" wins."""
    post = request.POST
    for item in page.questions:
        if item.kind != "path" or item.id not in posted or post.get(f"special:{item.id}"):
            continue
        chosen = {step.id: post.get(f"step:{item.id}:{step.id}", "") for step in item.steps}
        posted[item.id] = (compose(item, chosen), posted[item.id][1])
    return posted


def _int(text: str | None) -> int:
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0


def _posted_values(post) -> dict[str, str]:
    fields = {key.partition(":")[2]: "" for key in post if key.startswith("shown:")}
    for key in post:
        kind, _sep, field_id = key.partition(":")
        if kind == "f":
            fields[field_id] = post[key]
        elif kind == "multi":
            fields[field_id] = "|".join(post.getlist(key))
    for key in post:
        kind, _sep, field_id = key.partition(":")
        if kind == "special" and post[key]:
            fields[field_id] = post[key]
    return fields


@require_POST
@respondent_view(json=True)
def save_answer(request: HttpRequest, respondent, token: str) -> JsonResponse:
    """Autosave of one answer field, based on the version the page last saw (`version`)."""
    field_id = request.POST.get("field", "")
    version = request.POST.get("version")
    if version is None or not (version.isascii() and version.isdigit()) or len(version) > 9:
        return JsonResponse({"ok": False, "error": _("This answer cannot be saved.")}, status=400)
    try:
        outcome = answer_save(
            respondent=respondent,
            field_id=field_id,
            value=request.POST.get("value", ""),
            base_version=int(version),
            session=clean_session(request.POST.get("session")),
        )
    except SurveyClosed as exc:
        # said apart from a refused answer: the page then tells it at once and keeps the answer
        return JsonResponse({"ok": False, "closed": True, "error": str(exc)}, status=400)
    except AnswerRefused as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=400)
    answered, asked = respondent_progress(respondent, counted=outcome.answered)
    if outcome.status == "conflict":
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "value": outcome.value,
                "version": outcome.version,
                "error": str(CHANGED_ELSEWHERE),
            },
            status=409,
        )
    return JsonResponse(
        {
            "ok": True,
            "version": outcome.version,
            "answered": answered,
            "asked": asked,
            "progress": _progress_text(answered, asked),
        }
    )


@require_GET
@respondent_view(json=True)
def state(request: HttpRequest, respondent, token: str) -> JsonResponse:
    """The stored answers and their versions, for a page to catch up with another tab."""
    answers = respondent_answers(respondent)
    answered, asked = respondent_progress(respondent)
    return JsonResponse(
        {
            "ok": True,
            "fields": {f: [answers.get(f), v] for f, v in answers.versions.items()},
            "answered": answered,
            "asked": asked,
            "progress": _progress_text(answered, asked),
            "submitted": respondent.submitted_at is not None,
            "closed": respondent.wave.status != Wave.Status.OPEN,
            "csrf": get_token(request),
        }
    )


@require_POST
@respondent_view()
def submit(request: HttpRequest, respondent, token: str) -> HttpResponse:
    try:
        respondent_submit(respondent=respondent)
    except AnswerRefused as exc:
        return _link_problem(request, str(exc))
    return redirect("responses:thanks", token=token)


@respondent_view()
def thanks(request: HttpRequest, respondent, token: str) -> HttpResponse:
    if not respondent.submitted_at:
        return redirect(reverse("responses:start", kwargs={"token": token}))
    return render(
        request,
        "responses/thanks.html",
        {
            "respondent": respondent,
            "pages": respondent_pages(respondent),
            "message": _("Thank you: your answers have been sent."),
        },
    )
