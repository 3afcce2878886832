"""What an import of answers collected elsewhere matched, ignored and missed.

An ODK/KoboToolbox submission export or a SurveyJS results file names its columns (or keys)
after the questions of the form it was collected with; the import reads them into the
responses format (docs/responses-format.md) and reports, field by field, what it did.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MappingReport:
    """The outcome of reading a file of submissions against a questionnaire.

    matched:  answer fields of the questionnaire found in the file (field ids, `ITEM.ROW`);
    unknown:  columns or keys of the file that name no answer field (ignored, listed so that a
              renamed question is noticed);
    missing:  answer fields of the questionnaire that the file never mentions;
    submissions: submissions (rows, results) read; answers: answers written.
    """

    matched: tuple[str, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    submissions: int
    answers: int

    def lines(self) -> list[str]:
        """The report as a person reads it on the command line (English)."""
        lines = [
            f"{self.submissions} submissions, {self.answers} answers",
            f"{len(self.matched)} fields matched",
        ]
        if self.unknown:
            lines.append(
                f"{len(self.unknown)} columns unknown (ignored): " + ", ".join(self.unknown)
            )
        if self.missing:
            lines.append(f"{len(self.missing)} fields missing: " + ", ".join(self.missing))
        return lines
