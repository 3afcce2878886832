import io
import math
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from barometre.errors import InputError
from barometre.tabular import CsvFormat, decode_csv, parse_csv_text
from barometre.web.campaigns.models import Wave
from barometre.web.campaigns.selectors import ProgressFilter, referents_already_invited

MEGABYTE = 1024 * 1024


def max_upload_mb() -> int:
    """The largest file an operator may upload, in megabytes (setting BAROMETRE_MAX_UPLOAD_MB)."""
    return getattr(settings, "BAROMETRE_MAX_UPLOAD_MB", 25)


def within_upload_limit(upload) -> None:
    """Refuse a file larger than the limit, naming the file, its size and the limit."""
    limit = max_upload_mb()
    if upload.size > limit * MEGABYTE:
        raise forms.ValidationError(
            _(
                "The file %(name)s is %(size)s MB, more than the limit of %(limit)s MB. "
                "The administrator can raise the limit (setting BAROMETRE_MAX_UPLOAD_MB)."
            ),
            code="file_too_large",
            params={
                "name": upload.name,
                "size": number_format(_megabytes_over(upload.size, limit), 1),
                "limit": number_format(limit),
            },
        )


def _megabytes_over(size: int, limit: int) -> float:
    """The size in megabytes to one decimal, rounded up when rounding would make a file over
    the limit read as the limit itself (25.01 MB is shown as 25.1, not 25.0)."""
    rounded = round(size / MEGABYTE, 1)
    return rounded if rounded > limit else math.ceil(size * 10 / MEGABYTE) / 10


class WaveForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=Wave._meta.get_field("title").max_length)
    questionnaire = forms.FileField(
        label=_("Questionnaire (YAML)"),
        required=False,
        help_text=_("Leave empty to use the reference questionnaire hlm-2026."),
        validators=[within_upload_limit],
    )
    frame = forms.FileField(
        label=_("Frame of organisations (CSV)"),
        help_text=_(
            "Columns organisation_id,name,organisation_type,dwellings,department; a CSV as Excel "
            "saves it (comma or semicolon, UTF-8 or Windows-1252) is read."
        ),
        validators=[within_upload_limit],
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Wave.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("A wave of the year %(year)s exists already.") % {"year": year}
            )
        return year


class InvitationsForm(forms.Form):
    invitations = forms.FileField(
        label=_("Referents to invite (CSV)"),
        help_text=_("Columns organisation_id,email: one referent per organisation."),
        validators=[within_upload_limit],
    )
    invite_again = forms.BooleanField(
        label=_("Invite again people who already have an invitation"),
        required=False,
        help_text=_(
            "Otherwise the rows whose e-mail address already has a live invitation for that "
            "organisation in this wave are skipped, and listed."
        ),
    )


class ProgressSearchForm(forms.Form):
    """The search box and filter of the response rates (a GET form)."""

    q = forms.CharField(
        label=_("Organisation (name or identifier)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (ProgressFilter.ALL.value, _("All organisations")),
            (ProgressFilter.NO_REFERENT.value, _("No referent yet")),
            (ProgressFilter.NOBODY_INVITED.value, _("No respondent invited")),
            (ProgressFilter.NOBODY_SENT.value, _("Nobody has sent answers")),
            (ProgressFilter.SOME_SENT.value, _("At least one respondent has sent")),
        ],
    )

    def criteria(self) -> tuple[str, ProgressFilter]:
        """The search and the filter asked for; anything invalid is ignored."""
        if not self.is_valid():
            return "", ProgressFilter.ALL
        return self.cleaned_data["q"].strip(), ProgressFilter(
            self.cleaned_data["status"] or ProgressFilter.ALL
        )


def read_csv_upload(upload, error) -> tuple[str, CsvFormat]:
    """An uploaded CSV as text, as French Excel writes it too (Windows-1252, semicolons):
    the text and what was detected; `error` (an InputError) says what cannot be read."""
    return decode_csv(upload.read(), upload.name, error)


def read_upload(upload) -> str:
    """Uploaded file as text; a file that is not UTF-8 is refused by the form."""
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _("The file %(name)s is not UTF-8 text.") % {"name": upload.name}
        ) from None


def without_rows(text: str, row_lines: list[int], skipped: set[int]) -> str:
    """The CSV `text` with the rows starting on the `skipped` lines blanked out.

    `row_lines` are the first lines of every row (the `line` column of `parse_csv_text`). A
    row runs until the next one starts; its lines are emptied, not removed, so that the other
    rows keep their line numbers in any problem reported, and the parser skips empty lines.
    """
    lines = list(io.StringIO(text, newline=""))
    ends = dict(zip(row_lines, [*row_lines[1:], len(lines) + 1], strict=True))
    for start in skipped:
        for number in range(start, ends[start]):
            line = lines[number - 1]
            lines[number - 1] = line[len(line.rstrip("\r\n")) :]
    return "".join(lines)


class InvitationRow(NamedTuple):
    line: int
    organisation: str
    email: str


def skip_already_invited(
    *, wave: Wave, csv_text: str, source: str
) -> tuple[str, list[InvitationRow]]:
    """The invitations file without the rows whose e-mail already has a live referent link
    for that organisation in this wave, and those rows.

    The rows are blanked, not removed, so that any problem in the others keeps its line. A
    file that cannot be read is passed on whole: `referents_from_csv` reports its problems.
    """
    try:
        table = parse_csv_text(csv_text, ["organisation_id", "email"], InputError, source)
    except InputError:
        return csv_text, []
    rows = [
        InvitationRow(int(line), org.strip(), email.strip())
        for line, org, email in zip(
            table["line"], table["organisation_id"], table["email"], strict=True
        )
    ]
    already = referents_already_invited(
        wave=wave, rows=[(row.organisation, row.email) for row in rows]
    )
    skipped = [row for row in rows if (row.organisation, row.email) in already]
    if not skipped:
        return csv_text, []
    kept = without_rows(csv_text, [row.line for row in rows], {row.line for row in skipped})
    return kept, skipped
