"""Writing the package: to a folder (written beside it and renamed) or as one ZIP."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile
from barometre.errors import Code, InputError, Problem, problem
from barometre.files import write_atomic
from barometre.interop.opendata.codes import _ZIP_EPOCH
from barometre.interop.opendata.package import PackageFiles, TableSummary, datapackage_files
from barometre.questionnaire.models import Questionnaire


@dataclass(frozen=True)
class DataPackageSummary:
    """What `write_datapackage` wrote: where, the package's name and version, its tables and
    every file (attached files too)."""

    path: Path
    name: str
    version: str
    tables: tuple[TableSummary, ...]
    files: tuple[str, ...]

    def lines(self) -> list[str]:
        """The summary as a person reads it on the command line (English)."""
        lines = [f"Data package {self.name} (version {self.version}) written to {self.path}"]
        for table in self.tables:
            lines.append(
                f"  {table.path}: {table.rows} rows, {table.suppressed} with figures suppressed"
            )
        attached = [f for f in self.files if f not in {t.path for t in self.tables}]
        lines.append("  also: " + ", ".join(attached))
        return lines


def out_problems(out: Path, *, zipped: bool) -> list[Problem]:
    """What is wrong with `out` as the place of a package (a folder, or a ZIP file)."""
    if zipped:
        if out.is_dir():
            return [problem(str(out), Code.OPENDATA_OUT_IS_FOLDER)]
        return []
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        return [problem(str(out), Code.OPENDATA_OUT_NOT_EMPTY)]
    return []


def write_datapackage(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    out: str | Path,
    *,
    zipped: bool = False,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> DataPackageSummary:
    """Write the wave's data package to the folder `out` (new or empty), or as one ZIP file
    when `zipped`. Every problem of the inputs and of `out` is raised at once and nothing is
    written then; the folder is written beside `out` under a temporary name and renamed."""
    target = Path(out)
    problems = out_problems(target, zipped=zipped)
    try:
        built = datapackage_files(
            estimates,
            questionnaire,
            questionnaire_yaml=questionnaire_yaml,
            change=change,
            title=title,
            created=created,
            synthetic=synthetic,
            source=source,
        )
    except InputError as exc:
        problems = list(exc.problems) + problems
        raise InputError(source, problems) from None
    if problems:
        raise InputError(str(target), problems)
    if zipped:
        content = zip_bytes(built)
        write_atomic(target, lambda tmp: tmp.write_bytes(content))
    else:
        _write_folder(target, built.files)
    return DataPackageSummary(
        path=target,
        name=built.descriptor.name,
        version=built.descriptor.version,
        tables=built.tables,
        files=tuple(built.files),
    )


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        os.chmod(staging, 0o755)
        os.replace(staging, target)  # onto a missing or empty folder only (checked)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def zip_bytes(built: PackageFiles) -> bytes:
    """The package as one ZIP (what the public page offers): the same files, in name order,
    dated from the package's `created` so that the same wave gives the same bytes."""
    created = built.descriptor.created
    stamp = (
        datetime.fromisoformat(created.replace("Z", "+00:00")).timetuple()[:6]
        if created
        else _ZIP_EPOCH
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in built.files.items():
            info = zipfile.ZipInfo(f"{built.descriptor.name}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return stream.getvalue()


def datapackage_zip_bytes(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    *,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> bytes:
    """The wave's data package as ZIP bytes (the web's download)."""
    return zip_bytes(
        datapackage_files(
            estimates,
            questionnaire,
            questionnaire_yaml=questionnaire_yaml,
            change=change,
            title=title,
            created=created,
            synthetic=synthetic,
            source=source,
        )
    )
