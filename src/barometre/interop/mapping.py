"""What an import of answers collected elsewhere matched, ignored and missed.

An ODK/KoboToolbox submission export or a SurveyJS results file names its columns (or keys)
after the questions of the form it was collected with; the import reads them into the
responses format (docs/responses-format.md) and reports, field by field, what it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: What a file holds, as the report words it: ODK's rows and columns, SurveyJS's results and
#: keys.
Source = Literal["submissions", "results"]
_WORDS: dict[str, tuple[str, str]] = {
    "submissions": ("submissions", "columns"),
    "results": ("results", "keys"),
}


@dataclass(frozen=True)
class MappingReport:
    """The outcome of reading a file of submissions against a questionnaire.

    matched:  answer fields of the questionnaire found in the file (field ids, `ITEM.ROW`);
    unknown:  columns or keys of the file that name no answer field (ignored, listed so that a
              renamed question is noticed);
    missing:  answer fields of the questionnaire that the file never mentions;
    submissions: submissions (rows, results) read; answers: answers written;
    source:   what the file holds, for the wording of `lines` (`submissions` and `columns`
              of an ODK export, `results` and `keys` of a SurveyJS results file);
    refused:  where an answer was read as unanswered because the respondent refused to answer
              (SurveyJS's "Refuse to answer" item): `results.json [3] "loc_channels"`.
    """

    matched: tuple[str, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    submissions: int
    answers: int
    source: Source = "submissions"
    refused: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The report as a person reads it on the command line (English)."""
        records, keys = _WORDS[self.source]
        lines = [
            f"{self.submissions} {records}, {self.answers} answers",
            f"{len(self.matched)} fields matched",
        ]
        if self.unknown:
            lines.append(
                f"{len(self.unknown)} {keys} unknown (ignored): " + ", ".join(self.unknown)
            )
        if self.missing:
            lines.append(f"{len(self.missing)} fields missing: " + ", ".join(self.missing))
        if self.refused:
            lines.append(
                f"{len(self.refused)} refused to answer (read as unanswered): "
                + ", ".join(self.refused)
            )
        return lines
